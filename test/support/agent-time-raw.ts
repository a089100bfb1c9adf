import type { ReportRow } from '../../src/contracts/reports.js';
import type { PeriodTime } from '../../src/engine/reports/agent-time.js';
import { seconds, SqlParams, usersWhere, type ReportContext } from '../../src/engine/reports/definition.js';
import { blankSessionRow, withSignIns } from '../../src/engine/reports/sessions.js';

// The agents' reports read from the raw state rows, as they were before the rollups of migration 0033:
// the reference the rollup-based reads are tested against (test/integration/agent-time-rollups.test.ts).

/**
 * The state rows that overlap the period (an open row runs until now), as a FROM item `alias` with
 * `seconds`, the row's time within the period: [max(start, from), min(end or now, to)). Read as the
 * rows begun in the period and, per agent, the one row begun before it that may reach into it.
 */
export function periodRowsSql(q: SqlParams, ctx: ReportContext, alias: string, users: (column: string) => string): string {
  const start = q.p(ctx.period.start);
  const end = q.p(ctx.period.end);
  const now = q.p(ctx.now);
  const until = `coalesce(x.ended_at, ${now}::timestamptz)`;
  return `(SELECT x.user_id, x.state, x.pause_reason_id,
                  extract(epoch FROM least(${until}, ${end}::timestamptz) - greatest(x.started_at, ${start}::timestamptz))::float8 AS seconds
             FROM (SELECT a.user_id, a.state, a.pause_reason_id, a.started_at, a.ended_at FROM agent_state_history a
                    WHERE a.started_at >= ${start}::timestamptz AND a.started_at < ${end}::timestamptz AND ${users('a.user_id')}
                   UNION ALL
                   SELECT b.user_id, b.state, b.pause_reason_id, b.started_at, b.ended_at
                     FROM users u CROSS JOIN LATERAL (SELECT b.* FROM agent_state_history b WHERE b.user_id = u.id AND b.started_at < ${start}::timestamptz
                                                       ORDER BY b.started_at DESC, b.id DESC LIMIT 1) b
                    WHERE ${users('u.id')}) x
            WHERE ${until} > ${start}::timestamptz) ${alias}`;
}

/** periodTimes (agent-time.ts) from the raw rows. */
export async function rawPeriodTimes(ctx: ReportContext): Promise<PeriodTime[]> {
  const q = new SqlParams();
  const { rows } = await ctx.db.query<PeriodTime>(
    `SELECT h.user_id, h.state, h.pause_reason_id, sum(h.seconds)::float8 AS s, count(*)::int AS n
       FROM ${periodRowsSql(q, ctx, 'h', (col) => usersWhere(ctx, q, col))}
      GROUP BY 1, 2, 3`,
    q.list,
  );
  return rows;
}

interface Grouped { user_id: string | null; agent: string | null; reason: string | null; total: boolean; n: number; s: number }

/** Pausas as it read the state rows before migration 0033. */
export async function rawPauses(ctx: ReportContext) {
  const q = new SqlParams();
  const { rows } = await ctx.db.query<Grouped>(
    `SELECT h.user_id, u.name AS agent, coalesce(r.name, '') AS reason, GROUPING(h.user_id, u.name, r.id, r.name) <> 0 AS total,
            count(*)::int AS n, sum(h.seconds)::float8 AS s
       FROM ${periodRowsSql(q, ctx, 'h', (col) => usersWhere(ctx, q, col))} JOIN users u ON u.id = h.user_id LEFT JOIN pause_reasons r ON r.id = h.pause_reason_id
      WHERE h.state = 'paused'
      GROUP BY GROUPING SETS ((h.user_id, u.name, r.id, r.name), ())`,
    q.list,
  );
  const figures = (g: Grouped | undefined): ReportRow => ({
    count: g?.n ?? 0,
    duration: g ? Math.round(g.s) : 0,
    mean: g && g.n ? Math.round(g.s / g.n) : null,
  });
  const out: ReportRow[] = rows
    .filter((g) => !g.total)
    .map((g) => ({ agent: g.agent, reason: g.reason, ...figures(g) }))
    .sort((x, y) => String(x.agent).localeCompare(String(y.agent), 'pt-BR') || String(x.reason).localeCompare(String(y.reason), 'pt-BR'));
  return { rows: out, total: { agent: null, reason: null, ...figures(rows.find((g) => g.total && g.n > 0)) } };
}

const LOCAL = (col: string, tz: string) => `to_char((${col}) AT TIME ZONE ${tz}, 'YYYY-MM-DD HH24:MI:SS')`;

/** Sessões as it read the state rows before migration 0033 (a window over the period's rows). */
export async function rawSessions(ctx: ReportContext) {
  const { start, end, timeZone } = ctx.period;
  const q = new SqlParams();
  const [s, e, now, tz] = [q.p(start), q.p(end), q.p(ctx.now), q.p(timeZone)];
  const history = await ctx.db.query<{ id: string; name: string; logins: number; logouts: number; losses: number; first_login: string | null; last_logout: string | null; logged: number | null }>(
    `SELECT u.id, u.name,
            count(*) FILTER (WHERE h.is_login AND h.started_at >= ${s})::int AS logins,
            count(*) FILTER (WHERE h.is_logout AND h.ended_at < ${e})::int AS logouts,
            count(*) FILTER (WHERE h.is_logout AND h.ended_at < ${e} AND h.is_lost)::int AS losses,
            ${LOCAL(`min(h.started_at) FILTER (WHERE h.is_login AND h.started_at >= ${s})`, tz)} AS first_login,
            ${LOCAL(`max(h.ended_at) FILTER (WHERE h.is_logout AND h.ended_at < ${e})`, tz)} AS last_logout,
            sum(extract(epoch FROM least(coalesce(h.ended_at, ${now}::timestamptz), ${e}::timestamptz) - greatest(h.started_at, ${s}::timestamptz)))::float8 AS logged
       FROM (SELECT y.*,
                    -- the grace timer's logout: its event bears the same instant (one transaction), found by the events' time index
                    CASE WHEN y.is_logout AND y.ended_at < ${e}::timestamptz THEN EXISTS (SELECT 1 FROM events ev WHERE ev.at = y.ended_at
                      AND ev.type = 'agent.updated' AND ev.agent_id = y.user_id AND ev.payload->>'reason' = 'connection_lost') ELSE false END AS is_lost
               FROM (SELECT x.*,
                            -- the agent's previous row (in time, then id: two changes can share an instant) ended elsewhere: a login
                            lag(x.ended_at) OVER w IS DISTINCT FROM x.started_at AS is_login,
                            x.ended_at IS NOT NULL AND lead(x.started_at) OVER w IS DISTINCT FROM x.ended_at AS is_logout
                       FROM (SELECT a.* FROM agent_state_history a
                              WHERE a.started_at >= ${s}::timestamptz AND a.started_at < ${e}::timestamptz AND a.started_at <= ${now}::timestamptz
                             UNION ALL
                             -- a user's rows never overlap: only their last row begun before the period can reach into it (and
                             -- tell whether the period's first row is a login); a later row ending in the period starts in it
                             SELECT o.* FROM users w CROSS JOIN LATERAL (SELECT b.* FROM agent_state_history b WHERE b.user_id = w.id AND b.started_at < ${s}::timestamptz
                                                                          ORDER BY b.started_at DESC, b.id DESC LIMIT 1) o
                              -- (an open row runs until now: when now is the period's start it reaches no part of it)
                              WHERE o.ended_at >= ${s}::timestamptz OR (o.ended_at IS NULL AND ${now}::timestamptz > ${s}::timestamptz)) x
                      WHERE ${usersWhere(ctx, q, 'x.user_id')}
                     WINDOW w AS (PARTITION BY x.user_id ORDER BY x.started_at, x.id)) y) h
       JOIN users u ON u.id = h.user_id
      GROUP BY u.id, u.name`,
    q.list,
  );
  const rows = new Map<string, ReportRow>();
  for (const h of history.rows) {
    rows.set(h.id, { ...blankSessionRow(h.name), logins: h.logins, logouts: h.logouts, connectionLosses: h.losses, firstLogin: h.first_login, lastLogout: h.last_logout, timeLogged: seconds(h.logged) ?? 0 });
  }
  // the sign-ins and the totals line are the report's own (the audit's records; not what 0033 changed)
  return withSignIns(ctx, rows);
}

