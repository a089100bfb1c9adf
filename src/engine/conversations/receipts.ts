import type { Queryable } from '../../db/database.js';
import { nextDeliveryStatus, type DeliveryStatus, type ReceiptStatus } from '../../shared/delivery-status.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { presentMessage } from './present.js';
import { applyCampaignReceipts } from '../campaigns/tracking.js';

// Delivery receipts: what a provider (or the outbox, or the WebChat socket) learnt about a message
// we sent. Each change is written on the message and announced as message.updated, which the
// gateway pushes to the desk like message.created. The rules of which receipt moves which status
// are core/delivery-status.ts.

export interface Receipt {
  /** the provider's id of the message, as its sender returned it (OutboxSender) */
  providerMessageId: string;
  status: ReceiptStatus;
  /** when the provider says it happened */
  at: Date;
  /** on failed: the provider's code and text, shown to the agent */
  error?: { code: string; message: string };
}

export interface DeliveryChange {
  status: DeliveryStatus;
  at: Date;
  error?: { code: string | null; message: string } | null;
}

/** Writes one change of a message's delivery (its status and the time of each step). */
export async function writeDelivery(tx: Queryable, messageId: number, change: DeliveryChange): Promise<void> {
  await tx.query(
    `UPDATE messages SET delivery_status = $2::text,
        sent_at = CASE WHEN $2::text IN ('sent', 'delivered', 'read') THEN coalesce(sent_at, $3) ELSE sent_at END,
        delivered_at = CASE WHEN $2::text IN ('delivered', 'read') THEN coalesce(delivered_at, $3) ELSE delivered_at END,
        read_at = CASE WHEN $2::text = 'read' THEN coalesce(read_at, $3) ELSE read_at END,
        failed_at = CASE WHEN $2::text = 'failed' THEN $3 ELSE failed_at END,
        failed_code = CASE WHEN $2::text = 'failed' THEN $4 ELSE failed_code END,
        failed_reason = CASE WHEN $2::text = 'failed' THEN $5 ELSE failed_reason END
      WHERE id = $1`,
    [messageId, change.status, change.at, change.error?.code ?? null, change.error?.message.slice(0, 1000) ?? null],
  );
}

/** Raises message.updated (a delivery change, or a customer's file fetched) for each message, with its current view (read in the command's transaction). */
export async function announceMessages(u: UnitOfWork, ids: number[], reason: 'delivery' | 'media' = 'delivery'): Promise<void> {
  if (!ids.length) return;
  const { rows } = await u.tx.query<Record<string, unknown>>(
    `SELECT m.*, us.name AS author_name, c.service_id AS conv_service_id, c.agent_id AS conv_agent_id
       FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN users us ON us.id = m.author_id
      WHERE m.id = ANY($1::bigint[]) ORDER BY m.id`,
    [ids],
  );
  for (const r of rows) {
    u.emit({ type: 'message.updated', reason, serviceId: r.conv_service_id as string, agentId: (r.conv_agent_id as string | null) ?? null, message: presentMessage(r) });
  }
}

/** How long a receipt that matched no message waits for its message's provider id (then it was someone else's). */
export const PARKED_RECEIPT_DAYS = 7;

/**
 * Serializes, per (account, provider id), the receipts that look a message up with the outbox storing
 * that id: either the receipt sees the id, or the outbox sees the parked receipt (727278).
 */
export const lockProviderIds = (tx: Queryable, accountId: string | null, providerIds: string[]) =>
  tx.query(
    `SELECT pg_advisory_xact_lock(727278, h) FROM (SELECT DISTINCT hashtext(coalesce($1::text, '') || ':' || k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) AS x`,
    [accountId, providerIds],
  );

interface DeliveryRow {
  id: number;
  delivery_status: DeliveryStatus | null;
}

/** Applies receipts to one message row in the provider's order; true when its status moved. */
async function applyToMessage(tx: Queryable, m: DeliveryRow, receipts: readonly Receipt[]): Promise<boolean> {
  let changed = false;
  // the provider's order, not the webhook's: a batch may hold a message's read before its delivered
  for (const r of [...receipts].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const next = nextDeliveryStatus(m.delivery_status, r.status);
    if (!next) continue;
    await writeDelivery(tx, m.id, { status: next, at: r.at, error: r.error ?? null });
    m.delivery_status = next;
    changed = true;
  }
  return changed;
}

/**
 * Applies a provider's receipts for messages sent through one channel account (null: a service
 * without one). A receipt for an id Mirante does not know yet is parked (parked_receipts): the send
 * may not have returned its id yet, and the outbox applies it when it does (claimParkedReceipts);
 * another system's message is never claimed and the receipt is removed after PARKED_RECEIPT_DAYS.
 * Repeated and out-of-order receipts change nothing (nextDeliveryStatus). Returns the provider ids
 * that matched no message.
 */
export async function applyReceipts(engine: Engine, channelAccountId: string | null, receipts: Receipt[]): Promise<{ changed: number; unknown: string[] }> {
  if (!receipts.length) return { changed: 0, unknown: [] };
  return engine.execute(async (u) => {
    const ids = [...new Set(receipts.map((r) => r.providerMessageId))];
    await lockProviderIds(u.tx, channelAccountId, ids);
    const { rows } = await u.tx.query<DeliveryRow & { provider_message_id: string }>(
      `SELECT id, delivery_status, provider_message_id FROM messages
        WHERE provider_message_id = ANY($1::text[]) AND provider_account_id IS NOT DISTINCT FROM $2::uuid
        ORDER BY id FOR UPDATE`,
      [ids, channelAccountId],
    );
    const byProviderId = new Map(rows.map((r) => [r.provider_message_id, r]));
    const changed = new Set<number>();
    for (const m of rows) {
      if (await applyToMessage(u.tx, m, receipts.filter((r) => r.providerMessageId === m.provider_message_id))) changed.add(m.id);
    }
    // a campaign's messages are not conversation messages: their receipts go to the campaign's rows
    const unmatched = channelAccountId
      ? await applyCampaignReceipts(u, engine, channelAccountId, receipts.filter((r) => !byProviderId.has(r.providerMessageId)))
      : receipts.filter((r) => !byProviderId.has(r.providerMessageId));
    if (unmatched.length) {
      await u.tx.query(
        `INSERT INTO parked_receipts (channel_account_id, provider_message_id, status, at, error_code, error_message, parked_at)
         SELECT $1::uuid, x.pid, x.status, x.at, x.code, x.msg, $7
           FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS x(pid, status, at, code, msg)`,
        [
          channelAccountId, unmatched.map((r) => r.providerMessageId), unmatched.map((r) => r.status), unmatched.map((r) => r.at),
          unmatched.map((r) => r.error?.code ?? null), unmatched.map((r) => r.error?.message.slice(0, 1000) ?? null), u.now,
        ],
      );
      // bounded: what no send claimed within the week was another system's
      await u.tx.query(`DELETE FROM parked_receipts WHERE parked_at < $1`, [new Date(u.now.getTime() - PARKED_RECEIPT_DAYS * 86_400_000)]);
    }
    await announceMessages(u, [...changed]);
    const parked = new Set(unmatched.map((r) => r.providerMessageId));
    return { changed: changed.size, unknown: ids.filter((id) => parked.has(id)) };
  });
}

/**
 * In the outbox's transaction that stores a sent message's provider id: the receipts that came
 * before it (parked by applyReceipts) are applied now and removed. True when the status moved.
 */
export async function claimParkedReceipts(tx: Queryable, messageId: number, accountId: string | null, providerMessageId: string): Promise<boolean> {
  await lockProviderIds(tx, accountId, [providerMessageId]);
  const { rows } = await tx.query<{ status: ReceiptStatus; at: Date; error_code: string | null; error_message: string | null }>(
    `DELETE FROM parked_receipts WHERE provider_message_id = $1 AND channel_account_id IS NOT DISTINCT FROM $2::uuid
      RETURNING status, at, error_code, error_message`,
    [providerMessageId, accountId],
  );
  if (!rows.length) return false;
  const m = await tx.query<DeliveryRow>('SELECT id, delivery_status FROM messages WHERE id = $1 FOR UPDATE', [messageId]);
  if (!m.rows[0]) return false;
  const receipts: Receipt[] = rows.map((r) => ({
    providerMessageId, status: r.status, at: r.at,
    ...(r.error_message !== null ? { error: { code: r.error_code ?? '', message: r.error_message } } : {}),
  }));
  return applyToMessage(tx, m.rows[0], receipts);
}

/** Outgoing messages a WebChat visitor's socket received: delivered, and announced. */
export async function markDelivered(engine: Engine, messageIds: number[]): Promise<void> {
  if (!messageIds.length) return;
  await engine.execute(async (u) => {
    const { rows } = await u.tx.query<{ id: number }>(
      `UPDATE messages SET delivery_status = 'delivered', sent_at = coalesce(sent_at, $2), delivered_at = coalesce(delivered_at, $2)
        WHERE id = ANY($1::bigint[]) AND delivery_status IN ('pending', 'sent') RETURNING id`,
      [messageIds, u.now],
    );
    await announceMessages(u, rows.map((r) => r.id));
  });
}
