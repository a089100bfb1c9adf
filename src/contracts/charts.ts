import { z } from 'zod';
import { Channel, Id } from './common.js';
import { checkPeriod, queryList } from './conversation-filter.js';
import { ReportInterval } from './reports.js';

// Gráficos (seed: Dashboard Omnichannel → Gráficos): Atendimento por Canais – Detalhada, Métricas do
// Atendimento and Métricas do Atendimento – Detalhada, each also as a CSV ("Salvar dados em CSV").
// Admins and supervisors, each in their scope (engine/access.ts). Every figure is counted once, in
// the interval its milestone happened in (received: created; answered: first assigned; finished:
// finished), with the monitor's definitions (core/monitor-figures.ts, reference/metrics.md).

const Day = z.iso.date();

const common = {
  from: Day.optional().describe('first day of the period (YYYY-MM-DD, the contact center’s time zone); default today'),
  to: Day.optional().describe('last day, included; at most 366 days after from'),
  serviceId: Id.optional().describe('only this service'),
  channel: Channel.optional().describe('only this channel'),
  format: z.enum(['csv']).optional().describe('csv: the chart’s data as a download (audited: action export, entity charts); absent: JSON'),
};
const interval = ReportInterval.optional().describe('the time bucket (default: hour for one day, day otherwise)');
const agentId = queryList(Id).describe('the agents drawn beside the whole (repeat the parameter or give a comma list; at most 200); an agent outside the caller’s scope is a 404');

export const ChannelsChartQuery = z.strictObject({ ...common, interval }).superRefine(checkPeriod);
export type ChannelsChartQuery = z.infer<typeof ChannelsChartQuery>;
export const MetricsChartQuery = z.strictObject({ ...common, agentId }).superRefine(checkPeriod);
export type MetricsChartQuery = z.infer<typeof MetricsChartQuery>;
export const DetailedMetricsChartQuery = z.strictObject({ ...common, interval, agentId }).superRefine(checkPeriod);
export type DetailedMetricsChartQuery = z.infer<typeof DetailedMetricsChartQuery>;

const Bucket = z.string().describe('the interval’s local start, `YYYY-MM-DD HH:MM:SS` in the contact center’s time zone');

/** The outcomes a conversation is finished with (reference/metrics.md, Situação). */
export const CHART_OUTCOMES = ['completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded'] as const;
export type ChartOutcome = (typeof CHART_OUTCOMES)[number];

export const ChannelsChartRow = z.object({
  bucket: Bucket,
  channel: Channel,
  received: z.number().int().describe('conversations created in the interval'),
  handled: z.number().int().describe('conversations first assigned to an agent in the interval'),
  finished: z.record(z.enum(CHART_OUTCOMES), z.number().int()).describe('conversations finished in the interval, by outcome'),
});
export type ChannelsChartRow = z.infer<typeof ChannelsChartRow>;

const PeriodFields = { from: Day, to: Day, timezone: z.string(), generatedAt: z.string() };

export const ChannelsChart = z.object({
  ...PeriodFields,
  interval: ReportInterval,
  buckets: z.array(Bucket).describe('every interval of the period, in order (empty ones included)'),
  channels: z.array(Channel).describe('the channels with traffic in the period, in order'),
  rows: z.array(ChannelsChartRow).describe('one per interval and channel with traffic'),
});
export type ChannelsChart = z.infer<typeof ChannelsChart>;

export const ChartFigures = z.object({
  offered: z.number().int().describe('Ofertados: first queued in the period'),
  answered: z.number().int().describe('Atendidos: first assigned to an agent in the period'),
  answeredInTarget: z.number().int().describe('answered within the service’s NS target'),
  abandoned: z.number().int().describe('Abandonos: left the queue unanswered (counted for the whole, never for an agent)'),
  shortAbandoned: z.number().int(),
  handled: z.number().int().describe('finished in the period after an agent handled them (TMA’s count)'),
  responded: z.number().int().describe('first agent message in the period (TPR’s count)'),
  serviceLevel: z.number().nullable().describe('NS %: answered in target ÷ (answered + abandoned − short abandons) × 100, one decimal'),
  tmeSeconds: z.number().int().nullable().describe('TME: mean of first assigned − first queued over the answered'),
  tmaSeconds: z.number().int().nullable().describe('TMA: mean of finished − first assigned over the handled'),
  tprSeconds: z.number().int().nullable().describe('TPR: mean of first agent message − first queued'),
  abandonmentRate: z.number().nullable().describe('abandoned ÷ offered × 100, one decimal (null for an agent)'),
});
export type ChartFigures = z.infer<typeof ChartFigures>;

export const ChartSubject = z.object({
  agentId: Id.nullable().describe('null: every conversation in the filter (Todos)'),
  name: z.string(),
});

export const MetricsChart = z.object({
  ...PeriodFields,
  series: z.array(ChartSubject.extend({ figures: ChartFigures })).describe('the whole first, then each agent asked'),
});
export type MetricsChart = z.infer<typeof MetricsChart>;

export const DetailedMetricsChart = z.object({
  ...PeriodFields,
  interval: ReportInterval,
  buckets: z.array(Bucket),
  series: z.array(ChartSubject.extend({ points: z.array(ChartFigures).describe('one per bucket, in the buckets’ order') })),
});
export type DetailedMetricsChart = z.infer<typeof DetailedMetricsChart>;
