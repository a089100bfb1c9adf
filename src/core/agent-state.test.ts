import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AgentPresenceError,
  canReceiveWork,
  displayedAgentState,
  offlinePresence,
  reduceAgentPresence,
  type AgentEvent,
  type AgentPresence,
} from './agent-state.js';

/** Applies events at t = 1, 2, 3…, failing the test on any rejection. */
function run(events: AgentEvent[], from: AgentPresence = offlinePresence(0)): AgentPresence {
  return events.reduce((presence, event, i) => {
    const result = reduceAgentPresence(presence, event, i + 1);
    if (!result.ok) throw result.error;
    return result.presence;
  }, from);
}

const login: AgentEvent = { type: 'login' };
const logout: AgentEvent = { type: 'logout' };
const assigned: AgentEvent = { type: 'conversationAssigned' };
const ended: AgentEvent = { type: 'conversationEnded' };
const resume: AgentEvent = { type: 'resume' };
const pause = (reasonId: string): AgentEvent => ({ type: 'pause', reasonId });

describe('reduceAgentPresence', () => {
  it('login makes an agent available and able to receive work', () => {
    const p = run([login]);
    expect(p).toEqual({ state: 'available', pauseReasonId: null, pendingPauseReasonId: null, openConversations: 0, stateSince: 1 });
    expect(canReceiveWork(p)).toBe(true);
  });

  it('login twice keeps the original clock', () => {
    expect(run([login, login]).stateSince).toBe(1);
  });

  it('a conversation puts the agent in service and its end frees them', () => {
    expect(run([login, assigned])).toMatchObject({ state: 'in_service', openConversations: 1, stateSince: 2 });
    expect(run([login, assigned, assigned, ended])).toMatchObject({ state: 'in_service', openConversations: 1, stateSince: 2 });
    expect(run([login, assigned, ended])).toMatchObject({ state: 'available', openConversations: 0, stateSince: 3 });
  });

  it('pause with no conversation pauses at once', () => {
    const p = run([login, pause('lunch')]);
    expect(p).toMatchObject({ state: 'paused', pauseReasonId: 'lunch', pendingPauseReasonId: null, stateSince: 2 });
    expect(canReceiveWork(p)).toBe(false);
  });

  it('pause during service is pending until the last conversation ends', () => {
    const pending = run([login, assigned, assigned, pause('rest')]);
    expect(pending).toMatchObject({ state: 'in_service', pauseReasonId: null, pendingPauseReasonId: 'rest' });
    expect(canReceiveWork(pending)).toBe(false);
    expect(run([ended], pending)).toMatchObject({ state: 'in_service', pendingPauseReasonId: 'rest', openConversations: 1 });
    expect(run([ended, ended], pending)).toMatchObject({
      state: 'paused',
      pauseReasonId: 'rest',
      pendingPauseReasonId: null,
      openConversations: 0,
    });
  });

  it('resume clears a pending pause and ends a pause', () => {
    const cleared = run([login, assigned, pause('rest'), resume]);
    expect(cleared).toMatchObject({ state: 'in_service', pendingPauseReasonId: null });
    expect(canReceiveWork(cleared)).toBe(true);
    expect(run([login, pause('rest'), resume])).toMatchObject({ state: 'available', pauseReasonId: null, stateSince: 3 });
  });

  it('switching pause reason restarts the pause clock', () => {
    expect(run([login, pause('lunch'), pause('lunch')])).toMatchObject({ pauseReasonId: 'lunch', stateSince: 2 });
    expect(run([login, pause('lunch'), pause('rest')])).toMatchObject({ pauseReasonId: 'rest', stateSince: 3 });
  });

  it('a paused agent given a conversation by hand shows in service and stays paused', () => {
    const p = run([login, pause('training'), assigned]);
    expect(p).toMatchObject({ state: 'paused', openConversations: 1 });
    expect(displayedAgentState(p)).toBe('in_service');
    expect(canReceiveWork(p)).toBe(false);
    expect(run([ended], p)).toMatchObject({ state: 'paused', openConversations: 0 });
    expect(run([resume], p)).toMatchObject({ state: 'in_service', pauseReasonId: null });
  });

  it('logout needs zero open conversations and clears any pause', () => {
    const busy = run([login, assigned]);
    const result = reduceAgentPresence(busy, logout, 9);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(AgentPresenceError);
      expect(result.error).toMatchObject({ code: 'has_open_conversations', event: 'logout' });
    }
    expect(run([login, pause('lunch'), logout])).toEqual(offlinePresence(3));
  });

  it.each([
    [pause('x'), 'not_logged_in'],
    [resume, 'not_logged_in'],
    [assigned, 'not_logged_in'],
    [ended, 'no_open_conversations'],
  ] as const)('offline agent: %o is refused with %s', (event, code) => {
    const result = reduceAgentPresence(offlinePresence(0), event, 1);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('logout while offline is a no-op', () => {
    expect(run([logout])).toEqual(offlinePresence(0));
  });
});

describe('displayedAgentState', () => {
  it('follows metrics.md', () => {
    expect(displayedAgentState(offlinePresence(0))).toBe('offline');
    expect(displayedAgentState(run([login]))).toBe('available');
    expect(displayedAgentState(run([login, pause('x')]))).toBe('paused');
    expect(displayedAgentState(run([login, assigned, pause('x')]))).toBe('in_service');
  });
});

const anyEvent: fc.Arbitrary<AgentEvent> = fc.oneof(
  fc.constant(login),
  fc.constant(logout),
  fc.constantFrom('lunch', 'rest', 'training').map(pause),
  fc.constant(resume),
  fc.constant(assigned),
  fc.constant(ended),
);

/** Everything the reducer promises about any value it returns. */
function expectInvariants(p: AgentPresence): void {
  expect(p.openConversations).toBeGreaterThanOrEqual(0);
  expect(p.pauseReasonId !== null).toBe(p.state === 'paused');
  if (p.state === 'offline') expect(p).toMatchObject({ openConversations: 0, pendingPauseReasonId: null });
  if (p.state === 'available') expect(p.openConversations).toBe(0);
  if (p.state === 'in_service') expect(p.openConversations).toBeGreaterThan(0);
  if (p.pendingPauseReasonId !== null) expect(p.state).toBe('in_service');
  if (p.state === 'paused' || p.pendingPauseReasonId !== null || p.state === 'offline') expect(canReceiveWork(p)).toBe(false);
  else expect(canReceiveWork(p)).toBe(true);
  expect(displayedAgentState(p)).toBe(p.state === 'offline' ? 'offline' : p.openConversations > 0 ? 'in_service' : p.state);
}

describe('properties', () => {
  it('any event sequence keeps the invariants; rejected events change nothing', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 60 }), (events) => {
        let p = offlinePresence(0);
        events.forEach((event, i) => {
          const result = reduceAgentPresence(p, event, i + 1);
          if (result.ok) {
            expect(result.presence.stateSince).toBeGreaterThanOrEqual(p.stateSince);
            if (result.presence.state !== p.state) expect(result.presence.stateSince).toBe(i + 1);
            p = result.presence;
          }
          expectInvariants(p);
        });
      }),
    );
  });

  it('a pending pause becomes that pause exactly when the last conversation ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.constantFrom('lunch', 'rest'), (n, reason) => {
        let p = run([login, ...Array<AgentEvent>(n).fill(assigned), pause(reason)]);
        for (let left = n - 1; left >= 0; left--) {
          p = run([ended], p);
          expect(p.state).toBe(left === 0 ? 'paused' : 'in_service');
          expect(canReceiveWork(p)).toBe(false);
        }
        expect(p.pauseReasonId).toBe(reason);
      }),
    );
  });
});
