import type { Queryable } from '../db/database.js';
import { nextDeliveryStatus, type DeliveryStatus } from '../shared/delivery-status.js';
import { announceMessages, claimParkedReceipts, writeDelivery } from './conversations/receipts.js';
import type { Engine } from './engine.js';

export interface OutboxRow {
  id: number;
  kind: string;
  message_id: number | null;
  target: string | null;
  payload: Record<string, unknown>;
  /** failed attempts so far (the one in progress not counted) */
  attempts: number;
  created_at: Date;
}

/** What a sender learnt: the provider's id of the message, which its receipts will name. */
export interface OutboxSendResult {
  providerMessageId?: string;
}

/**
 * Sends one outbox item. Returns what the provider answered (or nothing); throws to be retried later,
 * or throws a PermanentFailure to stop for good.
 */
export type OutboxSender = (item: OutboxRow) => Promise<OutboxSendResult | void>;

/** A failure that retrying cannot mend (a refused target, outside the 24 h window): the item dies at once. */
export class PermanentFailure extends Error {
  /** a stable code the screens translate (the message stays the sender's own words, for the record) */
  readonly reasonCode: string | null;
  constructor(message: string, reasonCode: string | null = null) {
    super(message);
    this.name = 'PermanentFailure';
    this.reasonCode = reasonCode;
  }
}

/**
 * One failed attempt, as the outbox reports it to the runtime's `onError`: which item, which attempt,
 * and what comes next. `logLevel` says how loud: a retried attempt is a warning (a provider's blip,
 * a receiver's deploy: handled), an item given up is an error (a message that will not arrive).
 */
export class OutboxAttemptFailed extends Error {
  readonly logLevel: 'warn' | 'error';
  constructor(
    readonly item: Pick<OutboxRow, 'id' | 'kind' | 'message_id'>,
    readonly attempt: number,
    /** the wait before the next attempt, or null: the item is dead */
    readonly retryInMs: number | null,
    cause: unknown,
  ) {
    const what = `outbox item ${item.id} (${item.kind}${item.message_id === null ? '' : `, message ${item.message_id}`})`;
    const next = retryInMs === null ? 'given up' : `retried in ${(retryInMs / 1000).toFixed(1)} s`;
    // the cause's own words follow in the log (pino's error serializer appends them; so does
    // logLoopFailure's warning line)
    super(`${what}: attempt ${attempt} failed, ${next}`, { cause });
    this.name = 'OutboxAttemptFailed';
    this.logLevel = retryInMs === null ? 'error' : 'warn';
  }
}

/**
 * When the outbox gives up. A chat reply is worth retrying through a provider's blip or a receiver's
 * deploy (12 attempts span about 15 minutes on average, 30 at most), but not for hours: the agent
 * must learn that it failed while the customer is still there, and a reply delivered much later,
 * after newer ones, confuses more than it helps. 24 hours after it was queued (a node down for a
 * day) a message is past the messaging channels' 24 h window anyway. Every item gets one attempt.
 */
export interface OutboxPolicy {
  maxAttempts: number;
  maxAgeMs: number;
  /** the back-off's first ceiling; each failure doubles it, up to capMs */
  baseMs: number;
  capMs: number;
}
export const OUTBOX_POLICY: OutboxPolicy = { maxAttempts: 12, maxAgeMs: 24 * 3_600_000, baseMs: 2_000, capMs: 300_000 };

/** The longest wait after the n-th failed attempt: 2 s, 4 s, 8 s … capped at 5 minutes. */
export const backoffCeilingMs = (attempts: number, policy: OutboxPolicy = OUTBOX_POLICY) =>
  Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * The wait after the n-th failed attempt, with full jitter: anywhere in [0, ceiling]. Messages that
 * failed together (a provider's outage) come back spread out, not all at once.
 */
export const retryDelayMs = (attempts: number, random: () => number = Math.random, policy: OutboxPolicy = OUTBOX_POLICY) =>
  Math.floor(random() * backoffCeilingMs(attempts, policy));

/** The outbox's backlog for /metrics: items waiting, dead letters, and how long the oldest waiting one has waited. */
export async function outboxBacklog(db: Queryable, now: Date): Promise<{ pending: number; dead: number; oldestPendingAgeSeconds: number }> {
  // a dead item (a permanent failure, its attempts or age used up) is never due again: dead, not pending
  const { rows } = await db.query<{ n: number; dead: number; oldest: Date | null }>(
    `SELECT count(*) FILTER (WHERE dead_at IS NULL)::int AS n, count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead,
            min(created_at) FILTER (WHERE dead_at IS NULL) AS oldest
       FROM outbox WHERE delivered_at IS NULL`,
  );
  const oldest = rows[0].oldest;
  return { pending: rows[0].n, dead: rows[0].dead, oldestPendingAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
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

/**
 * Delivers what channels put in the outbox, with retries and jittered back-off, until the other side
 * takes it, or the item dies: the sender says retrying cannot help (PermanentFailure), or the
 * policy's attempts or age are used up. A dead item keeps its last error (`dead_at`, never due again)
 * and its message becomes `failed` with that reason, announced to the desk (message.updated). Rows
 * are taken with SKIP LOCKED, so several nodes share the work without doubles.
 */
export class OutboxWorker {
  private readonly senders = new Map<string, OutboxSender>();
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<number> | null = null;
  private stopped = false;
  /** the jitter's source (tests may fix it) */
  random: () => number = Math.random;

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown) => void = () => undefined,
    readonly policy: OutboxPolicy = OUTBOX_POLICY,
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
    // a failed pass (the database gone mid-shutdown) is reported, never an unhandled rejection of the timer
    this.busy = this.drain()
      .catch((err: unknown) => {
        this.onError(err);
        return 0;
      })
      .finally(() => (this.busy = null));
    return this.busy;
  }

  private async drain(): Promise<number> {
    let sent = 0;
    const db = this.engine.db;
    // what this pass already tried: a failure whose jittered wait came out as 0 ms is due again at
    // once, and must wait for the next pass rather than be retried in a tight loop
    const tried: number[] = [];
    while (!this.stopped) {
      const now = this.engine.clock.now();
      const { rows } = await db.query<OutboxRow>(
        `UPDATE outbox SET next_attempt_at = $2 WHERE id IN (
           SELECT id FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $1 AND id <> ALL($3::bigint[])
            ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, message_id, target, payload, attempts, created_at`,
        // claimed for a minute: a node that dies mid-send leaves them to be retried
        [now, new Date(now.getTime() + 60_000), tried],
      );
      if (!rows.length) return sent;
      for (const r of rows) tried.push(Number(r.id));
      const claimed = rows.sort((a, b) => a.id - b.id);
      for (const [n, item] of claimed.entries()) {
        if (this.stopped) {
          // shutting down: the rest of the claim is due again at once, for another node (or the restart)
          await db.query('UPDATE outbox SET next_attempt_at = $2 WHERE id = ANY($1::bigint[]) AND delivered_at IS NULL', [claimed.slice(n).map((r) => r.id), now]);
          break;
        }
        const sender = this.senders.get(item.kind);
        let result: OutboxSendResult | void;
        try {
          if (!sender) throw new Error(`no sender for ${item.kind}`);
          result = await sender(item);
        } catch (err) {
          const retryInMs = await this.failed(item, err);
          this.onError(new OutboxAttemptFailed(item, item.attempts + 1, retryInMs, err));
          continue;
        }
        await this.delivered(item, result?.providerMessageId);
        sent++;
      }
    }
    return sent;
  }

  /** Taken by the other side: the message is `sent`, with the provider's id its receipts will name. */
  private async delivered(item: OutboxRow, providerMessageId: string | undefined): Promise<void> {
    const at = this.engine.clock.now();
    if (item.message_id === null) {
      await this.engine.db.query('UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [item.id, at]);
      return;
    }
    const messageId = item.message_id;
    await this.engine.execute(async (u) => {
      u.send('UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [item.id, at]);
      // the account is the one the conversation's service sends with now, as the sender just did
      const { rows } = await u.tx.query(
        `UPDATE messages m SET
            provider_message_id = coalesce($2::text, m.provider_message_id),
            provider_account_id = CASE WHEN $2::text IS NULL THEN m.provider_account_id
              ELSE (SELECT s.channel_account_id FROM conversations c JOIN services s ON s.id = c.service_id WHERE c.id = m.conversation_id) END,
            delivery_status = 'sent', sent_at = coalesce(m.sent_at, $3)
          WHERE m.id = $1 AND m.delivery_status = 'pending' RETURNING m.id, m.provider_account_id`,
        [messageId, providerMessageId ?? null, at],
      );
      if (!rows.length) return;
      // the provider's receipts may have come before this answer: they were parked, and apply now
      if (providerMessageId) await claimParkedReceipts(u.tx, messageId, (rows[0].provider_account_id as string | null) ?? null, providerMessageId);
      await announceMessages(u, [messageId]);
    });
  }

  /**
   * A failed attempt: retried after a jittered wait, or dead (and its message failed) when the policy
   * says so. Returns the wait, or null when the item is dead.
   */
  private async failed(item: OutboxRow, err: unknown): Promise<number | null> {
    const now = this.engine.clock.now();
    const attempts = item.attempts + 1;
    const error = String((err as Error)?.message ?? err).slice(0, 500);
    const permanent = err instanceof PermanentFailure;
    const dead = permanent || attempts >= this.policy.maxAttempts || now.getTime() - item.created_at.getTime() >= this.policy.maxAgeMs;
    if (!dead) {
      const wait = retryDelayMs(attempts, this.random, this.policy);
      await this.engine.db.query('UPDATE outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1', [
        item.id,
        attempts,
        error,
        new Date(now.getTime() + wait),
      ]);
      return wait;
    }
    // never due again; kept with its reason for whoever looks (and the metrics)
    const markDead = (q: Queryable) =>
      q.query(`UPDATE outbox SET attempts = $2, last_error = $3, dead_at = $4, next_attempt_at = 'infinity' WHERE id = $1`, [item.id, attempts, error, now]);
    if (item.message_id === null) {
      await markDead(this.engine.db);
      return null;
    }
    const messageId = item.message_id;
    const reason = permanent ? error : `${error} (${attempts} attempts)`;
    const code = permanent ? err.reasonCode : 'attempts_exhausted';
    await this.engine.execute(async (u) => {
      await markDead(u.tx);
      const { rows } = await u.tx.query<{ delivery_status: DeliveryStatus | null }>('SELECT delivery_status FROM messages WHERE id = $1 FOR UPDATE', [messageId]);
      if (!rows[0] || nextDeliveryStatus(rows[0].delivery_status, 'failed') !== 'failed') return;
      await writeDelivery(u.tx, messageId, { status: 'failed', at: now, error: { code, message: reason } });
      await announceMessages(u, [messageId]);
    });
    return null;
  }
}
