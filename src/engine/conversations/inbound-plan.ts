import type { ConversationView } from '../../contracts/conversations.js';
import { rowFromJson } from '../../db/database.js';
import { OPEN_STATES } from '../../shared/states.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { getSettings } from '../settings.js';
import { isOptOutMessage } from '../opt-out.js';
import { canonicalPhone } from '../../shared/phone.js';
import type { InboundMessage, InboundResult } from './inbound.js';
import { openingStage, type ServiceRow } from './open.js';
import { CONVERSATION_SELECT, presentConversation } from './present.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

// The inbound batch's planner: reads, in one statement, what a batch of messages needs to know (the
// deliveries already stored, the services, the contacts and their open conversations, locked), and
// sorts the messages into duplicates, groups the writer takes set-based (inbound-write.ts), and the
// ones that run the one-message command. It writes nothing.

/** One message's fate in a batch. */
export type BatchOutcome =
  | { kind: 'done'; result: InboundResult }
  | { kind: 'failed'; error: unknown }
  /** run it alone after the batch (a race the single path knows how to settle) */
  | { kind: 'alone' }
  /** the same delivery as an earlier message of this batch */
  | { kind: 'repeat'; of: number };

export interface Group {
  items: number[];
  /** the open conversation found, or null when the first message opens one */
  conversation: ConversationView | null;
  service: ServiceRow;
  contactId: string | null;
  slow: boolean;
}

/** What the batch does with its messages. */
export interface BatchPlan {
  /** the outcomes known already (duplicates, repeats); the rest are undefined */
  out: (BatchOutcome | undefined)[];
  /** the groups written set-based, for the whole batch at once */
  fast: Group[];
  /** the messages that run the one-message command, in order */
  slow: number[];
  services: Map<string, ServiceRow>;
  /** the contact center's time zone, read only when a conversation may open ('' otherwise) */
  timeZone: string;
}

// channel names hold no colon, so the key is unambiguous (and it is valid text for PostgreSQL)
export const contactKey = (channel: string, externalId: string) => `${channel}:${externalId}`;

/**
 * Where a message's external id is unique: the service it comes in on. Provider ids are unique per
 * provider account (a WhatsApp number, a bot, an API service), not per channel, and a service
 * receives from one account at most; an API service is its own account.
 */
export const dedupScope = (m: Pick<InboundMessage, 'serviceId'>): string => m.serviceId;
// a uuid holds no colon either
const deliveryKey = (scope: string, externalId: string) => `${scope}:${externalId}`;

/**
 * The number a new identity is matched to a contact by: the E.164 form the channel adapters put in
 * `contact.phone` (shared/phone.ts). A number that is not one (a caller's national form) matches nothing.
 */
export function matchingPhone(contact: InboundMessage['contact']): string | null {
  return canonicalPhone(contact.phone);
}

/** Plans a batch in the caller's unit of work: its customers locked, what it needs read, its messages sorted. */
export async function planBatch(engine: Engine, u: UnitOfWork, ms: InboundMessage[]): Promise<BatchPlan> {
  const out: (BatchOutcome | undefined)[] = new Array(ms.length);

  // 1. the batch's customers, one at a time across transactions (PostgreSQL): taken first, so the
  //    reads below see whatever a transaction holding one of them committed (the read is sent
  //    without waiting, but the server starts it, and takes its snapshot, only once the locks are held)
  const locked = lockCustomers(engine, u, ms);

  // 2. repeated deliveries within the batch; then, in one statement, what the batch needs to know:
  //    deliveries already stored, the services, the contacts and their open conversations (locked,
  //    in id order)
  const firstOf = new Map<string, number>();
  ms.forEach((m, i) => {
    if (!m.externalId) return;
    const k = deliveryKey(dedupScope(m), m.externalId);
    const first = firstOf.get(k);
    if (first === undefined) firstOf.set(k, i);
    else out[i] = { kind: 'repeat', of: first };
  });
  const deliveries = ms.filter((m, i) => m.externalId && out[i] === undefined);
  const phones = ms.map((m) => matchingPhone(m.contact));
  const reading = u.tx.query<{ duplicates: Duplicate[]; contacts: KnownContact[]; conversations: Record<string, unknown>[]; services: ServiceRow[]; phones: string[] }>(
    `WITH who AS (SELECT ci.channel, ci.external_id, ci.contact_id FROM unnest($3::text[], $4::text[]) AS k(channel, external_id)
                    JOIN contact_identities ci ON ci.channel = k.channel AND ci.external_id = k.external_id)
     SELECT
       (SELECT coalesce(json_agg(json_build_object('id', m.id, 'dedup_scope', m.dedup_scope, 'external_id', m.external_id, 'conversation_id', m.conversation_id, 'protocol', c.protocol)), '[]'::json)
          FROM unnest($1::uuid[], $2::text[]) AS d(dedup_scope, external_id)
          JOIN messages m ON m.dedup_scope = d.dedup_scope AND m.external_id = d.external_id AND m.external_id IS NOT NULL
          JOIN conversations c ON c.id = m.conversation_id) AS duplicates,
       (SELECT coalesce(json_agg(json_build_object('channel', who.channel, 'external_id', who.external_id, 'contact_id', who.contact_id, 'name', ct.name)), '[]'::json)
          FROM who JOIN contacts ct ON ct.id = who.contact_id) AS contacts,
       (SELECT coalesce(json_agg(x), '[]'::json) FROM (
          ${CONVERSATION_SELECT} WHERE c.contact_id IN (SELECT contact_id FROM who) AND c.state = ANY($5::text[])
          ORDER BY c.id FOR UPDATE OF c) AS x) AS conversations,
       (SELECT coalesce(json_agg(s), '[]'::json) FROM services s
         WHERE s.id = ANY($6::uuid[])
            OR s.id IN (SELECT service_id FROM conversations WHERE contact_id IN (SELECT contact_id FROM who) AND state = ANY($5::text[]))) AS services,
       (SELECT coalesce(json_agg(DISTINCT ct.phone), '[]'::json) FROM contacts ct WHERE ct.phone = ANY($7::text[])) AS phones`,
    [
      deliveries.map((m) => dedupScope(m)),
      deliveries.map((m) => m.externalId),
      ms.map((m) => m.channel),
      ms.map((m) => m.contact.externalId),
      OPEN_STATES,
      [...new Set(ms.map((m) => m.serviceId))],
      [...new Set(phones.filter((p) => p !== null))],
    ],
  );
  const [, { rows: [known] }] = await Promise.all([locked, reading]);
  for (const r of known.duplicates) {
    const i = firstOf.get(deliveryKey(r.dedup_scope, r.external_id))!;
    out[i] = { kind: 'done', result: { conversationId: r.conversation_id, protocol: r.protocol, messageId: r.id, duplicate: true, created: false } };
  }
  const todo = ms.map((_, i) => i).filter((i) => out[i] === undefined);
  if (!todo.length) return { out, fast: [], slow: [], services: new Map(), timeZone: '' };
  const services = new Map(known.services.map((s) => [s.id, s]));
  const contacts = new Map(known.contacts.map((c) => [contactKey(c.channel, c.external_id), { id: c.contact_id, name: c.name }]));
  const openByContact = new Map<string, (ConversationView & { entryServiceId: string })[]>();
  for (const r of known.conversations.map((r) => rowFromJson(r))) {
    const c = { ...presentConversation(r), entryServiceId: r.entry_service_id as string };
    openByContact.set(c.contactId, [...(openByContact.get(c.contactId) ?? []), c]);
  }

  // 3. group the messages by the conversation they go to; a group takes the fast path only when
  //    every one of its messages can
  const targets = todo.map((i) => {
    const m = ms[i];
    const contact = contacts.get(contactKey(m.channel, m.contact.externalId)) ?? null;
    // the contact's latest open conversation that came in on (or is now on) this service
    const open = contact
      ? ((openByContact.get(contact.id) ?? [])
          .filter((c) => c.serviceId === m.serviceId || c.entryServiceId === m.serviceId)
          .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0] ?? null)
      : null;
    return { i, m, contact, open };
  });
  // the time zone decides the business hours and the protocol's day: read only when one opens
  // (and the opt-out words, when a message is short enough to be one: it takes the full command)
  const settings = targets.some((t) => !t.open || (t.m.text && t.m.text.length <= 60)) ? await getSettings(u.tx) : null;
  const timeZone = settings?.timezone ?? '';
  const optingOut = (m: InboundMessage) => !!settings && !!m.text && m.text.length <= 60 && isOptOutMessage(m.text, settings.optOut.words);
  const groups = new Map<string, Group>();
  const fastOpenService = new Map<string, boolean>();
  // the fast path opens only what would go straight to the queue, inside business hours (e-mail,
  // triage, a bot or a closed service take the full command)
  const opensQueued = (s: ServiceRow) => {
    let ok = fastOpenService.get(s.id);
    if (ok === undefined) {
      const { stage, closed } = openingStage(s, u.now, timeZone);
      ok = !capabilitiesOf(s.channel).threading && stage === 'queued' && !closed;
      fastOpenService.set(s.id, ok);
    }
    return ok;
  };
  // a new identity whose number a contact has (or another new identity of this batch has) joins
  // that contact: the one-message command links it (findOrCreateContact)
  const knownPhones = new Set(known.phones);
  const newByPhone = new Map<string, Set<string>>();
  for (const { i, m, contact } of targets) {
    if (contact || !phones[i]) continue;
    newByPhone.set(phones[i]!, (newByPhone.get(phones[i]!) ?? new Set()).add(contactKey(m.channel, m.contact.externalId)));
  }
  const joinsByPhone = (i: number) => !!phones[i] && (knownPhones.has(phones[i]!) || newByPhone.get(phones[i]!)!.size > 1);
  for (const { i, m, contact, open } of targets) {
    const s = services.get(m.serviceId);
    const key = open ? open.id : `new:${contactKey(m.channel, m.contact.externalId)}:${m.serviceId}`;
    let g = groups.get(key);
    if (!g) {
      g = { items: [], conversation: open, service: s!, contactId: contact?.id ?? null, slow: false };
      groups.set(key, g);
    }
    g.items.push(i);
    // a threading channel (e-mail) finds its conversation by the thread: the one-message command
    const simple = !capabilitiesOf(m.channel).threading && !m.option && !optingOut(m) && !m.attachmentIds?.length && !(contact && m.contact.name && contact.name === null) && !(!contact && joinsByPhone(i));
    // (the first answer to an outbound conversation may move it to the queue: the full command)
    const awaitingAnswer = !!open && open.direction === 'outbound' && open.lastCustomerMessageAt === null;
    const fast = !!s && s.active && simple && !awaitingAnswer && (open ? open.state === 'queued' || open.state === 'in_service' : opensQueued(s));
    if (!fast) g.slow = true;
  }
  const fast = [...groups.values()].filter((g) => !g.slow);
  const slow = [...groups.values()].filter((g) => g.slow).flatMap((g) => g.items).sort((a, b) => a - b);
  return { out, fast, slow, services, timeZone };

}

/**
 * Serializes the messages of one customer across transactions and nodes (PostgreSQL; PGlite runs one
 * transaction at a time): a customer's second message waits until the transaction that holds the
 * first one commits, so it finds the contact and the conversation that one created instead of making
 * twins. Locks are taken in one sorted statement, so batches cannot deadlock on them.
 */
export async function lockCustomers(engine: Engine, u: UnitOfWork, ms: Pick<InboundMessage, 'channel' | 'contact'>[]): Promise<void> {
  if (engine.db.kind !== 'postgres' || !ms.length) return;
  // a customer's number too: their first messages on two channels (SMS and WhatsApp) at the same
  // moment must find one contact, not make two
  const phones = ms.map((m) => matchingPhone(m.contact)).filter((p): p is string => p !== null).map((p) => `phone:${p}`);
  await u.tx.query(
    `SELECT pg_advisory_xact_lock(727277, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS x`,
    [[...ms.map((m) => contactKey(m.channel, m.contact.externalId)), ...phones]],
  );
}

interface Duplicate {
  id: number;
  dedup_scope: string;
  external_id: string;
  conversation_id: string;
  protocol: string;
}

interface KnownContact {
  channel: string;
  external_id: string;
  contact_id: string;
  name: string | null;
}
