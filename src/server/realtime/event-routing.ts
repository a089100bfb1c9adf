import type { RealtimeEvent } from '../../contracts/events.js';
import { dispatchEvent, type EventHandlers } from '../../contracts/event-handlers.js';
import type { ScopeIds as Scope } from '../../engine/access.js';

/** On the agent stream, per event type: its conversation, and whether it names this agent. */
const AGENT_ROUTING: EventHandlers<{ conversationId: string | null; mine: boolean }, RealtimeEvent, [userId: string]> = {
  'conversation.created': (e, u) => ({ conversationId: e.conversation.id, mine: e.agentId === u || e.conversation.agentId === u }),
  'conversation.updated': (e, u) => ({ conversationId: e.conversation.id, mine: e.agentId === u || e.conversation.agentId === u }),
  'message.created': (e, u) => ({ conversationId: e.message.conversationId, mine: e.agentId === u }),
  'message.updated': (e, u) => ({ conversationId: e.message.conversationId, mine: e.agentId === u }),
  'whisper.created': (e, u) => ({ conversationId: e.whisper.conversationId, mine: e.agentId === u || e.whisper.agentId === u }),
  'whisper.updated': (e, u) => ({ conversationId: e.whisper.conversationId, mine: e.agentId === u || e.whisper.agentId === u }),
  'agent.updated': (e, u) => ({ conversationId: null, mine: e.agentId === u || e.agent.id === u }),
  'catalog.updated': () => ({ conversationId: null, mine: false }),
  // an alert's agentId is its subject's (an agent paused too long…): that agent's stream gets it, as before
  'alert.created': (e, u) => ({ conversationId: null, mine: e.agentId === u }),
  'alert.resolved': (e, u) => ({ conversationId: null, mine: e.agentId === u }),
  'whatsapp.wallet.updated': () => ({ conversationId: null, mine: false }),
  'call.updated': (e, u) => ({ conversationId: e.call.conversationId, mine: e.agentId === u }),
};

/**
 * The agent stream's filter: my own work. A conversation once mine stays followed, so a transfer away
 * reaches me too; a reconnecting desk starts from the conversations it holds now.
 */
export function agentFilter(userId: string, open: string[]): (e: RealtimeEvent) => boolean {
  const followed = new Set<string>(open);
  return (e) => {
    const { conversationId, mine } = dispatchEvent(AGENT_ROUTING, e, userId);
    if (mine && conversationId) followed.add(conversationId);
    return mine || (conversationId !== null && followed.has(conversationId));
  };
}

const inService = (e: RealtimeEvent, scope: Scope) => e.serviceId !== null && scope.serviceIds.has(e.serviceId);
const alertInScope = (e: Extract<RealtimeEvent, { alert: unknown }>, scope: Scope) =>
  e.alert.subjectType === 'agent' ? scope.agentIds.has(e.alert.subjectId) : inService(e, scope);

/** On the monitor stream, per event type: whether a supervisor's scope (not an admin's: everything) shows it. */
const IN_SCOPE: EventHandlers<boolean, RealtimeEvent, [scope: Scope]> = {
  'conversation.created': inService,
  'conversation.updated': inService,
  'message.created': inService,
  'message.updated': inService,
  'whisper.created': inService,
  'whisper.updated': inService,
  'agent.updated': (e, scope) => scope.agentIds.has(e.agent.id),
  'catalog.updated': () => true,
  'alert.created': alertInScope,
  'alert.resolved': alertInScope,
  'whatsapp.wallet.updated': inService,
  'call.updated': inService,
};

/** The monitor stream's filter: what the user's scope shows. */
export function scopeFilter(scope: Scope): (e: RealtimeEvent) => boolean {
  return (e) => scope.all || dispatchEvent(IN_SCOPE, e, scope);
}
