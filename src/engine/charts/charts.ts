import type {
  ChannelsChart, ChannelsChartQuery, ChartFigures, DetailedMetricsChart, DetailedMetricsChartQuery, MetricsChart, MetricsChartQuery,
} from '../../contracts/charts.js';
import type { Channel } from '../../contracts/common.js';
import { dayFigures, meanSeconds } from '../../core/monitor-figures.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import type { ExportLanguage } from '../exports/table-export.js';
import { chartContext, emptyCounters, loadCounters, periodBuckets, type ChartContext, type Counters } from './milestones.js';

// Gráficos' three charts as JSON (contracts/charts.ts). The figures come from the counters of
// milestones.ts through the monitor's own definitions (core/monitor-figures.ts dayFigures).

const ALL: Record<ExportLanguage, string> = { pt: 'Todos', en: 'All' };

/** The figures of one group; an agent's abandonment rate is null (abandons belong to the queue). */
export function figuresOf(c: Counters | undefined, forAgent: boolean): ChartFigures {
  const d = c ?? emptyCounters('', null, null);
  const f = dayFigures({ ...d, completed: d.finished.completed, finished: 0 });
  return {
    offered: d.offered,
    answered: d.answered,
    answeredInTarget: d.answeredInTarget,
    abandoned: d.abandoned,
    shortAbandoned: d.shortAbandoned,
    handled: d.handled,
    responded: d.responded,
    serviceLevel: f.serviceLevel,
    tmeSeconds: f.tmeSeconds,
    tmaSeconds: f.tmaSeconds,
    tprSeconds: meanSeconds(d.responseSumMs, d.responded),
    abandonmentRate: forAgent ? null : f.abandonmentRate,
  };
}

const periodFields = (ctx: ChartContext, now: Date) => ({
  from: ctx.period.from, to: ctx.period.to, timezone: ctx.period.timeZone, generatedAt: now.toISOString(),
});

/** Atendimento por Canais – Detalhada: per interval and channel, received, handled and finished by outcome. */
export async function channelsChartOf(ctx: ChartContext, now: Date): Promise<ChannelsChart> {
  const [buckets, counters] = [await periodBuckets(ctx), await loadCounters(ctx, { byBucket: true, byChannel: true, byAgent: false })];
  const rows = counters
    .map((c) => ({ bucket: c.bucket, channel: c.channel as Channel, received: c.received, handled: c.answered, finished: c.finished }))
    // an interval with none of the chart's figures (only a first reply or a queueing there: a milestone
    // this chart does not show) is no row of it
    .filter((r) => r.received > 0 || r.handled > 0 || Object.values(r.finished).some((n) => n > 0))
    .sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.channel.localeCompare(b.channel)));
  const channels = [...new Set(rows.map((r) => r.channel))].sort();
  return { ...periodFields(ctx, now), interval: ctx.interval, buckets, channels, rows };
}

export async function channelsChart(db: Queryable, actor: Actor, q: ChannelsChartQuery, now: Date): Promise<ChannelsChart> {
  return channelsChartOf(await chartContext(db, actor, q, now), now);
}

const subjects = (ctx: ChartContext, lang: ExportLanguage) => [{ agentId: null, name: ALL[lang] }, ...ctx.agents.map((a) => ({ agentId: a.id, name: a.name }))];

/** Métricas do Atendimento: the period's figures, for the whole and each agent asked. */
export async function metricsChartOf(ctx: ChartContext, lang: ExportLanguage, now: Date): Promise<MetricsChart> {
  const counters = await loadCounters(ctx, { byBucket: false, byChannel: false, byAgent: true });
  const of = new Map(counters.map((c) => [c.agentId, c]));
  return {
    ...periodFields(ctx, now),
    series: subjects(ctx, lang).map((s) => ({ ...s, figures: figuresOf(of.get(s.agentId), s.agentId !== null) })),
  };
}

export async function metricsChart(db: Queryable, actor: Actor, q: MetricsChartQuery, lang: ExportLanguage, now: Date): Promise<MetricsChart> {
  return metricsChartOf(await chartContext(db, actor, q, now), lang, now);
}

/** Métricas do Atendimento – Detalhada: the same figures per interval. */
export async function detailedMetricsChartOf(ctx: ChartContext, lang: ExportLanguage, now: Date): Promise<DetailedMetricsChart> {
  const [buckets, counters] = [await periodBuckets(ctx), await loadCounters(ctx, { byBucket: true, byChannel: false, byAgent: true })];
  const of = new Map(counters.map((c) => [`${c.bucket}|${c.agentId ?? ''}`, c]));
  return {
    ...periodFields(ctx, now),
    interval: ctx.interval,
    buckets,
    series: subjects(ctx, lang).map((s) => ({
      ...s,
      points: buckets.map((b) => figuresOf(of.get(`${b}|${s.agentId ?? ''}`), s.agentId !== null)),
    })),
  };
}

export async function detailedMetricsChart(
  db: Queryable, actor: Actor, q: DetailedMetricsChartQuery, lang: ExportLanguage, now: Date,
): Promise<DetailedMetricsChart> {
  return detailedMetricsChartOf(await chartContext(db, actor, q, now), lang, now);
}
