// Conversation states (reference/metrics.md, "Situação"), who may move a conversation between them,
// and the timestamps a lifecycle leaves behind. Pure: times are epoch ms passed in by the caller.

import { CONVERSATION_STATES, FINISHED_STATES, OPEN_STATES, type ConversationState, type FinishedState, type OpenState } from '../shared/states.js';

export { CONVERSATION_STATES, FINISHED_STATES, OPEN_STATES, type ConversationState, type FinishedState, type OpenState };

/** Where a new conversation may start: the service's bot, straight into a queue, or the e-mail filter. */
export const INITIAL_STATES = ['bot', 'queued', 'triage'] as const satisfies readonly OpenState[];
export type InitialState = (typeof INITIAL_STATES)[number];

/**
 * Where an outbound conversation starts (the agent writes first, Mensagens ativas): in service with
 * that agent, never queued. From there every rule below applies as to any conversation in service.
 */
export const OUTBOUND_INITIAL_STATE = 'in_service' as const satisfies OpenState;

/** `system` is the platform itself: timers, the scheduler and the router. */
export const ACTORS = ['customer', 'agent', 'supervisor', 'bot', 'system'] as const;
export type Actor = (typeof ACTORS)[number];

export interface TransitionRule {
  readonly from: ConversationState;
  readonly to: ConversationState;
  readonly actors: readonly Actor[];
  readonly why: string;
}

/** The whole state machine. Anything not listed here is illegal; finished states have no way out. */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'bot', to: 'queued', actors: ['bot', 'system'], why: 'the bot flow hands over to a human queue' },
  { from: 'bot', to: 'completed', actors: ['bot'], why: 'finished in the bot (self-service)' },
  { from: 'bot', to: 'customer_gave_up', actors: ['system', 'customer'], why: 'bot timeout, or the customer closed the widget' },
  { from: 'queued', to: 'in_service', actors: ['system', 'supervisor'], why: 'routing, or manual assignment' },
  { from: 'queued', to: 'abandoned', actors: ['customer'], why: 'the customer left while waiting' },
  { from: 'queued', to: 'customer_gave_up', actors: ['system'], why: 'queue timeout' },
  {
    from: 'in_service',
    to: 'queued',
    actors: ['agent', 'supervisor', 'system'],
    why: 'transfer to a service, return to the service group, or requeue after the agent lost connection',
  },
  { from: 'in_service', to: 'in_service', actors: ['agent', 'supervisor'], why: 'transfer to another agent' },
  { from: 'in_service', to: 'completed', actors: ['agent', 'supervisor'], why: 'Concluir, or the wrap-up was saved' },
  { from: 'in_service', to: 'cancelled', actors: ['agent', 'supervisor'], why: 'cancelled by whoever handles it' },
  { from: 'in_service', to: 'connection_lost', actors: ['system'], why: 'agent connection did not return within the grace period' },
  { from: 'in_service', to: 'inactive_in_service', actors: ['system'], why: 'customer silent with an agent past the timeout' },
  { from: 'triage', to: 'queued', actors: ['supervisor'], why: 'e-mail accepted in the e-mail filter' },
  { from: 'triage', to: 'discarded', actors: ['supervisor'], why: 'e-mail deleted in the e-mail filter' },
];

const ruleKey = (from: ConversationState, to: ConversationState): string => `${from}>${to}`;
const RULES = new Map<string, ReadonlySet<Actor>>(TRANSITIONS.map((r) => [ruleKey(r.from, r.to), new Set(r.actors)]));
const OPEN_SET: ReadonlySet<ConversationState> = new Set(OPEN_STATES);
const INITIAL_SET: ReadonlySet<ConversationState> = new Set(INITIAL_STATES);

export function isOpen(state: ConversationState): state is OpenState {
  return OPEN_SET.has(state);
}

export function isFinished(state: ConversationState): state is FinishedState {
  return !OPEN_SET.has(state);
}

export function canStartIn(state: ConversationState): state is InitialState {
  return INITIAL_SET.has(state);
}

export function canTransition(from: ConversationState, to: ConversationState, actor: Actor): boolean {
  return RULES.get(ruleKey(from, to))?.has(actor) ?? false;
}

/** The states `actor` may move a conversation to from `from` (e.g. to decide which buttons to show). */
export function nextStates(from: ConversationState, actor: Actor): ConversationState[] {
  return TRANSITIONS.filter((r) => r.from === from && r.actors.includes(actor)).map((r) => r.to);
}

export class IllegalTransitionError extends Error {
  readonly code = 'illegal_transition' as const;
  readonly from: ConversationState;
  readonly to: ConversationState;
  readonly actor: Actor;

  constructor(from: ConversationState, to: ConversationState, actor: Actor) {
    super(`${actor} may not move a conversation from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.to = to;
    this.actor = actor;
  }
}

export type TransitionResult = { readonly ok: true } | { readonly ok: false; readonly error: IllegalTransitionError };

/** Checks one move. Returns the error rather than throwing so the engine can map it to a 409 without try/catch. */
export function transition(current: ConversationState, to: ConversationState, actor: Actor): TransitionResult {
  return canTransition(current, to, actor) ? { ok: true } : { ok: false, error: new IllegalTransitionError(current, to, actor) };
}

// ---- Lifecycle timestamps -------------------------------------------------------------------------

export interface LifecycleEvent {
  readonly to: ConversationState;
  readonly actor: Actor;
  /** When it happened, epoch ms. */
  readonly at: number;
}

/**
 * The timestamps the figures in metrics.md are computed from. `queuedAt` and `assignedAt` keep the
 * *first* entry into a human queue and the *first* assignment: a transfer back to a queue must not
 * make TME look shorter or restart TMA, which is measured from first assignment to finish.
 */
export interface ConversationLifecycle {
  readonly state: ConversationState;
  readonly createdAt: number;
  readonly queuedAt: number | null;
  readonly assignedAt: number | null;
  readonly finishedAt: number | null;
  /** When the current state was entered (a transfer between agents counts as entering it again). */
  readonly stateSince: number;
}

export type LifecycleResult =
  | { readonly ok: true; readonly lifecycle: ConversationLifecycle }
  | {
      readonly ok: false;
      readonly error: IllegalTransitionError;
      /** Index of the rejected event, and the lifecycle as it stood before it. */
      readonly index: number;
      readonly lifecycle: ConversationLifecycle;
    };

export function startLifecycle(initial: InitialState, createdAt: number): ConversationLifecycle {
  return {
    state: initial,
    createdAt,
    queuedAt: initial === 'queued' ? createdAt : null,
    assignedAt: null,
    finishedAt: null,
    stateSince: createdAt,
  };
}

/** Applies one event. A stamp never goes back in time: nodes' clocks can disagree by a few ms and a
 * negative duration would poison the averages, so an early event time is raised to the last stamp. */
export function stepLifecycle(
  lifecycle: ConversationLifecycle,
  event: LifecycleEvent,
): { readonly ok: true; readonly lifecycle: ConversationLifecycle } | { readonly ok: false; readonly error: IllegalTransitionError } {
  const checked = transition(lifecycle.state, event.to, event.actor);
  if (!checked.ok) return checked;
  const at = Math.max(event.at, lifecycle.stateSince);
  return {
    ok: true,
    lifecycle: {
      state: event.to,
      createdAt: lifecycle.createdAt,
      queuedAt: lifecycle.queuedAt ?? (event.to === 'queued' ? at : null),
      assignedAt: lifecycle.assignedAt ?? (event.to === 'in_service' ? at : null),
      finishedAt: isFinished(event.to) ? at : null,
      stateSince: at,
    },
  };
}

/** Folds a whole history; stops at the first illegal event. Guarantees createdAt ≤ queuedAt ≤ assignedAt ≤ finishedAt. */
export function applyLifecycle(initial: InitialState, createdAt: number, events: readonly LifecycleEvent[]): LifecycleResult {
  let lifecycle = startLifecycle(initial, createdAt);
  for (let index = 0; index < events.length; index++) {
    const step = stepLifecycle(lifecycle, events[index]);
    if (!step.ok) return { ok: false, error: step.error, index, lifecycle };
    lifecycle = step.lifecycle;
  }
  return { ok: true, lifecycle };
}
