import type { Channel } from '../../contracts/common.js';
import { isUniqueViolation } from '../../db/database.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { notFound } from '../errors.js';
import { nextProtocol } from '../protocol.js';
import { getSettings } from '../settings.js';
import { setTimer } from '../timers.js';
import { addMessage, emitConversation } from './lifecycle.js';
import { CONVERSATION_SELECT, presentConversation } from './present.js';

export interface InboundMessage {
  serviceId: string;
  channel: Channel;
  contact: { externalId: string; name?: string | null; email?: string | null; phone?: string | null };
  /** the provider's id of this message: a repeated delivery is accepted and ignored */
  externalId?: string | null;
  text: string;
  contentType?: string;
  attachments?: unknown[] | null;
  subject?: string | null;
}

export interface InboundResult {
  conversationId: string;
  protocol: string;
  messageId: number | null;
  duplicate: boolean;
  created: boolean;
}

interface ServiceRow {
  id: string;
  channel: Channel;
  active: boolean;
  email_triage: boolean;
  queue_timeout_seconds: number;
  inactivity_timeout_seconds: number;
}

const OPEN = `('triage', 'bot', 'queued', 'in_service')`;

async function findDuplicate(u: UnitOfWork, channel: string, externalId: string): Promise<InboundResult | null> {
  const { rows } = await u.tx.query<{ id: number; conversation_id: string; protocol: string }>(
    `SELECT m.id, m.conversation_id, c.protocol FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.channel = $1 AND m.external_id = $2`,
    [channel, externalId],
  );
  const d = rows[0];
  return d ? { conversationId: d.conversation_id, protocol: d.protocol, messageId: d.id, duplicate: true, created: false } : null;
}

async function findOrCreateContact(u: UnitOfWork, channel: string, m: InboundMessage['contact']): Promise<string> {
  const found = await u.tx.query<{ contact_id: string; name: string | null }>(
    'SELECT ci.contact_id, ct.name FROM contact_identities ci JOIN contacts ct ON ct.id = ci.contact_id WHERE ci.channel = $1 AND ci.external_id = $2',
    [channel, m.externalId],
  );
  if (found.rows[0]) {
    // a name learnt later fills the gap; a known name is not overwritten (no write at all then)
    if (m.name && found.rows[0].name === null) await u.tx.query('UPDATE contacts SET name = coalesce(name, $2) WHERE id = $1', [found.rows[0].contact_id, m.name]);
    return found.rows[0].contact_id;
  }
  const { rows } = await u.tx.query<{ id: string }>(
    'INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id',
    [m.name ?? null, m.email ?? null, m.phone ?? null, u.now],
  );
  await u.tx.query('INSERT INTO contact_identities (contact_id, channel, external_id, display_name) VALUES ($1, $2, $3, $4)', [
    rows[0].id,
    channel,
    m.externalId,
    m.name ?? null,
  ]);
  return rows[0].id;
}

/** Opens a conversation: protocol, first system message, the e-mail filter or the queue. */
async function openConversation(engine: Engine, u: UnitOfWork, s: ServiceRow, contactId: string, subject: string | null) {
  const settings = await getSettings(u.tx);
  const protocol = await nextProtocol(u.tx, u.now, settings.timezone);
  const state = s.email_triage ? 'triage' : 'queued';
  const { rows } = await u.tx.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, subject, created_at, triage_at, queued_at, first_queued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
    [protocol, s.id, s.channel, contactId, state, subject, u.now, state === 'triage' ? u.now : null, state === 'queued' ? u.now : null],
  );
  const id = rows[0].id;
  const c = await emitConversation(u, id, 'created', 'conversation.created');
  // SAC decree: the protocol is told to the customer at the start of the service
  await addMessage(engine, u, c, { authorType: 'system', body: `Seu número de protocolo é ${protocol}.` });
  if (state === 'queued') {
    await setTimer(u.tx, 'queue_timeout', { conversationId: id }, new Date(u.now.getTime() + s.queue_timeout_seconds * 1000));
    u.requestRouting();
  }
  return c;
}

/** A customer message from any channel: deduplicated, durable, routed. */
export async function receiveInbound(engine: Engine, m: InboundMessage): Promise<InboundResult> {
  try {
    return await engine.execute((u) => receiveInboundIn(engine, u, m));
  } catch (err) {
    // Two deliveries of one message racing: the loser hits the unique index; it is a duplicate.
    if (m.externalId && isUniqueViolation(err)) {
      const dup = await engine.execute((u) => findDuplicate(u, m.channel, m.externalId!));
      if (dup) return dup;
    }
    throw err;
  }
}

async function receiveInboundIn(engine: Engine, u: UnitOfWork, m: InboundMessage): Promise<InboundResult> {
  if (m.externalId) {
    const dup = await findDuplicate(u, m.channel, m.externalId);
    if (dup) return dup;
  }
  const { rows: services } = await u.tx.query<ServiceRow>('SELECT * FROM services WHERE id = $1', [m.serviceId]);
  const s = services[0];
  if (!s || !s.active) throw notFound('Service', m.serviceId);
  const contactId = await findOrCreateContact(u, m.channel, m.contact);
  const { rows: open } = await u.tx.query(
    `${CONVERSATION_SELECT} WHERE c.contact_id = $1 AND c.service_id = $2 AND c.state IN ${OPEN} ORDER BY c.created_at DESC LIMIT 1 FOR UPDATE OF c`,
    [contactId, s.id],
  );
  const created = !open[0];
  let c = created ? await openConversation(engine, u, s, contactId, m.subject ?? null) : presentConversation(open[0]);
  const message = await addMessage(engine, u, c, {
    authorType: 'customer',
    body: m.text,
    externalId: m.externalId,
    contentType: m.contentType,
    attachments: m.attachments,
  });
  // the customer answered: their give-up and inactivity clocks start again
  if (c.state === 'queued') {
    await setTimer(u.tx, 'queue_timeout', { conversationId: c.id }, new Date(u.now.getTime() + s.queue_timeout_seconds * 1000));
  } else if (c.state === 'in_service') {
    await setTimer(u.tx, 'inactive_in_service', { conversationId: c.id }, new Date(u.now.getTime() + s.inactivity_timeout_seconds * 1000));
  }
  c = await emitConversation(u, c.id, 'customer_message');
  return { conversationId: c.id, protocol: c.protocol, messageId: message.id, duplicate: false, created };
}
