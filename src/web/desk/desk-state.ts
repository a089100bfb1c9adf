import type { AgentView, ConversationView, MessageView, WhisperView } from '../../contracts/conversations';
import type { ConnectionStatus } from '../realtime/client';
import { OPEN_STATES as OPEN_STATE_LIST } from '../../shared/states';

// What the desk holds and the pure questions asked of it (what is open, what is unread).

/** The states in which a conversation is still open. */
export const OPEN_STATES: ReadonlySet<ConversationView['state']> = new Set(OPEN_STATE_LIST);

export interface DeskConversation {
  view: ConversationView;
  /** by id; complete once `history` is loaded (events arriving before that are merged in) */
  messages: MessageView[];
  whispers: WhisperView[];
  history: 'none' | 'loading' | 'loaded' | 'error';
  /** customer messages above this id are unread */
  seenMessageId: number;
  /** when it stopped being one of the agent's open conversations (finished, transferred away) */
  leftAt: number | null;
  /** the store's event count when an event last changed this conversation's view */
  rev: number;
  /** when the customer was last seen typing (Date.now()); cleared by their next message */
  customerTypingAt?: number | null;
}

export interface DeskState {
  status: ConnectionStatus;
  /** the first snapshot has arrived */
  ready: boolean;
  agent: AgentView | null;
  conversations: ReadonlyMap<string, DeskConversation>;
  selectedId: string | null;
  whisperPanelOpen: boolean;
}

export const isOpen = (c: DeskConversation) => c.leftAt === null;

/** Customer messages the agent has not looked at yet. */
export function unreadMessages(c: DeskConversation): number {
  let n = 0;
  for (let i = c.messages.length - 1; i >= 0 && c.messages[i].id > c.seenMessageId; i--) {
    if (c.messages[i].authorType === 'customer') n++;
  }
  // history not loaded yet (or failed): the conversation still says who wrote last
  if (n === 0 && c.history !== 'loaded' && c.seenMessageId === 0 && c.view.lastMessageFrom === 'customer') return 1;
  return n;
}

/** Supervisor-chat messages to this agent not read yet. */
export function unreadWhispers(c: DeskConversation, meId: string): number {
  let n = 0;
  for (const w of c.whispers) if (w.authorId !== meId && !w.readAt) n++;
  return n;
}

/** The agent's open conversations in a stable order: the oldest assignment first. */
export function openConversations(s: DeskState): DeskConversation[] {
  return [...s.conversations.values()]
    .filter(isOpen)
    .sort((a, b) => (a.view.assignedAt ?? a.view.createdAt).localeCompare(b.view.assignedAt ?? b.view.createdAt) || a.view.id.localeCompare(b.view.id));
}


export const lastCustomerId = (messages: MessageView[]) => {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].authorType === 'customer') return messages[i].id;
  return 0;
};
