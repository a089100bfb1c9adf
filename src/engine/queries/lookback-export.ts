import { LOOKBACK_COLUMNS, type LookbackColumn, type LookbackFormat, type LookbackQuery, type LookbackView } from '../../contracts/lookback.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../actor.js';
import {
  CHANNEL_LABELS, STATE_LABELS, auditExportOnEnd, CONTENT_TYPES, csvCopyBody, csvTextSql, hmsSql, labelSql, tableBody, timeFormat,
  type ExportColumn, type ExportLanguage, type Label, type OpenedExport,
} from '../exports/table-export.js';
import { getSettings } from '../settings.js';
import { countConversations, exportConversations, exportPlansFor, exportSql, LOCAL_TIMES, splitQuery, type ExportRow } from './lookback.js';

// Consultas and Histórico as a download: the seed's columns of each tab written by the shared table
// export (engine/exports/table-export.ts); rows in batches from the database cursor.

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
    case 'audioTime': return r.audio_seconds === null ? null : Number(r.audio_seconds);
    case 'videoTime': return r.video_seconds === null ? null : Number(r.video_seconds);
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
 * A column's cell written by PostgreSQL, as csvCell writes raw()'s value (COPY's CSV: the export's
 * fast path). `e` is the export's row (lookback.ts exportSql), `local` a local time's to_char.
 */
function cellSql(c: LookbackColumn, lang: ExportLanguage, local: (col: (typeof LOCAL_TIMES)[number]) => string): string {
  const t = TIME_OF[c];
  if (t) return csvTextSql(local(t.slice('local_'.length) as (typeof LOCAL_TIMES)[number]));
  switch (c) {
    case 'protocol': return csvTextSql('e.protocol');
    case 'queueTime': return hmsSql('e.queue_seconds');
    case 'handleTime': return hmsSql('e.handle_seconds');
    case 'audioTime': return hmsSql('e.audio_seconds');
    case 'videoTime': return hmsSql('e.video_seconds');
    case 'contact': return csvTextSql('e.contact_name');
    case 'origin': return csvTextSql('e.origin');
    case 'service': return csvTextSql('e.service_name');
    case 'subject': return csvTextSql('e.subject');
    case 'state': return csvTextSql(labelSql('e.state', Object.fromEntries(Object.entries(STATE_LABELS).map(([k, v]) => [k, v[lang]]))));
    case 'agent': return csvTextSql('e.agent_name');
    case 'channel': return csvTextSql(labelSql('e.channel', CHANNEL_LABELS));
    case 'classification': return csvTextSql('e.classification_name');
    default: return 'NULL';
  }
}

/** A tab's columns as the table export writes them. */
function columnsOf(view: LookbackView): ExportColumn<ExportRow>[] {
  return LOOKBACK_COLUMNS[view].map((c) => ({ header: TAB_HEADERS[view]?.[c] ?? HEADERS[c], kind: kindOf(c), value: (r, lang) => raw(c, r, lang) }));
}

/** The download's name, in Portuguese: atendimentos-chat_2024-05-01_a_2024-05-31.csv */
function exportFileName(q: Pick<LookbackQuery, 'family' | 'from' | 'to'>, format: LookbackFormat): string {
  const what = q.family === 'email' ? 'e-mail' : (q.family ?? 'historico');
  const period = q.from && q.to ? `${q.from}_a_${q.to}` : 'todo-o-periodo';
  return `atendimentos-${what}_${period}.${format}`;
}

/**
 * Everything a looking-back query selects, as a CSV or XLSX download in the caller's language; the
 * audit log records who exported which filters and how many rows went out (also when the download
 * was cut short).
 */
export async function openExport(db: Database, actor: Actor, q: LookbackQuery & { format: LookbackFormat }, lang: ExportLanguage): Promise<OpenedExport & { total: number }> {
  const { filter } = splitQuery(q);
  const { timezone } = await getSettings(db);
  const plans = await exportPlansFor(db, filter);
  const total = await countConversations(db, filter, actor, timezone, undefined, plans);
  const view: LookbackView = q.family ?? 'all';
  const { format, after: _after, limit: _limit, ...filters } = q;
  const onEnd = auditExportOnEnd(db, actor, 'conversations', format, filters);
  const opts = { timeZone: timezone, timeFormat: timeFormat(format, lang), ...plans };
  // a CSV on PostgreSQL: PostgreSQL writes the rows (COPY), the same bytes as the rows formatted here
  const body = format === 'csv' && db.copyCsv
    ? csvCopyBody(
      columnsOf(view).map((c) => c.header),
      (() => {
        const { sql, params } = exportSql(actor, q, opts, (local) => LOOKBACK_COLUMNS[view].map((c) => cellSql(c, lang, local)).join(', '));
        return db.copyCsv(sql, params);
      })(),
      { lang, onEnd },
    )
    : tableBody(exportConversations(db, actor, q, opts), {
      columns: columnsOf(view),
      format,
      lang,
      sheet: { pt: 'Atendimentos', en: 'Conversations' },
      onEnd,
    });
  return { fileName: exportFileName(q, format), contentType: CONTENT_TYPES[format], total, body };
}
