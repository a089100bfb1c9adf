import type { Queryable } from '../../db/database.js';
import { SqlParams, usersWhere, type ReportContext } from './definition.js';

// Agents' time from agent_state_history, cut to the period (an open row runs until now): what the
// agent reports (Produtividade por agente, Pausas) share.

/** The agents the report may show: the users in the caller's scope, the team's, the one asked; by id, their names. */
export async function reportAgents(ctx: ReportContext): Promise<Map<string, string>> {
  const q = new SqlParams();
  const { rows } = await ctx.db.query<{ id: string; name: string }>(`SELECT u.id, u.name FROM users u WHERE ${usersWhere(ctx, q, 'u.id')}`, q.list);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The state rows that overlap the period (an open row runs until now), as a FROM item `alias` with
 * `seconds`, the row's time within the period: [max(start, from), min(end or now, to)). Read as the
 * rows begun in the period (agent_state_history_period_idx) and, per agent, the one row begun before
 * it that may reach into it — an agent's rows never overlap, so no earlier one can (the sessions
 * report reads them the same way). `users(column)` is the condition on the agents whose rows are wanted (usersWhere, or narrower).
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

export interface AgentTime {
  inService: number;
  available: number;
  paused: number;
  byReason: Map<string, number>;
}

/** Seconds per agent in each logged-in state within the period; the key '' holds everyone's sum. */
export async function agentTimes(ctx: ReportContext): Promise<Map<string, AgentTime>> {
  const q = new SqlParams();
  const { rows } = await ctx.db.query<{ user_id: string; state: string; pause_reason_id: string | null; s: number }>(
    `SELECT h.user_id, h.state, h.pause_reason_id, sum(h.seconds)::float8 AS s
       FROM ${periodRowsSql(q, ctx, 'h', (col) => usersWhere(ctx, q, col))}
      WHERE h.state <> 'offline'
      GROUP BY 1, 2, 3`,
    q.list,
  );
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
