import type { Queryable } from '../db/database.js';
import type { Clock } from './clock.js';

// A background worker that must run on one node at a time (a mailbox watcher) runs under a lease in
// the database: one conditional UPSERT takes a free or expired lease, renews one's own, and leaves
// anyone else's alone. The holder renews well before expiry; when it cannot (node dead, database
// unreachable) it stops its worker by its own clock at the lease's expiry, which is the moment another
// node may take over.

/** Takes, renews or steals (when expired) the lease `key` for `holder` until now + ttl; true when held. */
export async function claimLease(db: Queryable, key: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const { rows } = await db.query<{ holder: string }>(
    `INSERT INTO channel_worker_leases AS l (worker_key, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (worker_key) DO UPDATE
        SET holder = excluded.holder, expires_at = excluded.expires_at,
            acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE excluded.acquired_at END
      WHERE l.holder = excluded.holder OR l.expires_at <= excluded.acquired_at
     RETURNING holder`,
    [key, holder, now, new Date(now.getTime() + ttlMs)],
  );
  return rows[0]?.holder === holder;
}

/** Gives the lease up at once (a clean stop): another node need not wait for its expiry. */
export async function releaseLease(db: Queryable, key: string, holder: string): Promise<void> {
  await db.query('DELETE FROM channel_worker_leases WHERE worker_key = $1 AND holder = $2', [key, holder]);
}

export interface LeaseOptions {
  key: string;
  /** this node: unique per process */
  holder: string;
  /** how long a claim holds; renewed every ttl/3 */
  ttlMs: number;
  clock: Clock;
  onError?: (err: unknown) => void;
}

/**
 * Runs `work` while this node holds the lease. `tick()` claims or renews and starts or stops the work;
 * `start()` ticks every ttl/3 (tests call `tick()` with a manual clock instead). `work` gets a signal
 * that aborts when the lease is lost or the runner stops; it should return soon after. A work that
 * ends or fails while the lease is held is started again on the next tick.
 */
export class LeaseRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: { abort: AbortController; done: Promise<void> } | null = null;
  private heldUntil = 0;
  private busy: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Queryable,
    private readonly opts: LeaseOptions,
    private readonly work: (signal: AbortSignal) => Promise<void>,
  ) {}

  /** Is the work running on this node now? */
  get active(): boolean {
    return this.running !== null;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.opts.ttlMs / 3)));
    this.timer.unref();
    void this.tick();
  }

  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.busy ??= this.step().finally(() => (this.busy = null));
    return this.busy;
  }

  private async step(): Promise<void> {
    const now = this.opts.clock.now();
    let held: boolean;
    try {
      held = await claimLease(this.db, this.opts.key, this.opts.holder, now, this.opts.ttlMs);
      if (held) this.heldUntil = now.getTime() + this.opts.ttlMs;
    } catch (err) {
      this.opts.onError?.(err);
      // unsure: keep working only while the last claim surely holds
      held = now.getTime() < this.heldUntil;
    }
    if (this.stopped) return;
    if (held && !this.running) this.run();
    else if (!held && this.running) await this.halt();
  }

  private run(): void {
    const abort = new AbortController();
    const entry = {
      abort,
      done: this.work(abort.signal)
        .catch((err) => this.opts.onError?.(err))
        .finally(() => {
          // ended on its own: started again on the next tick while the lease holds
          if (this.running === entry) this.running = null;
        }),
    };
    this.running = entry;
  }

  private async halt(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.abort.abort();
    await r.done;
    if (this.running === r) this.running = null;
  }

  /** Stops the work and gives the lease up (a clean shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    const had = this.running !== null;
    await this.halt();
    if (had || this.heldUntil) await releaseLease(this.db, this.opts.key, this.opts.holder).catch((err) => this.opts.onError?.(err));
  }
}
