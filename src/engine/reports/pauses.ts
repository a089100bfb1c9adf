import type { ReportRow } from '../../contracts/reports.js';
import { periodTimes, reportAgents } from './agent-time.js';
import type { ReportContext, ReportDefinition } from './definition.js';

// 3. Pausas: per agent and pause reason, the pauses that overlap the period (an open one runs until
// now), how many and how long within the period (agent-time.ts periodTimes: the rollups of migration 0033).
// The totals row sums the same figures.

interface Figures { n: number; s: number }

async function run(ctx: ReportContext) {
  const [agents, times] = await Promise.all([reportAgents(ctx), periodTimes(ctx)]);
  const paused = times.filter((t) => t.state === 'paused' && agents.has(t.user_id));
  const ids = [...new Set(paused.flatMap((t) => (t.pause_reason_id ? [t.pause_reason_id] : [])))];
  const { rows: names } = await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM pause_reasons WHERE id = ANY($1::uuid[])`, [ids]);
  const reasonName = new Map(names.map((r) => [r.id, r.name]));
  const figures = (g: Figures | undefined): ReportRow => ({
    count: g?.n ?? 0,
    duration: g ? Math.round(g.s) : 0,
    mean: g && g.n ? Math.round(g.s / g.n) : null,
  });
  const total: Figures = { n: 0, s: 0 };
  for (const t of paused) {
    total.n += t.n;
    total.s += t.s;
  }
  const out: ReportRow[] = paused
    .map((t) => ({ agent: agents.get(t.user_id)!, reason: (t.pause_reason_id && reasonName.get(t.pause_reason_id)) || '', ...figures(t) }))
    .sort((x, y) => String(x.agent).localeCompare(String(y.agent), 'pt-BR') || String(x.reason).localeCompare(String(y.reason), 'pt-BR'));
  return { rows: out, total: { agent: null, reason: null, ...figures(total.n > 0 ? total : undefined) } };
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
