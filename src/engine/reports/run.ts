import { REPORT_IDS, type ReportCatalogue, type ReportId, type ReportInterval, type ReportQuery, type ReportResult } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { notFound, NOUNS } from '../errors.js';
import type { ExportLanguage } from '../exports/table-export.js';
import { periodOf } from '../queries/analysis.js';
import { REPORTS } from './catalogue.js';
import type { ReportContext, ReportDefinition } from './definition.js';

/** The catalogue, in its order, in the language asked. */
export function reportCatalogue(lang: ExportLanguage): ReportCatalogue {
  return REPORT_IDS.flatMap((id) => {
    const r = REPORTS.get(id);
    return r ? [{ id, title: r.title[lang], description: r.description[lang], usesInterval: r.usesInterval, filters: [...r.filters] }] : [];
  });
}

export function reportOf(id: string): ReportDefinition {
  const r = REPORTS.get(id as ReportId);
  if (!r) throw notFound(NOUNS.report, id);
  return r;
}

/** The interval used: the one asked, or an hour for one day and a day for longer periods. */
export function intervalOf(q: Pick<ReportQuery, 'interval' | 'from' | 'to'>): ReportInterval {
  return q.interval ?? (q.from && q.to && q.from !== q.to ? 'day' : 'hour');
}

/** The context a report runs in: the period's instants, the interval, the filters it takes. */
export async function reportContext(
  db: Queryable, actor: Actor, r: ReportDefinition, q: ReportQuery, now: Date, lang: ExportLanguage = 'pt',
): Promise<ReportContext> {
  const period = await periodOf(db, q, now);
  const filter = Object.fromEntries(r.filters.flatMap((f) => (q[f] ? [[f, q[f]]] : [])));
  return { db, actor, period, interval: intervalOf(q), filter, now, lang };
}

/** One report as JSON: its columns in the language asked, rows, totals, chart. */
export async function runReport(db: Queryable, actor: Actor, id: string, q: ReportQuery, lang: ExportLanguage, now: Date): Promise<ReportResult> {
  const r = reportOf(id);
  const ctx = await reportContext(db, actor, r, q, now, lang);
  const data = await r.run(ctx);
  return {
    report: r.id,
    title: r.title[lang],
    from: ctx.period.from,
    to: ctx.period.to,
    timezone: ctx.period.timeZone,
    interval: r.usesInterval ? ctx.interval : null,
    generatedAt: now.toISOString(),
    columns: (data.columns ?? r.columns).map((c) => ({ key: c.key, label: c.label[lang], kind: c.kind, ...(c.definition ? { definition: c.definition[lang] } : {}) })),
    rows: data.rows,
    total: data.total,
    chart: r.chart && data.chartPoints ? { ...r.chart, points: data.chartPoints } : r.chart,
    notes: (data.notes ?? []).map((n) => n[lang]),
  };
}
