import type { ReportId, ReportQuery } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { AppError } from '../errors.js';
import {
  inBatches, openTableExport, periodPart, type CellKind, type ExportColumn, type ExportFormat, type ExportLanguage, type OpenedExport,
} from '../exports/table-export.js';
import type { ReportColumnKind, ReportRow } from '../../contracts/reports.js';
import { reportContext, reportOf } from './run.js';

// A report as a download: CSV and XLSX through table-export.ts (the same writer as every list), with
// the totals as the last row; audited (action export, entity report: who, which report, the filters).

const CELL: Record<ReportColumnKind, CellKind> = { text: 'text', count: 'number', number: 'number', pct: 'number', duration: 'duration', time: 'time' };

/** `YYYY-MM-DD HH:MM:SS` (a report's local time) as a CSV in Portuguese writes it: DD/MM/YYYY HH:MM:SS. */
export function localText(v: string, format: ExportFormat, lang: ExportLanguage): string {
  if (format !== 'csv' || lang !== 'pt') return v;
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(v);
  return m ? `${m[3]}/${m[2]}/${m[1]}${m[4]}` : v;
}

export async function exportReport(
  db: Queryable, actor: Actor, id: ReportId, q: ReportQuery & { format: ExportFormat | 'pdf' }, lang: ExportLanguage, now: Date,
): Promise<OpenedExport> {
  const r = reportOf(id);
  if (q.format === 'pdf') throw new AppError(422, 'unsupported_format', { en: 'format: pdf is not available yet', pt: 'format: pdf ainda não está disponível' });
  const format = q.format;
  const ctx = await reportContext(db, actor, r, q, now, lang);
  const data = await r.run(ctx);
  const totalLabel = lang === 'pt' ? 'Total' : 'Total';
  const columns: ExportColumn<ReportRow>[] = r.columns.map((c, i) => ({
    header: c.label,
    kind: CELL[c.kind],
    value: (row) => {
      const v = row[c.key] ?? null;
      if (v === null && i === 0 && row === data.total) return totalLabel;
      return c.kind === 'time' && typeof v === 'string' ? localText(v, format, lang) : v;
    },
  }));
  const rows = data.total ? [...data.rows, data.total] : data.rows;
  const { format: _f, ...filters } = q;
  return openTableExport(db, actor, inBatches(rows), {
    columns, format, lang, sheet: r.title, entity: 'report', filters: { report: id, ...filters },
    fileName: `relatorio-${id}_${periodPart(ctx.period.from, ctx.period.to)}`, total: rows.length,
  });
}
