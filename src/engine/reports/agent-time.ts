import type { Queryable } from '../../db/database.js';
import { SqlParams, usersWhere, type ReportContext } from './definition.js';

// Agents' time from agent_state_history, cut to the period (an open row runs until now): what the
// agent reports (Produtividade por agente, Pausas, Sessões) share, read from the rollups of migration 0033.

/** The agents the report may show: the users in the caller's scope, the team's, the one asked; by id, their names. */
export async function reportAgents(ctx: ReportContext): Promise<Map<string, string>> {
  const q = new SqlParams();
  const { rows } = await ctx.db.query<{ id: string; name: string }>(`SELECT u.id, u.name FROM users u WHERE ${usersWhere(ctx, q, 'u.id')}`, q.list);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The whole local days of the period in the rollups' time zone (rollup_time_zone(), migration 0031):
 * [ds, de) as dates, [ws, we) as instants; when it holds none, ws = we = the period's end.
 */
export interface Span { ds: string; de: string; ws: Date; we: Date }

export async function wholeDays(ctx: ReportContext): Promise<Span> {
  const { rows } = await ctx.db.query<Span>(
    `SELECT to_char(w.ds, 'YYYY-MM-DD') AS ds, to_char(w.de, 'YYYY-MM-DD') AS de,
            CASE WHEN w.ds < w.de THEN w.ds::timestamp AT TIME ZONE w.tz ELSE $2::timestamptz END AS ws,
            CASE WHEN w.ds < w.de THEN w.de::timestamp AT TIME ZONE w.tz ELSE $2::timestamptz END AS we
       FROM (SELECT z.tz, CASE WHEN (z.s0::timestamp AT TIME ZONE z.tz) < $1::timestamptz THEN z.s0 + 1 ELSE z.s0 END AS ds, z.e0 AS de
               FROM (SELECT tz, ($1::timestamptz AT TIME ZONE tz)::date AS s0, ($2::timestamptz AT TIME ZONE tz)::date AS e0
                       FROM rollup_time_zone() AS tz) z) w`,
    [ctx.period.start, ctx.period.end],
  );
  return rows[0];
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const nextMonth = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
};

/** The rollups' units covering the dates [ds, de): the whole months, and the days outside them. */
export function rollupUnits(ds: string, de: string): { level: 'day' | 'month'; period: string }[] {
  const out: { level: 'day' | 'month'; period: string }[] = [];
  for (let d = ds; d < de;) {
    const month = d.endsWith('-01') ? nextMonth(d) : null;
    if (month && month <= de) {
      out.push({ level: 'month', period: d });
      d = month;
    } else {
      out.push({ level: 'day', period: d });
      d = nextDay(d);
    }
  }
  return out;
}

export interface PeriodTime {
  user_id: string;
  state: string;
  pause_reason_id: string | null;
  /** seconds within the period (an open row runs until now) */
  s: number;
  /** the rows that overlap the period: begun before its end, ending (or now) after its start */
  n: number;
}

/**
 * Per agent, state and pause reason, the time within the period and the rows that overlap it (an open
 * row runs until now), for the agents `usersWhere` admits — the figures of the raw reading
 * (test/support/agent-time-raw.ts) from the rollups of migration 0033: the whole local months and
 * days of the period from agent_time_rollups, the partial days at its edges from the closed rows
 * there (and the row reaching into each edge), and the open rows (at most one per agent). A row is
 * counted once: where it began, or — the row under way when the period starts — at the start.
 */
export async function periodTimes(ctx: ReportContext): Promise<PeriodTime[]> {
  const span = await wholeDays(ctx);
  const units = rollupUnits(span.ds, span.de);
  const q = new SqlParams();
  const [s, e, now] = [`${q.p(ctx.period.start)}::timestamptz`, `${q.p(ctx.period.end)}::timestamptz`, `${q.p(ctx.now)}::timestamptz`];
  const aligned = span.ws.getTime() === ctx.period.start.getTime();
  const parts: string[] = [];
  if (units.length) {
    // the first unit's rows under way at its start are counted there when the period starts with it (and its
    // rows of no length at that instant are not: the raw reading leaves them out)
    const first = aligned ? `CASE WHEN r.period = ${q.p(span.ds)}::date THEN r.continued_n - r.zero_n ELSE 0 END` : '0';
    parts.push(`SELECT r.user_id, r.state, r.pause_reason_id, r.us::float8 / 1000000 AS seconds, r.started_n + ${first} AS n
       FROM unnest(${q.p(units.map((u) => u.level))}::text[], ${q.p(units.map((u) => u.period))}::date[]) AS w(level, period)
       JOIN agent_time_rollups r ON r.level = w.level AND r.period = w.period
      WHERE ${usersWhere(ctx, q, 'r.user_id')}`);
  }
  // the closed rows begun in [a, b), and each agent's last row begun before a if closed after it
  const edge = (a: string, b: string) => `SELECT x.user_id, x.state, x.pause_reason_id, x.started_at, x.ended_at FROM agent_state_history x
      WHERE x.started_at >= ${a} AND x.started_at < ${b} AND x.ended_at IS NOT NULL AND ${usersWhere(ctx, q, 'x.user_id')}
     UNION ALL
     SELECT y.user_id, y.state, y.pause_reason_id, y.started_at, y.ended_at
       FROM users u CROSS JOIN LATERAL (SELECT y.* FROM agent_state_history y WHERE y.user_id = u.id AND y.started_at < ${a}
                                         ORDER BY y.started_at DESC, y.id DESC LIMIT 1) y
      WHERE y.ended_at > ${a} AND ${usersWhere(ctx, q, 'u.id')}`;
  if (span.ws.getTime() > ctx.period.start.getTime()) {
    const ws = `${q.p(span.ws)}::timestamptz`;
    // before the first whole day: every row there overlaps the period, and is counted here
    parts.push(`SELECT b.user_id, b.state, b.pause_reason_id, extract(epoch FROM least(b.ended_at, ${ws}) - greatest(b.started_at, ${s}))::float8, 1
       FROM (${edge(s, ws)}) b WHERE b.ended_at > ${s}`);
  }
  if (span.we.getTime() < ctx.period.end.getTime()) {
    const we = `${q.p(span.we)}::timestamptz`;
    // after the last whole day: the rows begun there are counted here, the one reaching into it was already
    parts.push(`SELECT c.user_id, c.state, c.pause_reason_id, extract(epoch FROM least(c.ended_at, ${e}) - greatest(c.started_at, ${we}))::float8,
            (c.started_at >= ${we})::int
       FROM (${edge(we, e)}) c`);
  }
  parts.push(`SELECT o.user_id, o.state, o.pause_reason_id, extract(epoch FROM least(${now}, ${e}) - greatest(o.started_at, ${s}))::float8, 1
       FROM agent_state_history o
      WHERE o.ended_at IS NULL AND o.started_at < ${e} AND ${now} > ${s} AND ${usersWhere(ctx, q, 'o.user_id')}`);
  const { rows } = await ctx.db.query<PeriodTime>(
    `SELECT t.user_id, t.state, t.pause_reason_id, sum(t.seconds)::float8 AS s, sum(t.n)::int AS n
       FROM (${parts.join('\n      UNION ALL\n      ')}) t(user_id, state, pause_reason_id, seconds, n)
      GROUP BY 1, 2, 3
     HAVING sum(t.n) > 0`,
    q.list,
  );
  return rows;
}

export interface AgentTime {
  inService: number;
  available: number;
  paused: number;
  byReason: Map<string, number>;
}

/** Seconds per agent in each logged-in state within the period; the key '' holds everyone's sum. */
export async function agentTimes(ctx: ReportContext): Promise<Map<string, AgentTime>> {
  const rows = (await periodTimes(ctx)).filter((r) => r.state !== 'offline');
  const out = new Map<string, AgentTime>();
  const of = (id: string) => out.get(id) ?? out.set(id, { inService: 0, available: 0, paused: 0, byReason: new Map() }).get(id)!;
  for (const r of rows) {
    for (const t of [of(r.user_id), of('')]) {
      if (r.state === 'in_service') t.inService += r.s;
      else if (r.state === 'available') t.available += r.s;
      else if (r.state === 'paused') {
        t.paused += r.s;
        if (r.pause_reason_id) t.byReason.set(r.pause_reason_id, (t.byReason.get(r.pause_reason_id) ?? 0) + r.s);
      }
    }
  }
  return out;
}

/** The pause reasons that get a column: the active ones, and any other with time in the period; by name. */
export async function pauseReasonColumns(db: Queryable, times: Map<string, AgentTime>): Promise<{ id: string; name: string }[]> {
  const used = [...(times.get('')?.byReason.keys() ?? [])];
  const { rows } = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM pause_reasons WHERE active OR id = ANY($1::uuid[]) ORDER BY lower(name), id`,
    [used],
  );
  return rows;
}
