import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTORS,
  CONVERSATION_STATES,
  FINISHED_STATES,
  INITIAL_STATES,
  OPEN_STATES,
  TRANSITIONS,
  IllegalTransitionError,
  applyLifecycle,
  canStartIn,
  canTransition,
  isFinished,
  isOpen,
  nextStates,
  startLifecycle,
  transition,
  type ConversationState,
  type InitialState,
  type LifecycleEvent,
} from './conversation-state.js';

describe('state sets', () => {
  it('open and finished states split all states', () => {
    const open = new Set<ConversationState>(OPEN_STATES);
    const finished = new Set<ConversationState>(FINISHED_STATES);
    for (const s of CONVERSATION_STATES) expect(open.has(s) !== finished.has(s)).toBe(true);
    expect(open.size + finished.size).toBe(CONVERSATION_STATES.length);
  });

  it('isOpen and isFinished agree with the sets', () => {
    for (const s of OPEN_STATES) expect([isOpen(s), isFinished(s)]).toEqual([true, false]);
    for (const s of FINISHED_STATES) expect([isOpen(s), isFinished(s)]).toEqual([false, true]);
  });

  it('new conversations start in bot, queued or triage only', () => {
    expect(CONVERSATION_STATES.filter(canStartIn).sort()).toEqual(['bot', 'queued', 'triage']);
  });

  it('no transition leaves a finished state', () => {
    for (const rule of TRANSITIONS) expect(isOpen(rule.from)).toBe(true);
  });

  it('every state is reachable from some initial state', () => {
    const reached = new Set<ConversationState>(INITIAL_STATES);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of TRANSITIONS) {
        if (reached.has(r.from) && !reached.has(r.to)) {
          reached.add(r.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...CONVERSATION_STATES].sort());
  });

  it('each (from, to) pair appears once in the table', () => {
    const keys = TRANSITIONS.map((r) => `${r.from}>${r.to}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('transition', () => {
  const legal: [ConversationState, ConversationState, (typeof ACTORS)[number]][] = [
    ['bot', 'queued', 'bot'],
    ['bot', 'queued', 'system'],
    ['bot', 'completed', 'bot'],
    ['bot', 'customer_gave_up', 'system'],
    ['bot', 'customer_gave_up', 'customer'],
    ['queued', 'in_service', 'system'],
    ['queued', 'in_service', 'supervisor'],
    ['queued', 'abandoned', 'customer'],
    ['queued', 'customer_gave_up', 'system'],
    ['in_service', 'queued', 'agent'],
    ['in_service', 'queued', 'supervisor'],
    ['in_service', 'queued', 'system'],
    ['in_service', 'in_service', 'agent'],
    ['in_service', 'in_service', 'supervisor'],
    ['in_service', 'completed', 'agent'],
    ['in_service', 'completed', 'supervisor'],
    ['in_service', 'cancelled', 'agent'],
    ['in_service', 'cancelled', 'supervisor'],
    ['in_service', 'connection_lost', 'system'],
    ['in_service', 'inactive_in_service', 'system'],
    ['triage', 'queued', 'supervisor'],
    ['triage', 'discarded', 'supervisor'],
  ];

  it.each(legal)('%s → %s by %s is legal', (from, to, actor) => {
    expect(transition(from, to, actor)).toEqual({ ok: true });
  });

  it('the table holds exactly the legal moves listed above', () => {
    const listed = new Set(legal.map((l) => l.join('|')));
    for (const from of CONVERSATION_STATES)
      for (const to of CONVERSATION_STATES)
        for (const actor of ACTORS) expect(canTransition(from, to, actor)).toBe(listed.has([from, to, actor].join('|')));
  });

  it.each([
    ['bot', 'completed', 'system'],
    ['queued', 'in_service', 'agent'],
    ['queued', 'abandoned', 'system'],
    ['in_service', 'completed', 'customer'],
    ['in_service', 'connection_lost', 'agent'],
    ['triage', 'queued', 'system'],
    ['completed', 'queued', 'supervisor'],
    ['bot', 'in_service', 'system'],
  ] as const)('%s → %s by %s is refused with a typed error', (from, to, actor) => {
    const result = transition(from, to, actor);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(IllegalTransitionError);
    expect(result.error).toMatchObject({ code: 'illegal_transition', from, to, actor });
  });

  it('nextStates lists what an actor may do', () => {
    expect(nextStates('in_service', 'agent').sort()).toEqual(['cancelled', 'completed', 'in_service', 'queued']);
    expect(nextStates('queued', 'customer')).toEqual(['abandoned']);
    expect(nextStates('completed', 'supervisor')).toEqual([]);
  });
});

describe('applyLifecycle', () => {
  it('stamps a routed chat that an agent completes', () => {
    const result = applyLifecycle('bot', 1000, [
      { to: 'queued', actor: 'bot', at: 2000 },
      { to: 'in_service', actor: 'system', at: 5000 },
      { to: 'completed', actor: 'agent', at: 9000 },
    ]);
    expect(result).toEqual({
      ok: true,
      lifecycle: { state: 'completed', createdAt: 1000, queuedAt: 2000, assignedAt: 5000, finishedAt: 9000, stateSince: 9000 },
    });
  });

  it('keeps the first queue entry and first assignment across a transfer back to the queue', () => {
    const result = applyLifecycle('queued', 0, [
      { to: 'in_service', actor: 'system', at: 10 },
      { to: 'queued', actor: 'agent', at: 20 },
      { to: 'in_service', actor: 'system', at: 30 },
    ]);
    expect(result.ok && result.lifecycle).toMatchObject({ queuedAt: 0, assignedAt: 10, finishedAt: null, stateSince: 30 });
  });

  it('raises an event time that went backwards to the last stamp', () => {
    const result = applyLifecycle('bot', 100, [{ to: 'queued', actor: 'system', at: 90 }]);
    expect(result.ok && result.lifecycle.queuedAt).toBe(100);
  });

  it('stops at the first illegal event and says which', () => {
    const result = applyLifecycle('triage', 0, [
      { to: 'queued', actor: 'supervisor', at: 1 },
      { to: 'completed', actor: 'agent', at: 2 },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.index).toBe(1);
    expect(result.lifecycle.state).toBe('queued');
    expect(result.error).toMatchObject({ code: 'illegal_transition', from: 'queued', to: 'completed', actor: 'agent' });
  });

  it('a conversation created in the queue is queued at creation', () => {
    expect(startLifecycle('queued', 42).queuedAt).toBe(42);
    expect(startLifecycle('bot', 42).queuedAt).toBeNull();
  });
});

/** A random walk over legal moves only: each step picks one of the rules leaving the current state. */
const legalWalk = fc
  .record({
    initial: fc.constantFrom(...INITIAL_STATES),
    createdAt: fc.integer({ min: 0, max: 1e12 }),
    steps: fc.array(fc.record({ rule: fc.nat(), actor: fc.nat(), delta: fc.integer({ min: -50, max: 100_000 }) }), { maxLength: 30 }),
  })
  .map(({ initial, createdAt, steps }) => {
    const events: LifecycleEvent[] = [];
    let state: ConversationState = initial;
    let at = createdAt;
    for (const step of steps) {
      const rules = TRANSITIONS.filter((r) => r.from === state);
      if (rules.length === 0) break;
      const rule = rules[step.rule % rules.length];
      at += step.delta;
      events.push({ to: rule.to, actor: rule.actors[step.actor % rule.actors.length], at });
      state = rule.to;
    }
    return { initial: initial as InitialState, createdAt, events };
  });

describe('properties', () => {
  it('random attempts (legal or not) keep a conversation in exactly one state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INITIAL_STATES),
        fc.array(fc.tuple(fc.constantFrom(...CONVERSATION_STATES), fc.constantFrom(...ACTORS))),
        (initial, attempts) => {
          let state: ConversationState = initial;
          for (const [to, actor] of attempts) {
            const before = state;
            const result = transition(state, to, actor);
            if (result.ok) state = to;
            else expect(result.error.from).toBe(before);
            expect(CONVERSATION_STATES.filter((s) => s === state)).toHaveLength(1);
            expect(isOpen(state)).not.toBe(isFinished(state));
            if (isFinished(before)) expect(state).toBe(before);
          }
        },
      ),
    );
  });

  it('every step of a random legal lifecycle is accepted and lands in one state', () => {
    fc.assert(
      fc.property(legalWalk, ({ initial, createdAt, events }) => {
        const result = applyLifecycle(initial, createdAt, events);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.lifecycle.state).toBe(events.at(-1)?.to ?? initial);
        expect(CONVERSATION_STATES).toContain(result.lifecycle.state);
      }),
    );
  });

  it('a random legal lifecycle has createdAt ≤ queuedAt ≤ assignedAt ≤ finishedAt', () => {
    fc.assert(
      fc.property(legalWalk, ({ initial, createdAt, events }) => {
        const result = applyLifecycle(initial, createdAt, events);
        if (!result.ok) throw result.error;
        const { state, queuedAt, assignedAt, finishedAt, stateSince } = result.lifecycle;
        const stamps = [createdAt, queuedAt, assignedAt, finishedAt].filter((t): t is number => t !== null);
        for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThanOrEqual(stamps[i - 1]);
        // Assigned implies queued first; finished iff in a finished state, and it is the last stamp.
        if (assignedAt !== null) expect(queuedAt).not.toBeNull();
        expect(finishedAt !== null).toBe(isFinished(state));
        expect(stateSince).toBeGreaterThanOrEqual(stamps.at(-1) as number);
        if (finishedAt !== null) expect(finishedAt).toBe(stateSince);
      }),
    );
  });
});
