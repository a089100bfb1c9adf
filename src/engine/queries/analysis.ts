import type { Queryable } from '../../db/database.js';
import type {
  AgentConversationsQuery, AgentRow, AgentsQuery, AgentsReport, AnalysisConversation, ConversationPage, OutboundQuery, QueueDepartment,
  QueueReport, QueueRow,
} from '../../contracts/analysis.js';
import type { z } from 'zod';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';
import { queuePositions } from '../../core/queue-position.js';
import { agentCapacity, type ChannelKind, type TeamCapacity } from '../../core/routing.js';
import { queueReason, type DepartmentAgent } from '../../core/queue-reason.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { presentAgent, AGENT_SELECT } from '../agents/present.js';
import { notFound, NOUNS } from '../errors.js';
import { rangeBounds } from '../monitor/day-sql.js';
import { getSettings } from '../settings.js';
import { conversationFilterSql } from './conversation-filter.js';
import { keysetPage, type SortKey } from './keyset.js';

// Análise da Operação (seed: Dashboard Omnichannel): Atendentes, Fila and Mensagens ativas, read
// from the database within the caller's scope (engine/access.ts). Definitions: contracts/analysis.ts,
// reference/metrics.md.

/** Params numbered as they are pushed: `p(value)` gives `$n`. */
export function paramList(start: unknown[] = []) {
  const params = [...start];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return { params, p };
}

export interface Period {
  from: string;
  to: string;
  start: Date;
  end: Date;
  timeZone: string;
}

/** The period asked (default: today in the contact center's time zone) as days and as instants [start, end). */
export async function periodOf(db: Queryable, q: { from?: string; to?: string }, now: Date): Promise<Period> {
  const { timezone: timeZone } = await getSettings(db);
  let { from, to } = q;
  if (!from || !to) {
    const { rows } = await db.query<{ d: string }>(`SELECT to_char(($1::timestamptz AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS d`, [now, timeZone]);
    from = to = rows[0].d;
  }
  const { start, end } = await rangeBounds(db, from, to, timeZone);
  return { from, to, start, end, timeZone };
}

const iso = (v: unknown) => (v ? (v as Date).toISOString() : null);

// --- Atendentes ------------------------------------------------------------------------------------

/**
 * One row per agent in scope (of the filtered services' departments), plus anyone who had a
 * conversation in scope in the period: Em atendimento now, and the conversations they were the last
 * agent of that ended within the period, by outcome.
 */
export async function agentsReport(db: Queryable, actor: Actor, q: AgentsQuery, now: Date): Promise<AgentsReport> {
  const period = await periodOf(db, q, now);
  const policy = policyOf(actor);
  const { params, p } = paramList();
  const start = p(period.start);
  const end = p(period.end);
  const fin = `(c.finished_at >= ${start} AND c.finished_at < ${end})`;
  const scope = policy.conversationsSql('c', params.length + 1);
  params.push(...scope.params);
  const svc = q.serviceIds ? `AND c.service_id = ANY(${p(q.serviceIds)}::uuid[])` : '';
  const users = policy.usersSql('ag.id', params.length + 1);
  params.push(...users.params);
  const agentSvc = q.serviceIds
    ? `AND EXISTS (SELECT 1 FROM team_agents fta JOIN service_teams fst ON fst.team_id = fta.team_id
                    WHERE fta.user_id = ag.id AND fst.service_id = ANY(${p(q.serviceIds)}::uuid[]))`
    : '';
  const { rows } = await db.query<Record<string, unknown>>(
    // two index ranges, not one OR (which reads the whole table): those held now
    // (conversations_agent_open_idx) and those ended in the period (conversations_agent_period_idx,
    // which covers the columns read here)
    `WITH hits AS (
       SELECT c.agent_id, c.state, c.finished_at, c.assigned_at FROM conversations c
        WHERE c.state = 'in_service' AND c.agent_id IS NOT NULL AND ${scope.sql} ${svc}
       UNION ALL
       SELECT c.agent_id, c.state, c.finished_at, c.assigned_at FROM conversations c
        WHERE c.finished_at >= ${start} AND c.finished_at < ${end} AND c.agent_id IS NOT NULL AND ${scope.sql} ${svc}),
     conv AS (
       SELECT c.agent_id,
         count(*) FILTER (WHERE c.state = 'in_service')::int AS in_service,
         count(*) FILTER (WHERE c.state = 'completed' AND ${fin})::int AS completed,
         count(*) FILTER (WHERE c.state = 'cancelled' AND ${fin})::int AS cancelled,
         count(*) FILTER (WHERE c.state NOT IN ('completed', 'cancelled') AND ${fin})::int AS other_finished,
         count(*) FILTER (WHERE ${fin} AND c.assigned_at IS NOT NULL)::int AS handled,
         sum(extract(epoch FROM c.finished_at - c.assigned_at)) FILTER (WHERE ${fin} AND c.assigned_at IS NOT NULL)::float8 AS handle_s
         FROM hits c
        GROUP BY c.agent_id)
     SELECT ag.*, conv.in_service, conv.completed, conv.cancelled, conv.other_finished, conv.handled, conv.handle_s
       FROM (${AGENT_SELECT}) ag LEFT JOIN conv ON conv.agent_id = ag.id
      WHERE conv.agent_id IS NOT NULL OR (ag.agent_enabled AND ag.active AND ${users.sql} ${agentSvc})
      ORDER BY lower(ag.name), ag.id`,
    params,
  );
  const totals = { inService: 0, completed: 0, cancelled: 0, otherFinished: 0, handled: 0, handleS: 0 };
  const out = rows.map((r): AgentRow => {
    const a = presentAgent(r);
    const n = (k: string) => (r[k] as number | null) ?? 0;
    const handled = n('handled');
    const handleS = n('handle_s');
    totals.inService += n('in_service');
    totals.completed += n('completed');
    totals.cancelled += n('cancelled');
    totals.otherFinished += n('other_finished');
    totals.handled += handled;
    totals.handleS += handleS;
    return {
      agentId: a.id, name: a.name, state: a.state, pauseReasonId: a.pauseReasonId, pendingPauseReasonId: a.pendingPauseReasonId,
      stateSince: a.stateSince, connected: a.connected, enabled: a.enabled,
      inService: n('in_service'), completed: n('completed'), cancelled: n('cancelled'), otherFinished: n('other_finished'),
      tmaSeconds: handled ? Math.round(handleS / handled) : null,
    };
  });
  return {
    from: period.from, to: period.to, timezone: period.timeZone, generatedAt: now.toISOString(), rows: out,
    totals: {
      inService: totals.inService, completed: totals.completed, cancelled: totals.cancelled, otherFinished: totals.otherFinished,
      tmaSeconds: totals.handled ? Math.round(totals.handleS / totals.handled) : null,
    },
  };
}

// --- conversation rows -----------------------------------------------------------------------------

export const CONVERSATION_ROW = `SELECT c.id, c.protocol, c.service_id, s.name AS service_name, c.channel, ct.name AS contact_name, c.direction,
    c.state, c.agent_id, au.name AS agent_name, c.subject, c.created_at, c.assigned_at, c.finished_at, c.classification_id
  FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id
  LEFT JOIN users au ON au.id = c.agent_id`;

function presentRow(r: Record<string, unknown>): AnalysisConversation {
  return {
    id: r.id as string,
    protocol: r.protocol as string,
    serviceId: r.service_id as string,
    serviceName: r.service_name as string,
    channel: r.channel as AnalysisConversation['channel'],
    contactName: (r.contact_name as string | null) ?? null,
    direction: r.direction as AnalysisConversation['direction'],
    state: r.state as AnalysisConversation['state'],
    agentId: (r.agent_id as string | null) ?? null,
    agentName: (r.agent_name as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    createdAt: iso(r.created_at) as string,
    assignedAt: iso(r.assigned_at),
    finishedAt: iso(r.finished_at),
    classificationId: (r.classification_id as string | null) ?? null,
  };
}

/** Open ones first, then the latest to end. */
const AGENT_SORT: readonly SortKey[] = [
  { column: 'finished_at', type: 'timestamptz', dir: 'desc', nulls: 'first' },
  { column: 'id', type: 'uuid', dir: 'desc', notNull: true },
];

/**
 * The conversations behind an agent's row: those they hold now, then those they were the last agent
 * of that ended within the period. An agent outside the scope is the 404 of an unknown one.
 */
export async function agentConversations(
  db: Queryable, actor: Actor, agentId: string, q: z.infer<typeof AgentConversationsQuery>, now: Date,
): Promise<ConversationPage> {
  const period = await periodOf(db, q, now);
  const policy = policyOf(actor);
  const { params, p } = paramList();
  const agent = p(agentId);
  const start = p(period.start);
  const end = p(period.end);
  const scope = policy.conversationsSql('c', params.length + 1);
  params.push(...scope.params);
  const svc = q.serviceIds ? `AND c.service_id = ANY(${p(q.serviceIds)}::uuid[])` : '';
  const where = `c.agent_id = ${agent} AND (c.state = 'in_service' OR (c.finished_at >= ${start} AND c.finished_at < ${end})) AND ${scope.sql} ${svc}`;
  // an agent in the caller's scope, or one who had conversations in it (transferred in from another team)
  const users = policy.usersSql('u.id', 2);
  const known = await db.query(`SELECT 1 FROM users u WHERE u.id = $1 AND ${users.sql}`, [agentId, ...users.params]);
  if (!known.rows.length && !(await db.query(`SELECT 1 FROM conversations c WHERE ${where} LIMIT 1`, params)).rows.length) {
    throw notFound(NOUNS.agent, agentId);
  }
  const page = await keysetPage<Record<string, unknown>>(db, {
    sql: `${CONVERSATION_ROW} WHERE ${where}`, params, sort: AGENT_SORT, limit: q.limit ?? 50, cursor: q.after,
  });
  return { rows: page.items.map(presentRow), next: page.nextCursor };
}

// --- Mensagens ativas ------------------------------------------------------------------------------

const OUTBOUND_SORT: readonly SortKey[] = [
  { column: 'created_at', type: 'timestamptz', dir: 'desc', notNull: true },
  { column: 'id', type: 'uuid', dir: 'desc', notNull: true },
];

/**
 * The outbound conversations (direction 'outbound': the company wrote first) in scope, with the
 * conversation filter, newest first, by keyset pages; the first page carries the total.
 */
/** Mensagens ativas' condition on `conversations c` (scope and filter) and its params. */
export async function outboundWhere(db: Queryable, actor: Actor, q: OutboundQuery): Promise<{ sql: string; params: unknown[]; timeZone: string }> {
  const { timezone: timeZone } = await getSettings(db);
  const scope = policyOf(actor).conversationsSql('c', 1);
  const { after: _after, limit: _limit, format: _format, ...filter } = q;
  const f = conversationFilterSql(filter, { alias: 'c', timeZone, firstParam: scope.params.length + 1 });
  return { sql: `c.direction = 'outbound' AND ${scope.sql} AND ${f.sql}`, params: [...scope.params, ...f.params], timeZone };
}

export async function outboundConversations(db: Queryable, actor: Actor, q: OutboundQuery): Promise<ConversationPage> {
  const { after, limit } = q;
  const { sql: where, params } = await outboundWhere(db, actor, q);
  const [page, total] = await Promise.all([
    keysetPage<Record<string, unknown>>(db, { sql: `${CONVERSATION_ROW} WHERE ${where}`, params, sort: OUTBOUND_SORT, limit: limit ?? 50, cursor: after }),
    after ? null : db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, params),
  ]);
  return { rows: page.items.map(presentRow), next: page.nextCursor, ...(total ? { total: total.rows[0].n } : {}) };
}

// --- Fila ------------------------------------------------------------------------------------------

const ROWS_PER_DEPARTMENT = 200;

/**
 * What waits for an agent, per department: every queued conversation in scope (with its place in its
 * service's line, core/queue-position.ts), under each department that serves its service, with why
 * it waits there (core/queue-reason.ts, from the department's agents now).
 */
export async function queueReport(
  db: Queryable, actor: Actor, q: { serviceIds?: string[] }, now: Date, opts: { rowsPerDepartment?: number } = {},
): Promise<QueueReport> {
  const policy = policyOf(actor);
  const scope = policy.conversationsSql('c', 1);
  const { params, p } = paramList(scope.params);
  const svc = q.serviceIds ? `AND c.service_id = ANY(${p(q.serviceIds)}::uuid[])` : '';
  const queued = await db.query<{
    id: string; protocol: string; contact_name: string | null; channel: string; service_id: string; service_name: string; queued_at: Date;
    first_queued_at: Date | null; priority: QueueRow['priority']; preferred_agent_id: string | null; preferred_agent_name: string | null; outside_hours: boolean;
  }>(
    `SELECT c.id, c.protocol, ct.name AS contact_name, c.channel, c.service_id, s.name AS service_name, coalesce(c.queued_at, c.created_at) AS queued_at,
            c.first_queued_at, c.priority, c.preferred_agent_id, pu.name AS preferred_agent_name, c.outside_hours
       FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id
       LEFT JOIN users pu ON pu.id = c.preferred_agent_id
      WHERE c.state = 'queued' AND ${scope.sql} ${svc}`,
    params,
  );
  const positions = queuePositions(
    queued.rows.map((r) => ({
      id: r.id, serviceId: r.service_id, channelKind: capabilitiesOf(r.channel).workload, priority: r.priority, queuedAt: r.queued_at.getTime(),
      preferredAgentId: r.preferred_agent_id ?? undefined,
    })),
  );
  const serviceIds = [...new Set(queued.rows.map((r) => r.service_id))];
  const teamScope = policy.teamsSql('t.id', 2);
  const [links, agents] = await Promise.all([
    db.query<{ service_id: string; team_id: string; name: string; active: boolean; max_chat: number; max_email: number }>(
      `SELECT st.service_id, t.id AS team_id, t.name, t.active AND t.omni_enabled AS active, t.max_chat, t.max_email
         FROM service_teams st JOIN teams t ON t.id = st.team_id WHERE st.service_id = ANY($1::uuid[]) AND ${teamScope.sql}`,
      [serviceIds, ...teamScope.params],
    ),
    db.query<{ team_id: string; team_ids: string[]; state: string | null; pending_pause_reason_id: string | null; open_chat: number | null; open_email: number | null }>(
      `SELECT ta.team_id, p.state, p.pending_pause_reason_id, p.open_chat, p.open_email,
              array(SELECT o.team_id::text FROM team_agents o WHERE o.user_id = u.id) AS team_ids
         FROM team_agents ta JOIN users u ON u.id = ta.user_id AND u.active AND u.agent_enabled
         LEFT JOIN agent_presence p ON p.user_id = u.id
        WHERE ta.team_id IN (SELECT st.team_id FROM service_teams st WHERE st.service_id = ANY($1::uuid[]))`,
      [serviceIds],
    ),
  ]);
  // each agent's own limit for a service, as routing takes it (core/routing.ts agentCapacity): every
  // department linking the service, in scope or not, and the limits of the active omnichannel ones
  const [serviceTeams, capacities] = await Promise.all([
    db.query<{ service_id: string; team_ids: string[] }>(
      `SELECT service_id, array_agg(team_id::text) AS team_ids FROM service_teams WHERE service_id = ANY($1::uuid[]) GROUP BY service_id`, [serviceIds],
    ),
    db.query<{ id: string; max_chat: number; max_email: number }>('SELECT id::text, max_chat, max_email FROM teams WHERE active AND omni_enabled'),
  ]);
  const teamsOfService = new Map(serviceTeams.rows.map((r) => [r.service_id, r.team_ids]));
  const capacityOf = new Map(capacities.rows.map((t): [string, TeamCapacity] => [t.id, { teamId: t.id, maxChat: t.max_chat, maxEmail: t.max_email }]));
  const agentLimit = (agentTeamIds: string[], services: string[], kind: ChannelKind) =>
    Math.max(0, ...services.map((id) => agentCapacity(agentTeamIds, teamsOfService.get(id) ?? [], capacityOf, kind)));
  const agentsOf = new Map<string, typeof agents.rows>();
  for (const a of agents.rows) agentsOf.set(a.team_id, [...(agentsOf.get(a.team_id) ?? []), a]);
  const teamsOf = new Map<string, typeof links.rows>();
  for (const l of links.rows) teamsOf.set(l.service_id, [...(teamsOf.get(l.service_id) ?? []), l]);

  const present = (r: (typeof queued.rows)[number]): QueueRow => ({
    id: r.id, protocol: r.protocol, contactName: r.contact_name, channel: r.channel as QueueRow['channel'], serviceId: r.service_id,
    serviceName: r.service_name, queuedAt: r.queued_at.toISOString(), firstQueuedAt: iso(r.first_queued_at), position: positions.get(r.id) ?? 1,
    priority: r.priority, preferredAgentName: r.preferred_agent_name, outsideHours: r.outside_hours,
  });
  // one group per department serving a service with a wait; services with none in a group of their own
  const groups = new Map<string | null, { team: (typeof links.rows)[number] | null; rows: typeof queued.rows }>();
  for (const r of queued.rows) {
    const teams = teamsOf.get(r.service_id) ?? [];
    for (const team of teams.length ? teams : [null]) {
      const key = team?.team_id ?? null;
      const g = groups.get(key) ?? { team, rows: [] };
      g.rows.push(r);
      groups.set(key, g);
    }
  }
  const departments = [...groups.values()].map(({ team, rows }): QueueDepartment => {
    rows.sort((a, b) => a.queued_at.getTime() - b.queued_at.getTime() || (a.id < b.id ? -1 : 1));
    const teamAgents = team ? (agentsOf.get(team.team_id) ?? []) : [];
    const kinds = [...new Set(rows.map((r) => capabilitiesOf(r.channel).workload))].sort();
    const reasons = kinds.map((kind) => {
      const limit = team ? (kind === 'email' ? team.max_email : team.max_chat) : null;
      const services = [...new Set(rows.filter((r) => capabilitiesOf(r.channel).workload === kind).map((r) => r.service_id))];
      const input: DepartmentAgent[] = teamAgents.map((a) => ({
        loggedIn: (a.state ?? 'offline') !== 'offline',
        paused: a.state === 'paused' || a.pending_pause_reason_id !== null,
        open: (kind === 'email' ? a.open_email : a.open_chat) ?? 0,
        limit: agentLimit(a.team_ids, services, kind),
      }));
      const r = queueReason({ department: team ? { active: team.active, limit: limit as number } : null, agents: input });
      return { kind, limit, ...r };
    });
    return {
      teamId: team?.team_id ?? null,
      name: team?.name ?? null,
      agents: { linked: teamAgents.length, loggedIn: teamAgents.filter((a) => (a.state ?? 'offline') !== 'offline').length },
      reasons,
      waiting: rows.length,
      serviceIds: [...new Set(rows.map((r) => r.service_id))],
      rows: rows.slice(0, opts.rowsPerDepartment ?? ROWS_PER_DEPARTMENT).map(present),
    };
  });
  // the longest wait first; the group without a department last
  const oldest = (d: QueueDepartment) => (d.rows[0] ? Date.parse(d.rows[0].queuedAt) : Infinity);
  departments.sort((a, b) => (a.teamId === null ? 1 : 0) - (b.teamId === null ? 1 : 0) || oldest(a) - oldest(b));
  return { generatedAt: now.toISOString(), waiting: queued.rows.length, departments };
}
