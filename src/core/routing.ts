// The routing choice (DESIGN.md, "How a message flows" §4): which queued conversation goes to which agent.
// Pure and greedy over a snapshot; the database still guards capacity with a conditional update, since
// another node may route from an older snapshot at the same time.

import { MinHeap } from './min-heap.js';

export type ChannelKind = 'chat' | 'email';

/** In routing order: a supervisor's manual assignment, then a conversation returned to its service, then the rest. */
export const QUEUE_PRIORITIES = ['manual', 'returned', 'normal'] as const;
export type QueuePriority = (typeof QUEUE_PRIORITIES)[number];

export interface QueuedConversation {
  readonly id: string;
  readonly serviceId: string;
  readonly channelKind: ChannelKind;
  readonly priority: QueuePriority;
  /** Entry into the current queue, epoch ms. */
  readonly queuedAt: number;
  /** Only honoured with priority `manual`: the conversation then waits for this agent alone. */
  readonly preferredAgentId?: string;
}

export interface RoutingAgent {
  readonly id: string;
  readonly teamIds: readonly string[];
  /** From agent-state `canReceiveWork`: logged in, not paused, no pending pause. */
  readonly canReceiveWork: boolean;
  readonly openChat: number;
  readonly openEmail: number;
  /** Last time a conversation was assigned to the agent; null if never in this session. */
  readonly lastAssignedAt: number | null;
  readonly loggedInAt: number;
}

export interface RoutingService {
  readonly id: string;
  readonly teamIds: readonly string[];
}

export interface TeamCapacity {
  readonly teamId: string;
  readonly maxChat: number;
  readonly maxEmail: number;
}

export interface RoutingInput {
  readonly conversations: readonly QueuedConversation[];
  readonly agents: readonly RoutingAgent[];
  readonly services: readonly RoutingService[];
  readonly capacities: readonly TeamCapacity[];
}

export interface Assignment {
  readonly conversationId: string;
  readonly agentId: string;
}

const PRIORITY_RANK: Record<QueuePriority, number> = { manual: 0, returned: 1, normal: 2 };

/** Routing order of the queue: priority, then oldest, then id so the order is total and repeatable. */
export function compareQueued(a: QueuedConversation, b: QueuedConversation): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    a.queuedAt - b.queuedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * An agent's limit for one kind of conversation in one service: the largest limit among the teams that
 * link the agent to that service. Each team's limit says what its agents can handle, so belonging to an
 * extra team must never lower it (a minimum would). Teams with no capacity row allow nothing: a missing
 * setting must not mean "unlimited".
 */
export function agentCapacity(
  agentTeamIds: readonly string[],
  serviceTeamIds: readonly string[],
  capacities: ReadonlyMap<string, TeamCapacity>,
  kind: ChannelKind,
): number {
  let best = 0;
  for (const teamId of agentTeamIds) {
    if (!serviceTeamIds.includes(teamId)) continue;
    const capacity = capacities.get(teamId);
    if (capacity) best = Math.max(best, kind === 'chat' ? capacity.maxChat : capacity.maxEmail);
  }
  return best;
}

/** Mutable per-run view of an agent. `rank` orders by idleness (lower = idle longer); `version` marks heap entries stale. */
interface AgentSlot {
  readonly agent: RoutingAgent;
  openChat: number;
  openEmail: number;
  rank: number;
  version: number;
}

/** An agent in one team's heap: a snapshot of its sort key (refreshed in place when stale), and the team's limit. */
interface Candidate {
  readonly slot: AgentSlot;
  open: number;
  rank: number;
  version: number;
  readonly limit: number;
}

const openOf = (slot: AgentSlot, kind: ChannelKind): number => (kind === 'chat' ? slot.openChat : slot.openEmail);
// Fewest open conversations (all kinds together: that is the agent's load), then longest idle.
const lessCandidate = (a: Candidate, b: Candidate): boolean => a.open < b.open || (a.open === b.open && a.rank < b.rank);

/**
 * Longest idle first: never assigned (null) before any assigned agent, earlier login first among those;
 * then oldest last assignment; then id, so the order is total and every agent gets a distinct rank.
 */
function idleOrder(a: RoutingAgent, b: RoutingAgent): number {
  const aNever = a.lastAssignedAt === null;
  const bNever = b.lastAssignedAt === null;
  if (aNever !== bNever) return aNever ? -1 : 1;
  const byTime = aNever ? a.loggedInAt - b.loggedInAt : (a.lastAssignedAt as number) - (b.lastAssignedAt as number);
  return byTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Computes the assignments for one routing run. Greedy in queue order; each conversation gets the best
 * eligible agent at that moment (linked to one of the service's teams, can receive work, below its limit
 * for the conversation's kind). Counts are updated as it goes, so no limit is exceeded within the run.
 * Conversations of unknown services, and later duplicates of an id, are left alone.
 */
export function routeConversations(input: RoutingInput): Assignment[] {
  const capacities = new Map(input.capacities.map((c) => [c.teamId, c] as const));
  const services = new Map(input.services.map((s) => [s.id, s] as const));

  const slots = new Map<string, AgentSlot>();
  const workers = input.agents.filter((a) => a.canReceiveWork).sort(idleOrder);
  for (const agent of workers) {
    if (!slots.has(agent.id)) {
      slots.set(agent.id, { agent, openChat: agent.openChat, openEmail: agent.openEmail, rank: slots.size, version: 0 });
    }
  }
  let nextRank = slots.size; // an agent assigned now becomes the least idle of all

  const slotsByTeam = new Map<string, AgentSlot[]>();
  for (const slot of slots.values()) {
    for (const teamId of new Set(slot.agent.teamIds)) {
      const list = slotsByTeam.get(teamId);
      if (list) list.push(slot);
      else slotsByTeam.set(teamId, [slot]);
    }
  }

  // One heap per (team, kind), built on first use. "Largest limit among linked teams > open" is the same
  // as "some linked team's limit > open", so a service's best agent is the best of its teams' heap tops.
  // An assignment then stales only the heaps of the agent's own teams, however many services share them.
  const heaps = new Map<string, MinHeap<Candidate>>();
  const heapFor = (teamId: string, kind: ChannelKind): MinHeap<Candidate> => {
    const key = `${kind}:${teamId}`;
    let heap = heaps.get(key);
    if (heap) return heap;
    const capacity = capacities.get(teamId);
    const limit = capacity ? (kind === 'chat' ? capacity.maxChat : capacity.maxEmail) : 0;
    const initial: Candidate[] = [];
    for (const slot of slotsByTeam.get(teamId) ?? []) {
      if (openOf(slot, kind) < limit) initial.push({ slot, open: slot.openChat + slot.openEmail, rank: slot.rank, version: slot.version, limit });
    }
    heap = new MinHeap(lessCandidate, initial);
    heaps.set(key, heap);
    return heap;
  };

  const cleanTop = (heap: MinHeap<Candidate>, kind: ChannelKind): Candidate | undefined => {
    for (let top = heap.peek(); top; top = heap.peek()) {
      // Counts only grow during a run, so an agent at the team's limit stays there: drop it for good.
      if (openOf(top.slot, kind) >= top.limit) heap.pop();
      else if (top.version !== top.slot.version) {
        // Assigned since this entry was keyed (through any service): its key only grew, so re-key and sink it.
        top.open = top.slot.openChat + top.slot.openEmail;
        top.rank = top.slot.rank;
        top.version = top.slot.version;
        heap.replaceTop(top);
      } else return top;
    }
    return undefined;
  };

  const best = (service: RoutingService, kind: ChannelKind): AgentSlot | undefined => {
    let chosen: Candidate | undefined;
    for (const teamId of service.teamIds) {
      const top = cleanTop(heapFor(teamId, kind), kind);
      if (top && (!chosen || lessCandidate(top, chosen))) chosen = top;
    }
    return chosen?.slot;
  };

  const pinned = (agentId: string, service: RoutingService, kind: ChannelKind): AgentSlot | undefined => {
    const slot = slots.get(agentId);
    if (!slot) return undefined;
    const limit = agentCapacity(slot.agent.teamIds, service.teamIds, capacities, kind);
    return openOf(slot, kind) < limit ? slot : undefined;
  };

  const assignments: Assignment[] = [];
  const seen = new Set<string>();
  for (const conversation of input.conversations.slice().sort(compareQueued)) {
    if (seen.has(conversation.id)) continue;
    seen.add(conversation.id);
    const service = services.get(conversation.serviceId);
    if (!service) continue;
    const kind = conversation.channelKind;
    const slot =
      conversation.priority === 'manual' && conversation.preferredAgentId !== undefined
        ? pinned(conversation.preferredAgentId, service, kind)
        : best(service, kind);
    if (!slot) continue;
    if (kind === 'chat') slot.openChat++;
    else slot.openEmail++;
    slot.rank = nextRank++;
    slot.version++;
    assignments.push({ conversationId: conversation.id, agentId: slot.agent.id });
  }
  return assignments;
}

/**
 * How many conversations one run could assign at most in each service, per kind: the free slots of
 * the agents who can take that kind there (can receive work, linked through one of the service's
 * teams, below their limit). Zero entries are left out: such a queue cannot move now.
 *
 * Why a run needs no more of a queue than this (the router reads only these heads, never the whole
 * backlog): within one service and kind, slots only shrink during a run, so once a non-pinned
 * conversation finds no agent, none after it does; the ones assigned are a prefix of the queue in
 * routing order, and there are at most this many. Pinned conversations (`manual` with a preferred
 * agent) and unpinned `manual` ones come first and are few: the router reads all of them.
 */
export function queueHeadSizes(input: Omit<RoutingInput, 'conversations'>): Map<string, { chat: number; email: number }> {
  const capacities = new Map(input.capacities.map((c) => [c.teamId, c] as const));
  const byTeam = new Map<string, RoutingAgent[]>();
  const seen = new Set<string>();
  for (const agent of input.agents) {
    if (!agent.canReceiveWork || seen.has(agent.id)) continue;
    seen.add(agent.id);
    for (const teamId of new Set(agent.teamIds)) {
      const list = byTeam.get(teamId);
      if (list) list.push(agent);
      else byTeam.set(teamId, [agent]);
    }
  }
  const sizes = new Map<string, { chat: number; email: number }>();
  for (const service of input.services) {
    let chat = 0;
    let email = 0;
    const counted = new Set<string>();
    for (const teamId of service.teamIds) {
      for (const agent of byTeam.get(teamId) ?? []) {
        if (counted.has(agent.id)) continue;
        counted.add(agent.id);
        chat += Math.max(0, agentCapacity(agent.teamIds, service.teamIds, capacities, 'chat') - agent.openChat);
        email += Math.max(0, agentCapacity(agent.teamIds, service.teamIds, capacities, 'email') - agent.openEmail);
      }
    }
    if (chat || email) sizes.set(service.id, { chat, email });
  }
  return sizes;
}

/**
 * The part of the queues one run needs (what the router's SQL reads): every `manual` conversation,
 * and of the rest, the first `size` of each service and kind in routing order. Routing these gives
 * exactly the assignments that routing the whole backlog would (property-tested).
 */
export function queueHeads(
  conversations: readonly QueuedConversation[],
  sizes: ReadonlyMap<string, { chat: number; email: number }>,
): QueuedConversation[] {
  const taken = new Map<string, number>();
  const heads: QueuedConversation[] = [];
  for (const c of conversations.slice().sort(compareQueued)) {
    const size = sizes.get(c.serviceId);
    if (!size) continue;
    if (c.priority === 'manual') {
      heads.push(c);
      continue;
    }
    const key = `${c.channelKind}:${c.serviceId}`;
    const n = taken.get(key) ?? 0;
    if (n >= size[c.channelKind]) continue;
    taken.set(key, n + 1);
    heads.push(c);
  }
  return heads;
}

/** Whether an agent has a free slot in any of their teams, whatever the service (the router reads only these). */
export function hasFreeSlot(agent: RoutingAgent, capacities: readonly TeamCapacity[]): boolean {
  return (
    agent.canReceiveWork &&
    capacities.some((c) => agent.teamIds.includes(c.teamId) && (agent.openChat < c.maxChat || agent.openEmail < c.maxEmail))
  );
}
