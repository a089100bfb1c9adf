import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { SYSTEM_ACTOR } from '../actor.js';
import { writeAudit } from '../audit.js';
import type { Clock } from '../clock.js';
import { claimLease, releaseLease } from '../leases.js';
import { getSettings } from '../settings.js';
import { applyBatch, countRule, RETENTION_RULES, ruleCutoffs, targetsOf, type RetentionRule } from './rules.js';

export interface RetentionPreviewRule {
  rule: RetentionRule;
  enabled: boolean;
  cutoff: string;
  /** records the rule would touch now, by kind */
  counts: Record<string, number>;
  total: number;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** The dry run: what every rule (on or off) would touch if it ran now. */
export async function previewRetention(db: Database, now: Date): Promise<{ at: string; timezone: string; rules: RetentionPreviewRule[] }> {
  const s = await getSettings(db);
  const rules: RetentionPreviewRule[] = [];
  for (const r of ruleCutoffs(s.retention, now, s.timezone)) {
    const counts = await countRule(db, r.rule, r.cutoff);
    rules.push({ rule: r.rule, enabled: r.enabled, cutoff: r.cutoff.toISOString(), counts, total: sum(counts) });
  }
  return { at: now.toISOString(), timezone: s.timezone, rules };
}

export interface RetentionRunOptions {
  /** rows per transaction: short transactions never hold the operation's rows for long */
  batchSize?: number;
  /** pause between batches, so the job yields the database to the operation */
  pauseMs?: number;
  signal?: AbortSignal;
  /** called between batches; false stops the run (the lease was lost) */
  keepGoing?: () => Promise<boolean>;
}

export interface RetentionRunResult {
  ranAt: string;
  complete: boolean;
  touched: Partial<Record<RetentionRule, Record<string, number>>>;
  cutoffs: Partial<Record<RetentionRule, string>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One run of the enabled rules, batch after batch, each batch its own transaction. A run killed midway
 * leaves every finished batch done and the rest untouched: the next run's conditions pick up exactly
 * the rest (a purged message is marked, a deleted row is gone). Writes one `retention_run` audit row.
 */
export async function runRetention(db: Database, clock: Clock, opts: RetentionRunOptions = {}): Promise<RetentionRunResult> {
  const batchSize = opts.batchSize ?? 500;
  const now = clock.now();
  const s = await getSettings(db);
  const result: RetentionRunResult = { ranAt: now.toISOString(), complete: true, touched: {}, cutoffs: {} };
  const stop = async () => opts.signal?.aborted === true || (opts.keepGoing ? !(await opts.keepGoing()) : false);
  outer: for (const r of ruleCutoffs(s.retention, now, s.timezone)) {
    if (!r.enabled) continue;
    const counts: Record<string, number> = {};
    result.touched[r.rule] = counts;
    result.cutoffs[r.rule] = r.cutoff.toISOString();
    for (const target of targetsOf(r.rule)) {
      counts[target.label] = 0;
      for (;;) {
        if (await stop()) {
          result.complete = false;
          break outer;
        }
        const n = await db.transaction((tx) => applyBatch(tx, target, r.cutoff, batchSize, now));
        counts[target.label] += n;
        if (n < batchSize) break;
        if (opts.pauseMs) await sleep(opts.pauseMs);
      }
    }
  }
  await writeAudit(db, SYSTEM_ACTOR, { action: 'retention_run', entity: 'retention', after: result });
  return result;
}

/** When the last run started by the engine's clock (the audit row's own `at` is the database's). */
async function lastRunAt(db: Database): Promise<number | null> {
  const { rows } = await db.query<{ at: string | null }>(
    `SELECT max((after->>'ranAt')::timestamptz)::text AS at FROM audit_log WHERE action = 'retention_run' AND at > now() - interval '400 days'`,
  );
  return rows[0]?.at ? Date.parse(rows[0].at) : null;
}

const LEASE_KEY = 'retention';
const LEASE_TTL_MS = 10 * 60_000;
const DAY_MS = 24 * 3600_000;

/**
 * The daily retention run on one node: every node checks now and then; the one that takes the lease
 * runs when the last run is a day old, renewing the lease between batches. A node that dies midway
 * lets the lease expire and another node's run resumes the work.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<RetentionRunResult | null> | null = null;
  private readonly abort = new AbortController();
  private readonly holder = `retention-${randomUUID()}`;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly opts: RetentionRunOptions = { batchSize: 500, pauseMs: 250 },
  ) {}

  start(intervalMs = 15 * 60_000): void {
    this.timer = setInterval(() => void this.tick().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    await this.busy?.catch(() => undefined);
  }

  /** Runs when due and this node holds the lease; returns the run, or null when none was due or held. */
  tick(): Promise<RetentionRunResult | null> {
    this.busy ??= this.step().finally(() => (this.busy = null));
    return this.busy;
  }

  private async step(): Promise<RetentionRunResult | null> {
    const now = this.clock.now();
    const last = await lastRunAt(this.db);
    if (last !== null && now.getTime() - last < DAY_MS) return null;
    if (!(await claimLease(this.db, LEASE_KEY, this.holder, now, LEASE_TTL_MS))) return null;
    try {
      // another node may have run and let go of the lease between our look and our claim
      const again = await lastRunAt(this.db);
      if (again !== null && now.getTime() - again < DAY_MS) return null;
      return await runRetention(this.db, this.clock, {
        ...this.opts,
        signal: this.abort.signal,
        keepGoing: () => claimLease(this.db, LEASE_KEY, this.holder, this.clock.now(), LEASE_TTL_MS),
      });
    } finally {
      await releaseLease(this.db, LEASE_KEY, this.holder).catch(() => undefined);
    }
  }
}

export { RETENTION_RULES };
