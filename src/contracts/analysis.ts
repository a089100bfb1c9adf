import { z } from 'zod';
import { Channel, Id, Timestamp } from './common.js';
import { checkPeriod, conversationFilterFields, queryList } from './conversation-filter.js';
import { AgentState, ConversationState } from './conversations.js';

/** `format=csv|xlsx`: the whole list as a download (UTF-8 CSV with BOM and `;`, or XLSX) in the Accept-Language's words, audited. */
export const ExportFormatParam = z.enum(['csv', 'xlsx']).optional().describe('csv or xlsx: the whole list as a download (no page), in the Accept-Language’s words and the contact center’s time zone; absent: JSON');

// Análise da Operação (seed: Dashboard Omnichannel): the service desk's menus Atendentes, Fila and
// Mensagens ativas. Admins and supervisors, each in their scope (engine/access.ts).

const Count = z.number().int().nonnegative();
const Seconds = z.number().nullable().describe('seconds; null when there is nothing to measure');
const Day = z.iso.date();

/** A page after a keyset cursor. */
const Paging = {
  after: z.string().min(1).max(2000).optional().describe('the `next` of the page before'),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('rows per page, default 50'),
};

// --- Atendentes ------------------------------------------------------------------------------------

export const AgentsQuery = z
  .strictObject({
    from: Day.optional().describe('first day of the period (YYYY-MM-DD, the contact center’s time zone); default today'),
    to: Day.optional().describe('last day, included; at most 366 days after from'),
    serviceIds: queryList(Id).describe('only these services (and the agents of their departments)'),
    format: ExportFormatParam,
  })
  .superRefine(checkPeriod);
export type AgentsQuery = z.infer<typeof AgentsQuery>;

export const AgentFigures = z.object({
  inService: Count.describe('Em atendimento: conversations the agent holds now (state in_service), whatever the period'),
  completed: Count.describe('Concluídos: conversations the agent had last that ended as completed within the period (by finished_at)'),
  cancelled: Count.describe('Cancelados: as completed, ended as cancelled'),
  otherFinished: Count.describe('ended with the agent within the period in another way: connection lost, customer inactive'),
  tmaSeconds: Seconds.describe('TMA: mean of finished_at − assigned_at (the agent’s own assignment) over all of the above finished in the period'),
});

export const AgentRow = AgentFigures.extend({
  agentId: Id,
  name: z.string(),
  /** as the monitor shows it: in_service with ≥ 1 open conversation, paused or not */
  state: AgentState,
  pauseReasonId: Id.nullable(),
  pendingPauseReasonId: Id.nullable(),
  stateSince: Timestamp,
  connected: z.boolean(),
  /** false: no longer an active omnichannel agent; listed for the conversations they had */
  enabled: z.boolean(),
});
export type AgentRow = z.infer<typeof AgentRow>;

export const AgentsReport = z.object({
  from: Day,
  to: Day,
  timezone: z.string(),
  generatedAt: Timestamp,
  rows: z.array(AgentRow),
  totals: AgentFigures,
});
export type AgentsReport = z.infer<typeof AgentsReport>;

export const AgentConversationsQuery = z
  .strictObject({ from: AgentsQuery.shape.from, to: AgentsQuery.shape.to, serviceIds: AgentsQuery.shape.serviceIds, ...Paging })
  .superRefine(checkPeriod);

// --- conversation rows (an agent's, the outbound list) ---------------------------------------------

export const AnalysisConversation = z.object({
  id: Id,
  protocol: z.string(),
  serviceId: Id,
  serviceName: z.string(),
  channel: Channel,
  contactName: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  state: ConversationState,
  agentId: Id.nullable(),
  agentName: z.string().nullable(),
  subject: z.string().nullable(),
  createdAt: Timestamp,
  assignedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  classificationId: Id.nullable(),
});
export type AnalysisConversation = z.infer<typeof AnalysisConversation>;

export const ConversationPage = z.object({
  rows: z.array(AnalysisConversation),
  next: z.string().nullable().describe('cursor of the next page; null on the last'),
  total: Count.optional().describe('rows the filter selects (first page only)'),
});
export type ConversationPage = z.infer<typeof ConversationPage>;

// --- Mensagens ativas --------------------------------------------------------------------------------

export const OutboundQuery = z.strictObject({ ...conversationFilterFields, ...Paging, format: ExportFormatParam }).superRefine(checkPeriod);
export type OutboundQuery = z.infer<typeof OutboundQuery>;

// --- Fila --------------------------------------------------------------------------------------------

export const QueueQuery = z.strictObject({ serviceIds: queryList(Id).describe('only these services'), format: ExportFormatParam });

/**
 * Why a department's queue waits, for one kind of conversation (chat or e-mail limits):
 * - no_department: the service has no department linked, nobody can take it;
 * - department_inactive: the department is inactive or not an omnichannel department;
 * - no_agents: no active omnichannel agent linked;
 * - none_logged_in: nenhum agente logado;
 * - all_paused: every logged-in agent paused (or with a pause pending);
 * - all_at_limit: every logged-in agent holds the department's maximum;
 * - at_limit_or_paused: every logged-in agent at the maximum or paused;
 * - free_slots: an agent can take more: routing is about to assign it (or it waits for a chosen agent).
 */
export const QUEUE_REASONS = ['no_department', 'department_inactive', 'no_agents', 'none_logged_in', 'all_paused', 'all_at_limit', 'at_limit_or_paused', 'free_slots'] as const;
export const QueueReasonCode = z.enum(QUEUE_REASONS);

export const QueueReason = z.object({
  kind: z.enum(['chat', 'email']).describe('the limit that applies: chat and messaging, or e-mail'),
  code: QueueReasonCode,
  limit: z.number().int().nullable().describe('the department’s maximum per agent for this kind'),
  loggedIn: Count,
  paused: Count.describe('logged in, paused or with a pause pending'),
  atLimit: Count.describe('logged in, not paused, open conversations ≥ the limit'),
  free: Count.describe('logged in, not paused, below the limit'),
});
export type QueueReason = z.infer<typeof QueueReason>;

export const QueueRow = z.object({
  id: Id,
  protocol: z.string(),
  contactName: z.string().nullable(),
  channel: Channel,
  serviceId: Id,
  serviceName: z.string(),
  queuedAt: Timestamp.describe('entry into the current queue: the wait ticks from here'),
  firstQueuedAt: Timestamp.nullable(),
  position: z.number().int().positive().describe('place in the service’s line (routing order: priority, then oldest)'),
  priority: z.enum(['manual', 'returned', 'normal']),
  preferredAgentName: z.string().nullable().describe('a supervisor’s allocation: waits for this agent alone'),
  outsideHours: z.boolean(),
});
export type QueueRow = z.infer<typeof QueueRow>;

export const QueueDepartment = z.object({
  teamId: Id.nullable().describe('null: services with no department'),
  name: z.string().nullable(),
  agents: z.object({ linked: Count, loggedIn: Count }),
  reasons: z.array(QueueReason).describe('one per kind of conversation waiting here'),
  waiting: Count,
  serviceIds: z.array(Id).describe('the services of this department with someone waiting'),
  rows: z.array(QueueRow).describe('the longest waits first, at most 200'),
});
export type QueueDepartment = z.infer<typeof QueueDepartment>;

export const QueueReport = z.object({
  generatedAt: Timestamp,
  /** distinct conversations waiting (a service served by two departments shows its queue in both) */
  waiting: Count,
  departments: z.array(QueueDepartment),
});
export type QueueReport = z.infer<typeof QueueReport>;
