import type { AgentRow, AgentsQuery, OutboundQuery, QueueReason, QueueRow } from '../../contracts/analysis.js';
import { queueReasonText } from '../../shared/queue-reason-text.js';
import type { Channel } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import type { ConversationState } from '../../shared/states.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';
import type { Actor } from '../actor.js';
import { getSettings } from '../settings.js';
import { agentsReport, outboundWhere, queueReport } from '../queries/analysis.js';
import {
  CHANNEL_LABELS, STATE_LABELS, inBatches, localTimeText, openTableExport, periodPart, timeFormat, type ExportColumn, type ExportFormat,
  type ExportLanguage, type Label, type OpenedExport,
} from './table-export.js';

// Análise da Operação's lists as downloads (table-export.ts writes them): Atendentes and Fila are
// built in memory by their reports (one row per agent; what waits now), Mensagens ativas streams
// from a database cursor (it grows with the operation).

const AGENT_STATES: Record<AgentRow['state'], Label> = {
  offline: { pt: 'Offline', en: 'Offline' },
  available: { pt: 'Livre', en: 'Available' },
  paused: { pt: 'Em pausa', en: 'Paused' },
  in_service: { pt: 'Em atendimento', en: 'In service' },
};

type AgentLine = AgentRow & { pauseName: string | null; since: string | null };

const AGENT_COLUMNS: ExportColumn<AgentLine>[] = [
  { header: { pt: 'Agente', en: 'Agent' }, kind: 'text', value: (r) => r.name },
  { header: { pt: 'Estado', en: 'State' }, kind: 'text', value: (r, l) => AGENT_STATES[r.state][l] },
  { header: { pt: 'Motivo da pausa', en: 'Pause reason' }, kind: 'text', value: (r) => r.pauseName },
  { header: { pt: 'Desde', en: 'Since' }, kind: 'time', value: (r) => r.since },
  { header: { pt: 'Em atendimento', en: 'In service' }, kind: 'number', value: (r) => r.inService },
  { header: { pt: 'Concluídos', en: 'Completed' }, kind: 'number', value: (r) => r.completed },
  { header: { pt: 'Cancelados', en: 'Cancelled' }, kind: 'number', value: (r) => r.cancelled },
  { header: { pt: 'Outros finalizados', en: 'Other finished' }, kind: 'number', value: (r) => r.otherFinished },
  { header: { pt: 'TMA', en: 'AHT' }, kind: 'duration', value: (r) => r.tmaSeconds },
];

/** Atendentes: one row per agent of the report, with its columns. */
export async function exportAgents(db: Database, actor: Actor, q: AgentsQuery & { format: ExportFormat }, lang: ExportLanguage, now: Date): Promise<OpenedExport> {
  const { format, ...filters } = q;
  const report = await agentsReport(db, actor, filters, now);
  const pauseIds = [...new Set(report.rows.flatMap((r) => (r.state === 'paused' && r.pauseReasonId ? [r.pauseReasonId] : [])))];
  const names = new Map(
    pauseIds.length ? (await db.query<{ id: string; name: string }>(`SELECT id::text AS id, name FROM pause_reasons WHERE id = ANY($1::uuid[])`, [pauseIds])).rows.map((r) => [r.id, r.name]) : [],
  );
  const lines: AgentLine[] = report.rows.map((r) => ({
    ...r,
    pauseName: r.state === 'paused' && r.pauseReasonId ? (names.get(r.pauseReasonId) ?? null) : null,
    since: r.state === 'offline' ? null : localTimeText(r.stateSince, report.timezone, format, lang),
  }));
  return openTableExport(db, actor, inBatches(lines), {
    columns: AGENT_COLUMNS, format, lang, sheet: { pt: 'Atendentes', en: 'Agents' },
    entity: 'analysis_agents', filters: { ...filters, from: report.from, to: report.to }, fileName: `atendentes_${periodPart(report.from, report.to)}`, total: lines.length,
  });
}

// --- Fila ------------------------------------------------------------------------------------------

const PRIORITIES: Record<QueueRow['priority'], Label> = {
  normal: { pt: 'Normal', en: 'Normal' },
  manual: { pt: 'Alocado a um agente', en: 'Allocated to an agent' },
  returned: { pt: 'Devolvido à fila', en: 'Returned to the queue' },
};

type QueueLine = QueueRow & { department: string | null; reason: QueueReason | null; queuedLocal: string | null; waitSeconds: number };

const YES_NO = (b: boolean, l: ExportLanguage) => (b ? (l === 'pt' ? 'Sim' : 'Yes') : l === 'pt' ? 'Não' : 'No');

const QUEUE_COLUMNS: ExportColumn<QueueLine>[] = [
  { header: { pt: 'Departamento', en: 'Department' }, kind: 'text', value: (r, l) => r.department ?? (l === 'pt' ? 'Sem departamento' : 'No department') },
  { header: { pt: 'Motivo', en: 'Reason' }, kind: 'text', value: (r, l) => (r.reason ? queueReasonText(r.reason, l) : null) },
  { header: { pt: 'Posição', en: 'Position' }, kind: 'number', value: (r) => r.position },
  { header: { pt: 'Protocolo', en: 'Protocol' }, kind: 'text', value: (r) => r.protocol },
  { header: { pt: 'Cliente', en: 'Customer' }, kind: 'text', value: (r) => r.contactName },
  { header: { pt: 'Canal', en: 'Channel' }, kind: 'text', value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel },
  { header: { pt: 'Serviço', en: 'Service' }, kind: 'text', value: (r) => r.serviceName },
  { header: { pt: 'Entrada na fila', en: 'Queued at' }, kind: 'time', value: (r) => r.queuedLocal },
  { header: { pt: 'Tempo em fila', en: 'Time in queue' }, kind: 'duration', value: (r) => r.waitSeconds },
  { header: { pt: 'Prioridade', en: 'Priority' }, kind: 'text', value: (r, l) => PRIORITIES[r.priority][l] },
  { header: { pt: 'Agente alocado', en: 'Allocated agent' }, kind: 'text', value: (r) => r.preferredAgentName },
  { header: { pt: 'Fora do horário', en: 'Outside hours' }, kind: 'text', value: (r, l) => YES_NO(r.outsideHours, l) },
];

/**
 * Fila: every waiting conversation under each department that serves its service (a conversation
 * of a service two departments serve is in both, as on the screen), with the department and why its
 * queue waits (the reason of the conversation's kind: chat limits or e-mail limits).
 */
export async function exportQueue(db: Database, actor: Actor, q: { serviceIds?: string[]; format: ExportFormat }, lang: ExportLanguage, now: Date): Promise<OpenedExport> {
  const { format, ...filters } = q;
  const { timezone } = await getSettings(db);
  const report = await queueReport(db, actor, filters, now, { rowsPerDepartment: Infinity });
  const lines: QueueLine[] = report.departments.flatMap((d) =>
    d.rows.map((r) => ({
      ...r,
      department: d.name,
      reason: d.reasons.find((x) => x.kind === capabilitiesOf(r.channel).workload) ?? null,
      queuedLocal: localTimeText(r.queuedAt, timezone, format, lang),
      waitSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(r.queuedAt)) / 1000)),
    })),
  );
  const day = localTimeText(now, timezone, 'xlsx', 'en')!.slice(0, 10);
  return openTableExport(db, actor, inBatches(lines), {
    columns: QUEUE_COLUMNS, format, lang, sheet: { pt: 'Fila', en: 'Queue' },
    entity: 'analysis_queue', filters, fileName: `fila_${day}`, total: lines.length,
  });
}

// --- Mensagens ativas ------------------------------------------------------------------------------

interface OutboundLine {
  protocol: string; channel: Channel; state: ConversationState; service_name: string; contact_name: string | null; agent_name: string | null;
  subject: string | null; local_created_at: string; local_assigned_at: string | null; local_finished_at: string | null;
}

const OUTBOUND_COLUMNS: ExportColumn<OutboundLine>[] = [
  { header: { pt: 'Data/Hora', en: 'Date/time' }, kind: 'time', value: (r) => r.local_created_at },
  { header: { pt: 'Protocolo', en: 'Protocol' }, kind: 'text', value: (r) => r.protocol },
  { header: { pt: 'Serviço', en: 'Service' }, kind: 'text', value: (r) => r.service_name },
  { header: { pt: 'Canal', en: 'Channel' }, kind: 'text', value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel },
  { header: { pt: 'Cliente', en: 'Customer' }, kind: 'text', value: (r) => r.contact_name },
  { header: { pt: 'Status', en: 'Status' }, kind: 'text', value: (r, l) => STATE_LABELS[r.state]?.[l] ?? r.state },
  { header: { pt: 'Agente', en: 'Agent' }, kind: 'text', value: (r) => r.agent_name },
  { header: { pt: 'Assunto', en: 'Subject' }, kind: 'text', value: (r) => r.subject },
  { header: { pt: 'Atribuído em', en: 'Assigned at' }, kind: 'time', value: (r) => r.local_assigned_at },
  { header: { pt: 'Finalizado em', en: 'Finished at' }, kind: 'time', value: (r) => r.local_finished_at },
];

/** Mensagens ativas: every outbound conversation the filter selects, newest first, from a database cursor. */
export async function exportOutbound(db: Database, actor: Actor, q: OutboundQuery & { format: ExportFormat }, lang: ExportLanguage): Promise<OpenedExport> {
  const { format, after: _after, limit: _limit, ...filters } = q;
  const where = await outboundWhere(db, actor, q);
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where.sql}`, where.params)).rows[0].n;
  const tz = `$${where.params.length + 1}`;
  const fmt = `$${where.params.length + 2}`;
  const local = (col: string) => `to_char(c.${col} AT TIME ZONE ${tz}, ${fmt}) AS local_${col}`;
  const sql = `SELECT c.protocol, c.channel, c.state, s.name AS service_name, ct.name AS contact_name, au.name AS agent_name, c.subject,
      ${local('created_at')}, ${local('assigned_at')}, ${local('finished_at')}
    FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id LEFT JOIN users au ON au.id = c.agent_id
   WHERE ${where.sql} ORDER BY c.created_at DESC, c.id DESC`;
  const rows = db.stream<OutboundLine>(sql, [...where.params, where.timeZone, timeFormat(format, lang)], { batchSize: 1000 });
  return openTableExport(db, actor, rows, {
    columns: OUTBOUND_COLUMNS, format, lang, sheet: { pt: 'Mensagens ativas', en: 'Outbound' },
    entity: 'analysis_outbound', filters, fileName: `mensagens-ativas_${periodPart(q.from, q.to)}`, total,
  });
}
