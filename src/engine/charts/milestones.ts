import { CHART_OUTCOMES, type ChartOutcome } from '../../contracts/charts.js';
import type { Channel } from '../../contracts/common.js';
import type { ReportInterval } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
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

const OPEN = `('triage', 'bot', 'queued', 'in_service')`;
const ABANDONED = `m.kind = 'finished' AND c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL`;

/**
 * The counters grouped by interval (`byBucket`), by channel (`byChannel`), and for the whole plus each
 * agent asked (`byAgent`: the conversation's last agent).
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
  const bucket = by.byBucket ? bucketSql('m.at', ctx.interval, q.p(ctx.period.timeZone)) : `''`;
  const agent = by.byAgent && ctx.agents.length ? `CASE WHEN c.agent_id = ANY(${q.p(ctx.agents.map((a) => a.id))}::uuid[]) THEN c.agent_id END` : 'NULL::uuid';
  const keys = ['x.bucket', ...(by.byChannel ? ['x.channel'] : [])].join(', ');
  const groupBy = by.byAgent ? `GROUPING SETS ((${keys}), (${keys}, x.agent_id))` : keys;
  const wait = `extract(epoch FROM c.first_assigned_at - coalesce(c.first_queued_at, c.first_assigned_at)) * 1000`;
  const sum = (expr: string, when: string) => `coalesce(sum(${expr}) FILTER (WHERE ${when}), 0)::float8`;
  const count = (when: string) => `count(*) FILTER (WHERE ${when})::int`;
  const sql = `
    SELECT ${keys}, ${by.byChannel ? '' : 'NULL AS channel, '}${by.byAgent ? 'x.agent_id, GROUPING(x.agent_id) AS whole' : 'NULL AS agent_id, 1 AS whole'},
           sum(x.received)::int AS received, sum(x.offered)::int AS offered, sum(x.answered)::int AS answered, sum(x.in_target)::int AS in_target,
           sum(x.wait_ms)::float8 AS wait_ms, ${CHART_OUTCOMES.map((o) => `sum(x.f_${o})::int AS f_${o}`).join(', ')},
           sum(x.abandoned)::int AS abandoned, sum(x.short)::int AS short, sum(x.handled)::int AS handled, sum(x.handle_ms)::float8 AS handle_ms,
           sum(x.responded)::int AS responded, sum(x.response_ms)::float8 AS response_ms
      FROM (
        SELECT ${bucket} AS bucket, c.channel, ${agent} AS agent_id,
               ${count(`m.kind = 'created'`)} AS received,
               ${count(`m.kind = 'queued'`)} AS offered,
               ${count(`m.kind = 'assigned'`)} AS answered,
               ${count(`m.kind = 'assigned' AND c.first_assigned_at - coalesce(c.first_queued_at, c.first_assigned_at) <= make_interval(secs => sv.service_level_seconds)`)} AS in_target,
               ${sum(wait, `m.kind = 'assigned'`)} AS wait_ms,
               ${CHART_OUTCOMES.map((o) => `${count(`m.kind = 'finished' AND c.state = '${o}'`)} AS f_${o}`).join(', ')},
               ${count(ABANDONED)} AS abandoned,
               ${count(`${ABANDONED} AND c.finished_at - coalesce(c.queued_at, c.first_queued_at) <= make_interval(secs => ${q.p(ctx.shortAbandonSeconds)})`)} AS short,
               ${count(`m.kind = 'finished' AND c.first_assigned_at IS NOT NULL`)} AS handled,
               ${sum('extract(epoch FROM c.finished_at - c.first_assigned_at) * 1000', `m.kind = 'finished' AND c.first_assigned_at IS NOT NULL`)} AS handle_ms,
               ${count(`m.kind = 'responded'`)} AS responded,
               ${sum('extract(epoch FROM c.first_agent_message_at - c.first_queued_at) * 1000', `m.kind = 'responded'`)} AS response_ms
          FROM conversations c
          JOIN services sv ON sv.id = c.service_id
          CROSS JOIN LATERAL (VALUES ('created', c.created_at), ('queued', c.first_queued_at), ('assigned', c.first_assigned_at),
                                     ('responded', CASE WHEN c.first_queued_at IS NOT NULL THEN c.first_agent_message_at END),
                                     ('finished', CASE WHEN c.state NOT IN ${OPEN} THEN c.finished_at END)) AS m(kind, at)
         WHERE ${where.join(' AND ')} AND m.at >= ${s} AND m.at < ${e}
         GROUP BY 1, 2, 3
      ) x
     GROUP BY ${groupBy}`;
  const { rows } = await ctx.db.query<Record<string, unknown>>(sql, q.list);
  const n = (v: unknown) => Number(v ?? 0);
  return rows
    // the agents' set also yields the conversations of no agent asked (agent_id null): not a series
    .filter((r) => n(r.whole) === 1 || r.agent_id !== null)
    .map((r) => ({
      bucket: String(r.bucket),
      channel: (r.channel as string | null) ?? null,
      agentId: n(r.whole) === 1 ? null : (r.agent_id as string),
      received: n(r.received),
      offered: n(r.offered),
      answered: n(r.answered),
      answeredInTarget: n(r.in_target),
      waitSumMs: n(r.wait_ms),
      finished: Object.fromEntries(CHART_OUTCOMES.map((o) => [o, n(r[`f_${o}`])])) as Record<ChartOutcome, number>,
      abandoned: n(r.abandoned),
      shortAbandoned: n(r.short),
      handled: n(r.handled),
      handleSumMs: n(r.handle_ms),
      responded: n(r.responded),
      responseSumMs: n(r.response_ms),
    }));
}
