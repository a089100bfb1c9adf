import { z } from 'zod';
import { Channel, Id } from './common.js';
import { checkPeriod } from './conversation-filter.js';

// Relatórios (seed: OmniMonitor → Relatórios, "detalhe e resumo dos atendimentos de todos os canais"):
// a catalogue of reports over a period, each one table (its columns described by the server, in the
// request's language) and, where a chart reads better, which columns to draw. Admins and supervisors,
// each in their scope (engine/access.ts). Figures: reference/metrics.md, from the stored timestamps.

export const REPORT_IDS = [
  'intervals', // 1. Atendimentos por intervalo
  'agents', // 2. Produtividade por agente
  'pauses', // 3. Pausas
  'classifications', // 4. Classificações
  'abandonment', // 5. Abandono
  'bot', // 6. Pré-atendimento (bot)
  'email', // 7. E-mail
  'sessions', // 8. Sessões de agentes
  'outbound', // 9. Mensagens ativas
  'calls', // 10. Chamadas (WebChat audio and video)
] as const;
export const ReportId = z.enum(REPORT_IDS);
export type ReportId = z.infer<typeof ReportId>;

/** The rows' time buckets, in the contact center's time zone (weeks start on Monday, ISO). */
export const REPORT_INTERVALS = ['15m', '30m', 'hour', 'day', 'week', 'month'] as const;
export const ReportInterval = z.enum(REPORT_INTERVALS);
export type ReportInterval = z.infer<typeof ReportInterval>;

export const REPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const Day = z.iso.date();

// a string, not the enum: an unknown report is a 404 (engine/reports/run.ts reportOf), as any unknown id
export const ReportParams = z.strictObject({ id: z.string().max(64).describe(`the report: ${REPORT_IDS.join(', ')}`) });

export const ReportQuery = z
  .strictObject({
    from: Day.optional().describe('first day of the period (YYYY-MM-DD, the contact center’s time zone); default today'),
    to: Day.optional().describe('last day, included; at most 366 days after from'),
    interval: ReportInterval.optional().describe('the time bucket of reports by interval (default: hour for one day, day otherwise)'),
    serviceId: Id.optional().describe('only this service'),
    channel: Channel.optional().describe('only this channel'),
    teamId: Id.optional().describe('only this team (department): its services’ conversations, its agents'),
    agentId: Id.optional().describe('only this agent'),
    format: z.enum(REPORT_FORMATS).optional().describe('csv, xlsx or pdf: the report as a download (audited); absent: JSON'),
  })
  .superRefine(checkPeriod);
export type ReportQuery = z.infer<typeof ReportQuery>;

/**
 * How a column's values are written: text; count (an integer); number (decimals); pct (0–100, two
 * decimals); duration (whole seconds, shown HH:MM:SS); time (a local wall-clock time
 * `YYYY-MM-DD HH:MM:SS` in the contact center's time zone: an interval's start, a login…).
 */
export const ReportColumnKind = z.enum(['text', 'count', 'number', 'pct', 'duration', 'time']);
export type ReportColumnKind = z.infer<typeof ReportColumnKind>;

export const ReportColumn = z.object({
  key: z.string(),
  label: z.string().describe('the header, in the request’s language'),
  kind: ReportColumnKind,
  definition: z.string().optional().describe('how the figure is computed (the screen’s tooltip)'),
});
export type ReportColumn = z.infer<typeof ReportColumn>;

export const ReportCell = z.union([z.string(), z.number(), z.null()]);
export const ReportRow = z.record(z.string(), ReportCell);
export type ReportRow = z.infer<typeof ReportRow>;

/** A chart of the table: `category` on the x axis (or the slices), one series per listed column. */
export const ReportChart = z.object({
  type: z.enum(['line', 'bar', 'stacked-bar', 'pie']),
  category: z.string().describe('the column on the x axis'),
  series: z.array(z.string()).describe('the columns drawn'),
  /** group rows by this column into one series each (e.g. a line per channel); absent: one series per
   * listed column, rows that share a category adding up (intervals × services: one point per interval) */
  groupBy: z.string().optional(),
  /** the chart's own points (the category and series columns) when the rows are not them added up:
   * Atendimentos por intervalo draws every interval of the selection, empty ones as zeros, while its
   * rows are the intervals × services × channels that had traffic */
  points: z.array(ReportRow).optional(),
});
export type ReportChart = z.infer<typeof ReportChart>;

export const ReportResult = z.object({
  report: ReportId,
  title: z.string(),
  from: Day,
  to: Day,
  timezone: z.string(),
  interval: ReportInterval.nullable().describe('the bucket used, for reports by interval'),
  generatedAt: z.string(),
  columns: z.array(ReportColumn),
  rows: z.array(ReportRow).describe('the rows, the first 5,000 when there are more (rowCount; a note says so): the downloads have them all'),
  rowCount: z.number().int().describe('how many rows the report has'),
  total: ReportRow.nullable().describe('the totals row (weighted by conversation, never a mean of means); null when a total means nothing'),
  chart: ReportChart.nullable(),
  notes: z.array(z.string()).describe('what the reader must know (e.g. a figure not kept before a date)'),
});
export type ReportResult = z.infer<typeof ReportResult>;

export const ReportCatalogueEntry = z.object({
  id: ReportId,
  title: z.string(),
  description: z.string(),
  usesInterval: z.boolean().describe('whether the interval filter applies'),
  filters: z.array(z.enum(['serviceId', 'channel', 'teamId', 'agentId'])).describe('the filters that apply'),
});
export const ReportCatalogue = z.array(ReportCatalogueEntry);
export type ReportCatalogue = z.infer<typeof ReportCatalogue>;
