import type { Queryable } from '../db/database.js';
import { ORPHAN_UPLOAD_GRACE_MS } from './attachments.js';
import type { Engine } from './engine.js';

/**
 * Deletes up to `limit` uploads that no message carries, made before `before`; returns how many.
 * SKIP LOCKED leaves alone the rows a message is linking right now, and those another node's sweep
 * holds, so several nodes sweep side by side.
 */
export async function deleteOrphanUploads(db: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM attachments WHERE id IN (
       SELECT id FROM attachments WHERE message_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [before, limit],
  );
  return rowCount;
}

/** Deletes up to `limit` sessions expired before `now`; returns how many (a session is a sign-in record). */
export async function deleteExpiredSessions(db: Queryable, now: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [now, limit],
  );
  return rowCount;
}

export interface UploadCleanupOptions {
  /** an upload unsent for longer is deleted */
  graceMs?: number;
  /** rows per statement: each batch is its own short transaction, so a backlog never holds locks long */
  batchSize?: number;
}

/**
 * The cleanup of uploads never sent (a file attached and then removed, a visitor who left): every few
 * minutes on every node, like the scheduler and the outbox, the unsent uploads older than the grace
 * period are deleted in batches; so are the expired sessions (LGPD: no sign-in kept past its use).
 */
export class UploadCleanup {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<number> | null = null;
  private stopped = false;
  private readonly graceMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly engine: Engine,
    opts: UploadCleanupOptions = {},
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.graceMs = opts.graceMs ?? ORPHAN_UPLOAD_GRACE_MS;
    this.batchSize = opts.batchSize ?? 200;
  }

  start(intervalMs = 5 * 60_000): void {
    this.timer = setInterval(() => void this.sweep().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy?.catch(() => undefined);
  }

  /** Deletes every unsent upload past the grace period by the engine's clock, batch after batch; returns how many. */
  async sweep(opts: { batchSize?: number } = {}): Promise<number> {
    if (this.busy) return 0;
    const limit = opts.batchSize ?? this.batchSize;
    this.busy = (async () => {
      const before = new Date(this.engine.clock.now().getTime() - this.graceMs);
      let deleted = 0;
      while (!this.stopped) {
        const n = await deleteOrphanUploads(this.engine.db, before, limit);
        deleted += n;
        if (n < limit) break;
      }
      // sessions expire by the wall clock (sessions.ts), so they are swept by it too
      while (!this.stopped && (await deleteExpiredSessions(this.engine.db, new Date(), limit)) === limit);
      return deleted;
    })();
    try {
      return await this.busy;
    } finally {
      this.busy = null;
    }
  }
}
