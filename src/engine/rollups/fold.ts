import type { Database, Queryable } from '../../db/database.js';

// The rollups' journal (migration 0041): the triggers of conversations and agent_state_history note
// each written row's before and after, in the writer's transaction; a fold turns the entries into the
// rollups' contributions. It runs in the background on every node (RollupFolder) and before every read
// of those rollups (reports, exports, charts, Indicadores: foldRollups), so a figure is exact as of the
// moment it is read, as when the triggers did the work, while the routing's transactions no longer
// carry it.

/**
 * Entries per statement: each is its own short transaction, so a backlog never holds the lock long.
 * PGlite's one connection runs nothing else meanwhile: a smaller batch (~30 ms) lets the routing and
 * the inbound messages waiting for it in between.
 */
const BATCH = { postgres: 2_000, pglite: 200 } as const;

/**
 * Folds every entry of both journals committed so far; returns how many. A transaction is not folded
 * in (the lock would be held to its end, stalling every other fold): its caller folds first, on the
 * database itself, and reads in its transaction after.
 */
export async function foldRollups(db: Queryable, batchSize?: number): Promise<number> {
  if (typeof (db as Partial<Database>).transaction !== 'function') return 0;
  const batch = batchSize ?? BATCH[(db as Database).kind];
  let total = 0;
  for (const fn of ['conversation_rollups_fold', 'agent_state_rollups_fold']) {
    for (;;) {
      const { rows } = await db.query<{ n: number }>(`SELECT ${fn}($1) AS n`, [batch]);
      total += rows[0].n;
      if (rows[0].n < batch) break;
    }
  }
  return total;
}

/**
 * The background fold: every second on every node (another node's fold in progress is waited for,
 * then finds nothing), so the journal stays short and a report's own fold has little to do.
 */
export class RollupFolder {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(intervalMs = 1_000): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.fold().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  /** No more folds until started again; the one in progress finishes. */
  async pause(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy?.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pause();
  }

  /** One fold of everything committed, unless one is running or the folder stopped; returns the entries folded. */
  async fold(): Promise<number> {
    if (this.busy || this.stopped) return 0;
    this.busy = foldRollups(this.db);
    try {
      return await this.busy;
    } finally {
      this.busy = null;
    }
  }
}
