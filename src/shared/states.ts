// Conversation states (reference/metrics.md, "Situação"): the one list the server, the web app and
// the widget read. Which moves are allowed between them is domain logic: core/conversation-state.ts.

export const CONVERSATION_STATES = [
  'triage',
  'bot',
  'queued',
  'in_service',
  'completed',
  'cancelled',
  'abandoned',
  'customer_gave_up',
  'connection_lost',
  'inactive_in_service',
  'discarded',
] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

/** A conversation still going on: in the e-mail filter, with the bot, waiting in a queue or with an agent. */
export const OPEN_STATES = ['triage', 'bot', 'queued', 'in_service'] as const satisfies readonly ConversationState[];
export type OpenState = (typeof OPEN_STATES)[number];

export const FINISHED_STATES = [
  'completed',
  'cancelled',
  'abandoned',
  'customer_gave_up',
  'connection_lost',
  'inactive_in_service',
  'discarded',
] as const satisfies readonly ConversationState[];
export type FinishedState = (typeof FINISHED_STATES)[number];

/** The open states as an SQL list, for `state IN ${OPEN_STATES_SQL}` (constants only: no input reaches it). */
export const OPEN_STATES_SQL = `(${OPEN_STATES.map((s) => `'${s}'`).join(', ')})`;

const OPEN_SET: ReadonlySet<string> = new Set(OPEN_STATES);
const FINISHED_SET: ReadonlySet<string> = new Set(FINISHED_STATES);

/** Whether a state (any string: a view, a row, an event) is one of the open states. */
export function isOpenState(state: string): state is OpenState {
  return OPEN_SET.has(state);
}

/** Whether a state is one of the finished states (an unknown string is neither open nor finished). */
export function isFinishedState(state: string): state is FinishedState {
  return FINISHED_SET.has(state);
}
