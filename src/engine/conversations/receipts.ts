import type { Queryable } from '../../db/database.js';
import { nextDeliveryStatus, type DeliveryStatus, type ReceiptStatus } from '../../shared/delivery-status.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { presentMessage } from './present.js';

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

/**
 * Applies a provider's receipts for messages sent through one channel account (null: a service
 * without one). A receipt for an id Mirante does not know (another system's message, or one whose
 * send has not returned yet) is ignored; repeated and out-of-order receipts change nothing
 * (nextDeliveryStatus). Returns the provider ids that matched no message.
 */
export async function applyReceipts(engine: Engine, channelAccountId: string | null, receipts: Receipt[]): Promise<{ changed: number; unknown: string[] }> {
  if (!receipts.length) return { changed: 0, unknown: [] };
  return engine.execute(async (u) => {
    const ids = [...new Set(receipts.map((r) => r.providerMessageId))];
    const { rows } = await u.tx.query<{ id: number; delivery_status: DeliveryStatus | null; provider_message_id: string }>(
      `SELECT id, delivery_status, provider_message_id FROM messages
        WHERE provider_message_id = ANY($1::text[]) AND provider_account_id IS NOT DISTINCT FROM $2::uuid
        ORDER BY id FOR UPDATE`,
      [ids, channelAccountId],
    );
    const byProviderId = new Map(rows.map((r) => [r.provider_message_id, r]));
    // the provider's order, not the webhook's: a batch may hold a message's read before its delivered
    const ordered = [...receipts].sort((a, b) => a.at.getTime() - b.at.getTime());
    const changed = new Set<number>();
    for (const r of ordered) {
      const m = byProviderId.get(r.providerMessageId);
      if (!m) continue;
      const next = nextDeliveryStatus(m.delivery_status, r.status);
      if (!next) continue;
      await writeDelivery(u.tx, m.id, { status: next, at: r.at, error: r.error ?? null });
      m.delivery_status = next;
      changed.add(m.id);
    }
    await announceMessages(u, [...changed]);
    return { changed: changed.size, unknown: ids.filter((id) => !byProviderId.has(id)) };
  });
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
