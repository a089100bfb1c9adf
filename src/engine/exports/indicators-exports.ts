import { STATUS_CHANNEL_COLUMNS, type DaySummaryRow, type IndicatorConversationsQuery, type IndicatorTable, type StatusRow, type SummaryRow, type StatusChannelColumn } from '../../contracts/indicators.js';
import type { Channel } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import type { ConversationState } from '../../shared/states.js';
import type { Actor } from '../actor.js';
import { periodOf } from '../queries/analysis.js';
import { DETAIL_FROM, DETAIL_SORT, indicatorsReport, indicatorsWhere, type IndicatorFilter } from '../queries/indicators.js';
import {
  CHANNEL_LABELS, STATE_LABELS, inBatches, localTimeText, openTableExport, periodPart, timeFormat, type ExportColumn, type ExportFormat,
  type ExportLanguage, type Label, type OpenedExport,
} from './table-export.js';

// Indicadores' tables as downloads (table-export.ts writes them), with the seed's column names: the
// five summaries from the report in memory (a row per service, channel, agent, state or group), the
// detail (Atendimentos OMNI) streamed from a database cursor.

const same = (s: string): Label => ({ pt: s, en: s });

const DIRECTION: Record<'inbound' | 'outbound', { es: Label; kind: Label }> = {
  inbound: { es: { pt: 'Entrada', en: 'Inbound' }, kind: { pt: 'Receptivo', en: 'Inbound' } },
  outbound: { es: { pt: 'Saída', en: 'Outbound' }, kind: { pt: 'Ativo', en: 'Outbound' } },
};

const YES_NO = (b: boolean, l: ExportLanguage) => (b ? (l === 'pt' ? 'Sim' : 'Yes') : l === 'pt' ? 'Não' : 'No');

const SUMMARY_COLUMNS: ExportColumn<SummaryRow>[] = [
  { header: same('Nome'), kind: 'text', value: (r) => r.name },
  { header: same('QtdAtend'), kind: 'number', value: (r) => r.count },
  { header: same('PctQtd'), kind: 'number', value: (r) => r.pct },
  { header: same('DurTotal'), kind: 'duration', value: (r) => r.totalSeconds },
  { header: same('DurMedia'), kind: 'duration', value: (r) => r.meanSeconds },
  { header: same('DurMaxim'), kind: 'duration', value: (r) => r.maxSeconds },
  { header: same('TMídia'), kind: 'duration', value: (r) => r.mediaSeconds },
];

const STATUS_HEADERS: Record<StatusChannelColumn, string> = {
  webchat: 'Webchat', email: 'Email', facebook: 'Facebook', instagram: 'Instagram', sms: 'SMS', voice: 'Voz', whatsapp: 'WhatsApp', other: 'Outros',
};

const STATUS_COLUMNS: ExportColumn<StatusRow>[] = [
  { header: same('ES'), kind: 'text', value: (r, l) => DIRECTION[r.direction].es[l] },
  { header: { pt: 'Situação', en: 'Status' }, kind: 'text', value: (r, l) => STATE_LABELS[r.state][l] },
  { header: same('Pct'), kind: 'number', value: (r) => r.pct },
  { header: same('TotalSit'), kind: 'number', value: (r) => r.count },
  ...STATUS_CHANNEL_COLUMNS.map((c): ExportColumn<StatusRow> => ({ header: same(STATUS_HEADERS[c]), kind: 'number', value: (r) => r.channels[c] })),
];

type DayLine = DaySummaryRow & { last: string | null };

const DAY_COLUMNS: ExportColumn<DayLine>[] = [
  { header: same('Tipo'), kind: 'text', value: (r, l) => DIRECTION[r.direction].kind[l] },
  { header: same('CampanhaServico'), kind: 'text', value: (r) => r.serviceName },
  { header: same('Canal'), kind: 'text', value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel },
  { header: same('SitOpe'), kind: 'text', value: (r, l) => STATE_LABELS[r.state][l] },
  { header: same('Observacao'), kind: 'text', value: (r) => r.classificationName },
  { header: same('Ultimo'), kind: 'time', value: (r) => r.last },
  { header: same('Qtd'), kind: 'number', value: (r) => r.count },
];

const SHEETS: Record<IndicatorTable, { sheet: Label; file: string }> = {
  byService: { sheet: { pt: 'Resumo por Serviço', en: 'By service' }, file: 'resumo-por-servico' },
  byChannel: { sheet: { pt: 'Resumo por Canal', en: 'By channel' }, file: 'resumo-por-canal' },
  byAgent: { sheet: { pt: 'Produtividade de Agentes', en: 'Agent productivity' }, file: 'produtividade-de-agentes' },
  byStatus: { sheet: { pt: 'Resumo por Status', en: 'By status' }, file: 'resumo-por-status' },
  daySummary: { sheet: { pt: 'Resumo do dia', en: 'Day summary' }, file: 'resumo-do-dia' },
};

/** One of the five summary tables as a download, for the period asked (default today). */
export async function exportIndicatorTable(
  db: Database, actor: Actor, q: IndicatorFilter & { table: IndicatorTable; format: ExportFormat }, lang: ExportLanguage, now: Date,
): Promise<OpenedExport> {
  const { table, format, ...filter } = q;
  const report = await indicatorsReport(db, actor, filter, now);
  const { sheet, file } = SHEETS[table];
  const base = { format, lang, sheet, entity: 'indicators' as const, filters: { ...filter, table, from: report.from, to: report.to }, fileName: `${file}_${periodPart(report.from, report.to)}` };
  if (table === 'byStatus') return openTableExport(db, actor, inBatches(report.byStatus.rows), { ...base, columns: STATUS_COLUMNS, total: report.byStatus.rows.length });
  if (table === 'daySummary') {
    const lines: DayLine[] = report.daySummary.map((r) => ({ ...r, last: localTimeText(r.lastFinishedAt, report.timezone, format, lang) }));
    return openTableExport(db, actor, inBatches(lines), { ...base, columns: DAY_COLUMNS, total: lines.length });
  }
  const rows = report[table].rows;
  return openTableExport(db, actor, inBatches(rows), { ...base, columns: SUMMARY_COLUMNS, total: rows.length });
}

// --- Atendimentos OMNI -----------------------------------------------------------------------------

interface DetailLine {
  protocol: string; local_first_queued_at: string | null; local_first_assigned_at: string | null; local_finished_at: string;
  state: ConversationState; channel: Channel; service_name: string; direction: 'inbound' | 'outbound'; subject: string | null;
  description: string | null; origin: string | null; bot: boolean; human: boolean; agent_name: string | null; local_created_at: string;
  classification_name: string | null; audio_seconds: number | string | null; video_seconds: number | string | null;
}

/** A bigint sum (a string from node-postgres) as seconds; null when no call was answered. */
const secondsOf = (v: number | string | null) => (v === null || v === undefined ? null : Number(v));

const detailColumns = (version: string): ExportColumn<DetailLine>[] => [
  { header: { pt: 'Versão', en: 'Version' }, kind: 'text', value: () => version },
  { header: same('NrAtend'), kind: 'text', value: (r) => r.protocol },
  { header: same('EntradaFila'), kind: 'time', value: (r) => r.local_first_queued_at },
  { header: same('InicioAtd'), kind: 'time', value: (r) => r.local_first_assigned_at },
  { header: same('TerminoAtd'), kind: 'time', value: (r) => r.local_finished_at },
  { header: same('SituacaoAtd'), kind: 'text', value: (r, l) => STATE_LABELS[r.state][l] },
  { header: same('Canal'), kind: 'text', value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel },
  { header: { pt: 'Serviço', en: 'Service' }, kind: 'text', value: (r) => r.service_name },
  { header: same('ES'), kind: 'text', value: (r, l) => DIRECTION[r.direction].es[l] },
  { header: same('Assunto'), kind: 'text', value: (r) => r.subject },
  { header: { pt: 'Descrição', en: 'Description' }, kind: 'text', value: (r) => r.description },
  { header: same('Origem'), kind: 'text', value: (r) => r.origin },
  { header: same('AutoAtd'), kind: 'text', value: (r, l) => YES_NO(r.bot, l) },
  { header: same('AtdHmn'), kind: 'text', value: (r, l) => YES_NO(r.human, l) },
  { header: same('Agente'), kind: 'text', value: (r) => r.agent_name },
  { header: same('OcorrCrm'), kind: 'text', value: (r) => r.protocol },
  { header: same('DataOcorr'), kind: 'time', value: (r) => r.local_created_at },
  { header: same('SituacaoOcorr'), kind: 'text', value: (r) => r.classification_name },
  { header: same('FimOcorr'), kind: 'time', value: (r) => r.local_finished_at },
  // T.Audio and T.Video as the API gives them (DETAIL_FROM's sums of the answered calls)
  { header: same('T.Audio'), kind: 'duration', value: (r) => secondsOf(r.audio_seconds) },
  { header: same('T.Video'), kind: 'duration', value: (r) => secondsOf(r.video_seconds) },
];

/** Atendimentos OMNI: every conversation that ended in the period, latest first, from a database cursor. */
export async function exportIndicatorConversations(
  db: Database, actor: Actor, q: IndicatorConversationsQuery & { format: ExportFormat }, lang: ExportLanguage, now: Date, version: string,
): Promise<OpenedExport> {
  const { format, after: _after, limit: _limit, ...filter } = q;
  const period = await periodOf(db, filter, now);
  const where = indicatorsWhere(actor, filter, period);
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where.sql}`, where.params)).rows[0].n;
  const tz = `$${where.params.length + 1}`;
  const fmt = `$${where.params.length + 2}`;
  const local = (col: string) => `to_char(d.${col} AT TIME ZONE ${tz}, ${fmt}) AS local_${col}`;
  const order = DETAIL_SORT.map((k) => `d.${k.column} ${k.dir === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
  const sql = `SELECT d.*, ${local('first_queued_at')}, ${local('first_assigned_at')}, ${local('finished_at')}, ${local('created_at')}
    FROM (SELECT ${DETAIL_FROM} WHERE ${where.sql}) d ORDER BY ${order}`;
  const rows = db.stream<DetailLine>(sql, [...where.params, period.timeZone, timeFormat(format, lang)], { batchSize: 1000 });
  return openTableExport(db, actor, rows, {
    columns: detailColumns(version), format, lang, sheet: { pt: 'Atendimentos OMNI', en: 'OMNI conversations' },
    entity: 'indicators', filters: { ...filter, table: 'conversations', from: period.from, to: period.to },
    fileName: `atendimentos-omni_${periodPart(period.from, period.to)}`, total,
  });
}
