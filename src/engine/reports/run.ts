import { REPORT_IDS, type ReportCatalogue, type ReportId, type ReportInterval, type ReportQuery, type ReportResult, type ReportRow } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { notFound, NOUNS } from '../errors.js';
import type { ExportLanguage } from '../exports/table-export.js';
import { periodOf } from '../queries/analysis.js';
import { foldRollups } from '../rollups/fold.js';
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

/** The context a report runs in: the period's instants, the interval, the filters it takes; the rollups folded first. */
export async function reportContext(
  db: Queryable, actor: Actor, r: ReportDefinition, q: ReportQuery, now: Date, lang: ExportLanguage = 'pt',
): Promise<ReportContext> {
  await foldRollups(db);
  const period = await periodOf(db, q, now);
  const filter = Object.fromEntries(r.filters.flatMap((f) => (q[f] ? [[f, q[f]]] : [])));
  return { db, actor, period, interval: intervalOf(q), filter, now, lang };
}

/**
 * At most this many rows in a JSON answer (the screen's table): a month at 30 minutes over 200
 * services has ~100,000 rows of Atendimentos por intervalo, tens of megabytes of JSON and a table no
 * browser draws. The totals and the chart are of every row; the downloads have them all.
 */
export const MAX_JSON_ROWS = 5_000;

/** The rows a JSON answer carries (the first `max`) and the note that says so when they are not all. */
export function jsonRows(rows: ReportRow[], lang: ExportLanguage, max = MAX_JSON_ROWS): { rows: ReportRow[]; notes: string[] } {
  if (rows.length <= max) return { rows, notes: [] };
  const count = (v: number) => v.toLocaleString(lang === 'pt' ? 'pt-BR' : 'en');
  return {
    rows: rows.slice(0, max),
    notes: [lang === 'pt'
      ? `A tabela mostra as primeiras ${count(max)} de ${count(rows.length)} linhas; o total e o gráfico são de todas, e os downloads (CSV, XLSX) trazem todas.`
      : `The table shows the first ${count(max)} of ${count(rows.length)} rows; the total and the chart are of them all, and the downloads (CSV, XLSX) have them all.`],
  };
}

/** One report as JSON: its columns in the language asked, rows (the first MAX_JSON_ROWS), totals, chart. */
export async function runReport(db: Queryable, actor: Actor, id: string, q: ReportQuery, lang: ExportLanguage, now: Date): Promise<ReportResult> {
  const r = reportOf(id);
  const ctx = await reportContext(db, actor, r, q, now, lang);
  const data = await r.run(ctx);
  const shown = jsonRows(data.rows, lang);
  return {
    report: r.id,
    title: r.title[lang],
    from: ctx.period.from,
    to: ctx.period.to,
    timezone: ctx.period.timeZone,
    interval: r.usesInterval ? ctx.interval : null,
    generatedAt: now.toISOString(),
    columns: (data.columns ?? r.columns).map((c) => ({ key: c.key, label: c.label[lang], kind: c.kind, ...(c.definition ? { definition: c.definition[lang] } : {}) })),
    rows: shown.rows,
    rowCount: data.rows.length,
    total: data.total,
    chart: r.chart && data.chartPoints ? { ...r.chart, points: data.chartPoints } : r.chart,
    notes: [...(data.notes ?? []).map((n) => n[lang]), ...shown.notes],
  };
}
