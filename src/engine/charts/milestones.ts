import { CHART_OUTCOMES, type ChartOutcome } from '../../contracts/charts.js';
import type { Channel } from '../../contracts/common.js';
import type { ReportInterval } from '../../contracts/reports.js';
import type { Database, Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { notFound, NOUNS } from '../errors.js';
import { periodOf, type Period } from '../queries/analysis.js';
import { bucketSql, bucketsSql, SqlParams } from '../reports/definition.js';
import { intervalOf } from '../reports/run.js';
import { getSettings } from '../settings.js';

// The counters behind every chart of Gráficos, in one pass: the conversations that may have a
// milestone in the period (created or finished in it: two index ranges; or open now: the open-state
// index), each unnested into its milestones, and each milestone counted in the interval it happened
// in, like the monitor's day aggregates (engine/monitor/day-sql.ts, core/monitor-day.ts).
// Known gap: a conversation created before the period and finished after it, first assigned (or
// answered) inside it, is not read; only e-mails that live longer than the whole period can be.

export interface ChartFilter {
  from?: string;
  to?: string;
  serviceId?: string;
  channel?: Channel;
  interval?: ReportInterval;
  agentId?: string[];
}

export interface ChartContext {
  db: Queryable;
  actor: Actor;
  period: Period;
  interval: ReportInterval;
  filter: ChartFilter;
  shortAbandonSeconds: number;
  /** the agents asked, in the order asked (deduplicated), with their names */
  agents: { id: string; name: string }[];
}

/** One group's counters (sums of durations in milliseconds). */
export interface Counters {
  bucket: string;
  channel: string | null;
  /** null: the whole (every conversation in the filter) */
  agentId: string | null;
  received: number;
  offered: number;
  answered: number;
  answeredInTarget: number;
  waitSumMs: number;
  finished: Record<ChartOutcome, number>;
  abandoned: number;
  shortAbandoned: number;
  handled: number;
  handleSumMs: number;
  responded: number;
  responseSumMs: number;
}

/** The period, the interval and the agents asked; an agent outside the caller's scope is the 404 of an unknown one. */
export async function chartContext(db: Queryable, actor: Actor, filter: ChartFilter, now: Date): Promise<ChartContext> {
  const period = await periodOf(db, filter, now);
  const { shortAbandonSeconds } = await getSettings(db);
  const ids = [...new Set(filter.agentId ?? [])];
  let agents: { id: string; name: string }[] = [];
  if (ids.length) {
    const scope = policyOf(actor).usersSql('u.id', 2);
    const { rows } = await db.query<{ id: string; name: string }>(
      `SELECT u.id, u.name FROM users u WHERE u.id = ANY($1::uuid[]) AND ${scope.sql}`, [ids, ...scope.params],
    );
    const found = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw notFound(NOUNS.agent, missing);
    agents = ids.map((id) => found.get(id)!);
  }
  return { db, actor, period, interval: intervalOf(filter), filter, shortAbandonSeconds, agents };
}

/** Every bucket of the period, in order, as the text of the counters' `bucket`. */
export async function periodBuckets(ctx: ChartContext): Promise<string[]> {
  const q = new SqlParams();
  const sql = bucketsSql(ctx.interval, q.p(ctx.period.start), q.p(ctx.period.end), q.p(ctx.period.timeZone));
  return (await ctx.db.query<{ bucket: string }>(sql, q.list)).rows.map((r) => r.bucket);
}

/**
 * Runs a read with PostgreSQL's JIT off (in a transaction of its own when `db` can open one):
 * compiling this statement's twenty-odd aggregates took 0.5 s, more than a day's rows take to read.
 */
async function withoutJit<T>(db: Queryable, read: (db: Queryable) => Promise<T>): Promise<T> {
  const d = db as Partial<Database>;
  if (typeof d.transaction !== 'function') return read(db);
  return d.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return read(tx);
  });
}

const OPEN = `('triage', 'bot', 'queued', 'in_service')`;
const ABANDONED = `c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL`;
const ms = (from: string, to: string) => `extract(epoch FROM ${to} - ${from}) * 1000`;

/**
 * The counters grouped by interval (`byBucket`), by channel (`byChannel`), and for the whole plus each
 * agent asked (`byAgent`: the conversation's last agent). Each milestone row carries a key (what it
 * counts: `assigned_in` answered in target, `f:<state>:short` a short abandon…) and a duration; the
 * statement only counts and sums per key (two aggregates, not twenty), and the keys fold into
 * counters here.
 */
export async function loadCounters(ctx: ChartContext, by: { byBucket: boolean; byChannel: boolean; byAgent: boolean }): Promise<Counters[]> {
  const q = new SqlParams();
  const s = q.p(ctx.period.start);
  const e = q.p(ctx.period.end);
  const scope = policyOf(ctx.actor).conversationsSql('c', q.list.length + 1);
  q.list.push(...scope.params);
  const where = [`(c.created_at >= ${s} AND c.created_at < ${e} OR c.finished_at >= ${s} AND c.finished_at < ${e} OR c.state IN ${OPEN})`, scope.sql];
  if (ctx.filter.serviceId) where.push(`c.service_id = ${q.p(ctx.filter.serviceId)}::uuid`);
  if (ctx.filter.channel) where.push(`c.channel = ${q.p(ctx.filter.channel)}`);
  // rows are first grouped by a quarter of an hour in UTC (cheap), then each quarter gets its local
  // bucket: every time zone's offset is a multiple of 15 minutes, so no bucket splits a quarter
  const bin = by.byBucket ? `date_bin('15 minutes', m.at, timestamptz '2000-01-01 00:00:00+00')` : 'NULL::timestamptz';
  const bucket = by.byBucket ? bucketSql('y.bin', ctx.interval, q.p(ctx.period.timeZone)) : `''`;
  const agent = by.byAgent && ctx.agents.length ? `CASE WHEN c.agent_id = ANY(${q.p(ctx.agents.map((a) => a.id))}::uuid[]) THEN c.agent_id END` : 'NULL::uuid';
  const keys = ['x.bucket', ...(by.byChannel ? ['x.channel'] : []), 'x.k'].join(', ');
  const groupBy = by.byAgent ? `GROUPING SETS ((${keys}), (${keys}, x.agent_id))` : keys;
  const wait = ms('coalesce(c.first_queued_at, c.first_assigned_at)', 'c.first_assigned_at');
  const sql = `
    SELECT x.bucket, ${by.byChannel ? 'x.channel' : 'NULL AS channel'}, x.k, ${by.byAgent ? 'x.agent_id, GROUPING(x.agent_id) AS whole' : 'NULL AS agent_id, 1 AS whole'},
           sum(x.n)::int AS n, sum(x.ms)::float8 AS ms
      FROM (SELECT ${bucket} AS bucket, y.* FROM (
        SELECT ${bin} AS bin, c.channel, ${agent} AS agent_id, m.k, count(*)::int AS n, coalesce(sum(m.ms), 0)::float8 AS ms
          FROM conversations c
          JOIN services sv ON sv.id = c.service_id
          CROSS JOIN LATERAL (VALUES
            ('created', c.created_at, NULL::float8),
            ('queued', c.first_queued_at, NULL),
            (CASE WHEN ${wait} <= sv.service_level_seconds * 1000 THEN 'assigned_in' ELSE 'assigned' END, c.first_assigned_at, ${wait}),
            ('responded', CASE WHEN c.first_queued_at IS NOT NULL THEN c.first_agent_message_at END, ${ms('c.first_queued_at', 'c.first_agent_message_at')}),
            ('f:' || c.state || CASE
               WHEN ${ABANDONED} THEN CASE WHEN c.finished_at - coalesce(c.queued_at, c.first_queued_at) <= make_interval(secs => ${q.p(ctx.shortAbandonSeconds)}) THEN ':short' ELSE ':abandon' END
               WHEN c.first_assigned_at IS NOT NULL THEN ':handled' ELSE '' END,
             CASE WHEN c.state NOT IN ${OPEN} THEN c.finished_at END, ${ms('c.first_assigned_at', 'c.finished_at')})
          ) AS m(k, at, ms)
         WHERE ${where.join(' AND ')} AND m.at >= ${s} AND m.at < ${e}
         GROUP BY 1, 2, 3, 4
      ) y) x
     GROUP BY ${groupBy}`;
  const { rows } = await withoutJit(ctx.db, (db) => db.query<{ bucket: string; channel: string | null; k: string; agent_id: string | null; whole: number; n: number; ms: number }>(sql, q.list));
  const out = new Map<string, Counters>();
  for (const r of rows) {
    const whole = Number(r.whole) === 1;
    // the agents' set also yields the conversations of no agent asked (agent_id null): not a series
    if (!whole && r.agent_id === null) continue;
    const agentId = whole ? null : r.agent_id;
    const id = `${r.bucket}|${r.channel ?? ''}|${agentId ?? ''}`;
    let c = out.get(id);
    if (!c) out.set(id, (c = emptyCounters(String(r.bucket), r.channel ?? null, agentId)));
    add(c, r.k, Number(r.n), Number(r.ms));
  }
  return [...out.values()];
}

/** One key's count and duration sum into the counters (the keys of loadCounters). */
function add(c: Counters, k: string, n: number, sumMs: number): void {
  if (k === 'created') c.received += n;
  else if (k === 'queued') c.offered += n;
  else if (k === 'assigned' || k === 'assigned_in') {
    c.answered += n;
    c.waitSumMs += sumMs;
    if (k === 'assigned_in') c.answeredInTarget += n;
  } else if (k === 'responded') {
    c.responded += n;
    c.responseSumMs += sumMs;
  } else {
    const [, state, how] = k.split(':');
    c.finished[state as ChartOutcome] += n;
    if (how === 'short' || how === 'abandon') c.abandoned += n;
    if (how === 'short') c.shortAbandoned += n;
    if (how === 'handled') {
      c.handled += n;
      c.handleSumMs += sumMs;
    }
  }
}

export function emptyCounters(bucket: string, channel: string | null, agentId: string | null): Counters {
  return {
    bucket, channel, agentId, received: 0, offered: 0, answered: 0, answeredInTarget: 0, waitSumMs: 0,
    finished: Object.fromEntries(CHART_OUTCOMES.map((o) => [o, 0])) as Record<ChartOutcome, number>,
    abandoned: 0, shortAbandoned: 0, handled: 0, handleSumMs: 0, responded: 0, responseSumMs: 0,
  };
}
