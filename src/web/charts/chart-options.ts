import type { EChartsCoreOption } from 'echarts/core';
import type { TFunction } from 'i18next';
import type { ChannelsChart, ChartFigures, DetailedMetricsChart, MetricsChart } from '../../contracts/charts';
import type { Channel } from '../../contracts/common';
import type { ReportInterval } from '../../contracts/reports';
import { formatSeconds } from '../../shared/duration';
import { CHANNEL_LOOK } from '../monitor/channels';

// The ECharts options of Gráficos, from the API's answers: axis labels, tooltips and legends written
// the way the screen's language writes them (pt-BR: 10/03 09:00, 1.234,5, 1:02:33).

export type MetricKey = 'answered' | 'tme' | 'tma' | 'tpr' | 'serviceLevel' | 'abandonmentRate';
export const METRIC_KEYS: MetricKey[] = ['answered', 'tme', 'tma', 'tpr', 'serviceLevel', 'abandonmentRate'];
const DURATION: ReadonlySet<MetricKey> = new Set(['tme', 'tma', 'tpr']);
const OUTCOMES = ['completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded'] as const;
/** Series colours for the whole and the agents (the channels keep theirs: monitor/channels.tsx). */
const SUBJECT_COLOURS = ['#495057', '#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0ca678', '#e64980', '#4263eb', '#868e96'];

export const metricValue = (f: ChartFigures, k: MetricKey): number | null =>
  k === 'answered' ? f.answered : k === 'tme' ? f.tmeSeconds : k === 'tma' ? f.tmaSeconds : k === 'tpr' ? f.tprSeconds : k === 'serviceLevel' ? f.serviceLevel : f.abandonmentRate;

/** A number as the language writes it (1.234,5 in pt-BR); null is "—". */
export const num = (v: number | null | undefined, lang: string, digits = 1) => (v === null || v === undefined ? '—' : v.toLocaleString(lang, { maximumFractionDigits: digits }));

/** A metric's value for a tooltip or a label: durations as m:ss / h:mm:ss, percentages with %. */
export function metricText(k: MetricKey, v: number | null, lang: string): string {
  if (v === null) return '—';
  if (DURATION.has(k)) return formatSeconds(v);
  return k === 'answered' ? num(v, lang, 0) : `${num(v, lang)}%`;
}

/** An interval's local start (`YYYY-MM-DD HH:MM:SS`) as its axis label: 10/03 09:00, 10/03, 03/2026 (English: 03/10…). */
export function bucketLabel(bucket: string, interval: ReportInterval, lang: string): string {
  const [, y, mo, d, h, mi] = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/.exec(bucket) ?? [];
  if (!y) return bucket;
  const dm = lang.startsWith('en') ? `${mo}/${d}` : `${d}/${mo}`;
  if (interval === 'month') return `${mo}/${y}`;
  if (interval === 'day' || interval === 'week') return dm;
  return `${dm} ${h}:${mi}`;
}

const emptyTitle = (text: string) => [{ text, left: 'center', top: 'middle', textStyle: { color: '#868e96', fontSize: 14, fontWeight: 'normal' } }];

/** Atendimento por Canais – Detalhada: received per interval, stacked by channel; the tooltip lists handled and outcomes. */
export function channelsOption(t: TFunction, chart: ChannelsChart, lang: string): EChartsCoreOption {
  const at = new Map(chart.rows.map((r) => [`${r.bucket}|${r.channel}`, r]));
  const labels = chart.buckets.map((b) => bucketLabel(b, chart.interval, lang));
  return {
    title: chart.rows.length ? [] : emptyTitle(t('charts.empty')),
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (items: { dataIndex: number }[]) => {
        const i = items[0]?.dataIndex ?? 0;
        const lines = chart.channels.flatMap((c) => {
          const r = at.get(`${chart.buckets[i]}|${c}`);
          if (!r) return [];
          const ended = OUTCOMES.filter((o) => r.finished[o]).map((o) => `${t(`charts.states.${o}`)}: ${num(r.finished[o], lang, 0)}`);
          const dot = `<span style="display:inline-block;width:9px;height:9px;border-radius:50%;background:${CHANNEL_LOOK[c].hex};margin-right:5px"></span>`;
          return [`${dot}<b>${t(`channels.${c}`)}</b>: ${t('charts.channelsChart.received')} ${num(r.received, lang, 0)} · ${t('charts.channelsChart.handled')} ${num(r.handled, lang, 0)}`
            + (ended.length ? `<br/><span style="margin-left:14px;color:#666">${ended.join(' · ')}</span>` : '')];
        });
        return [`<b>${labels[i]}</b>`, ...lines].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => num(v, lang, 0) } },
    series: chart.channels.map((c: Channel) => ({
      id: c,
      name: t(`channels.${c}`),
      type: 'bar',
      stack: 'received',
      itemStyle: { color: CHANNEL_LOOK[c].hex },
      emphasis: { focus: 'series' },
      data: chart.buckets.map((b) => at.get(`${b}|${c}`)?.received ?? 0),
    })),
  };
}

const colourOf = (i: number) => SUBJECT_COLOURS[i % SUBJECT_COLOURS.length];

/** Métricas do Atendimento: three side-by-side groups (answered; TME, TMA, TPR; NS and abandonment), one bar per subject. */
export function metricsOption(t: TFunction, chart: MetricsChart, lang: string): EChartsCoreOption {
  const groups: MetricKey[][] = [['answered'], ['tme', 'tma', 'tpr'], ['serviceLevel', 'abandonmentRate']];
  const titles = [t('charts.metricsChart.counts'), t('charts.metricsChart.times'), t('charts.metricsChart.rates')];
  const lefts = ['4%', '30%', '70%'];
  const widths = ['20%', '34%', '26%'];
  const axisFormat = [(v: number) => num(v, lang, 0), (v: number) => formatSeconds(v), (v: number) => `${num(v, lang, 0)}%`];
  return {
    title: titles.map((text, g) => ({ text, left: lefts[g], top: 0, textStyle: { fontSize: 12, fontWeight: 'normal', color: '#495057' } })),
    legend: { bottom: 0, type: 'scroll' },
    tooltip: { trigger: 'item', confine: true },
    grid: groups.map((_, g) => ({ left: lefts[g], width: widths[g], top: 28, bottom: 56, containLabel: true })),
    xAxis: groups.map((keys, g) => ({ type: 'category', gridIndex: g, data: keys.map((k) => t(`charts.figures.${k}`)) })),
    yAxis: groups.map((_, g) => ({ type: 'value', gridIndex: g, minInterval: 1, axisLabel: { formatter: axisFormat[g] }, ...(g === 2 ? { max: 100 } : {}) })),
    series: groups.flatMap((keys, g) =>
      chart.series.map((s, i) => ({
        id: `${g}-${s.agentId ?? 'all'}`,
        name: s.agentId ? s.name : t('charts.all'),
        type: 'bar',
        xAxisIndex: g,
        yAxisIndex: g,
        itemStyle: { color: colourOf(i) },
        tooltip: { valueFormatter: undefined, formatter: (p: { dataIndex: number; seriesName: string }) => `${p.seriesName}<br/>${t(`charts.figures.${keys[p.dataIndex]}`)}: <b>${metricText(keys[p.dataIndex], metricValue(s.figures, keys[p.dataIndex]), lang)}</b>` },
        data: keys.map((k) => metricValue(s.figures, k)),
      }))),
  };
}

/** Métricas do Atendimento – Detalhada: the metric picked per interval, a line per subject. */
export function detailedOption(t: TFunction, chart: DetailedMetricsChart, metric: MetricKey, lang: string): EChartsCoreOption {
  const labels = chart.buckets.map((b) => bucketLabel(b, chart.interval, lang));
  const empty = chart.series.every((s) => s.points.every((p) => metricValue(p, metric) === null || (metric === 'answered' && p.answered === 0)));
  return {
    title: empty ? emptyTitle(t('charts.empty')) : [],
    grid: { left: 56, right: 16, top: 16, bottom: 64 },
    legend: { bottom: 0, type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: number | null) => metricText(metric, v ?? null, lang),
    },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { formatter: (v: number) => (DURATION.has(metric) ? formatSeconds(v) : metric === 'answered' ? num(v, lang, 0) : `${num(v, lang, 0)}%`) },
    },
    series: chart.series.map((s, i) => ({
      id: s.agentId ?? 'all',
      name: s.agentId ? s.name : t('charts.all'),
      type: 'line',
      connectNulls: false,
      symbolSize: 6,
      itemStyle: { color: colourOf(i) },
      lineStyle: { width: s.agentId ? 2 : 3 },
      data: s.points.map((p) => metricValue(p, metric)),
    })),
  };
}
