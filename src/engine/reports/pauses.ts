import type { ReportRow } from '../../contracts/reports.js';
import { periodRowsSql } from './agent-time.js';
import { SqlParams, usersWhere, type ReportContext, type ReportDefinition } from './definition.js';

// 3. Pausas: per agent and pause reason, the pauses that overlap the period (an open one runs until
// now), how many and how long within the period. The totals row is grouped from the same pause rows.

interface Grouped { user_id: string | null; agent: string | null; reason: string | null; total: boolean; n: number; s: number }

async function run(ctx: ReportContext) {
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

export const pausesReport: ReportDefinition = {
  id: 'pauses',
  title: { pt: 'Pausas', en: 'Pauses' },
  description: { pt: 'Quantidade e duração das pausas por agente e motivo', en: 'Number and duration of pauses per agent and reason' },
  usesInterval: false,
  filters: ['teamId', 'agentId'],
  columns: [
    { key: 'agent', label: { pt: 'Agente', en: 'Agent' }, kind: 'text' },
    { key: 'reason', label: { pt: 'Motivo', en: 'Reason' }, kind: 'text' },
    { key: 'count', label: { pt: 'Quantidade', en: 'Count' }, kind: 'count', definition: { pt: 'Pausas com este motivo que tocam o período', en: 'Pauses with this reason that overlap the period' } },
    { key: 'duration', label: { pt: 'Duração total', en: 'Total duration' }, kind: 'duration', definition: { pt: 'Soma das durações, cortadas ao período (uma pausa em curso conta até agora)', en: 'Sum of the durations, cut to the period (a pause under way counts until now)' } },
    { key: 'mean', label: { pt: 'Duração média', en: 'Mean duration' }, kind: 'duration', definition: { pt: 'Duração total ÷ quantidade', en: 'Total duration ÷ count' } },
  ],
  chart: { type: 'stacked-bar', category: 'agent', series: ['duration'], groupBy: 'reason' },
  run,
};
