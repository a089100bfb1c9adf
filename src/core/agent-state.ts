// Agent presence (reference/metrics.md, "Agent states") as a pure reducer. Times are epoch ms passed in.

export const AGENT_PRESENCE_STATES = ['offline', 'available', 'paused', 'in_service'] as const;
export type AgentPresenceState = (typeof AGENT_PRESENCE_STATES)[number];

/**
 * Invariants the reducer keeps:
 * - offline ⇒ no conversations, no pause, no pending pause;
 * - available ⇔ logged in, not paused, 0 conversations; in_service ⇔ not paused, ≥ 1 conversation;
 * - paused ⇔ pauseReasonId set. A paused agent can still hold conversations a supervisor assigned by hand;
 * - a pending pause only exists while in_service.
 */
export interface AgentPresence {
  readonly state: AgentPresenceState;
  readonly pauseReasonId: string | null;
  readonly pendingPauseReasonId: string | null;
  readonly openConversations: number;
  /** When `state` was entered, epoch ms. Changes of the conversation count alone do not move it. */
  readonly stateSince: number;
}

export type AgentEvent =
  | { readonly type: 'login' }
  | { readonly type: 'logout' }
  | { readonly type: 'pause'; readonly reasonId: string }
  | { readonly type: 'resume' }
  | { readonly type: 'conversationAssigned' }
  | { readonly type: 'conversationEnded' };

export type AgentPresenceErrorCode = 'not_logged_in' | 'has_open_conversations' | 'no_open_conversations';

export class AgentPresenceError extends Error {
  readonly code: AgentPresenceErrorCode;
  readonly event: AgentEvent['type'];

  constructor(code: AgentPresenceErrorCode, event: AgentEvent['type']) {
    super(`agent presence: ${event} rejected (${code})`);
    this.name = 'AgentPresenceError';
    this.code = code;
    this.event = event;
  }
}

export type AgentPresenceResult =
  | { readonly ok: true; readonly presence: AgentPresence }
  | { readonly ok: false; readonly error: AgentPresenceError };

export function offlinePresence(at: number): AgentPresence {
  return { state: 'offline', pauseReasonId: null, pendingPauseReasonId: null, openConversations: 0, stateSince: at };
}

export function isLoggedIn(presence: AgentPresence): boolean {
  return presence.state !== 'offline';
}

/** Whether routing may give this agent a new conversation (capacity is checked separately, per team). */
export function canReceiveWork(presence: AgentPresence): boolean {
  return presence.state !== 'offline' && presence.state !== 'paused' && presence.pendingPauseReasonId === null;
}

/** What the monitor shows: any open conversation makes the agent "Em atendimento", paused or not. */
export function displayedAgentState(presence: AgentPresence): AgentPresenceState {
  if (presence.state !== 'offline' && presence.openConversations > 0) return 'in_service';
  return presence.state;
}

const ok = (presence: AgentPresence): AgentPresenceResult => ({ ok: true, presence });
const fail = (code: AgentPresenceErrorCode, event: AgentEvent): AgentPresenceResult => ({
  ok: false,
  error: new AgentPresenceError(code, event.type),
});

/** Moves to `state`, restarting the clock only when the state really changes. */
function enter(presence: AgentPresence, state: AgentPresenceState, at: number, patch: Partial<AgentPresence> = {}): AgentPresence {
  const stateSince = state === presence.state ? presence.stateSince : at;
  return { ...presence, ...patch, state, stateSince };
}

/** The state an unpaused, logged-in agent is in for a given number of conversations. */
const working = (openConversations: number): AgentPresenceState => (openConversations > 0 ? 'in_service' : 'available');

export function reduceAgentPresence(presence: AgentPresence, event: AgentEvent, at: number): AgentPresenceResult {
  const loggedIn = isLoggedIn(presence);
  switch (event.type) {
    case 'login':
      // Idempotent: a second tab or a reconnect logs in again without resetting the clock.
      return ok(loggedIn ? presence : enter(presence, 'available', at, { openConversations: 0 }));

    case 'logout':
      if (!loggedIn) return ok(presence);
      // Conversations must be finished or transferred first, otherwise they would sit with nobody.
      if (presence.openConversations > 0) return fail('has_open_conversations', event);
      return ok(enter(presence, 'offline', at, { pauseReasonId: null, pendingPauseReasonId: null }));

    case 'pause':
      if (!loggedIn) return fail('not_logged_in', event);
      if (presence.state === 'paused') {
        // Switching reason (lunch → rest) is a new pause period for the pause reports.
        if (presence.pauseReasonId === event.reasonId) return ok(presence);
        return ok({ ...presence, pauseReasonId: event.reasonId, stateSince: at });
      }
      if (presence.openConversations > 0) return ok({ ...presence, pendingPauseReasonId: event.reasonId });
      return ok(enter(presence, 'paused', at, { pauseReasonId: event.reasonId, pendingPauseReasonId: null }));

    case 'resume':
      if (!loggedIn) return fail('not_logged_in', event);
      if (presence.pendingPauseReasonId !== null) return ok({ ...presence, pendingPauseReasonId: null });
      if (presence.state !== 'paused') return ok(presence);
      return ok(enter(presence, working(presence.openConversations), at, { pauseReasonId: null }));

    case 'conversationAssigned': {
      if (!loggedIn) return fail('not_logged_in', event);
      const openConversations = presence.openConversations + 1;
      // A paused agent only gets one by manual assignment and stays paused: the display shows in_service.
      const state = presence.state === 'paused' ? 'paused' : 'in_service';
      return ok(enter(presence, state, at, { openConversations }));
    }

    case 'conversationEnded': {
      if (presence.openConversations === 0) return fail('no_open_conversations', event);
      const openConversations = presence.openConversations - 1;
      if (presence.state === 'paused') return ok({ ...presence, openConversations });
      if (openConversations === 0 && presence.pendingPauseReasonId !== null) {
        return ok(enter(presence, 'paused', at, { openConversations, pauseReasonId: presence.pendingPauseReasonId, pendingPauseReasonId: null }));
      }
      return ok(enter(presence, working(openConversations), at, { openConversations }));
    }
  }
}
