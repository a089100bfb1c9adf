import type { Queryable } from '../db/database.js';
import type { Engine } from './engine.js';

export interface OutboxRow {
  id: number;
  kind: string;
  message_id: number | null;
  target: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Sends one outbox item; throws (or returns false) to be retried later. */
export type OutboxSender = (item: OutboxRow) => Promise<void>;

export async function enqueueOutbox(tx: Queryable, item: { kind: string; messageId?: number | null; target?: string | null; payload: unknown }, at: Date) {
  await tx.query('INSERT INTO outbox (kind, message_id, target, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)', [
    item.kind,
    item.messageId ?? null,
    item.target ?? null,
    JSON.stringify(item.payload),
    at,
  ]);
}

/** Retry delay after the n-th failure: 1 s, 2 s, 4 s … capped at 5 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(300, 2 ** Math.max(0, attempts - 1));

/**
 * Delivers what channels put in the outbox, with retries and back-off, until the other side
 * answers 2xx. Rows are taken with SKIP LOCKED, so several nodes share the work without doubles.
 */
export class OutboxWorker {
  private readonly senders = new Map<string, OutboxSender>();
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<number> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  register(kind: string, sender: OutboxSender): void {
    this.senders.set(kind, sender);
  }

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  async tick(): Promise<number> {
    if (this.busy) return this.busy;
    this.busy = this.drain().finally(() => (this.busy = null));
    return this.busy;
  }

  private async drain(): Promise<number> {
    let sent = 0;
    const db = this.engine.db;
    for (;;) {
      const now = this.engine.clock.now();
      const { rows } = await db.query<OutboxRow>(
        `UPDATE outbox SET next_attempt_at = $2 WHERE id IN (
           SELECT id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        // claimed for a minute: a node that dies mid-send leaves them to be retried
        [now, new Date(now.getTime() + 60_000)],
      );
      if (!rows.length) return sent;
      for (const item of rows.sort((a, b) => a.id - b.id)) {
        const sender = this.senders.get(item.kind);
        try {
          if (!sender) throw new Error(`no sender for ${item.kind}`);
          await sender(item);
          await db.query('UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [item.id, this.engine.clock.now()]);
          if (item.message_id) await db.query(`UPDATE messages SET delivery_status = 'sent' WHERE id = $1 AND delivery_status = 'pending'`, [item.message_id]);
          sent++;
        } catch (err) {
          const attempts = item.attempts + 1;
          await db.query('UPDATE outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1', [
            item.id,
            attempts,
            String((err as Error).message ?? err).slice(0, 500),
            new Date(this.engine.clock.now().getTime() + backoffSeconds(attempts) * 1000),
          ]);
          this.onError(err);
        }
      }
    }
  }
}
