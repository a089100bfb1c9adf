// When a supervisor and the agent may talk about a conversation (Conversar com o agente): while an
// agent serves it. The server refuses any other case with a 409; the screens offer the chat only
// then, by this same rule.
import type { ConversationState } from './states';

export function supervisorChatOpen(c: { state: ConversationState | string; agentId: string | null }): boolean {
  return c.state === 'in_service' && c.agentId !== null;
}
