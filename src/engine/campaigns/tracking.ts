import type { Queryable } from '../../db/database.js';
import { nextDeliveryStatus, type DeliveryStatus } from '../../shared/delivery-status.js';
import type { Receipt } from '../conversations/receipts.js';
import { loadConversation } from '../conversations/present.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { applyCountMoves, campaignAnnouncer, type StatusMove } from './progress.js';

// What happens to a campaign's message after the provider took it: its receipts (delivered, read,
// failed with the provider's reason) and the contact's answer. Receipts arrive on the account's
// webhook like any other: applyReceipts (conversations/receipts.ts) hands here, in its transaction
// and under its lock of the provider ids, those that matched no conversation message; what matches
// no recipient either is parked there, and the sender claims it when it stores the id.

interface RecipientState {
  id: string;
  campaign_id: string;
  status: string;
  provider_message_id: string;
}

/** A recipient's next status on a receipt: the delivery rules of messages; an answered row stays answered. */
function nextStatus(current: string, receipt: Receipt['status']): string | null {
  if (current === 'answered') return null;
  if (!['sent', 'delivered', 'read', 'failed'].includes(current)) return null;
  return nextDeliveryStatus(current as DeliveryStatus, receipt);
}

/**
 * Applies receipts to the campaign recipients of the account that they name; returns those that
 * named none. Runs inside the caller's transaction, which holds the lock of these provider ids.
 */
export async function applyCampaignReceipts(u: UnitOfWork, engine: Engine, accountId: string, receipts: readonly Receipt[]): Promise<Receipt[]> {
  if (!receipts.length) return [];
  const ids = [...new Set(receipts.map((r) => r.providerMessageId))];
  const { rows } = await u.tx.query<RecipientState>(
    `SELECT r.id, r.campaign_id, r.status, r.provider_message_id FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
      WHERE r.provider_message_id = ANY($1::text[]) AND c.channel_account_id = $2 ORDER BY r.id FOR UPDATE OF r`,
    [ids, accountId],
  );
  if (!rows.length) return [...receipts];
  const known = new Set(rows.map((r) => r.provider_message_id));
  const moves: StatusMove[] = [];
  const changes: { id: string; status: string; delivered: Date | null; read: Date | null; failed: Date | null; code: string | null; message: string | null }[] = [];
  for (const r of rows) {
    let status = r.status;
    const change = { id: r.id, status, delivered: null as Date | null, read: null as Date | null, failed: null as Date | null, code: null as string | null, message: null as string | null };
    for (const x of receipts.filter((y) => y.providerMessageId === r.provider_message_id).sort((a, b) => a.at.getTime() - b.at.getTime())) {
      // an answered row still learns when it was delivered and read
      if (x.status === 'delivered' || x.status === 'read') change.delivered ??= x.at;
      if (x.status === 'read') change.read ??= x.at;
      const next = nextStatus(status, x.status);
      if (!next) continue;
      status = next;
      if (next === 'failed') Object.assign(change, { failed: x.at, code: x.error?.code ?? null, message: x.error?.message.slice(0, 1000) ?? null });
    }
    change.status = status;
    if (status !== r.status) moves.push({ campaign_id: r.campaign_id, before: r.status, after: status });
    if (status !== r.status || change.delivered || change.read) changes.push(change);
  }
  if (changes.length) {
    await u.tx.query(
      `UPDATE campaign_recipients r SET status = x.status,
          delivered_at = coalesce(r.delivered_at, x.delivered), read_at = coalesce(r.read_at, x.read),
          failed_at = coalesce(x.failed, r.failed_at),
          reason = CASE WHEN x.failed IS NOT NULL THEN 'provider' ELSE r.reason END,
          error_code = CASE WHEN x.failed IS NOT NULL THEN x.code ELSE r.error_code END,
          error_message = CASE WHEN x.failed IS NOT NULL THEN x.message ELSE r.error_message END
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[]) AS x(id, status, delivered, read, failed, code, message)
        WHERE r.id = x.id`,
      [changes.map((c) => c.id), changes.map((c) => c.status), changes.map((c) => c.delivered), changes.map((c) => c.read), changes.map((c) => c.failed), changes.map((c) => c.code), changes.map((c) => c.message)],
    );
  }
  const touched = await applyCountMoves(u.tx, moves, u.now);
  await campaignAnnouncer(engine).changed(u, touched);
  return receipts.filter((r) => !known.has(r.providerMessageId));
}

/** Receipts that came before the sender stored their ids (parked by applyReceipts), applied now; the caller holds the ids' lock. */
export async function claimParkedCampaignReceipts(u: UnitOfWork, engine: Engine, accountId: string, providerIds: string[]): Promise<void> {
  if (!providerIds.length) return;
  const { rows } = await u.tx.query<{ provider_message_id: string; status: Receipt['status']; at: Date; error_code: string | null; error_message: string | null }>(
    `DELETE FROM parked_receipts WHERE channel_account_id = $1 AND provider_message_id = ANY($2::text[]) RETURNING provider_message_id, status, at, error_code, error_message`,
    [accountId, providerIds],
  );
  if (!rows.length) return;
  await applyCampaignReceipts(u, engine, accountId, rows.map((r) => ({
    providerMessageId: r.provider_message_id, status: r.status, at: new Date(r.at),
    ...(r.error_message !== null ? { error: { code: r.error_code ?? '', message: r.error_message } } : {}),
  })));
}

// ---- Answers ------------------------------------------------------------------------------------

/** How long after its send a contact's message counts as the answer to a campaign. */
export const ANSWER_DAYS = 7;

export interface CampaignReach {
  recipientId: string;
  campaignId: string;
  serviceId: string;
}

/** For each phone (E.164), the latest campaign row of this account that reached it and is not answered yet. */
export async function campaignsReaching(db: Queryable, accountId: string, phones: readonly string[], now: Date): Promise<Map<string, CampaignReach>> {
  const found = new Map<string, CampaignReach>();
  if (!phones.length) return found;
  const { rows } = await db.query<{ phone: string; id: string; campaign_id: string; service_id: string }>(
    `SELECT DISTINCT ON (r.phone) r.phone, r.id, r.campaign_id, c.service_id
       FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
      WHERE r.phone = ANY($1::text[]) AND r.status IN ('sent', 'delivered', 'read') AND r.sent_at > $3 AND c.channel_account_id = $2
      ORDER BY r.phone, r.sent_at DESC`,
    [[...new Set(phones)], accountId, new Date(now.getTime() - ANSWER_DAYS * 86_400_000)],
  );
  for (const r of rows) found.set(r.phone, { recipientId: r.id, campaignId: r.campaign_id, serviceId: r.service_id });
  return found;
}

/**
 * The contact wrote back: the row is answered, with the conversation the message went to; a
 * conversation the answer opened is the campaign's (direction outbound, Tipo Ativo), announced.
 */
export async function recordAnswers(engine: Engine, answers: readonly (CampaignReach & { conversationId: string; opened: boolean })[]): Promise<void> {
  if (!answers.length) return;
  await engine.execute(async (u) => {
    const { rows } = await u.tx.query<StatusMove>(
      `WITH old AS (SELECT id, status FROM campaign_recipients WHERE id = ANY($1::uuid[]) AND status IN ('sent', 'delivered', 'read') FOR UPDATE)
       UPDATE campaign_recipients r SET status = 'answered', answered_at = $3, conversation_id = x.conversation_id
         FROM old, unnest($1::uuid[], $2::uuid[]) AS x(id, conversation_id)
        WHERE r.id = old.id AND r.id = x.id
       RETURNING r.campaign_id, old.status AS before, r.status AS after`,
      [answers.map((a) => a.recipientId), answers.map((a) => a.conversationId), u.now],
    );
    for (const a of answers.filter((x) => x.opened)) {
      const { rowCount } = await u.tx.query(`UPDATE conversations SET direction = 'outbound', campaign_id = $2 WHERE id = $1 AND direction = 'inbound'`, [a.conversationId, a.campaignId]);
      const view = rowCount ? await loadConversation(u.tx, a.conversationId) : null;
      if (view) u.emit({ type: 'conversation.updated', reason: 'campaign_answer', serviceId: view.serviceId, agentId: view.agentId, conversation: view });
    }
    await campaignAnnouncer(engine).changed(u, await applyCountMoves(u.tx, rows, u.now));
  });
}

