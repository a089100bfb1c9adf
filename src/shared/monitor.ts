// The rules of the live monitor (Início) that the server's figures (core/monitor-figures.ts) and the
// browser's live counts (web/monitor/live.ts) must apply alike, so a count and the list it opens
// always agree. Pure; times are epoch ms. Definitions: reference/metrics.md.

/** Where an open conversation is counted: Em fila, No bot (pré-atendimento), Em atendimento, Filtro. */
export type Bucket = 'triage' | 'bot' | 'queued' | 'inService';
export const BUCKETS: readonly Bucket[] = ['queued', 'bot', 'inService', 'triage'];

/** The bucket of a conversation state; null for a finished one. */
export function bucketOf(state: string): Bucket | null {
  switch (state) {
    case 'triage':
      return 'triage';
    case 'bot':
      return 'bot';
    case 'queued':
      return 'queued';
    case 'in_service':
      return 'inService';
    default:
      return null;
  }
}

export interface Counts {
  queued: number;
  bot: number;
  inService: number;
  triage: number;
  total: number;
}
export const zeroCounts = (): Counts => ({ queued: 0, bot: 0, inService: 0, triage: 0, total: 0 });

/** Counts one conversation of `state` in `counts`; a finished state counts nowhere. */
export function addCount(counts: Counts, state: string): void {
  const b = bucketOf(state);
  if (!b) return;
  counts[b]++;
  counts.total++;
}

/** The Período as instants [start, end), and whether "now" falls in it. */
export interface Period {
  start: number;
  end: number;
  isToday: boolean;
}

/** Waiting for someone to take it: in a queue or in the e-mail filter. */
export const isWaiting = (state: string) => state === 'queued' || state === 'triage';

/**
 * Whether an open conversation counts in the Período: it came in on that day; with Todos em Fila every
 * waiting one counts whatever its day; and when the Período is today, whatever is with an agent or the
 * bot now. (The service and channel filters are the caller's: the server has the services, the
 * browser the conversation's own.)
 */
export function countsInPeriod(c: { state: string; createdAt: number }, period: Period, allQueued: boolean): boolean {
  if (allQueued && isWaiting(c.state)) return true;
  if (period.isToday && (c.state === 'in_service' || c.state === 'bot')) return true;
  return c.createdAt >= period.start && c.createdAt < period.end;
}

// --- agents ----------------------------------------------------------------------------------------

export type AgentColumn = 'available' | 'inService' | 'paused';

/** The column of a logged-in agent's displayed state; null when offline. */
export function agentColumn(state: string): AgentColumn | null {
  switch (state) {
    case 'available':
      return 'available';
    case 'paused':
      return 'paused';
    case 'in_service':
      return 'inService';
    default:
      return null;
  }
}

export interface AgentCounts {
  available: number;
  paused: number;
  inService: number;
  total: number;
}

/** Livres, Em pausa, Em atendimento and Total of the logged-in agents among `agents`. */
export function countAgents(agents: Iterable<{ state: string }>): AgentCounts {
  const n: AgentCounts = { available: 0, paused: 0, inService: 0, total: 0 };
  for (const a of agents) {
    const col = agentColumn(a.state);
    if (!col) continue;
    n[col]++;
    n.total++;
  }
  return n;
}

/**
 * The teams that serve what a service or channel filter shows (the agents' figures follow them);
 * null when neither filter is set: no restriction.
 */
export function filterTeams(
  services: readonly { id: string; channel: string; teamIds: readonly string[] }[],
  filter: { serviceId?: string | null; channel?: string | null },
): Set<string> | null {
  if (!filter.serviceId && !filter.channel) return null;
  const shown = services.filter((s) => (!filter.serviceId || s.id === filter.serviceId) && (!filter.channel || s.channel === filter.channel));
  return new Set(shown.flatMap((s) => s.teamIds));
}

// --- Painel (Tempo Real) -----------------------------------------------------------------------------

/**
 * Aguardando interação: who the conversation waits for (its last message was the customer's: the
 * agent must answer; the agent's: the customer must), and whether it has been silent for more than
 * `limitMs` (Sem interação). Only the queue and the conversations in service count; null otherwise.
 */
export function interactionOf(
  c: { state: string; lastMessageAt: number | null; lastMessageFrom: string | null },
  now: number,
  limitMs: number,
): { lastFrom: 'customer' | 'agent'; silent: boolean } | null {
  if ((c.state !== 'queued' && c.state !== 'in_service') || c.lastMessageAt === null) return null;
  if (c.lastMessageFrom !== 'customer' && c.lastMessageFrom !== 'agent') return null;
  return { lastFrom: c.lastMessageFrom, silent: now - c.lastMessageAt > limitMs };
}
