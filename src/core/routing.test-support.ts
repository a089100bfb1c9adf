// Test support for routing: a deliberately naive reference (scan every agent for every conversation,
// written straight from the rules) and a seeded generator of large inputs for the performance test.

import type { Assignment, ChannelKind, QueuedConversation, QueuePriority, RoutingAgent, RoutingInput } from './routing.js';

const PRIORITY_ORDER: QueuePriority[] = ['manual', 'returned', 'normal'];
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function naiveRoute(input: RoutingInput): Assignment[] {
  const agents: RoutingAgent[] = [];
  for (const a of input.agents) if (!agents.some((x) => x.id === a.id)) agents.push(a);
  const open = new Map(agents.map((a) => [a.id, { chat: a.openChat, email: a.openEmail }]));
  const assignedSeq = new Map<string, number>();

  const limit = (a: RoutingAgent, serviceTeams: readonly string[], kind: ChannelKind): number => {
    const limits = a.teamIds
      .filter((t) => serviceTeams.includes(t))
      .map((t) => input.capacities.find((c) => c.teamId === t))
      .map((c) => (c ? (kind === 'chat' ? c.maxChat : c.maxEmail) : 0));
    return Math.max(0, ...limits);
  };
  const moreIdle = (a: RoutingAgent, b: RoutingAgent): number => {
    const sa = assignedSeq.get(a.id);
    const sb = assignedSeq.get(b.id);
    if (sa !== undefined || sb !== undefined) return (sa ?? -1) - (sb ?? -1);
    if ((a.lastAssignedAt === null) !== (b.lastAssignedAt === null)) return a.lastAssignedAt === null ? -1 : 1;
    const t = a.lastAssignedAt === null ? a.loggedInAt - b.loggedInAt : a.lastAssignedAt - (b.lastAssignedAt ?? 0);
    return t || byId(a.id, b.id);
  };
  const load = (a: RoutingAgent): number => open.get(a.id)!.chat + open.get(a.id)!.email;

  const queue = [...input.conversations].sort(
    (a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) || a.queuedAt - b.queuedAt || byId(a.id, b.id),
  );
  const seen = new Set<string>();
  const result: Assignment[] = [];
  for (const c of queue) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const service = input.services.find((s) => s.id === c.serviceId);
    if (!service) continue;
    const pinned = c.priority === 'manual' && c.preferredAgentId !== undefined;
    const eligible = agents.filter(
      (a) =>
        a.canReceiveWork &&
        (!pinned || a.id === c.preferredAgentId) &&
        open.get(a.id)![c.channelKind] < limit(a, service.teamIds, c.channelKind),
    );
    eligible.sort((a, b) => load(a) - load(b) || moreIdle(a, b));
    const chosen = eligible[0];
    if (!chosen) continue;
    open.get(chosen.id)![c.channelKind]++;
    assignedSeq.set(chosen.id, seen.size);
    result.push({ conversationId: c.id, agentId: chosen.id });
  }
  return result;
}

/** Small deterministic PRNG (mulberry32) so the large input is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function largeRoutingInput(opts: { conversations: number; services: number; agents: number; teams: number; seed?: number }): RoutingInput {
  const rnd = random(opts.seed ?? 1);
  const int = (n: number): number => Math.floor(rnd() * n);
  const teamIds = Array.from({ length: opts.teams }, (_, i) => `t${i}`);
  const pickTeams = (max: number): string[] => [...new Set(Array.from({ length: 1 + int(max) }, () => teamIds[int(teamIds.length)]))];
  const services = Array.from({ length: opts.services }, (_, i) => ({ id: `s${i}`, teamIds: pickTeams(3) }));
  const kinds = services.map((): ChannelKind => (rnd() < 0.8 ? 'chat' : 'email'));
  const capacities = teamIds.map((teamId) => ({ teamId, maxChat: 2 + int(5), maxEmail: 3 + int(8) }));
  const agents: RoutingAgent[] = Array.from({ length: opts.agents }, (_, i) => ({
    id: `a${i}`,
    teamIds: pickTeams(3),
    canReceiveWork: rnd() < 0.85,
    openChat: int(3),
    openEmail: int(3),
    lastAssignedAt: rnd() < 0.2 ? null : int(1_000_000),
    loggedInAt: int(1_000_000),
  }));
  const priorities: QueuePriority[] = ['manual', 'returned', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal'];
  const conversations: QueuedConversation[] = Array.from({ length: opts.conversations }, (_, i) => {
    const service = int(services.length);
    const priority = priorities[int(priorities.length)];
    return {
      id: `c${i}`,
      serviceId: services[service].id,
      channelKind: kinds[service],
      priority,
      queuedAt: int(3_600_000),
      ...(priority === 'manual' && rnd() < 0.5 ? { preferredAgentId: agents[int(agents.length)].id } : {}),
    };
  });
  return { conversations, agents, services, capacities };
}
