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

/** Sends one outbox item; throws to be retried later, or throws a PermanentFailure to stop for good. */
export type OutboxSender = (item: OutboxRow) => Promise<void>;

/** A failure that retrying cannot mend (a refused target): the item stops and its message is marked failed. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

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
 * answers 2xx or the sender says retrying cannot help (PermanentFailure). Rows are taken with
 * SKIP LOCKED, so several nodes share the work without doubles.
 */
export class OutboxWorker {
  private readonly senders = new Map<string, OutboxSender>();
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<number> | null = null;
  private stopped = false;

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

  /** Lets the send in progress finish and starts no other; what it had claimed goes back to the others. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  async tick(): Promise<number> {
    if (this.stopped) return 0;
    if (this.busy) return this.busy;
    this.busy = this.drain().finally(() => (this.busy = null));
    return this.busy;
  }

  private async drain(): Promise<number> {
    let sent = 0;
    const db = this.engine.db;
    while (!this.stopped) {
      const now = this.engine.clock.now();
      const { rows } = await db.query<OutboxRow>(
        `UPDATE outbox SET next_attempt_at = $2 WHERE id IN (
           SELECT id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        // claimed for a minute: a node that dies mid-send leaves them to be retried
        [now, new Date(now.getTime() + 60_000)],
      );
      if (!rows.length) return sent;
      const claimed = rows.sort((a, b) => a.id - b.id);
      for (const [n, item] of claimed.entries()) {
        if (this.stopped) {
          // shutting down: the rest of the claim is due again at once, for another node (or the restart)
          await db.query('UPDATE outbox SET next_attempt_at = $2 WHERE id = ANY($1::bigint[]) AND delivered_at IS NULL', [claimed.slice(n).map((r) => r.id), now]);
          break;
        }
        const sender = this.senders.get(item.kind);
        try {
          if (!sender) throw new Error(`no sender for ${item.kind}`);
          await sender(item);
          await db.query('UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [item.id, this.engine.clock.now()]);
          if (item.message_id) await db.query(`UPDATE messages SET delivery_status = 'sent' WHERE id = $1 AND delivery_status = 'pending'`, [item.message_id]);
          sent++;
        } catch (err) {
          const attempts = item.attempts + 1;
          const error = String((err as Error).message ?? err).slice(0, 500);
          if (err instanceof PermanentFailure) {
            // never due again; still undelivered, with its reason, for whoever looks
            await db.query(`UPDATE outbox SET attempts = $2, last_error = $3, next_attempt_at = 'infinity' WHERE id = $1`, [item.id, attempts, error]);
            if (item.message_id) await db.query(`UPDATE messages SET delivery_status = 'failed' WHERE id = $1 AND delivery_status = 'pending'`, [item.message_id]);
            this.onError(err);
            continue;
          }
          await db.query('UPDATE outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1', [
            item.id,
            attempts,
            error,
            new Date(this.engine.clock.now().getTime() + backoffSeconds(attempts) * 1000),
          ]);
          this.onError(err);
        }
      }
    }
    return sent;
  }
}
