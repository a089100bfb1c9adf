import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Channel } from '../../contracts/common.js';
import type { Queryable } from '../../db/database.js';
import type { AuditEntity } from '../../shared/audit.js';
import type { ConversationState } from '../../shared/states.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';

// Any list as a download: CSV (UTF-8 with BOM, `;`, CRLF: what Brazilian Excel opens as columns) or
// XLSX (exceljs's streaming writer). Rows come in batches (a database cursor, or a list already in
// memory cut into batches) and leave as they are written; nothing here holds the whole result. A list
// describes its columns (header in both languages, kind, value); this module writes them, names the
// file's content type and audits the export when the stream ends.

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const satisfies readonly ExportFormat[];
export type ExportLanguage = 'pt' | 'en';
export type Label = Record<ExportLanguage, string>;

/**
 * How a column is written:
 * - time: a local wall-clock time as text in the download's pattern (`timeFormat`, `localTimeText`);
 *   an XLSX date cell;
 * - duration: seconds; HH:MM:SS in a CSV, a day fraction shown [hh]:mm:ss in an XLSX;
 * - number: a number cell; in a Portuguese CSV with a decimal comma; text: as it is.
 */
export type CellKind = 'time' | 'duration' | 'number' | 'text';

export interface ExportColumn<R> {
  header: Label;
  kind: CellKind;
  value(row: R, lang: ExportLanguage): string | number | null;
}

/** Status labels (reference/metrics.md, Situação). */
export const STATE_LABELS: Record<ConversationState, Label> = {
  triage: { pt: 'No filtro inicial', en: 'In the e-mail filter' },
  bot: { pt: 'Em pré-atendimento', en: 'With the bot' },
  queued: { pt: 'Aguardando em fila', en: 'Waiting in queue' },
  in_service: { pt: 'Em andamento', en: 'In service' },
  completed: { pt: 'Concluído', en: 'Completed' },
  cancelled: { pt: 'Cancelado', en: 'Cancelled' },
  abandoned: { pt: 'Abandono', en: 'Abandoned' },
  customer_gave_up: { pt: 'Desistência/Inatividade', en: 'Gave up / inactive' },
  connection_lost: { pt: 'Perda de Conexão', en: 'Connection lost' },
  inactive_in_service: { pt: 'Inativa PA', en: 'Inactive in service' },
  discarded: { pt: 'Descartado', en: 'Discarded' },
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  webchat: 'WebChat', email: 'E-mail', whatsapp: 'WhatsApp', instagram: 'Instagram', facebook: 'Messenger', telegram: 'Telegram', sms: 'SMS', api: 'API',
};

/** Seconds as HH:MM:SS (hours past 24 keep counting). */
export function hms(seconds: number | string | null): string {
  if (seconds === null) return '';
  const s = Math.max(0, Math.floor(Number(seconds)));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(h)}:${pad(m)}:${pad(s % 60)}`;
}

/**
 * How the database writes a local time (to_char): in a CSV as the screen's language writes it (pt-BR
 * 31/12/2024 23:59:00, English 2024-12-31 23:59:00); for XLSX in ISO form, read back into a date cell.
 */
export function timeFormat(format: ExportFormat, lang: ExportLanguage): string {
  return format === 'csv' && lang === 'pt' ? 'DD/MM/YYYY HH24:MI:SS' : 'YYYY-MM-DD HH24:MI:SS';
}

const localParts = new Map<string, Intl.DateTimeFormat>();

/** The same text as `timeFormat` for an instant already in memory, in the time zone given. */
export function localTimeText(at: Date | string | null, timeZone: string, format: ExportFormat, lang: ExportLanguage): string | null {
  if (at === null) return null;
  let f = localParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    localParts.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(typeof at === 'string' ? new Date(at) : at).map((x) => [x.type, x.value]));
  const time = `${p.hour}:${p.minute}:${p.second}`;
  return format === 'csv' && lang === 'pt' ? `${p.day}/${p.month}/${p.year} ${time}` : `${p.year}-${p.month}-${p.day} ${time}`;
}

/** A list already in memory as the batches an export reads. */
export async function* inBatches<R>(rows: readonly R[], size = 1000): AsyncGenerator<R[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export interface TableExportOptions<R> {
  columns: readonly ExportColumn<R>[];
  format: ExportFormat;
  lang: ExportLanguage;
  /** the XLSX sheet's name */
  sheet: Label;
  /** called once at the end: how many rows went out, and whether the whole selection did */
  onEnd?(rows: number, complete: boolean): void;
}

/** The download's body, fed from the batches. */
export function tableBody<R>(batches: AsyncIterable<R[]>, opts: TableExportOptions<R>): Readable {
  return opts.format === 'csv' ? csvBody(batches, opts) : xlsxBody(batches, opts);
}

/**
 * A field quoted (its quotes doubled) when it holds `;`, `"`, a CR or an LF (RFC 4180: Excel keeps
 * a quoted line break inside the cell; a bare LF split the row — csv-stringify, before, quoted only
 * CRLF).
 */
const NEEDS_QUOTES = /[;"\r\n]/;
export function csvField(v: string | number): string {
  const s = typeof v === 'string' ? v : String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or CR first: a customer's name
 * `=HYPERLINK(…)`) is written with a leading apostrophe, as OWASP's CSV-injection advice says; numbers
 * and durations are Mirante's own and stay as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const csvText = (s: string): string => csvField(FORMULA_START.test(s) ? `'${s}` : s);

/**
 * One CSV cell: durations as HH:MM:SS, numbers with a decimal comma in Portuguese (Brazilian Excel
 * reads 66,67 as a number, 66.67 as text), nothing for null.
 */
function csvCell<R>(c: ExportColumn<R>, r: R, lang: ExportLanguage): string {
  const v = c.value(r, lang);
  if (v === null) return '';
  if (c.kind === 'duration') return hms(v);
  if (c.kind === 'number') return csvField(lang === 'pt' ? String(v).replace('.', ',') : String(v));
  return typeof v === 'string' ? csvText(v) : csvField(v);
}

/**
 * Written by hand, one string per batch, with no array per record: a million-row export allocates
 * about half of what csv-stringify's records did, and what a collection finds alive (and promotes)
 * is the batch at hand alone (docs/BENCHMARKS.md, the export's memory).
 */
function csvBody<R>(batches: AsyncIterable<R[]>, opts: TableExportOptions<R>): Readable {
  const { columns, lang } = opts;
  const last = columns.length - 1;
  if (last < 0) throw new RangeError("a CSV export needs at least one column");
  async function* lines() {
    let count = 0;
    let complete = false;
    try {
      yield Buffer.from(`\uFEFF${columns.map((c) => csvField(c.header[lang])).join(';')}\r\n`, 'utf8');
      for await (const batch of batches) {
        let text = '';
        for (const r of batch) {
          for (let i = 0; i < last; i++) text += `${csvCell(columns[i], r, lang)};`;
          text += `${csvCell(columns[last], r, lang)}\r\n`;
        }
        count += batch.length;
        yield Buffer.from(text, 'utf8');
      }
      complete = true;
    } finally {
      opts.onEnd?.(count, complete);
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/**
 * A CSV whose rows PostgreSQL wrote (Database.copyCsv: `COPY … (FORMAT csv, DELIMITER ';')`, the
 * cells already formatted in SQL by the `*Sql` helpers below): the BOM and the header as csvBody
 * writes them, then the COPY's bytes with each row's LF made CRLF — only outside quotes: a line break
 * inside a quoted cell stays as it was (a quote toggles the state; an escaped quote is two) — so the
 * file is byte for byte what csvBody writes. No row becomes an object: the server's memory stays flat
 * whatever the size (docs/BENCHMARKS.md, the export's memory).
 */
export function csvCopyBody(headers: readonly Label[], chunks: AsyncIterable<Buffer>, opts: { lang: ExportLanguage; onEnd?(rows: number, complete: boolean): void }): Readable {
  async function* bytes() {
    let rows = 0;
    let complete = false;
    let quoted = false;
    try {
      yield Buffer.from(`\uFEFF${headers.map((h) => csvField(h[opts.lang])).join(';')}\r\n`, 'utf8');
      for await (const chunk of chunks) {
        let lfs = 0;
        let q: boolean = quoted;
        for (let i = 0; i < chunk.length; i++) {
          const b = chunk[i];
          if (b === 0x22) q = !q;
          else if (b === 0x0a && !q) lfs++;
        }
        rows += lfs;
        if (!lfs) {
          quoted = q;
          yield chunk;
          continue;
        }
        const out = Buffer.allocUnsafe(chunk.length + lfs);
        let o = 0;
        for (let i = 0; i < chunk.length; i++) {
          const b = chunk[i];
          if (b === 0x22) quoted = !quoted;
          else if (b === 0x0a && !quoted) out[o++] = 0x0d;
          out[o++] = b;
        }
        yield out;
      }
      complete = true;
    } finally {
      opts.onEnd?.(rows, complete);
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}

/** SQL that writes a text cell as csvText does: null or '' as nothing, a formula-looking start behind an apostrophe. */
export const csvTextSql = (expr: string): string =>
  `CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${expr} ELSE nullif(${expr}, '') END`;

/** SQL that writes seconds as hms does: whole seconds, never below 0, HH:MM:SS, the hours growing past 99. */
export function hmsSql(expr: string): string {
  const t = `greatest(0, floor(${expr}))::bigint`;
  return `CASE WHEN ${expr} IS NULL THEN NULL ELSE CASE WHEN ${t} / 3600 < 10 THEN '0' ELSE '' END || (${t} / 3600)::text
    || ':' || to_char((${t} % 3600) / 60, 'FM00') || ':' || to_char(${t} % 60, 'FM00') END`;
}

/** SQL that writes `expr` through a table of labels (a state's, a channel's), an unknown value as it is. */
export function labelSql(expr: string, labels: Record<string, string>): string {
  const lit = (v: string) => `'${v.replaceAll("'", "''")}'`;
  return `CASE ${expr} ${Object.entries(labels).map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`).join(' ')} ELSE ${expr} END`;
}

type Cell = string | number | Date | null;
const WIDTH: Record<CellKind, number> = { time: 20, duration: 12, number: 12, text: 24 };

function xlsxBody<R>(batches: AsyncIterable<R[]>, opts: TableExportOptions<R>): Readable {
  const out = new PassThrough();
  const { columns, lang } = opts;
  const fill = async () => {
    let count = 0;
    let complete = false;
    try {
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      const sheet = book.addWorksheet(opts.sheet[lang]);
      sheet.columns = columns.map((c) => ({
        header: c.header[lang],
        width: WIDTH[c.kind],
        // Excel shows the local time and the duration; the cell holds a date and a day fraction
        style: c.kind === 'time' ? { numFmt: lang === 'pt' ? 'dd/mm/yyyy hh:mm:ss' : 'yyyy-mm-dd hh:mm:ss' } : c.kind === 'duration' ? { numFmt: '[hh]:mm:ss' } : {},
      }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      for await (const batch of batches) {
        if (out.destroyed) break;
        for (const r of batch) {
          const cells: Cell[] = columns.map((c) => {
            const v = c.value(r, lang);
            if (v === null) return null;
            // the local wall-clock time as a date without a zone: Excel has none
            // (a label in a time column, such as a report's Total, stays text)
            if (c.kind === 'time') return /^\d{4}-\d{2}-\d{2}/.test(String(v)) ? new Date(`${(v as string).replace(' ', 'T')}Z`) : v;
            if (c.kind === 'duration') return Number(v) / 86_400;
            if (c.kind === 'number') return Number(v);
            return v;
          });
          sheet.addRow(cells).commit();
        }
        count += batch.length;
        // the archive is piped into `out`: wait while the client is behind
        if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', resolve).once('close', resolve));
      }
      sheet.commit();
      await book.commit();
      complete = !out.destroyed;
    } catch (err) {
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    } finally {
      opts.onEnd?.(count, complete);
    }
  };
  void fill();
  return out;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A download ready to send: its Portuguese file name, content type, row count (when known) and body. */
export interface OpenedExport {
  fileName: string;
  contentType: string;
  /** how many rows the download will have (counted at its start); null when not counted */
  total: number | null;
  body: Readable;
}

/**
 * The `onEnd` that audits an export: action `export` on `entity`, with the format, the filters, how
 * many rows went out and whether the whole selection did (also when the download was cut short).
 */
export function auditExportOnEnd(db: Queryable, actor: Actor, entity: AuditEntity, format: ExportFormat | 'pdf', filters: Record<string, unknown>, contactId?: string) {
  return (rows: number, complete: boolean) => {
    writeAudit(db, actor, { action: 'export', entity, contactId, after: { format, filters, rows, complete } }).catch(() => undefined);
  };
}

/** Opens a table export: the body, its content type, and the audit when it ends. */
export function openTableExport<R>(
  db: Queryable,
  actor: Actor,
  batches: AsyncIterable<R[]>,
  opts: Omit<TableExportOptions<R>, 'onEnd'> & {
    entity: AuditEntity; filters: Record<string, unknown>; fileName: string; total: number | null;
    /** the one contact whose data the download holds (Acessos a dados lists it there) */
    contactId?: string;
  },
): OpenedExport {
  const body = tableBody(batches, { ...opts, onEnd: auditExportOnEnd(db, actor, opts.entity, opts.format, opts.filters, opts.contactId) });
  return { fileName: `${opts.fileName}.${opts.format}`, contentType: CONTENT_TYPES[opts.format], total: opts.total, body };
}

/** A period as a file name's part: 2024-05-01_a_2024-05-31, one day once, or todo-o-periodo. */
export function periodPart(from?: string, to?: string): string {
  if (from && to) return from === to ? from : `${from}_a_${to}`;
  return 'todo-o-periodo';
}
