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

/** The SQL of a state row's seconds within the period: [max(start, from), min(end or now, to)). */
export function overlapSql(q: SqlParams, ctx: ReportContext, alias: string): { seconds: string; where: string } {
  const start = q.p(ctx.period.start);
  const end = q.p(ctx.period.end);
  const now = q.p(ctx.now);
  const until = `coalesce(${alias}.ended_at, ${now}::timestamptz)`;
  return {
    seconds: `extract(epoch FROM least(${until}, ${end}::timestamptz) - greatest(${alias}.started_at, ${start}::timestamptz))::float8`,
    where: `${alias}.started_at < ${end} AND ${until} > ${start}`,
  };
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
  const o = overlapSql(q, ctx, 'h');
  const { rows } = await ctx.db.query<{ user_id: string; state: string; pause_reason_id: string | null; s: number }>(
    `SELECT h.user_id, h.state, h.pause_reason_id, sum(${o.seconds})::float8 AS s
       FROM agent_state_history h
      WHERE ${o.where} AND h.state <> 'offline' AND ${usersWhere(ctx, q, 'h.user_id')}
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
