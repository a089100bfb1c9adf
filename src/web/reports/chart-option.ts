import type { EChartsCoreOption } from 'echarts/core';
import type { Channel } from '../../contracts/common';
import type { ReportResult } from '../../contracts/reports';
import { formatHms } from '../../shared/duration';
import { CHANNEL_LOOK } from '../monitor/channels';
import { formatCell, formatNumber } from './format';

// A report's chart (contracts/reports.ts ReportChart) as ECharts options: the category column on the
// x axis (or the slices), one series per listed column, or per value of `groupBy` (a line per
// channel, in the channel's colour as on Início). Labels and figures in the screen's language.

const isChannel = (v: string): v is Channel => v in CHANNEL_LOOK;

export function chartOption(r: ReportResult, lang: string, label: (key: string, value: string) => string): EChartsCoreOption | null {
  const chart = r.chart;
  if (!chart || r.rows.length === 0) return null;
  // the server's own points when it sends them (every interval, over the selection), else the rows
  const data = chart.points ?? r.rows;
  const col = new Map(r.columns.map((c) => [c.key, c]));
  const cat = col.get(chart.category);
  const first = col.get(chart.series[0] ?? '');
  if (!cat || !first) return null;
  const catText = (v: unknown) => (cat.kind === 'time' ? formatCell(v as string, 'time', lang, r.interval).replace(/\/\d{4}(?= |$)/, '') : label(cat.key, String(v ?? '—')));
  const categories = [...new Set(data.map((row) => String(row[chart.category] ?? '')))];
  const valueText = (v: number) => (first.kind === 'duration' ? formatHms(v) : first.kind === 'pct' ? `${formatNumber(v, lang)}%` : formatNumber(v, lang));
  const num = (v: unknown) => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));

  if (chart.type === 'pie') {
    const key = chart.series[0]!;
    return {
      tooltip: { trigger: 'item', valueFormatter: (v: number) => valueText(v) },
      legend: { bottom: 0, type: 'scroll' },
      series: [{
        id: key, type: 'pie', radius: ['35%', '65%'],
        data: data.map((row) => {
          const c = String(row[chart.category] ?? '');
          return { name: catText(c), value: num(row[key]), ...(isChannel(c) ? { itemStyle: { color: CHANNEL_LOOK[c].hex } } : {}) };
        }),
      }],
    };
  }

  type Series = { id: string; name: string; color?: string; values: Map<string, number> };
  const series: Series[] = [];
  if (chart.groupBy) {
    const groups = new Map<string, Series>();
    for (const row of data) {
      const g = String(row[chart.groupBy] ?? '');
      for (const key of chart.series) {
        const id = chart.series.length > 1 ? `${g}:${key}` : g;
        let s = groups.get(id);
        if (!s) {
          const name = label(chart.groupBy, g) + (chart.series.length > 1 ? ` · ${col.get(key)?.label ?? key}` : '');
          groups.set(id, (s = { id, name, color: isChannel(g) ? CHANNEL_LOOK[g].hex : undefined, values: new Map() }));
          series.push(s);
        }
        const c = String(row[chart.category] ?? '');
        s.values.set(c, (s.values.get(c) ?? 0) + num(row[key]));
      }
    }
  } else {
    // rows sharing a category add up (a report whose rows are category × service × channel)
    for (const key of chart.series) {
      const values = new Map<string, number>();
      for (const row of data) {
        const c = String(row[chart.category] ?? '');
        values.set(c, (values.get(c) ?? 0) + num(row[key]));
      }
      series.push({ id: key, name: col.get(key)?.label ?? key, values });
    }
  }
  const stacked = chart.type === 'stacked-bar';
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => valueText(v) },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: categories.map(catText) },
    // counts have whole ticks (no 0,2 conversation)
    yAxis: { type: 'value', ...(first.kind === 'count' ? { minInterval: 1 } : {}), axisLabel: { formatter: (v: number) => valueText(v) } },
    series: series.map((s) => ({
      id: s.id, name: s.name, type: chart.type === 'line' ? 'line' : 'bar', ...(stacked ? { stack: 'all' } : {}),
      ...(s.color ? { itemStyle: { color: s.color }, lineStyle: { color: s.color } } : {}),
      data: categories.map((c) => s.values.get(c) ?? 0),
    })),
  };
}
