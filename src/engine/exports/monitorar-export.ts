import type { Channel } from '../../contracts/common.js';
import type { MonitorarGroup } from '../../contracts/monitor.js';
import type { Database } from '../../db/database.js';
import { NO_AGENT_KEY } from '../../shared/monitorar.js';
import type { ConversationState } from '../../shared/states.js';
import type { Viewer } from '../access.js';
import type { Actor } from '../actor.js';
import { conditionOf, GROUP_COLUMN, monitorarGroups, sortOf, type MonitorarRequest } from '../monitor/monitorar.js';
import { CHANNEL_LABELS, openTableExport, STATE_LABELS, timeFormat, type ExportColumn, type ExportFormat, type ExportLanguage, type Label, type OpenedExport } from './table-export.js';

// Monitorar as a download: for the chosen view and period, every row of every group, the group first
// (in the screen's order of groups, each group's rows in the screen's order), read group by group
// from a database cursor: a day of a large operation never sits in memory.

interface Line {
  group: string;
  protocol: string; channel: Channel; state: ConversationState; contact_name: string | null; agent_name: string | null; service_name: string;
  subject: string | null; local_created_at: string; local_last_message_at: string | null; queue_seconds: number | null; handle_seconds: number | null;
}

const GROUP_HEADER: Record<MonitorarRequest['view'], Label> = {
  status: { pt: 'Status', en: 'Status' },
  service: { pt: 'Serviço', en: 'Service' },
  agent: { pt: 'Agente (grupo)', en: 'Agent (group)' },
  channel: { pt: 'Canal (grupo)', en: 'Channel (group)' },
};

const columnsOf = (view: MonitorarRequest['view']): ExportColumn<Line>[] => [
  { header: GROUP_HEADER[view], kind: 'text', value: (r) => r.group },
  { header: { pt: 'Código', en: 'Code' }, kind: 'text', value: (r) => r.protocol },
  { header: { pt: 'Cliente', en: 'Customer' }, kind: 'text', value: (r) => r.contact_name },
  { header: { pt: 'Serviço', en: 'Service' }, kind: 'text', value: (r) => r.service_name },
  { header: { pt: 'Agente', en: 'Agent' }, kind: 'text', value: (r) => r.agent_name },
  { header: { pt: 'Canal', en: 'Channel' }, kind: 'text', value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel },
  { header: { pt: 'Situação', en: 'State' }, kind: 'text', value: (r, l) => STATE_LABELS[r.state]?.[l] ?? r.state },
  { header: { pt: 'Início', en: 'Start' }, kind: 'time', value: (r) => r.local_created_at },
  { header: { pt: 'T.Fila', en: 'Queue time' }, kind: 'duration', value: (r) => r.queue_seconds },
  { header: { pt: 'T.Atd', en: 'Handle time' }, kind: 'duration', value: (r) => r.handle_seconds },
  { header: { pt: 'ÚltMsg', en: 'Last message' }, kind: 'time', value: (r) => r.local_last_message_at },
  { header: { pt: 'Assunto', en: 'Subject' }, kind: 'text', value: (r) => r.subject },
];

/** A group's name as the screen shows it. */
function groupName(view: MonitorarRequest['view'], g: MonitorarGroup, lang: ExportLanguage): string {
  if (view === 'status') return STATE_LABELS[g.key as ConversationState]?.[lang] ?? g.key;
  if (view === 'channel') return CHANNEL_LABELS[g.key as Channel] ?? g.key;
  if (g.key === NO_AGENT_KEY) return lang === 'pt' ? 'Sem agente' : 'No agent';
  return g.label ?? g.key;
}

const PERIOD_PART: Record<MonitorarRequest['period'], string> = { open: 'em-aberto', today: 'hoje', yesterday: 'ontem' };
const VIEW_PART: Record<MonitorarRequest['view'], string> = { status: 'status', service: 'servico', agent: 'agentes', channel: 'detalhes' };

export async function exportMonitorar(db: Database, actor: Actor & Viewer, q: MonitorarRequest & { format: ExportFormat }, lang: ExportLanguage): Promise<OpenedExport> {
  const { format, now: _now, timeZone: _tz, group: _g, after: _a, limit: _l, ...filters } = q;
  const groups = await monitorarGroups(db, actor, q);
  const w = await conditionOf(db, actor, q);
  const col = GROUP_COLUMN[q.view];
  const order = sortOf(q.period).map((k) => `c.${k.column} ${k.dir === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
  async function* batches(): AsyncGenerator<Line[]> {
    for (const g of groups.groups) {
      const params = [...w.params];
      const p = (v: unknown) => `$${params.push(v)}`;
      const groupSql = q.view === 'agent' && g.key === NO_AGENT_KEY ? 'c.agent_id IS NULL' : `${col} = ${p(g.key)}${q.view === 'service' || q.view === 'agent' ? '::uuid' : ''}`;
      const tz = p(q.timeZone);
      const fmt = p(timeFormat(format, lang));
      const now = p(q.now);
      const name = p(groupName(q.view, g, lang));
      const sql = `SELECT ${name}::text AS "group", c.protocol, c.channel, c.state, ct.name AS contact_name, u.name AS agent_name, s.name AS service_name, c.subject,
          to_char(c.created_at AT TIME ZONE ${tz}, ${fmt}) AS local_created_at, to_char(c.last_message_at AT TIME ZONE ${tz}, ${fmt}) AS local_last_message_at,
          CASE WHEN c.first_queued_at IS NOT NULL THEN greatest(0, floor(extract(epoch FROM coalesce(c.first_assigned_at, c.finished_at, ${now}::timestamptz) - c.first_queued_at)))::int END AS queue_seconds,
          CASE WHEN c.first_assigned_at IS NOT NULL THEN greatest(0, floor(extract(epoch FROM coalesce(c.finished_at, ${now}::timestamptz) - c.first_assigned_at)))::int END AS handle_seconds
        FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id LEFT JOIN users u ON u.id = c.agent_id
       WHERE ${w.sql} AND ${groupSql} ORDER BY ${order}`;
      yield* db.stream<Line>(sql, params, { batchSize: 1000 });
    }
  }
  const day = groups.day ? `_${groups.day}` : '';
  return openTableExport(db, actor, batches(), {
    columns: columnsOf(q.view), format, lang, sheet: { pt: 'Monitorar', en: 'Monitor' },
    entity: 'monitorar', filters, fileName: `monitorar-${VIEW_PART[q.view]}-${PERIOD_PART[q.period]}${day}`, total: groups.total,
  });
}
