import type { ReportColumnKind, ReportQuery, ReportRow } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import {
  auditExportOnEnd, CHANNEL_LABELS, hms, inBatches, openTableExport, periodPart, type CellKind, type ExportColumn, type ExportFormat, type ExportLanguage,
  type OpenedExport,
} from '../exports/table-export.js';
import { pdfTable } from '../exports/pdf-table.js';
import { policyOf } from '../access.js';
import { getSettings } from '../settings.js';
import type { ReportColumnDef, ReportContext, ReportData, ReportDefinition } from './definition.js';
import { reportContext, reportOf } from './run.js';

// A report as a download: CSV and XLSX through table-export.ts (the same writer as every list), PDF
// through pdf-table.ts, with the totals as the last row; audited (action export, entity report: who,
// which report, the filters).

const CELL: Record<ReportColumnKind, CellKind> = { text: 'text', count: 'number', number: 'number', pct: 'number', duration: 'duration', time: 'time' };

/** `YYYY-MM-DD HH:MM:SS` (a report's local time) as a CSV in Portuguese writes it: DD/MM/YYYY HH:MM:SS. */
export function localText(v: string, format: ExportFormat | 'pdf', lang: ExportLanguage): string {
  if (format === 'xlsx' || lang !== 'pt') return v;
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(v);
  return m ? `${m[3]}/${m[2]}/${m[1]}${m[4]}` : v;
}

const TOTAL: Record<ExportLanguage, string> = { pt: 'Total', en: 'Total' };

export async function exportReport(
  db: Queryable, actor: Actor, id: string, q: ReportQuery & { format: ExportFormat | 'pdf' }, lang: ExportLanguage, now: Date,
): Promise<OpenedExport> {
  const r = reportOf(id);
  const ctx = await reportContext(db, actor, r, q, now, lang);
  const data = await r.run(ctx);
  const cols = data.columns ?? r.columns;
  const { format: _f, ...filters } = q;
  const fileName = `relatorio-${r.id}_${periodPart(ctx.period.from, ctx.period.to)}`;
  if (q.format === 'pdf') return reportPdf(db, actor, r, ctx, data, { ...filters, report: r.id }, lang, fileName);
  const format = q.format;
  const columns: ExportColumn<ReportRow>[] = cols.map((c, i) => ({
    header: c.label,
    kind: CELL[c.kind],
    value: (row) => {
      const v = row[c.key] ?? null;
      if (v === null && i === 0 && row === data.total) return TOTAL[lang];
      return c.kind === 'time' && typeof v === 'string' ? localText(v, format, lang) : v;
    },
  }));
  const rows = data.total ? [...data.rows, data.total] : data.rows;
  return openTableExport(db, actor, inBatches(rows), {
    columns, format, lang, sheet: r.title, entity: 'report', filters: { report: r.id, ...filters },
    fileName, total: rows.length,
  });
}

// --- PDF ---------------------------------------------------------------------------------------------

const LOCALE: Record<ExportLanguage, string> = { pt: 'pt-BR', en: 'en-US' };

/** A cell as the reader writes it: 1.234 and 66,67 in Portuguese, durations HH:MM:SS, local times DD/MM/YYYY. */
function cellText(c: ReportColumnDef, v: ReportRow[string] | undefined, lang: ExportLanguage): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') return c.kind === 'time' ? localText(v, 'pdf', lang) : v;
  switch (c.kind) {
    case 'duration': return hms(v);
    case 'count': return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(v);
    case 'pct':
    case 'number': return new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
    default: return String(v);
  }
}

const WORDS = {
  pt: { period: 'Período', filters: 'Filtros', none: 'nenhum', generated: 'Gerado em', interval: 'Intervalo', page: (n: number, of: number) => `Página ${n} de ${of}` },
  en: { period: 'Period', filters: 'Filters', none: 'none', generated: 'Generated at', interval: 'Interval', page: (n: number, of: number) => `Page ${n} of ${of}` },
} as const;
const FILTER_NAMES: Record<'serviceId' | 'channel' | 'teamId' | 'agentId', Record<ExportLanguage, string>> = {
  serviceId: { pt: 'Serviço', en: 'Service' }, channel: { pt: 'Canal', en: 'Channel' }, teamId: { pt: 'Equipe', en: 'Team' }, agentId: { pt: 'Agente', en: 'Agent' },
};

/** The filters applied, by name (the services, teams and agents the caller asked for). */
async function filterText(db: Queryable, ctx: ReportContext, lang: ExportLanguage): Promise<string> {
  const f = ctx.filter;
  // a name only within the caller's scope: outside it the id stays an id, as the record does not exist for them
  const policy = policyOf(ctx.actor);
  const name = async (table: 'services' | 'teams' | 'users', id: string | undefined) => {
    if (!id) return undefined;
    const scope = table === 'services' ? policy.servicesSql('x.id', 2) : table === 'teams' ? policy.teamsSql('x.id', 2) : policy.usersSql('x.id', 2);
    const { rows } = await db.query<{ name: string }>(`SELECT x.name FROM ${table} x WHERE x.id = $1 AND ${scope.sql}`, [id, ...scope.params]);
    return rows[0]?.name ?? id;
  };
  const values: [keyof typeof FILTER_NAMES, string | undefined][] = [
    ['serviceId', await name('services', f.serviceId)],
    ['channel', f.channel ? CHANNEL_LABELS[f.channel] : undefined],
    ['teamId', await name('teams', f.teamId)],
    ['agentId', await name('users', f.agentId)],
  ];
  const set = values.filter(([, v]) => v).map(([k, v]) => `${FILTER_NAMES[k][lang]}: ${v}`);
  return set.length ? set.join('; ') : WORDS[lang].none;
}

const day = (d: string, lang: ExportLanguage) => (lang === 'pt' ? d.split('-').reverse().join('/') : d);

async function reportPdf(
  db: Queryable, actor: Actor, r: ReportDefinition, ctx: ReportContext, data: ReportData, filters: Record<string, unknown>, lang: ExportLanguage, fileName: string,
): Promise<OpenedExport> {
  const w = WORDS[lang];
  const cols = data.columns ?? r.columns;
  const text = (row: ReportRow, total: boolean) =>
    cols.map((c, i) => (total && i === 0 && (row[c.key] ?? null) === null ? TOTAL[lang] : cellText(c, row[c.key], lang)));
  const generated = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: ctx.period.timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(ctx.now);
  const period = ctx.period.from === ctx.period.to ? day(ctx.period.from, lang) : `${day(ctx.period.from, lang)} – ${day(ctx.period.to, lang)}`;
  const { companyName } = await getSettings(db);
  const lines = [
    companyName,
    `${w.period}: ${period}${r.usesInterval ? ` · ${w.interval}: ${ctx.interval}` : ''}`,
    `${w.filters}: ${await filterText(db, ctx, lang)}`,
    `${w.generated}: ${generated} (${ctx.period.timeZone})`,
  ];
  const rows = data.rows.map((row) => text(row, false));
  const audit = auditExportOnEnd(db, actor, 'report', 'pdf', filters);
  const body = pdfTable({
    title: r.title[lang], lines,
    columns: cols.map((c) => ({ header: c.label[lang], align: c.kind === 'text' || c.kind === 'time' ? 'left' : 'right' })),
    rows, total: data.total ? text(data.total, true) : null,
    pageLabel: w.page,
    onEnd: () => audit(rows.length + (data.total ? 1 : 0), true),
  });
  return { fileName: `${fileName}.pdf`, contentType: 'application/pdf', total: rows.length + (data.total ? 1 : 0), body };
}
