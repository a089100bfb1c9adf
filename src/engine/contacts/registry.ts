import type { ContactCorrection, ContactDetail, ContactSearchQuery, ContactSummary } from '../../contracts/contacts.js';
import type { Database, Queryable } from '../../db/database.js';
import { parseCpf, parseEmail, parsePhone, type FieldResult } from '../../shared/fields.js';
import { policyOf, type AccessPolicy } from '../access.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import { conflict, fieldError, notFound, type Noun } from '../errors.js';

// Titulares (LGPD): find a person, show what Mirante holds on them, correct it (art. 18). A
// supervisor sees a contact only through a conversation in their scope (policyOf().conversationsSql),
// and only those conversations; outside it the contact does not exist (404). The search's ILIKEs use
// the trigram indexes of 0012_lookback_indexes.sql; the CPF its own (0025).

export const CONTACT_NOUN: Noun = { en: 'Contact', pt: 'Titular' };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface ContactRow {
  id: string; name: string | null; email: string | null; phone: string | null; cpf: string | null; data: Record<string, unknown>;
  anonymized_at: Date | null; created_at: Date; n: number; first_at: Date | null; last_at: Date | null;
}

/** The contact columns and the counts of its conversations in scope; `scope` is the condition on `sc`. */
const SELECT = (scope: string) => `SELECT ct.id, ct.name, ct.email, ct.phone, ct.cpf, ct.data, ct.anonymized_at, ct.created_at, s.n, s.first_at, s.last_at
  FROM contacts ct
  CROSS JOIN LATERAL (SELECT count(*)::int AS n, min(sc.created_at) AS first_at, max(sc.created_at) AS last_at
                        FROM conversations sc WHERE sc.contact_id = ct.id AND ${scope}) s`;

export const summary = (r: ContactRow): ContactSummary => ({
  id: r.id, name: r.name, email: r.email, phone: r.phone, cpf: r.cpf, conversations: r.n, lastContactAt: iso(r.last_at), anonymizedAt: iso(r.anonymized_at),
});

/**
 * Contacts by name, e-mail, phone, CPF, channel handle or a conversation's protocol, with their
 * conversations in `policy`'s scope (by default the actor's; Acessos a dados passes the whole
 * company's, its permission being its scope).
 */
export async function searchContacts(
  db: Queryable, actor: Actor, q: ContactSearchQuery, policy: AccessPolicy = policyOf(actor),
): Promise<{ items: ContactSummary[]; more: boolean }> {
  const limit = q.limit ?? 50;
  const text = q.q.trim();
  const digits = text.replace(/\D/g, '');
  const cpf = parseCpf(text);
  const params: unknown[] = [`%${escapeLike(text.toLowerCase())}%`, text, digits.length >= 4 ? `%${digits}%` : null, cpf.ok ? cpf.value : null];
  const scope = policy.conversationsSql('sc', params.length + 1);
  params.push(...scope.params);
  const { rows } = await db.query<ContactRow>(
    `WITH hits AS (
       SELECT h.id FROM contacts h WHERE h.name ILIKE $1 OR h.email ILIKE $1 OR h.phone LIKE $3 OR h.cpf = $4
       UNION SELECT hi.contact_id FROM contact_identities hi WHERE hi.external_id ILIKE $1 OR hi.display_name ILIKE $1
       UNION SELECT hc.contact_id FROM conversations hc WHERE hc.protocol = $2)
     ${SELECT(scope.sql)}
     WHERE ct.id IN (SELECT id FROM hits) ${policy.all ? '' : 'AND s.n > 0'}
     ORDER BY s.last_at DESC NULLS LAST, ct.id LIMIT ${limit + 1}`,
    params,
  );
  return { items: rows.slice(0, limit).map(summary), more: rows.length > limit };
}

/** The contact in the actor's scope, or 404; `lock` takes the row for an update. */
export async function contactInScope(db: Queryable, actor: Actor, id: string, lock = false, policy: AccessPolicy = policyOf(actor)): Promise<ContactRow> {
  const scope = policy.conversationsSql('sc', 2);
  const { rows } = await db.query<ContactRow>(`${SELECT(scope.sql)} WHERE ct.id = $1${lock ? ' FOR UPDATE OF ct' : ''}`, [id, ...scope.params]);
  const row = rows[0];
  if (!row || (!policy.all && row.n === 0)) throw notFound(CONTACT_NOUN, id);
  return row;
}

export async function contactDetail(db: Queryable, actor: Actor, id: string): Promise<ContactDetail> {
  const row = await contactInScope(db, actor, id);
  const identities = await db.query<{ channel: ContactDetail['identities'][number]['channel']; external_id: string; display_name: string | null; created_at: Date }>(
    'SELECT channel, external_id, display_name, created_at FROM contact_identities WHERE contact_id = $1 ORDER BY created_at, id',
    [id],
  );
  const scope = policyOf(actor).conversationsSql('c', 2);
  const conversations = await db.query<{
    id: string; protocol: string; channel: ContactDetail['identities'][number]['channel']; service_name: string; state: string;
    subject: string | null; agent_name: string | null; created_at: Date; finished_at: Date | null;
  }>(
    `SELECT c.id, c.protocol, c.channel, s.name AS service_name, c.state, c.subject, u.name AS agent_name, c.created_at, c.finished_at
       FROM conversations c JOIN services s ON s.id = c.service_id LEFT JOIN users u ON u.id = c.agent_id
      WHERE c.contact_id = $1 AND ${scope.sql} ORDER BY c.created_at DESC, c.id LIMIT 200`,
    [id, ...scope.params],
  );
  return {
    ...summary(row),
    data: row.data ?? {},
    firstContactAt: iso(row.first_at),
    createdAt: iso(row.created_at)!,
    identities: identities.rows.map((i) => ({ channel: i.channel, externalId: i.external_id, displayName: i.display_name, createdAt: iso(i.created_at)! })),
    recentConversations: conversations.rows.map((c) => ({
      id: c.id, protocol: c.protocol, channel: c.channel, serviceName: c.service_name, state: c.state, subject: c.subject, agentName: c.agent_name,
      createdAt: iso(c.created_at)!, finishedAt: iso(c.finished_at),
    })),
  };
}

const PARSERS: Record<'email' | 'phone' | 'cpf', (raw: string) => FieldResult> = { email: parseEmail, phone: parsePhone, cpf: parseCpf };
const REASONS: Record<string, { en: string; pt: string }> = {
  format: { en: 'is not valid', pt: 'não é válido' },
  length: { en: 'has the wrong length', pt: 'tem o tamanho errado' },
  check_digits: { en: 'check digits do not match', pt: 'dígitos verificadores não conferem' },
  repeated_digits: { en: 'is not a real CPF (repeated digits)', pt: 'não é um CPF válido (dígitos repetidos)' },
  area_code: { en: 'unknown area code (DDD)', pt: 'DDD inexistente' },
};

/** Correction (LGPD art. 18): each field validated and normalised as the bot stores it; audited before/after. */
export async function correctContact(db: Database, actor: Actor, id: string, body: ContactCorrection, now: Date): Promise<ContactDetail> {
  const next: Partial<Record<keyof ContactCorrection, string | null>> = {};
  for (const [key, raw] of Object.entries(body) as [keyof ContactCorrection, string | null | undefined][]) {
    if (raw === undefined) continue;
    if (raw === null || raw === '') next[key] = null;
    else if (key === 'name') next[key] = raw;
    else {
      const r = PARSERS[key](raw);
      if (!r.ok) throw fieldError(400, 'validation_error', key, REASONS[r.error.reason] ?? REASONS.format, { field: key });
      next[key] = r.value;
    }
  }
  await db.transaction(async (tx) => {
    const row = await contactInScope(tx, actor, id, true);
    if (row.anonymized_at) throw anonymizedAlready();
    const changed = (Object.keys(next) as (keyof ContactCorrection)[]).filter((k) => row[k] !== next[k]);
    if (!changed.length) return;
    const sets = changed.map((k, i) => `${k} = $${i + 3}`).join(', ');
    await tx.query(`UPDATE contacts SET ${sets}, updated_at = $2 WHERE id = $1`, [id, now, ...changed.map((k) => next[k])]);
    await writeAudit(tx, actor, {
      action: 'update', entity: 'contact', entityId: id,
      before: Object.fromEntries(changed.map((k) => [k, row[k]])), after: Object.fromEntries(changed.map((k) => [k, next[k]])),
    });
  });
  return contactDetail(db, actor, id);
}

export const anonymizedAlready = () =>
  conflict({ en: 'this contact was anonymised: there is nothing left to change', pt: 'este titular foi anonimizado: não há mais dados a alterar' }, { reason: 'anonymized' });
