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
import { foldRollups } from '../rollups/fold.js';
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
  await foldRollups(db);
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
 * agent asked (`byAgent`: the conversation's last agent). For intervals of a day or longer the whole
 * comes from the daily rollups (migration 0031; an admin's, or a supervisor's services plus the raw
 * rows of their own conversations outside them) and only the agents asked are read raw; otherwise
 * everything is read raw (rawCounters).
 */
export async function loadCounters(ctx: ChartContext, by: { byBucket: boolean; byChannel: boolean; byAgent: boolean }): Promise<Counters[]> {
  const policy = policyOf(ctx.actor);
  const daily = !by.byBucket || DAILY_INTERVALS.has(ctx.interval);
  if (!daily || !(policy.all || ctx.actor.role === 'supervisor')) return rawCounters(ctx, by, { whole: true, agents: by.byAgent });
  const parts = [await rollupCounters(ctx, by)];
  if (!policy.all) parts.push(await rawCounters(ctx, by, { whole: true, agents: false, outsideServices: true }));
  if (by.byAgent && ctx.agents.length) parts.push(await rawCounters(ctx, by, { whole: false, agents: true }));
  const out = new Map<string, Counters>();
  for (const c of parts.flat()) {
    const id = `${c.bucket}|${c.channel ?? ''}|${c.agentId ?? ''}`;
    const into = out.get(id);
    if (into) addCounters(into, c);
    else out.set(id, c);
  }
  return [...out.values()];
}

const DAILY_INTERVALS = new Set<ReportInterval>(['day', 'week', 'month']);

/** `b`'s counts and sums into `a`. */
function addCounters(a: Counters, b: Counters): void {
  for (const k of ['received', 'offered', 'answered', 'answeredInTarget', 'waitSumMs', 'abandoned', 'shortAbandoned', 'handled', 'handleSumMs', 'responded', 'responseSumMs'] as const) a[k] += b[k];
  for (const o of CHART_OUTCOMES) a.finished[o] += b.finished[o];
}

/**
 * The whole's counters from conversation_rollups (one row per day × milestone × service × channel ×
 * direction × state × abandon-wait bucket): the days of the period, in the caller's services, with the
 * service and channel asked. Sums are microseconds; as milliseconds they equal the raw statement's.
 */
async function rollupCounters(ctx: ChartContext, by: { byBucket: boolean; byChannel: boolean }): Promise<Counters[]> {
  const q = new SqlParams();
  const where = [`r.day >= ${q.p(ctx.period.from)}::date`, `r.day <= ${q.p(ctx.period.to)}::date`];
  const scope = policyOf(ctx.actor).servicesSql('r.service_id', q.list.length + 1);
  q.list.push(...scope.params);
  where.push(scope.sql);
  if (ctx.filter.serviceId) where.push(`r.service_id = ${q.p(ctx.filter.serviceId)}::uuid`);
  if (ctx.filter.channel) where.push(`r.channel = ${q.p(ctx.filter.channel)}`);
  const bucket = by.byBucket ? `to_char(date_trunc('${ctx.interval}', r.day::timestamp), 'YYYY-MM-DD HH24:MI:SS')` : `''`;
  const ms = (col: string) => `(sum(r.${col})::numeric / 1000)::float8`;
  const { rows } = await ctx.db.query<{ bucket: string; channel: string | null; k: number; state: string; abandon: boolean; n: number; n1: number; ms1: number; in_target: number; short_n: number }>(
    `SELECT ${bucket} AS bucket, ${by.byChannel ? 'r.channel' : 'NULL'} AS channel, r.k, r.state, r.wait_bin >= 0 AS abandon,
            sum(r.n)::int AS n, sum(r.n1)::int AS n1, ${ms('s1')} AS ms1, sum(r.in_target)::int AS in_target, sum(r.short_n)::int AS short_n
       FROM conversation_rollups r
      WHERE ${where.join(' AND ')}
      GROUP BY 1, 2, 3, 4, 5`,
    q.list,
  );
  const out = new Map<string, Counters>();
  for (const r of rows) {
    const id = `${r.bucket}|${r.channel ?? ''}`;
    let c = out.get(id);
    if (!c) out.set(id, (c = emptyCounters(String(r.bucket), r.channel ?? null, null)));
    const n = Number(r.n);
    const n1 = Number(r.n1);
    const ms1 = Number(r.ms1);
    if (r.k === 1) c.received += n;
    else if (r.k === 2) c.offered += n;
    else if (r.k === 3) {
      c.answered += n;
      c.waitSumMs += ms1;
      c.answeredInTarget += Number(r.in_target);
    } else if (r.k === 4) {
      c.responded += n1;
      c.responseSumMs += ms1;
    } else if (r.k === 5 && !OPEN_STATES.has(r.state)) {
      c.finished[r.state as ChartOutcome] += n;
      if (r.abandon) c.abandoned += n;
      c.shortAbandoned += Number(r.short_n);
      c.handled += n1;
      c.handleSumMs += ms1;
    }
  }
  return [...out.values()];
}

const OPEN_STATES = new Set(['triage', 'bot', 'queued', 'in_service']);

/**
 * The counters read from the raw rows. Each milestone row carries a key (what it counts:
 * `assigned_in` answered in target, `f:<state>:short` a short abandon…) and a duration; the statement
 * only counts and sums per key (two aggregates, not twenty), and the keys fold into counters here.
 * `whole`: the group of every conversation read; `agents`: a group per agent asked;
 * `outsideServices`: only the caller's conversations outside the services of their scope (the part
 * of a supervisor's scope the rollups do not hold).
 */
async function rawCounters(
  ctx: ChartContext, by: { byBucket: boolean; byChannel: boolean },
  part: { whole: boolean; agents: boolean; outsideServices?: boolean },
): Promise<Counters[]> {
  const q = new SqlParams();
  const s = q.p(ctx.period.start);
  const e = q.p(ctx.period.end);
  const policy = policyOf(ctx.actor);
  const scope = policy.conversationsSql('c', q.list.length + 1);
  q.list.push(...scope.params);
  const where = [`(c.created_at >= ${s} AND c.created_at < ${e} OR c.finished_at >= ${s} AND c.finished_at < ${e} OR c.state IN ${OPEN})`, scope.sql];
  if (part.outsideServices) {
    const services = policy.servicesSql('c.service_id', q.list.length + 1);
    q.list.push(...services.params);
    where.push(`NOT (${services.sql})`);
    // what is left of a supervisor's scope outside their services: their own conversations (said
    // outright, so the agent's indexes answer)
    where.push(`c.agent_id = ${q.p(ctx.actor.id)}::uuid`);
  }
  if (ctx.filter.serviceId) where.push(`c.service_id = ${q.p(ctx.filter.serviceId)}::uuid`);
  if (ctx.filter.channel) where.push(`c.channel = ${q.p(ctx.filter.channel)}`);
  const byAgent = part.agents && ctx.agents.length > 0;
  if (!part.whole && !byAgent) return [];
  const asked = byAgent ? q.p(ctx.agents.map((a) => a.id)) : '';
  if (!part.whole) where.push(`c.agent_id = ANY(${asked}::uuid[])`);
  // rows are first grouped by a quarter of an hour in UTC (cheap), then each quarter gets its local
  // bucket: every time zone's offset is a multiple of 15 minutes, so no bucket splits a quarter
  const bin = by.byBucket ? `date_bin('15 minutes', m.at, timestamptz '2000-01-01 00:00:00+00')` : 'NULL::timestamptz';
  const bucket = by.byBucket ? bucketSql('y.bin', ctx.interval, q.p(ctx.period.timeZone)) : `''`;
  const agent = byAgent ? `CASE WHEN c.agent_id = ANY(${asked}::uuid[]) THEN c.agent_id END` : 'NULL::uuid';
  const keys = ['x.bucket', ...(by.byChannel ? ['x.channel'] : []), 'x.k'].join(', ');
  const groupBy = !part.whole ? `${keys}, x.agent_id` : byAgent ? `GROUPING SETS ((${keys}), (${keys}, x.agent_id))` : keys;
  const whole = !part.whole ? '0' : byAgent ? 'GROUPING(x.agent_id)' : '1';
  const wait = ms('coalesce(c.first_queued_at, c.first_assigned_at)', 'c.first_assigned_at');
  const sql = `
    SELECT x.bucket, ${by.byChannel ? 'x.channel' : 'NULL AS channel'}, x.k, ${byAgent ? 'x.agent_id' : 'NULL AS agent_id'}, ${whole} AS whole,
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
