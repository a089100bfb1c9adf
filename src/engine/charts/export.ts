import type { ChartFigures, ChartOutcome } from '../../contracts/charts.js';
import { CHART_OUTCOMES } from '../../contracts/charts.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import {
  CHANNEL_LABELS, inBatches, openTableExport, periodPart, STATE_LABELS, type ExportColumn, type ExportLanguage, type Label, type OpenedExport,
} from '../exports/table-export.js';
import { localText } from '../reports/export.js';
import { channelsChartOf, detailedMetricsChartOf, metricsChartOf } from './charts.js';
import { chartContext, type ChartFilter } from './milestones.js';

// "Salvar dados em CSV": each chart's data as the CSV every list writes (table-export.ts: UTF-8 with
// BOM, `;`, durations HH:MM:SS, decimal commas in Portuguese), audited as action export, entity charts.

export type ChartId = 'channels' | 'metrics' | 'metrics-detailed';

const TITLE: Record<ChartId, Label> = {
  channels: { pt: 'Atendimento por Canais – Detalhada', en: 'Conversations by channel – detailed' },
  metrics: { pt: 'Métricas do Atendimento', en: 'Service metrics' },
  'metrics-detailed': { pt: 'Métricas do Atendimento – Detalhada', en: 'Service metrics – detailed' },
};
const FILE: Record<ChartId, string> = { channels: 'atendimento-por-canais', metrics: 'metricas-do-atendimento', 'metrics-detailed': 'metricas-do-atendimento-detalhada' };

const INTERVAL: Label = { pt: 'Intervalo', en: 'Interval' };

type FigureRow = { bucket?: string; name: string; figures: ChartFigures };

const FIGURE_COLUMNS: ExportColumn<FigureRow>[] = [
  { header: { pt: 'Agente', en: 'Agent' }, kind: 'text', value: (r) => r.name },
  { header: { pt: 'Ofertados', en: 'Offered' }, kind: 'number', value: (r) => r.figures.offered },
  { header: { pt: 'Atendidos', en: 'Answered' }, kind: 'number', value: (r) => r.figures.answered },
  { header: { pt: 'Atendidos no prazo', en: 'Answered in target' }, kind: 'number', value: (r) => r.figures.answeredInTarget },
  { header: { pt: 'NS (%)', en: 'Service level (%)' }, kind: 'number', value: (r) => r.figures.serviceLevel },
  { header: { pt: 'TME', en: 'ASA' }, kind: 'duration', value: (r) => r.figures.tmeSeconds },
  { header: { pt: 'TMA', en: 'AHT' }, kind: 'duration', value: (r) => r.figures.tmaSeconds },
  { header: { pt: 'TPR', en: 'First response' }, kind: 'duration', value: (r) => r.figures.tprSeconds },
  { header: { pt: 'Abandonos', en: 'Abandoned' }, kind: 'number', value: (r) => r.figures.abandoned },
  { header: { pt: 'Taxa de abandono (%)', en: 'Abandonment rate (%)' }, kind: 'number', value: (r) => r.figures.abandonmentRate },
];

interface ChannelRow { bucket: string; channel: string; received: number; handled: number; finished: Record<ChartOutcome, number> }

export async function exportChart(db: Queryable, actor: Actor, id: ChartId, q: ChartFilter, lang: ExportLanguage, now: Date): Promise<OpenedExport> {
  const ctx = await chartContext(db, actor, q, now);
  const time = (v: string) => localText(v, 'csv', lang);
  const common = { format: 'csv' as const, lang, sheet: TITLE[id], entity: 'charts' as const, filters: { chart: id, ...q }, fileName: `${FILE[id]}_${periodPart(ctx.period.from, ctx.period.to)}` };
  if (id === 'channels') {
    const chart = await channelsChartOf(ctx, now);
    const columns: ExportColumn<ChannelRow>[] = [
      { header: INTERVAL, kind: 'text', value: (r) => time(r.bucket) },
      { header: { pt: 'Canal', en: 'Channel' }, kind: 'text', value: (r) => CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS] ?? r.channel },
      { header: { pt: 'Recebidos', en: 'Received' }, kind: 'number', value: (r) => r.received },
      { header: { pt: 'Atendidos por agente', en: 'Handled by an agent' }, kind: 'number', value: (r) => r.handled },
      ...CHART_OUTCOMES.map((o): ExportColumn<ChannelRow> => ({ header: STATE_LABELS[o], kind: 'number', value: (r) => r.finished[o] })),
    ];
    return openTableExport(db, actor, inBatches(chart.rows), { ...common, columns, total: chart.rows.length });
  }
  if (id === 'metrics') {
    const chart = await metricsChartOf(ctx, lang, now);
    const rows: FigureRow[] = chart.series.map((s) => ({ name: s.name, figures: s.figures }));
    return openTableExport(db, actor, inBatches(rows), { ...common, columns: FIGURE_COLUMNS, total: rows.length });
  }
  const chart = await detailedMetricsChartOf(ctx, lang, now);
  const rows: FigureRow[] = chart.buckets.flatMap((bucket, i) => chart.series.map((s) => ({ bucket, name: s.name, figures: s.points[i] })));
  const columns: ExportColumn<FigureRow>[] = [{ header: INTERVAL, kind: 'text', value: (r) => time(r.bucket!) }, ...FIGURE_COLUMNS];
  return openTableExport(db, actor, inBatches(rows), { ...common, columns, total: rows.length });
}
