import type { ConversationView, MessageView } from '../../contracts/conversations.js';
import type { Database } from '../../db/database.js';
import { expiredUploads, visitorUploads } from '../../engine/attachments.js';
import type { Engine } from '../../engine/engine.js';
import { isOpenState, OPEN_STATES_SQL } from '../../shared/states.js';
import { AppError, at } from '../../engine/errors.js';
import { closeByCustomer } from '../../engine/conversations/customer-actions.js';
import { receiveInbound, startConversation, type InboundResult } from '../../engine/conversations/inbound.js';
import { CONVERSATION_SELECT, MESSAGE_SELECT, presentConversation, presentMessage } from '../../engine/conversations/present.js';
import { validatePrechat } from './prechat.js';
import { prechatFields, type WebchatService } from './service.js';
import { ensureContact, type Visitor } from './visitors.js';

// What a visitor does in the widget, as engine commands. The contact identity on channel `webchat` is
// the visitor id; a message's external id is `visitorId:clientId`, so a message the widget re-sends
// after a reconnect is stored once.


/** The visitor's open conversation, else their latest one; null before the first. */
export async function currentConversation(db: Database, contactId: string | null): Promise<ConversationView | null> {
  if (!contactId) return null;
  const { rows } = await db.query(
    `${CONVERSATION_SELECT} WHERE c.contact_id = $1
      ORDER BY (c.state IN ${OPEN_STATES_SQL}) DESC, c.created_at DESC LIMIT 1`,
    [contactId],
  );
  return rows[0] ? presentConversation(rows[0]) : null;
}

/** The conversation's messages after `afterId` (all without it), oldest first. */
export async function messagesOf(db: Database, conversationId: string, afterId?: number): Promise<MessageView[]> {
  const { rows } = await db.query(`${MESSAGE_SELECT} WHERE m.conversation_id = $1 AND m.id > $2 ORDER BY m.id LIMIT 1000`, [conversationId, afterId ?? 0]);
  return rows.map(presentMessage);
}

/** The "start" button with the pre-chat answers; null outside hours on a service that takes messages then. */
export async function startChat(engine: Engine, visitor: Visitor, service: WebchatService, prechat: Record<string, string> | undefined) {
  const checked = validatePrechat(prechatFields(service), prechat);
  if (!checked.ok) throw new AppError(422, 'invalid_prechat', checked.message, { issues: checked.issues });
  await ensureContact(engine, visitor, checked.fields.name);
  return startConversation(engine, {
    serviceId: visitor.serviceId,
    channel: 'webchat',
    contact: { externalId: visitor.id, name: checked.fields.name ?? null },
    fields: checked.fields,
  });
}

/**
 * Files go into the visitor's own open conversation only, so an anonymous token alone cannot fill the
 * database: before the conversation starts, or once it has ended, an upload is a 409 that says why.
 */
export async function assertCanUpload(db: Database, visitor: Visitor): Promise<ConversationView> {
  const c = await currentConversation(db, visitor.contactId);
  if (!c) {
    throw new AppError(409, 'no_open_conversation', {
      en: 'files are sent within a conversation: start the conversation first, then attach the file',
      pt: 'arquivos são enviados dentro de uma conversa: inicie a conversa e depois anexe o arquivo',
    });
  }
  if (!isOpenState(c.state)) {
    throw new AppError(409, 'no_open_conversation', {
      en: `the conversation ${c.protocol} has ended: start a new conversation to send files`,
      pt: `o atendimento ${c.protocol} foi encerrado: inicie uma nova conversa para enviar arquivos`,
    });
  }
  return c;
}

export interface VisitorMessage {
  clientId: string;
  text: string;
  attachmentIds?: string[];
}

/** A typed message (with files uploaded before); opens a conversation when none is open. */
export async function sendMessage(engine: Engine, visitor: Visitor, m: VisitorMessage): Promise<InboundResult> {
  if (m.text.trim() === '' && !m.attachmentIds?.length) throw new AppError(400, 'validation_error', at('text', { en: 'empty message', pt: 'mensagem vazia' }));
  await ensureContact(engine, visitor);
  let attachments = null;
  if (m.attachmentIds?.length) {
    const open = await currentConversation(engine.db, visitor.contactId);
    attachments = await visitorUploads(engine.db, visitor.id, m.attachmentIds, open?.id ?? null);
    if (!attachments) throw expiredUploads();
  }
  return receiveInbound(engine, {
    serviceId: visitor.serviceId,
    channel: 'webchat',
    contact: { externalId: visitor.id },
    externalId: `${visitor.id}:${m.clientId}`,
    text: m.text,
    attachments,
    attachmentIds: m.attachmentIds,
    payload: { clientId: m.clientId },
  });
}

/** A bot menu button: stored as the option's label, answered as that option. */
export async function pressOption(engine: Engine, visitor: Visitor, clientId: string, optionId: string): Promise<InboundResult> {
  await ensureContact(engine, visitor);
  return receiveInbound(engine, {
    serviceId: visitor.serviceId,
    channel: 'webchat',
    contact: { externalId: visitor.id },
    externalId: `${visitor.id}:${clientId}`,
    text: optionId,
    option: optionId,
    payload: { clientId, optionId },
  });
}

/** The close button: abandoned in the queue, customer_gave_up in the bot. */
export async function closeChat(engine: Engine, visitor: Visitor): Promise<ConversationView> {
  const c = await currentConversation(engine.db, visitor.contactId);
  if (!c || !isOpenState(c.state)) throw new AppError(409, 'no_open_conversation', { en: 'there is no open conversation to close', pt: 'não há conversa aberta para encerrar' });
  return closeByCustomer(engine, c.id);
}
