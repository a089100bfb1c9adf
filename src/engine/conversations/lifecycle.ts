import { transition, type Actor as CoreActor } from '../../core/conversation-state.js';
import type { ConversationState, ConversationView, MessageView } from '../../contracts/conversations.js';
import { loadAgent } from '../agents/present.js';
import { reduceStoredPresence } from '../agents/presence-store.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { ACTOR_PT, AppError, notFound, NOUNS, STATE_PT } from '../errors.js';
import { loadConversation, MESSAGE_SELECT, presentMessage } from './present.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

// Pieces every conversation command shares: load with a lock, check the transition with the core,
// write a message, free an agent, and raise the events that carry the new views.

export async function lockConversation(u: UnitOfWork, id: string): Promise<ConversationView> {
  const c = await loadConversation(u.tx, id, true);
  if (!c) throw notFound(NOUNS.conversation, id);
  return c;
}

/** The core decides; an illegal move is a 409 that tells the current state. */
export function assertTransition(c: ConversationView, to: ConversationState, actor: CoreActor): void {
  const r = transition(c.state, to, actor);
  if (!r.ok) {
    throw new AppError(409, 'illegal_transition', {
      en: `conversation is ${c.state}: ${actor} cannot move it to ${to}`,
      pt: `o atendimento está ${STATE_PT[c.state]}: ${ACTOR_PT[actor] ?? actor} não pode passá-lo para ${STATE_PT[to]}`,
    }, { currentState: c.state });
  }
}

export async function emitConversation(u: UnitOfWork, id: string, reason: string, type: 'conversation.created' | 'conversation.updated' = 'conversation.updated') {
  const c = (await loadConversation(u.tx, id))!;
  u.emit({ type, reason, serviceId: c.serviceId, agentId: c.agentId, conversation: c });
  return c;
}

export async function emitAgent(u: UnitOfWork, agentId: string, reason: string): Promise<void> {
  const agent = await loadAgent(u.tx, agentId);
  if (agent) u.emit({ type: 'agent.updated', reason, serviceId: null, agentId, agent });
}

export interface NewMessage {
  authorType: MessageView['authorType'];
  authorId?: string | null;
  body: string;
  externalId?: string | null;
  /** with an externalId: where it is unique (dedupScope(), inbound-batch.ts) */
  dedupScope?: string | null;
  contentType?: string;
  attachments?: unknown[] | null;
  /** channel data kept with the message: a bot menu's options (WebChat buttons), the widget's clientId */
  payload?: Record<string, unknown> | null;
}

/**
 * Stores a message, stamps the conversation, raises message.created, and hands anything that goes
 * to the customer (agent, bot, system) to the channel's outbound hook in the same transaction.
 */
export async function addMessage(engine: Engine, u: UnitOfWork, c: ConversationView, m: NewMessage): Promise<MessageView> {
  const outgoing = m.authorType !== 'customer';
  const { rows } = await u.tx.query<Record<string, unknown>>(
    `INSERT INTO messages (conversation_id, channel, external_id, dedup_scope, author_type, author_id, body, content_type, attachments, delivery_status, created_at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [c.id, c.channel, m.externalId ?? null, m.externalId ? (m.dedupScope ?? null) : null, m.authorType, m.authorId ?? null, m.body, m.contentType ?? 'text',
      m.attachments ? JSON.stringify(m.attachments) : null, outgoing ? 'pending' : null, u.now, m.payload ? JSON.stringify(m.payload) : null],
  );
  await u.tx.query(`UPDATE conversations c SET ${messageStamps(m.authorType, '$2')} WHERE c.id = $1`, [c.id, u.now]);
  // only a message with an author needs the author's name read back
  const message = presentMessage(m.authorId ? (await u.tx.query(`${MESSAGE_SELECT} WHERE m.id = $1`, [rows[0].id])).rows[0] : { ...rows[0], author_name: null });
  u.emit({ type: 'message.created', serviceId: c.serviceId, agentId: c.agentId, message });
  if (outgoing) await engine.outboundHook(c.channel)?.(u, c, message);
  return message;
}

/**
 * The columns a message stamps on its conversation (no change of state), for an UPDATE of
 * `conversations c`: `at` is the SQL of the message's time, `count` of how many messages it stamps at
 * once. The one-message path (addMessage) and the inbound batch both write them from here.
 */
export function messageStamps(author: MessageView['authorType'], at: string, count = '1'): string {
  const own =
    author === 'customer'
      ? `last_customer_message_at = ${at},`
      : author === 'agent'
        ? `last_agent_message_at = ${at}, first_agent_message_at = coalesce(c.first_agent_message_at, ${at}),`
        : '';
  return `${own} last_message_at = ${at}, last_message_from = '${author}', version = c.version + ${count}`;
}

/** Gives the agent's slot back; a pending pause starts when the last conversation ends. */
export async function releaseAgent(u: UnitOfWork, agentId: string, channel: string): Promise<void> {
  await reduceStoredPresence(u, agentId, { type: 'conversationEnded' }, capabilitiesOf(channel).workload);
  u.requestRouting();
}
