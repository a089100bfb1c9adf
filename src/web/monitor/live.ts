import { byText } from './format';
import type { Channel } from '../../contracts/common';
import type { AgentView, ConversationView } from '../../contracts/conversations';
import {
  addCount, agentColumn, bucketOf as bucketOfState, countsInPeriod, filterTeams as teamsServing, interactionOf, zeroCounts as zero,
  type AgentColumn, type Bucket, type Counts, type Period,
} from '../../shared/monitor';
import { startOfDayIn } from '../ui/time';

// What Início computes in the browser from the conversations and agents the /ws stream holds:
// every count of open conversations (so a count and the list it opens always agree, and times tick
// without asking the server), the agents' counts and the colour of their tiles. Aggregates over the
// day (finished conversations, NS, TME, TMA…) come from the server's 'monitor' pushes. The rules
// themselves (what counts in the Período, buckets, agent columns, silence) are the server's own, in
// shared/monitor.ts; this file applies them to the stream's views.

export { BUCKETS, countAgents, type AgentColumn, type AgentCounts, type Bucket, type Counts, type Period } from '../../shared/monitor';

/** The parts of a service Início needs (GET /api/services). */
export interface ServiceInfo {
  id: string;
  name: string;
  channel: Channel;
  teamIds: string[];
  serviceLevelSeconds: number;
  tmaGoalSeconds: number;
  active: boolean;
  /** the WhatsApp (or other) account that sends for it (a campaign's sender) */
  channelAccountId?: string | null;
}

/** The filters of Início, as applied (Recarregar). */
export interface LiveFilter {
  serviceId: string | null;
  channel: Channel | null;
  /** Período: YYYY-MM-DD in the contact center's time zone */
  date: string;
  /** Todos em Fila: waiting conversations whatever the day they came in */
  allQueued: boolean;
}

export const bucketOf = (c: ConversationView) => bucketOfState(c.state);

/** The Período as instants [start, end), and whether it is today. */
export function periodOf(f: LiveFilter, timeZone: string, now = Date.now()): Period {
  const start = Date.parse(startOfDayIn(f.date, timeZone));
  const end = Date.parse(startOfDayIn(f.date, timeZone, 1));
  return { start, end, isToday: now >= start && now < end };
}

/**
 * Whether an open conversation is in the filter (the server's figures use the same rule): service and
 * channel match, and it came in on the Período's day; with Todos em Fila every waiting one counts
 * whatever its day; and when the Período is today, whatever is with an agent or the bot now.
 */
export function inFilter(c: ConversationView, f: LiveFilter, period: Period): boolean {
  if (f.serviceId && c.serviceId !== f.serviceId) return false;
  if (f.channel && c.channel !== f.channel) return false;
  return countsInPeriod({ state: c.state, createdAt: Date.parse(c.createdAt) }, period, f.allQueued);
}

export interface LiveCounts {
  byChannel: Map<Channel, Counts>;
  byService: Map<string, Counts>;
  totals: Counts;
}

/** Posição Geral and Serviços: open conversations in the filter, per channel and per service. */
export function countConversations(conversations: Iterable<ConversationView>, f: LiveFilter, timeZone: string): LiveCounts {
  const byChannel = new Map<Channel, Counts>();
  const byService = new Map<string, Counts>();
  const totals = zero();
  const period = periodOf(f, timeZone);
  for (const c of conversations) {
    if (!bucketOf(c) || !inFilter(c, f, period)) continue;
    for (const counts of [
      byChannel.get(c.channel) ?? byChannel.set(c.channel, zero()).get(c.channel)!,
      byService.get(c.serviceId) ?? byService.set(c.serviceId, zero()).get(c.serviceId)!,
      totals,
    ]) addCount(counts, c.state);
  }
  return { byChannel, byService, totals };
}

/** The conversations behind a count: `bucket` null means every open one. Oldest first. */
export function conversationsIn(
  conversations: Iterable<ConversationView>,
  f: LiveFilter,
  timeZone: string,
  pick: { bucket?: Bucket | null; channel?: Channel | null; serviceId?: string | null; agentId?: string | null },
): ConversationView[] {
  const out: ConversationView[] = [];
  const period = periodOf(f, timeZone);
  for (const c of conversations) {
    const b = bucketOf(c);
    if (!b) continue;
    if (pick.bucket && b !== pick.bucket) continue;
    if (pick.channel && c.channel !== pick.channel) continue;
    if (pick.serviceId && c.serviceId !== pick.serviceId) continue;
    if (pick.agentId !== undefined && pick.agentId !== null && c.agentId !== pick.agentId) continue;
    if (!inFilter(c, f, period)) continue;
    out.push(c);
  }
  return out.sort((a, b) => byText(sinceOf(a), sinceOf(b)) || byText(a.id, b.id));
}

/** When the conversation entered its current stage. */
export function sinceOf(c: ConversationView): string {
  if (c.state === 'in_service') return c.assignedAt ?? c.createdAt;
  if (c.state === 'queued') return c.queuedAt ?? c.createdAt;
  if (c.state === 'bot') return c.botStartedAt ?? c.createdAt;
  return c.createdAt;
}

/** Tempo Fila: waiting now, or how long it waited before the agent took it. */
export function queueMs(c: ConversationView, now: number): number | null {
  if (!c.queuedAt) return null;
  const end = c.state === 'queued' ? now : c.assignedAt ? Date.parse(c.assignedAt) : now;
  return Math.max(0, end - Date.parse(c.queuedAt));
}

/** Duração Atendimento: since the agent took it (null while not in service). */
export function serviceMs(c: ConversationView, now: number): number | null {
  return c.state === 'in_service' && c.assignedAt ? Math.max(0, now - Date.parse(c.assignedAt)) : null;
}

/** Maior espera: the oldest conversation waiting in the queue, per service. */
export function longestWaits(conversations: Iterable<ConversationView>, f: LiveFilter, timeZone: string): Map<string, number> {
  const out = new Map<string, number>();
  const period = periodOf(f, timeZone);
  for (const c of conversations) {
    if (c.state !== 'queued' || !c.queuedAt || !inFilter(c, f, period)) continue;
    const t = Date.parse(c.queuedAt);
    const cur = out.get(c.serviceId);
    if (cur === undefined || t < cur) out.set(c.serviceId, t);
  }
  return out;
}

const DAY_MS = 24 * 3600_000;

/** WhatsApp: the time left to answer with free text (24 h after the customer's last message); null elsewhere. */
export function whatsappWindowMs(c: ConversationView, now: number): number | null {
  if (c.channel !== 'whatsapp' || !c.lastCustomerMessageAt) return null;
  return Date.parse(c.lastCustomerMessageAt) + DAY_MS - now;
}

// --- agents ----------------------------------------------------------------------------------------

export const columnOf = (a: AgentView): AgentColumn | null => agentColumn(a.state);

/** The teams that serve what the filter shows: the service's, or those of the channel's services; null = no restriction. */
export const filterTeams = (f: LiveFilter, services: ServiceInfo[]): Set<string> | null => teamsServing(services, f);

export function agentsInFilter(agents: Iterable<AgentView>, teams: Set<string> | null): AgentView[] {
  const out: AgentView[] = [];
  for (const a of agents) if (!teams || a.teamIds.some((t) => teams.has(t))) out.push(a);
  return out;
}

/** Each agent's oldest open conversation, by when the agent took it (ms since epoch). */
export function oldestAssignment(conversations: Iterable<ConversationView>): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of conversations) {
    if (c.state !== 'in_service' || !c.agentId || !c.assignedAt) continue;
    const t = Date.parse(c.assignedAt);
    const cur = out.get(c.agentId);
    if (cur === undefined || t < cur) out.set(c.agentId, t);
  }
  return out;
}

/** Since when the tile counts: an agent in service by their oldest open conversation (metrics.md), the others by their state. */
export function tileSince(a: AgentView, oldest: Map<string, number>): number {
  const since = Date.parse(a.stateSince);
  if (a.state !== 'in_service') return since;
  return oldest.get(a.id) ?? since;
}

export type Level = 'low' | 'medium' | 'high';

/** Baixo ≤ low minutes, Médio up to high, Alto beyond (settings.timeInState). */
export function levelOf(ms: number, t: { lowMinutes: number; highMinutes: number }): Level {
  if (ms <= t.lowMinutes * 60_000) return 'low';
  if (ms <= t.highMinutes * 60_000) return 'medium';
  return 'high';
}

// --- Painel (Tempo Real) -----------------------------------------------------------------------------

export interface Interaction {
  /** last message from the customer: the customer waits for the agent */
  waitingCustomer: ConversationView[];
  /** last message from the agent: the agent waits for the customer */
  waitingAgent: ConversationView[];
  silentCustomer: ConversationView[];
  silentAgent: ConversationView[];
}

/** Aguardando interação and Sem interação há mais de N min, over the queue and the conversations in service. */
export function interaction(conversations: Iterable<ConversationView>, f: LiveFilter, timeZone: string, now: number, noInteractionMinutes: number): Interaction {
  const out: Interaction = { waitingCustomer: [], waitingAgent: [], silentCustomer: [], silentAgent: [] };
  const limit = noInteractionMinutes * 60_000;
  const period = periodOf(f, timeZone, now);
  for (const c of conversations) {
    const waitingFor = interactionOf({ ...c, lastMessageAt: c.lastMessageAt === null ? null : Date.parse(c.lastMessageAt) }, now, limit);
    if (!waitingFor || !inFilter(c, f, period)) continue;
    if (waitingFor.lastFrom === 'customer') {
      out.waitingCustomer.push(c);
      if (waitingFor.silent) out.silentCustomer.push(c);
    } else {
      out.waitingAgent.push(c);
      if (waitingFor.silent) out.silentAgent.push(c);
    }
  }
  const byLast = (a: ConversationView, b: ConversationView) => byText(a.lastMessageAt ?? '', b.lastMessageAt ?? '');
  for (const list of Object.values(out)) list.sort(byLast);
  return out;
}

/** Tipo Serviço as the seed names it: Chat, E-mail or Messaging. */
export function serviceType(channel: Channel): 'chat' | 'email' | 'messaging' | 'api' {
  if (channel === 'webchat') return 'chat';
  if (channel === 'email') return 'email';
  if (channel === 'api') return 'api';
  return 'messaging';
}
