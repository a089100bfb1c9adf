import type { ContactOptOut } from '../contracts/opt-out.js';
import type { Queryable } from '../db/database.js';
import { policyOf } from './access.js';
import type { Actor } from './actor.js';
import { writeAudit } from './audit.js';
import { loadConversation } from './conversations/present.js';
import type { Engine, UnitOfWork } from './engine.js';
import { notFound, NOUNS } from './errors.js';

// Opt-out (issue 17): a contact who asked not to receive active messages (campaigns, later, skip
// them). Set by the customer's own word (settings.optOut.words, matched whole, case and accents
// aside) or by an agent from the desk (audited), undone by an agent.

/** "Sáir!" → "SAIR": what a word is compared as. */
export const normalizeWord = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().toUpperCase();

/** Is the customer's whole message one of the opt-out words? */
export function isOptOutMessage(text: string, words: readonly string[]): boolean {
  const said = normalizeWord(text);
  return said !== '' && words.some((w) => normalizeWord(w) === said);
}

interface OptOutRow { opted_out_at: Date | null; opted_out_reason: string | null; opted_out_by: string | null; by_name: string | null }

const present = (contactId: string, r: OptOutRow | undefined): ContactOptOut => ({
  contactId,
  optedOut: !!r?.opted_out_at,
  optedOutAt: r?.opted_out_at ? new Date(r.opted_out_at).toISOString() : null,
  reason: r?.opted_out_reason ?? null,
  byUserId: r?.opted_out_by ?? null,
  byUserName: r?.by_name ?? null,
});

async function readOptOut(q: Queryable, contactId: string): Promise<ContactOptOut> {
  const { rows } = await q.query<OptOutRow>(
    'SELECT ct.opted_out_at, ct.opted_out_reason, ct.opted_out_by, u.name AS by_name FROM contacts ct LEFT JOIN users u ON u.id = ct.opted_out_by WHERE ct.id = $1', [contactId],
  );
  return present(contactId, rows[0]);
}

/** The customer asked by their word: marked once (a repeated word changes nothing); true when marked now. */
export async function optOutByCustomer(u: UnitOfWork, contactId: string, word: string): Promise<boolean> {
  const { rowCount } = await u.tx.query(
    `UPDATE contacts SET opted_out_at = $2, opted_out_reason = $3, opted_out_by = NULL, updated_at = $2 WHERE id = $1 AND opted_out_at IS NULL`,
    [contactId, u.now, `customer: ${word.trim().slice(0, 40)}`],
  );
  return (rowCount ?? 0) > 0;
}

/** The contact of a conversation the actor sees (404 outside their scope). */
async function contactOfConversation(q: Queryable, actor: Actor, conversationId: string): Promise<string> {
  const c = await loadConversation(q, conversationId).catch(() => null);
  if (!c) throw notFound(NOUNS.conversation, conversationId);
  await policyOf(actor).conversationRole(q, c);
  return c.contactId;
}

export async function conversationContactOptOut(db: Queryable, actor: Actor, conversationId: string): Promise<ContactOptOut> {
  const contactId = await contactOfConversation(db, actor, conversationId);
  return readOptOut(db, contactId);
}

/** The agent of the conversation (or a supervisor who sees it, or an admin) marks or unmarks the contact, audited. */
export function setContactOptOut(engine: Engine, actor: Actor, conversationId: string, optedOut: boolean, reason: string | null): Promise<ContactOptOut> {
  return engine.execute(async (u) => {
    const contactId = await contactOfConversation(u.tx, actor, conversationId);
    const before = await readOptOut(u.tx, contactId);
    if (before.optedOut === optedOut) return before;
    await u.tx.query(
      optedOut
        ? 'UPDATE contacts SET opted_out_at = $2, opted_out_reason = $3, opted_out_by = $4, updated_at = $2 WHERE id = $1'
        : 'UPDATE contacts SET opted_out_at = NULL, opted_out_reason = NULL, opted_out_by = NULL, updated_at = $2 WHERE id = $1',
      optedOut ? [contactId, u.now, reason ?? 'agent', actor.id] : [contactId, u.now],
    );
    const after = await readOptOut(u.tx, contactId);
    await writeAudit(u.tx, actor, { action: optedOut ? 'opt_out' : 'opt_in', entity: 'contact', entityId: contactId, before: { optedOut: before.optedOut, reason: before.reason }, after: { optedOut: after.optedOut, reason: after.reason, conversationId } });
    return after;
  });
}
