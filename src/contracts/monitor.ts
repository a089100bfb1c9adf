import { z } from 'zod';
import { Channel, Id } from './common.js';

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
