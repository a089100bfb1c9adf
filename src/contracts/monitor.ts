import { z } from 'zod';
import { Channel, Id, Timestamp } from './common.js';
import { ConversationState } from './conversations.js';
import { MONITORAR_MAX_LIMIT, MONITORAR_PERIODS, MONITORAR_VIEWS, NO_AGENT_KEY } from '../shared/monitorar.js';

/** The filters on top of Início (seed 1): Serviço, Canal, Período, Todos em Fila. */
export const MonitorFilter = z.strictObject({
  serviceId: Id.optional().describe('default: Todos os Serviços'),
  channel: Channel.optional().describe('default: Todos os Canais'),
  date: z.iso.date().optional().describe('Período: a day in the contact center’s time zone; default today'),
  allQueued: z.enum(['true', 'false']).optional().describe('Todos em Fila: every waiting conversation whatever its date'),
});
export type MonitorFilter = z.infer<typeof MonitorFilter>;

const Count = z.number().int().nonnegative();
const Seconds = z.number().nullable().describe('seconds; null when there is nothing to measure yet');

export const ChannelPosition = z.object({
  channel: Channel,
  queued: Count.describe('Aguardando na fila'),
  bot: Count.describe('Autoatendimento'),
  inService: Count.describe('Em atendimento'),
  triage: Count.describe('No filtro inicial (e-mail)'),
  total: Count,
});

export const AgentCounts = z.object({
  available: Count.describe('Livres'),
  paused: Count.describe('Em pausa'),
  inService: Count.describe('Em atendimento'),
  total: Count.describe('logged in, whatever the state'),
});

export const ServiceFigures = z.object({
  serviceId: Id,
  name: z.string(),
  channel: Channel,
  bot: Count.describe('Pré-atendimento'),
  queued: Count.describe('Aguardando em fila'),
  inService: Count.describe('Em atendimento'),
  total: Count,
  offered: Count.describe('entered the human queue in the period'),
  answered: Count.describe('assigned to an agent in the period'),
  abandoned: Count.describe('left the queue before being answered'),
  shortAbandoned: Count,
  answeredInTarget: Count,
  completed: Count,
  serviceLevel: z.number().nullable().describe('NS %: answered within target ÷ (answered + abandoned − short abandons)'),
  serviceLevelTargetSeconds: z.number().int(),
  tmeSeconds: Seconds.describe('TME: mean queue time of answered conversations'),
  longestWaitSeconds: Seconds.describe('Maior espera: the oldest conversation waiting now'),
  abandonmentRate: z.number().nullable().describe('abandoned ÷ offered × 100'),
  tmaSeconds: Seconds.describe('TMA: mean of finished − assigned'),
  tmaGoalSeconds: z.number().int().describe('Meta'),
});
export type ServiceFigures = z.infer<typeof ServiceFigures>;

export const MonitorSnapshot = z.object({
  generatedAt: z.string(),
  /** the event seq these figures include */
  seq: z.number().int(),
  day: z.iso.date().describe('the day of the figures, in the contact center’s time zone'),
  timezone: z.string(),
  channels: z.array(ChannelPosition).describe('Posição Geral, per channel'),
  totals: ChannelPosition.omit({ channel: true }),
  agents: AgentCounts.describe('Geral: every logged-in agent in scope'),
  agentsFiltered: AgentCounts.describe('Filtro Serviço: agents of the filtered service’s teams (= Geral without a service)'),
  services: z.array(ServiceFigures),
  hourly: z.array(z.object({ hour: z.number().int().min(0).max(23), channel: Channel, finished: Count })).describe('Monitoramento do Dia: finished conversations per hour'),
  dayByChannel: z.array(z.object({ channel: Channel, total: Count })).describe('the day’s conversations per channel (pie)'),
  panel: z.object({
    waitingCustomer: Count.describe('open, last message from the customer: waiting for the agent'),
    waitingAgent: Count.describe('open, last message from the agent: waiting for the customer'),
    noInteractionCustomer: Count.describe('as waitingCustomer, silent for more than noInteractionMinutes'),
    noInteractionAgent: Count,
    noInteractionMinutes: z.number().int(),
    agentsOnline: Count,
    agentsOffline: Count,
    agentsAttending: Count,
    tmaSeconds: Seconds,
    tmaGoalSeconds: z.number().nullable().describe('weighted by conversations over the services in view'),
    dayInService: Count,
    dayQueued: Count,
    dayCompleted: Count,
  }),
});
export type MonitorSnapshot = z.infer<typeof MonitorSnapshot>;

// --- Monitorar: the day's or the open conversations grouped by Status, Serviço, Agentes or Canal ---

export const MonitorarView = z.enum(MONITORAR_VIEWS);
export type MonitorarView = z.infer<typeof MonitorarView>;
export const MonitorarPeriod = z.enum(MONITORAR_PERIODS);
export type MonitorarPeriod = z.infer<typeof MonitorarPeriod>;


/** A group key valid for its view: a state, a service id, an agent id (or `none`), a channel. */
function groupKeyIssue(view: MonitorarView, key: string): string | null {
  switch (view) {
    case 'status':
      return ConversationState.safeParse(key).success ? null : 'a conversation state for view=status';
    case 'service':
      return Id.safeParse(key).success ? null : 'a service id for view=service';
    case 'agent':
      return key === NO_AGENT_KEY || Id.safeParse(key).success ? null : 'an agent id or none for view=agent';
    case 'channel':
      return Channel.safeParse(key).success ? null : 'a channel for view=channel';
  }
}

export const MonitorarQuery = z
  .strictObject({
    view: MonitorarView.describe('Status, Serviço, Agentes or Detalhes (by channel)'),
    period: MonitorarPeriod.describe('open: every conversation in an open state, whatever its day; today, yesterday: started that day (contact center’s time zone), any state'),
    serviceId: Id.optional().describe('default: Todos os Serviços'),
    channel: Channel.optional().describe('default: Todos os Canais'),
    group: z.string().max(60).optional().describe('the key of one group: its rows, in keyset pages (without it: the groups and their counts)'),
    after: z.string().max(2000).optional().describe('the nextCursor of the page before (with group)'),
    limit: z.coerce.number().int().min(1).max(MONITORAR_MAX_LIMIT).optional().describe('rows per page (with group), default 50'),
    format: z.enum(['csv', 'xlsx']).optional().describe('csv or xlsx (without group): every row of every group of the view and period as a download, the group its first column, in the Accept-Language’s words; audited'),
  })
  .superRefine((q, ctx) => {
    if (q.format !== undefined && q.group !== undefined) ctx.addIssue({ code: 'custom', path: ['group'], message: 'not with format: an export has every group' });
    if (q.group === undefined) {
      if (q.after !== undefined) ctx.addIssue({ code: 'custom', path: ['after'], message: 'only with group' });
      if (q.limit !== undefined) ctx.addIssue({ code: 'custom', path: ['limit'], message: 'only with group' });
      return;
    }
    const issue = groupKeyIssue(q.view, q.group);
    if (issue) ctx.addIssue({ code: 'custom', path: ['group'], message: issue });
  });
export type MonitorarQuery = z.infer<typeof MonitorarQuery>;

const Ts = Timestamp.nullable();

/** One conversation as the Monitorar tables show it (Status, Serviço, Agentes and Detalhes columns). */
export const MonitorarRow = z.object({
  id: Id,
  protocol: z.string().describe('Código'),
  channel: Channel,
  contactName: z.string().nullable().describe('Cliente'),
  agentId: Id.nullable(),
  agentName: z.string().nullable().describe('Agente: who has, or last had, the conversation'),
  serviceId: Id,
  serviceName: z.string().describe('Serviço'),
  state: ConversationState.describe('Situação'),
  subject: z.string().nullable().describe('Assunto: the subject of the e-mail that opened it; null when none (other channels, no CRM)'),
  createdAt: Timestamp.describe('Início'),
  firstQueuedAt: Ts.describe('entered a human queue (T.Fila starts)'),
  firstAssignedAt: Ts.describe('an agent took it (T.Fila ends, T.Atd starts)'),
  finishedAt: Ts,
  lastMessageAt: Ts.describe('ÚltMsg'),
});
export type MonitorarRow = z.infer<typeof MonitorarRow>;

const Meta = {
  view: MonitorarView,
  period: MonitorarPeriod,
  day: z.iso.date().nullable().describe('the day of today/yesterday in the contact center’s time zone; null for open'),
  range: z.object({ start: Timestamp, end: Timestamp }).nullable().describe('that day as instants [start, end)'),
  timezone: z.string(),
  generatedAt: Timestamp,
};

export const MonitorarGroup = z.object({
  key: z.string().describe('state, service id, agent id (none: Sem agente) or channel'),
  label: z.string().nullable().describe('the service’s or agent’s name; null for states, channels and Sem agente (the screen names them)'),
  count: Count,
});
export type MonitorarGroup = z.infer<typeof MonitorarGroup>;

export const MonitorarGroups = z.object({ ...Meta, total: Count, groups: z.array(MonitorarGroup) });
export type MonitorarGroups = z.infer<typeof MonitorarGroups>;

export const MonitorarPage = z.object({
  ...Meta,
  group: z.string(),
  rows: z.array(MonitorarRow).describe('open: oldest first; today, yesterday: newest first'),
  nextCursor: z.string().nullable().describe('pass as `after` for the next page; null on the last'),
});
export type MonitorarPage = z.infer<typeof MonitorarPage>;
