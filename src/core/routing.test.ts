import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canReceiveWork, type AgentPresence } from './agent-state.js';
import {
  agentCapacity,
  compareQueued,
  hasFreeSlot,
  queueHeads,
  queueHeadSizes,
  routeConversations,
  type Assignment,
  type ChannelKind,
  type QueuedConversation,
  type RoutingAgent,
  type RoutingInput,
  type TeamCapacity,
} from './routing.js';
import { naiveRoute } from './routing.test-support.js';

const agent = (id: string, over: Partial<RoutingAgent> = {}): RoutingAgent => ({
  id,
  teamIds: ['t1'],
  canReceiveWork: true,
  openChat: 0,
  openEmail: 0,
  lastAssignedAt: null,
  loggedInAt: 0,
  ...over,
});
const conv = (id: string, over: Partial<QueuedConversation> = {}): QueuedConversation => ({
  id,
  serviceId: 's1',
  channelKind: 'chat',
  priority: 'normal',
  queuedAt: 0,
  ...over,
});
const base = (over: Partial<RoutingInput>): RoutingInput => ({
  conversations: [],
  agents: [],
  services: [{ id: 's1', teamIds: ['t1'] }],
  capacities: [{ teamId: 't1', maxChat: 2, maxEmail: 1 }],
  ...over,
});
const byConversation = (assignments: Assignment[]): Record<string, string> =>
  Object.fromEntries(assignments.map((a) => [a.conversationId, a.agentId]));

describe('routeConversations', () => {
  it('serves manual, then returned, then normal; oldest first within each', () => {
    const input = base({
      agents: [agent('a1', { teamIds: ['t1'] })],
      capacities: [{ teamId: 't1', maxChat: 3, maxEmail: 0 }],
      conversations: [
        conv('n-old', { queuedAt: 1 }),
        conv('r', { priority: 'returned', queuedAt: 50 }),
        conv('m', { priority: 'manual', queuedAt: 99 }),
        conv('n-new', { queuedAt: 2 }),
      ],
    });
    expect(routeConversations(input).map((a) => a.conversationId)).toEqual(['m', 'r', 'n-old']);
  });

  it('prefers the agent with fewest open conversations, then longest idle, then id', () => {
    const agents = [
      agent('busy', { openChat: 1 }),
      agent('recent', { lastAssignedAt: 500 }),
      agent('old', { lastAssignedAt: 100 }),
      agent('b-never', { loggedInAt: 10 }),
      agent('a-never', { loggedInAt: 10 }),
      agent('c-never', { loggedInAt: 5 }),
    ];
    const input = base({ agents, conversations: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id, i) => conv(id, { queuedAt: i })) });
    expect(routeConversations(input).map((a) => a.agentId)).toEqual(['c-never', 'a-never', 'b-never', 'old', 'recent', 'busy']);
  });

  it('an agent just assigned becomes the least idle of those with equal load', () => {
    const input = base({
      agents: [agent('a'), agent('b', { lastAssignedAt: 1 })],
      conversations: ['c1', 'c2', 'c3'].map((id, i) => conv(id, { queuedAt: i })),
    });
    expect(routeConversations(input).map((a) => a.agentId)).toEqual(['a', 'b', 'a']);
  });

  it('respects capacity per channel kind', () => {
    const input = base({
      agents: [agent('a1', { openChat: 1, openEmail: 1 })],
      conversations: [conv('c1'), conv('c2', { queuedAt: 1 }), conv('e1', { channelKind: 'email' })],
    });
    expect(byConversation(routeConversations(input))).toEqual({ c1: 'a1' });
  });

  it('uses the largest limit among the teams linking the agent to the service', () => {
    const capacities = [
      { teamId: 't1', maxChat: 1, maxEmail: 0 },
      { teamId: 't2', maxChat: 3, maxEmail: 0 },
      { teamId: 't3', maxChat: 9, maxEmail: 0 },
    ];
    const input = base({
      services: [{ id: 's1', teamIds: ['t1', 't2'] }],
      capacities,
      agents: [agent('a1', { teamIds: ['t1', 't2', 't3'] })],
      conversations: ['c1', 'c2', 'c3', 'c4'].map((id, i) => conv(id, { queuedAt: i })),
    });
    expect(routeConversations(input)).toHaveLength(3);
    expect(agentCapacity(['t1', 't2', 't3'], ['t1', 't2'], new Map(capacities.map((c) => [c.teamId, c])), 'chat')).toBe(3);
    expect(agentCapacity(['t4'], ['t4'], new Map(), 'chat')).toBe(0);
  });

  it('skips agents who cannot receive work or are not linked to the service', () => {
    const input = base({
      agents: [agent('paused', { canReceiveWork: false }), agent('other-team', { teamIds: ['t2'] })],
      capacities: [
        { teamId: 't1', maxChat: 2, maxEmail: 1 },
        { teamId: 't2', maxChat: 2, maxEmail: 1 },
      ],
      conversations: [conv('c1')],
    });
    expect(routeConversations(input)).toEqual([]);
  });

  it('a manual conversation with a preferred agent waits for that agent only', () => {
    const input = base({
      agents: [agent('free'), agent('chosen', { openChat: 2 })],
      conversations: [conv('m', { priority: 'manual', preferredAgentId: 'chosen' }), conv('n', { queuedAt: 5 })],
    });
    expect(byConversation(routeConversations(input))).toEqual({ n: 'free' });
    const roomy = { ...input, agents: [agent('free'), agent('chosen', { openChat: 1 })] };
    expect(byConversation(routeConversations(roomy))).toEqual({ m: 'chosen', n: 'free' });
  });

  it('ignores unknown services and duplicate conversation ids', () => {
    const input = base({
      agents: [agent('a1')],
      conversations: [conv('x', { serviceId: 'nope' }), conv('c1'), conv('c1', { queuedAt: 3 })],
    });
    expect(routeConversations(input)).toEqual([{ conversationId: 'c1', agentId: 'a1' }]);
  });

  it('compareQueued breaks full ties by id', () => {
    expect(compareQueued(conv('a'), conv('b'))).toBeLessThan(0);
    expect(compareQueued(conv('b', { priority: 'returned' }), conv('a'))).toBeLessThan(0);
  });
});

// ---- Property tests ---------------------------------------------------------------------------------

const TEAMS = ['t0', 't1', 't2', 't3'];
const PRESENCE: fc.Arbitrary<AgentPresence> = fc.record({
  // Weighted towards agents who can work, so most runs assign something.
  state: fc.constantFrom('offline', 'available', 'available', 'paused', 'in_service', 'in_service'),
  pauseReasonId: fc.constantFrom(null, 'lunch'),
  pendingPauseReasonId: fc.constantFrom(null, null, null, 'rest'),
  openConversations: fc.nat(4),
  stateSince: fc.constant(0),
});

const scenario = fc
  .record({
    services: fc.array(fc.subarray(TEAMS, { minLength: 1 }), { minLength: 4, maxLength: 4 }),
    serviceKinds: fc.array(fc.constantFrom<ChannelKind>('chat', 'email'), { minLength: 4, maxLength: 4 }),
    capacities: fc.subarray(TEAMS, { minLength: 2 }).chain((teams) =>
      fc.tuple(...teams.map((teamId) => fc.record({ teamId: fc.constant(teamId), maxChat: fc.nat(5), maxEmail: fc.nat(4) }))),
    ),
    agents: fc.array(
      fc.record({
        teamIds: fc.subarray(TEAMS, { minLength: 1 }),
        presence: PRESENCE,
        openChat: fc.nat(3),
        openEmail: fc.nat(2),
        lastAssignedAt: fc.option(fc.nat(20), { nil: null }),
        loggedInAt: fc.nat(20),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    conversations: fc.array(
      fc.record({
        service: fc.oneof({ weight: 9, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.constant(4) }), // s4 is unknown
        mixedKind: fc.option(fc.constantFrom<ChannelKind>('chat', 'email'), { freq: 4, nil: undefined }),
        priority: fc.constantFrom('manual', 'returned', 'normal', 'normal'),
        queuedAt: fc.nat(30),
        preferred: fc.option(fc.nat(9), { freq: 3, nil: undefined }),
      }),
      { minLength: 1, maxLength: 40, size: 'medium' },
    ),
  })
  .map((s) => {
    const services = s.services.map((teamIds, i) => ({ id: `s${i}`, teamIds }));
    const agents = s.agents.map((a, i) => ({
      id: `a${i}`,
      teamIds: a.teamIds,
      presence: a.presence,
      canReceiveWork: canReceiveWork(a.presence),
      openChat: a.openChat,
      openEmail: a.openEmail,
      lastAssignedAt: a.lastAssignedAt,
      loggedInAt: a.loggedInAt,
    }));
    const conversations: QueuedConversation[] = s.conversations.map((c, i) => ({
      id: `c${String(i).padStart(2, '0')}`,
      serviceId: `s${c.service}`,
      // Usually a service is one channel's queue; sometimes mix kinds to stress per-kind capacity.
      channelKind: c.mixedKind ?? s.serviceKinds[c.service % 4],
      priority: c.priority,
      queuedAt: c.queuedAt,
      ...(c.preferred !== undefined ? { preferredAgentId: `a${c.preferred}` } : {}),
    }));
    return { services, agents, conversations, capacities: s.capacities as TeamCapacity[] };
  });

const capacityMap = (capacities: readonly TeamCapacity[]) => new Map(capacities.map((c) => [c.teamId, c]));
const isPinned = (c: QueuedConversation) => c.priority === 'manual' && c.preferredAgentId !== undefined;

describe('routing properties', () => {
  it('never exceeds an agent’s limit for the service and kind', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const caps = capacityMap(input.capacities);
        const open = new Map(input.agents.map((a) => [a.id, { chat: a.openChat, email: a.openEmail }]));
        const convs = new Map(input.conversations.map((c) => [c.id, c]));
        for (const { conversationId, agentId } of routeConversations(input)) {
          const c = convs.get(conversationId)!;
          const a = input.agents.find((x) => x.id === agentId)!;
          const service = input.services.find((s) => s.id === c.serviceId)!;
          const counts = open.get(agentId)!;
          expect(counts[c.channelKind]).toBeLessThan(agentCapacity(a.teamIds, service.teamIds, caps, c.channelKind));
          counts[c.channelKind]++;
        }
      }),
    );
  });

  it('assigns each conversation at most once, and only known ones', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const ids = routeConversations(input).map((a) => a.conversationId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(input.conversations.some((c) => c.id === id)).toBe(true);
      }),
    );
  });

  it('is FIFO within a service, kind and priority', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const assigned = new Set(routeConversations(input).map((a) => a.conversationId));
        const fifo = input.conversations.filter((c) => !isPinned(c));
        for (const later of fifo) {
          if (!assigned.has(later.id)) continue;
          for (const earlier of fifo) {
            const sameQueue =
              earlier.serviceId === later.serviceId && earlier.channelKind === later.channelKind && earlier.priority === later.priority;
            // Spelled out rather than compareQueued, so a broken order cannot pass its own check.
            const isEarlier = earlier.queuedAt < later.queuedAt || (earlier.queuedAt === later.queuedAt && earlier.id < later.id);
            if (sameQueue && isEarlier) expect(assigned.has(earlier.id)).toBe(true);
          }
        }
      }),
    );
  });

  it('gives no work to paused, pending-pause or offline agents', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        for (const { agentId } of routeConversations(input)) {
          const { presence } = input.agents.find((a) => a.id === agentId)!;
          expect(presence.state === 'offline' || presence.state === 'paused').toBe(false);
          expect(presence.pendingPauseReasonId).toBeNull();
        }
      }),
    );
  });

  it('matches a straightforward scan-every-agent implementation exactly', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        expect(routeConversations(input)).toEqual(naiveRoute(input));
      }),
      { numRuns: 300 },
    );
  });

  it('routing only the queues’ heads and the agents with a free slot gives the same assignments as routing everything', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const heads = queueHeads(input.conversations, queueHeadSizes(input));
        const agents = input.agents.filter((a) => hasFreeSlot(a, input.capacities));
        expect(routeConversations({ ...input, conversations: heads, agents })).toEqual(routeConversations(input));
      }),
      { numRuns: 1000 },
    );
  });

  it('the heads are small: at most the free slots of each queue, plus the manual ones', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const sizes = queueHeadSizes(input);
        const heads = queueHeads(input.conversations, sizes);
        for (const [serviceId, size] of sizes) {
          for (const kind of ['chat', 'email'] as const) {
            const n = heads.filter((c) => c.serviceId === serviceId && c.channelKind === kind && c.priority !== 'manual').length;
            expect(n).toBeLessThanOrEqual(size[kind]);
          }
        }
        // a service whose agents are all full (or that has none) contributes nothing
        for (const c of heads) expect(sizes.has(c.serviceId)).toBe(true);
      }),
    );
  });
});
