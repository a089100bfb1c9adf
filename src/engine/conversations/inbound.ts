import type { Channel } from '../../contracts/common.js';
import type { ConversationView } from '../../contracts/conversations.js';
import { isUniqueViolation } from '../../db/database.js';
import { OPEN_STATES_SQL } from '../../shared/states.js';
import { linkAttachments } from '../attachments.js';
import { hoursNow } from '../business-hours.js';
import { getSettings } from '../settings.js';
import { isOptOutMessage, optOutByCustomer } from '../opt-out.js';
import { answerBot, pressedLabel, startBot } from '../bot/stage.js';
import { saveContactFields } from '../contacts.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { AppError, at, notFound, NOUNS } from '../errors.js';
import { customerClock, setTimer } from '../timers.js';
import { InboundBatcher } from './inbound-batcher.js';
import { dedupScope, lockCustomers, matchingPhone } from './inbound-plan.js';
import { addMessage, emitConversation } from './lifecycle.js';
import { closeLeftMessage, loadService, openConversation, type ServiceRow } from './open.js';
import { CONVERSATION_SELECT, presentConversation } from './present.js';
import { answeredOutbound } from './outbound.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';
import { continuationNote, findThread, type ThreadHints } from './thread.js';

export interface InboundMessage {
  serviceId: string;
  channel: Channel;
  contact: { externalId: string; name?: string | null; email?: string | null; phone?: string | null };
  /** the provider's id of this message: a repeated delivery is accepted and ignored */
  externalId?: string | null;
  text: string;
  contentType?: string;
  attachments?: unknown[] | null;
  /** files already stored (attachments table) that this message carries */
  attachmentIds?: string[];
  subject?: string | null;
  /** a WebChat bot button: stored as the option's label, answered as that option */
  option?: string | null;
  /**
   * A provider's widget (a quick reply, a button) can be pressed long after the bot is over: then the
   * message is kept as its text instead of refused, since a provider retries a refused webhook.
   */
  optionOrText?: boolean;
  payload?: Record<string, unknown> | null;
  /** a threading channel's (e-mail) references and subject: which conversation it answers (thread.ts) */
  thread?: ThreadHints | null;
}

export interface InboundResult {
  conversationId: string;
  protocol: string;
  messageId: number | null;
  duplicate: boolean;
  created: boolean;
}


/** The message this delivery repeats: the same external id, where it is unique (dedupScope). */
async function findDuplicate(u: UnitOfWork, scope: string, externalId: string): Promise<InboundResult | null> {
  const { rows } = await u.tx.query<{ id: number; conversation_id: string; protocol: string }>(
    `SELECT m.id, m.conversation_id, c.protocol FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.dedup_scope = $1 AND m.external_id = $2`,
    [scope, externalId],
  );
  const d = rows[0];
  return d ? { conversationId: d.conversation_id, protocol: d.protocol, messageId: d.id, duplicate: true, created: false } : null;
}

export async function findOrCreateContact(u: UnitOfWork, channel: string, m: InboundMessage['contact']): Promise<string> {
  const found = await u.tx.query<{ contact_id: string; name: string | null }>(
    'SELECT ci.contact_id, ct.name FROM contact_identities ci JOIN contacts ct ON ct.id = ci.contact_id WHERE ci.channel = $1 AND ci.external_id = $2',
    [channel, m.externalId],
  );
  if (found.rows[0]) {
    // a name learnt later fills the gap; a known name is not overwritten (no write at all then)
    if (m.name && found.rows[0].name === null) await u.tx.query('UPDATE contacts SET name = coalesce(name, $2) WHERE id = $1', [found.rows[0].contact_id, m.name]);
    return found.rows[0].contact_id;
  }
  // a new identity with a phone number already known (the customer wrote on SMS, now on WhatsApp):
  // the same contact, under one more identity (lockCustomers serializes the two by the number)
  const phone = matchingPhone(m);
  const byPhone = phone
    ? (await u.tx.query<{ id: string; name: string | null }>('SELECT id, name FROM contacts WHERE phone = $1 ORDER BY created_at, id LIMIT 1', [phone])).rows[0]
    : undefined;
  const contactId =
    byPhone?.id ??
    (await u.tx.query<{ id: string }>('INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id', [m.name ?? null, m.email ?? null, m.phone ?? null, u.now]))
      .rows[0].id;
  if (byPhone && m.name && byPhone.name === null) await u.tx.query('UPDATE contacts SET name = coalesce(name, $2), updated_at = $3 WHERE id = $1', [byPhone.id, m.name, u.now]);
  await u.tx.query('INSERT INTO contact_identities (contact_id, channel, external_id, display_name) VALUES ($1, $2, $3, $4)', [contactId, channel, m.externalId, m.name ?? null]);
  return contactId;
}


const batchers = new WeakMap<Engine, InboundBatcher>();

/**
 * A customer message from any channel: deduplicated, durable, routed. Messages that arrive together
 * share a transaction (inbound-batch.ts); the promise settles once the message's batch committed.
 */
export function receiveInbound(engine: Engine, m: InboundMessage): Promise<InboundResult> {
  return batcherOf(engine).submit(m);
}

function batcherOf(engine: Engine): InboundBatcher {
  let batcher = batchers.get(engine);
  if (!batcher) {
    batcher = new InboundBatcher(engine, (u, one) => receiveInboundIn(engine, u, one), (one) => receiveInboundAlone(engine, one));
    batchers.set(engine, batcher);
  }
  return batcher;
}

/** Shutdown: the engine takes no more inbound messages; resolves once those it took are settled. */
export function closeInbound(engine: Engine): Promise<void> {
  return batcherOf(engine).close();
}

/** How many inbound transactions (batches) this engine has run: messages / batches is the batching. */
export function inboundBatchCount(engine: Engine): number {
  return batchers.get(engine)?.batches ?? 0;
}

/** One message in its own transaction (its customer locked first, as a batch locks all of its own). */
export async function receiveInboundAlone(engine: Engine, m: InboundMessage, attempt = 1): Promise<InboundResult> {
  try {
    return await engine.execute(async (u) => {
      await lockCustomers(engine, u, [m]);
      return receiveInboundIn(engine, u, m);
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Two deliveries of one message racing: the loser hits the unique index; it is a duplicate.
    if (m.externalId) {
      const dup = await engine.execute((u) => findDuplicate(u, dedupScope(m), m.externalId!));
      if (dup) return dup;
    }
    // two first messages of one new customer racing: the contact exists now, so once more
    if (attempt < 3) return receiveInboundAlone(engine, m, attempt + 1);
    throw err;
  }
}

/**
 * The contact's open conversation that came in on (or is now on) this service: a bot or an agent may
 * have moved it to another service's queue, and the customer still writes to the first one.
 */
export async function findOpenConversation(u: UnitOfWork, contactId: string, serviceId: string): Promise<ConversationView | null> {
  const { rows } = await u.tx.query(
    `${CONVERSATION_SELECT} WHERE c.contact_id = $1 AND (c.service_id = $2 OR c.entry_service_id = $2) AND c.state IN ${OPEN_STATES_SQL}
      ORDER BY c.created_at DESC LIMIT 1 FOR UPDATE OF c`,
    [contactId, serviceId],
  );
  return rows[0] ? presentConversation(rows[0]) : null;
}

async function activeService(u: UnitOfWork, id: string): Promise<ServiceRow> {
  const s = await loadService(u.tx, id);
  if (!s || !s.active) throw notFound(NOUNS.service, id);
  return s;
}

/** The message in the caller's transaction, whose customer the caller has locked (lockCustomers). */
async function receiveInboundIn(engine: Engine, u: UnitOfWork, m: InboundMessage): Promise<InboundResult> {
  if (m.externalId) {
    const dup = await findDuplicate(u, dedupScope(m), m.externalId);
    if (dup) return dup;
  }
  const s = await activeService(u, m.serviceId);
  const contactId = await findOrCreateContact(u, m.channel, m.contact);
  // e-mail: the thread decides (a new thread is a new demand), not the contact's latest conversation
  const thread = capabilitiesOf(m.channel).threading ? await findThread(u, contactId, s.id, m.thread ?? { references: [], subject: m.subject ?? null }) : null;
  const open = thread ? thread.open : await findOpenConversation(u, contactId, s.id);
  if (m.option && open?.state !== 'bot' && m.optionOrText) m = { ...m, option: null };
  if (m.option && open?.state !== 'bot') throw new AppError(409, 'not_in_bot', at('option', { en: 'the conversation is not in the bot any more', pt: 'a conversa não está mais no pré-atendimento' }), { currentState: open?.state ?? 'none' });
  const opened = open ? null : await openConversation(engine, u, s, contactId, m.subject ?? null);
  let c = open ?? opened!.conversation;
  if (opened && thread?.previous) {
    await addMessage(engine, u, c, { authorType: 'system', body: continuationNote(thread.previous.protocol), payload: { previousConversation: thread.previous } });
  }
  // the service the conversation is on now (a bot or an agent may have moved it)
  const current = c.serviceId === s.id ? s : ((await loadService(u.tx, c.serviceId)) ?? s);
  const label = m.option ? await pressedLabel(u, c, current, m.option) : null;
  const message = await addMessage(engine, u, c, {
    authorType: 'customer',
    body: label ?? m.text,
    externalId: m.externalId,
    dedupScope: dedupScope(m),
    contentType: m.contentType,
    attachments: m.attachments,
    payload: m.payload,
  });
  if (m.attachmentIds?.length) await linkAttachments(u.tx, m.attachmentIds, c.id, message.id);
  // the customer's opt-out word (not a tap, and not to the bot, whose menus may offer "Sair"): marked and confirmed
  if (!m.option && c.state !== 'bot' && m.text) {
    const { optOut } = await getSettings(u.tx);
    if (isOptOutMessage(m.text, optOut.words) && (await optOutByCustomer(u, contactId, m.text))) {
      await addMessage(engine, u, c, { authorType: 'system', body: optOut.confirmation, payload: { optOut: true } });
    }
  }
  const result = (conv: ConversationView): InboundResult => ({ conversationId: conv.id, protocol: conv.protocol, messageId: message.id, duplicate: false, created: !open });
  if (opened?.stage === 'left_message') return result(await closeLeftMessage(engine, u, c, opened.closedMessage));
  let emitted = false;
  if (c.state === 'bot') {
    // the message that opened the conversation is not an answer: the bot greets and asks first
    const r = opened ? await startBot(engine, u, c, current) : await answerBot(engine, u, c, current, m.option ? { kind: 'option', optionId: m.option } : { kind: 'text', text: m.text });
    emitted = r.emitted;
  } else {
    // the first answer to an outbound conversation: the same agent, or the queue (the service's setting)
    c = await answeredOutbound(u, c, current);
    // the customer answered: their give-up or inactivity clock starts again
    const clock = customerClock(c.state, current, u.now);
    if (clock) await setTimer(u.tx, clock.kind, { conversationId: c.id }, clock.due);
  }
  if (!emitted) c = await emitConversation(u, c.id, 'customer_message');
  return result(c);
}

export interface StartRequest {
  serviceId: string;
  channel: Channel;
  contact: InboundMessage['contact'];
  /** validated answers (a pre-chat form): kept on the contact */
  fields?: Record<string, string>;
}

/**
 * Opens a conversation before the customer writes (the WebChat "start" button): the same opening as
 * an inbound message, without one. The open conversation is returned when there is one already; null
 * outside hours on a service that takes messages then (the conversation opens with the message).
 */
export function startConversation(engine: Engine, r: StartRequest): Promise<{ conversationId: string; protocol: string; created: boolean } | null> {
  return engine.execute(async (u) => {
    await lockCustomers(engine, u, [r]);
    const s = await activeService(u, r.serviceId);
    const contactId = await findOrCreateContact(u, r.channel, r.contact);
    if (r.fields) await saveContactFields(u.tx, contactId, r.fields, u.now);
    const open = await findOpenConversation(u, contactId, s.id);
    if (open) return { conversationId: open.id, protocol: open.protocol, created: false };
    const hours = hoursNow(s.business_hours, u.now, (await getSettings(u.tx)).timezone);
    if (capabilitiesOf(s.channel).businessHours && !hours.open && hours.outsideHours === 'leave_message') return null;
    const { conversation: c, stage } = await openConversation(engine, u, s, contactId, null);
    const emitted = stage === 'bot' ? (await startBot(engine, u, c, s)).emitted : false;
    if (!emitted && stage === 'bot') await emitConversation(u, c.id, 'bot_started');
    return { conversationId: c.id, protocol: c.protocol, created: true };
  });
}
