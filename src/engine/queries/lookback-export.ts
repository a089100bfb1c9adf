import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Channel } from '../../contracts/common.js';
import { LOOKBACK_COLUMNS, type LookbackColumn, type LookbackFormat, type LookbackQuery, type LookbackView } from '../../contracts/lookback.js';
import type { Database } from '../../db/database.js';
import type { ConversationState } from '../../shared/states.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import { getSettings } from '../settings.js';
import { countConversations, exportConversations, splitQuery, type ExportRow } from './lookback.js';

// A looking-back list as a download: CSV (UTF-8 with BOM, `;`, CRLF: what Brazilian Excel opens
// as columns) or XLSX (exceljs's streaming writer). Rows come in batches from the database cursor
// and leave as they are written; nothing holds the whole result.

export type ExportLanguage = 'pt' | 'en';
type Label = Record<ExportLanguage, string>;

const HEADERS: Record<LookbackColumn, Label> = {
  start: { pt: 'Data/Hora', en: 'Date/time' },
  botStart: { pt: 'Dt.Ini.Atd.Bot', en: 'Bot start' },
  botEnd: { pt: 'Dt.Fim.Atd.Bot', en: 'Bot end' },
  queued: { pt: 'Data Fila', en: 'Queued at' },
  humanStart: { pt: 'Dt.Ini.Atd.Hum', en: 'Agent start' },
  humanEnd: { pt: 'Dt.Fim.Atd.Hum', en: 'Agent end' },
  protocol: { pt: 'Nr.Ocorr', en: 'Protocol' },
  queueTime: { pt: 'Tempo de Fila', en: 'Queue time' },
  handleTime: { pt: 'T.Atend', en: 'Handle time' },
  audioTime: { pt: 'T.Audio', en: 'Audio time' },
  videoTime: { pt: 'T.Video', en: 'Video time' },
  contact: { pt: 'Contato', en: 'Contact' },
  origin: { pt: 'Origem', en: 'Origin' },
  service: { pt: 'Serviço', en: 'Service' },
  subject: { pt: 'Assunto', en: 'Subject' },
  state: { pt: 'Status', en: 'Status' },
  agent: { pt: 'Agente', en: 'Agent' },
  channel: { pt: 'Tipo', en: 'Type' },
  classification: { pt: 'Classificação', en: 'Classification' },
};

/** The seed's own words where a tab names a column differently. */
const TAB_HEADERS: Partial<Record<LookbackView, Partial<Record<LookbackColumn, Label>>>> = {
  messaging: { contact: { pt: 'Origem', en: 'Origin' } },
  email: { agent: { pt: 'Responsável', en: 'Assignee' } },
};

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

const CHANNEL_LABELS: Record<Channel, string> = {
  webchat: 'WebChat', email: 'E-mail', whatsapp: 'WhatsApp', instagram: 'Instagram', facebook: 'Messenger', telegram: 'Telegram', sms: 'SMS', api: 'API',
};

export function exportHeaders(view: LookbackView, lang: ExportLanguage): string[] {
  return LOOKBACK_COLUMNS[view].map((c) => (TAB_HEADERS[view]?.[c] ?? HEADERS[c])[lang]);
}

/** Seconds as HH:MM:SS (hours past 24 keep counting). */
export function hms(seconds: number | string | null): string {
  if (seconds === null) return '';
  const s = Math.max(0, Math.floor(Number(seconds)));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(h)}:${pad(m)}:${pad(s % 60)}`;
}

type Cell = string | number | Date | null;
type Kind = 'time' | 'duration' | 'text';

const TIME_OF: Partial<Record<LookbackColumn, keyof ExportRow>> = {
  start: 'local_created_at', botStart: 'local_bot_started_at', botEnd: 'local_bot_ended_at', queued: 'local_first_queued_at',
  humanStart: 'local_first_assigned_at', humanEnd: 'local_human_ended_at',
};

const kindOf = (c: LookbackColumn): Kind => (TIME_OF[c] ? 'time' : c === 'queueTime' || c === 'handleTime' || c === 'audioTime' || c === 'videoTime' ? 'duration' : 'text');

/** A column's raw value: local time text (YYYY-MM-DD HH:MM:SS), seconds, or text. */
function raw(c: LookbackColumn, r: ExportRow, lang: ExportLanguage): string | number | null {
  const t = TIME_OF[c];
  if (t) return r[t] as string | null;
  switch (c) {
    case 'protocol': return r.protocol;
    case 'queueTime': return r.queue_seconds === null ? null : Number(r.queue_seconds);
    case 'handleTime': return r.handle_seconds === null ? null : Number(r.handle_seconds);
    case 'audioTime': case 'videoTime': return null;
    case 'contact': return r.contact_name;
    case 'origin': return r.origin;
    case 'service': return r.service_name;
    case 'subject': return r.subject;
    case 'state': return STATE_LABELS[r.state]?.[lang] ?? r.state;
    case 'agent': return r.agent_name;
    case 'channel': return CHANNEL_LABELS[r.channel] ?? r.channel;
    case 'classification': return r.classification_name;
    default: return null;
  }
}

/**
 * How the database writes a local time: in a CSV as the screen's language writes it (pt-BR
 * 31/12/2024 23:59:00, English 2024-12-31 23:59:00); for XLSX in ISO form, read back into a date cell.
 */
export function timeFormat(format: LookbackFormat, lang: ExportLanguage): string {
  return format === 'csv' && lang === 'pt' ? 'DD/MM/YYYY HH24:MI:SS' : 'YYYY-MM-DD HH24:MI:SS';
}

export interface ExportOptions {
  view: LookbackView;
  format: LookbackFormat;
  lang: ExportLanguage;
  /** called once at the end: how many rows went out, and whether the whole selection did */
  onEnd?(rows: number, complete: boolean): void;
}

/** The download's body, fed from the database's batches. */
export function exportBody(batches: AsyncIterable<ExportRow[]>, opts: ExportOptions): Readable {
  return opts.format === 'csv' ? csvBody(batches, opts) : xlsxBody(batches, opts);
}

function csvBody(batches: AsyncIterable<ExportRow[]>, opts: ExportOptions): Readable {
  const cols = LOOKBACK_COLUMNS[opts.view];
  const kinds = cols.map(kindOf);
  const { lang } = opts;
  const write = (records: unknown[][]) => stringify(records, { delimiter: ';', record_delimiter: 'windows' });
  async function* lines() {
    let count = 0;
    let complete = false;
    try {
      yield Buffer.from(`\uFEFF${write([exportHeaders(opts.view, lang)])}`, 'utf8');
      for await (const batch of batches) {
        const records = batch.map((r) =>
          cols.map((c, i) => {
            const v = raw(c, r, lang);
            if (v === null) return '';
            return kinds[i] === 'duration' ? hms(v) : v;
          }),
        );
        count += batch.length;
        yield Buffer.from(write(records), 'utf8');
      }
      complete = true;
    } finally {
      opts.onEnd?.(count, complete);
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

function xlsxBody(batches: AsyncIterable<ExportRow[]>, opts: ExportOptions): Readable {
  const out = new PassThrough();
  const cols = LOOKBACK_COLUMNS[opts.view];
  const kinds = cols.map(kindOf);
  const { lang } = opts;
  const fill = async () => {
    let count = 0;
    let complete = false;
    try {
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      const sheet = book.addWorksheet(lang === 'pt' ? 'Atendimentos' : 'Conversations');
      sheet.columns = exportHeaders(opts.view, lang).map((header, i) => ({
        header,
        width: kinds[i] === 'time' ? 20 : kinds[i] === 'duration' ? 12 : 24,
        // Excel shows the local time and the duration; the cell holds a date and a day fraction
        style: kinds[i] === 'time' ? { numFmt: lang === 'pt' ? 'dd/mm/yyyy hh:mm:ss' : 'yyyy-mm-dd hh:mm:ss' } : kinds[i] === 'duration' ? { numFmt: '[hh]:mm:ss' } : {},
      }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      for await (const batch of batches) {
        if (out.destroyed) break;
        for (const r of batch) {
          const cells: Cell[] = cols.map((c, i) => {
            const v = raw(c, r, lang);
            if (v === null) return null;
            // the local wall-clock time as a date without a zone: Excel has none
            if (kinds[i] === 'time') return new Date(`${(v as string).replace(' ', 'T')}Z`);
            if (kinds[i] === 'duration') return Number(v) / 86_400;
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

const CONTENT_TYPES: Record<LookbackFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The download's name, in Portuguese: atendimentos-chat_2024-05-01_a_2024-05-31.csv */
export function exportFileName(q: Pick<LookbackQuery, 'family' | 'from' | 'to'>, format: LookbackFormat): string {
  const what = q.family === 'email' ? 'e-mail' : (q.family ?? 'historico');
  const period = q.from && q.to ? `${q.from}_a_${q.to}` : 'todo-o-periodo';
  return `atendimentos-${what}_${period}.${format}`;
}

export interface OpenedExport {
  fileName: string;
  contentType: string;
  /** how many rows the download will have (counted at its start) */
  total: number;
  body: Readable;
}

/**
 * Everything a looking-back query selects, as a CSV or XLSX download in the caller's language; the
 * audit log records who exported which filters and how many rows went out (also when the download
 * was cut short).
 */
export async function openExport(db: Database, actor: Actor, q: LookbackQuery & { format: LookbackFormat }, lang: ExportLanguage): Promise<OpenedExport> {
  const { filter } = splitQuery(q);
  const { timezone } = await getSettings(db);
  const total = await countConversations(db, filter, actor, timezone);
  const view: LookbackView = q.family ?? 'all';
  const { format, after: _after, limit: _limit, ...filters } = q;
  const body = exportBody(exportConversations(db, actor, q, { timeZone: timezone, timeFormat: timeFormat(format, lang) }), {
    view,
    format,
    lang,
    onEnd: (rows, complete) => {
      writeAudit(db, actor, { action: 'export', entity: 'conversations', after: { format, filters, rows, complete } }).catch(() => undefined);
    },
  });
  return { fileName: exportFileName(q, format), contentType: CONTENT_TYPES[format], total, body };
}
