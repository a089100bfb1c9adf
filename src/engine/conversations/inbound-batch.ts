import { randomUUID } from 'node:crypto';
import type { ConversationView, MessageView } from '../../contracts/conversations.js';
import { rowFromJson } from '../../db/database.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { AppError } from '../errors.js';
import { nextProtocols } from '../protocol.js';
import { getSettings } from '../settings.js';
import { customerClock } from '../timers.js';
import type { InboundMessage, InboundResult } from './inbound.js';
import { openingStage, protocolMessage, type ServiceRow } from './open.js';
import { CONVERSATION_SELECT, presentConversation, presentMessage } from './present.js';

// Group commit for inbound messages. Under load, the customer messages that arrive while a batch is
// in the database wait for the next one, and each batch is one transaction: the common cases (a
// message to a conversation already queued or with an agent; a first message that opens a queued
// conversation) are written with a handful of set-based statements for the whole batch, and every
// other message runs the single-message command (bot, options, attachments, outside hours, e-mail…)
// in the same transaction behind a savepoint. Nothing is acknowledged before its batch commits, so a
// message answered 202 is durable exactly as before; a batch that fails as a whole is retried one
// message at a time, which is the single-message path itself.

/** One message's fate in a batch. */
export type BatchOutcome =
  | { kind: 'done'; result: InboundResult }
  | { kind: 'failed'; error: unknown }
  /** run it alone after the batch (a race the single path knows how to settle) */
  | { kind: 'alone' }
  /** the same delivery as an earlier message of this batch */
  | { kind: 'repeat'; of: number };

const OPEN_STATES = ['triage', 'bot', 'queued', 'in_service'];

interface Group {
  items: number[];
  /** the open conversation found, or null when the first message opens one */
  conversation: ConversationView | null;
  service: ServiceRow;
  contactId: string | null;
  slow: boolean;
}

// channel names hold no colon, so the key is unambiguous (and it is valid text for PostgreSQL)
const contactKey = (channel: string, externalId: string) => `${channel}:${externalId}`;

/**
 * Where a message's external id is unique: the service it comes in on. Provider ids are unique per
 * provider account (a WhatsApp number, a bot, an API service), not per channel, and a service
 * receives from one account at most; an API service is its own account.
 */
export const dedupScope = (m: Pick<InboundMessage, 'serviceId'>): string => m.serviceId;
// a uuid holds no colon either
const deliveryKey = (scope: string, externalId: string) => `${scope}:${externalId}`;

/**
 * Receives a batch of inbound messages in the caller's unit of work (one transaction). Returns one
 * outcome per message, in order. The set-based statements run first (should one fail, the whole batch
 * fails); then the messages that need the full command, each behind its own savepoint.
 */
export async function receiveBatchIn(engine: Engine, u: UnitOfWork, ms: InboundMessage[], single: (u: UnitOfWork, m: InboundMessage) => Promise<InboundResult>): Promise<BatchOutcome[]> {
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
  const reading = u.tx.query<{ duplicates: Duplicate[]; contacts: KnownContact[]; conversations: Record<string, unknown>[]; services: ServiceRow[] }>(
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
            OR s.id IN (SELECT service_id FROM conversations WHERE contact_id IN (SELECT contact_id FROM who) AND state = ANY($5::text[]))) AS services`,
    [
      deliveries.map((m) => dedupScope(m)),
      deliveries.map((m) => m.externalId),
      ms.map((m) => m.channel),
      ms.map((m) => m.contact.externalId),
      OPEN_STATES,
      [...new Set(ms.map((m) => m.serviceId))],
    ],
  );
  const [, { rows: [known] }] = await Promise.all([locked, reading]);
  for (const r of known.duplicates) {
    const i = firstOf.get(deliveryKey(r.dedup_scope, r.external_id))!;
    out[i] = { kind: 'done', result: { conversationId: r.conversation_id, protocol: r.protocol, messageId: r.id, duplicate: true, created: false } };
  }
  const todo = ms.map((_, i) => i).filter((i) => out[i] === undefined);
  if (!todo.length) return out as BatchOutcome[];
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
  const timeZone = targets.some((t) => !t.open) ? (await getSettings(u.tx)).timezone : '';
  const groups = new Map<string, Group>();
  const fastOpenService = new Map<string, boolean>();
  // the fast path opens only what would go straight to the queue, inside business hours (e-mail,
  // triage, a bot or a closed service take the full command)
  const opensQueued = (s: ServiceRow) => {
    let ok = fastOpenService.get(s.id);
    if (ok === undefined) {
      const { stage, closed } = openingStage(s, u.now, timeZone);
      ok = s.channel !== 'email' && stage === 'queued' && !closed;
      fastOpenService.set(s.id, ok);
    }
    return ok;
  };
  for (const { i, m, contact, open } of targets) {
    const s = services.get(m.serviceId);
    const key = open ? open.id : `new:${contactKey(m.channel, m.contact.externalId)}:${m.serviceId}`;
    let g = groups.get(key);
    if (!g) {
      g = { items: [], conversation: open, service: s!, contactId: contact?.id ?? null, slow: false };
      groups.set(key, g);
    }
    g.items.push(i);
    const simple = !m.option && !m.attachmentIds?.length && !(contact && m.contact.name && contact.name === null);
    const fast = !!s && s.active && simple && (open ? open.state === 'queued' || open.state === 'in_service' : opensQueued(s));
    if (!fast) g.slow = true;
  }
  const fast = [...groups.values()].filter((g) => !g.slow);
  const slow = [...groups.values()].filter((g) => g.slow);

  // 4. the fast path, for the whole batch at once (should it fail, the whole batch fails and its
  //    messages go one by one: no savepoint needed)
  if (fast.length) for (const [i, r] of await writeFast(engine, u, ms, fast, services, timeZone)) out[i] = { kind: 'done', result: r };

  // 5. everything else: the single-message command, each message behind its own savepoint
  for (const i of slow.flatMap((g) => g.items).sort((a, b) => a - b)) {
    const mark = u.events.length;
    await u.tx.query('SAVEPOINT inbound_one');
    try {
      const r = await single(u, ms[i]);
      await u.tx.query('RELEASE SAVEPOINT inbound_one');
      out[i] = { kind: 'done', result: r };
    } catch (err) {
      await u.tx.query('ROLLBACK TO SAVEPOINT inbound_one');
      u.events.length = mark;
      out[i] = err instanceof AppError ? { kind: 'failed', error: err } : { kind: 'alone' };
    }
  }
  return out as BatchOutcome[];
}

/**
 * Serializes the messages of one customer across transactions and nodes (PostgreSQL; PGlite runs one
 * transaction at a time): a customer's second message waits until the transaction that holds the
 * first one commits, so it finds the contact and the conversation that one created instead of making
 * twins. Locks are taken in one sorted statement, so batches cannot deadlock on them.
 */
export async function lockCustomers(engine: Engine, u: UnitOfWork, ms: Pick<InboundMessage, 'channel' | 'contact'>[]): Promise<void> {
  if (engine.db.kind !== 'postgres' || !ms.length) return;
  await u.tx.query(
    `SELECT pg_advisory_xact_lock(727277, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS x`,
    [ms.map((m) => contactKey(m.channel, m.contact.externalId))],
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

async function writeFast(
  engine: Engine,
  u: UnitOfWork,
  ms: InboundMessage[],
  groups: Group[],
  services: Map<string, ServiceRow>,
  timeZone: string,
): Promise<Map<number, InboundResult>> {
  const now = u.now;
  // new contacts (one per channel identity, whatever the service) and new conversations
  const newContacts = new Map<string, { id: string; m: InboundMessage }>();
  const opening = groups.filter((g) => !g.conversation);
  for (const g of opening) {
    if (g.contactId) continue;
    const m = ms[g.items[0]];
    const k = contactKey(m.channel, m.contact.externalId);
    const known = newContacts.get(k) ?? { id: randomUUID(), m };
    newContacts.set(k, known);
    g.contactId = known.id;
  }
  if (newContacts.size) {
    const list = [...newContacts.values()];
    await u.tx.query(
      `INSERT INTO contacts (id, name, email, phone, created_at, updated_at)
       SELECT t.id, t.name, t.email, t.phone, $5, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(id, name, email, phone)`,
      [list.map((c) => c.id), list.map((c) => c.m.contact.name ?? null), list.map((c) => c.m.contact.email ?? null), list.map((c) => c.m.contact.phone ?? null), now],
    );
    await u.tx.query(
      `INSERT INTO contact_identities (contact_id, channel, external_id, display_name)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [list.map((c) => c.id), list.map((c) => c.m.channel), list.map((c) => c.m.contact.externalId), list.map((c) => c.m.contact.name ?? null)],
    );
  }
  const opened = new Map<Group, { id: string; protocol: string }>();
  if (opening.length) {
    // SAC decree protocol numbers: the day's sequence moves by the whole batch in one statement
    const protocols = await nextProtocols(u.tx, now, timeZone, opening.length);
    opening.forEach((g, n) => opened.set(g, { id: randomUUID(), protocol: protocols[n] }));
    const list = [...opened];
    await u.tx.query(
      `INSERT INTO conversations (id, protocol, service_id, entry_service_id, channel, contact_id, state, created_at, queued_at, first_queued_at, outside_hours)
       SELECT t.id, t.protocol, t.service_id, t.service_id, t.channel, t.contact_id, 'queued', $5, $5, $5, false
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $6::uuid[]) AS t(id, protocol, service_id, channel, contact_id)`,
      [list.map(([, o]) => o.id), list.map(([, o]) => o.protocol), list.map(([g]) => g.service.id), list.map(([g]) => g.service.channel), now, list.map(([g]) => g.contactId)],
    );
  }
  const conversationOf = (g: Group) => g.conversation?.id ?? opened.get(g)!.id;

  // every message in one statement: a new conversation's protocol message first, then the customer's
  type Row = { conversationId: string; channel: string; externalId: string | null; dedupScope: string | null; author: 'customer' | 'system'; body: string; contentType: string; attachments: string | null; payload: string | null; item: number | null };
  const rows: Row[] = [];
  for (const g of groups) {
    const id = conversationOf(g);
    const channel = g.conversation?.channel ?? g.service.channel;
    const o = opened.get(g);
    if (o) rows.push({ conversationId: id, channel, externalId: null, dedupScope: null, author: 'system', body: protocolMessage(o.protocol), contentType: 'text', attachments: null, payload: null, item: null });
    for (const i of g.items) {
      const m = ms[i];
      rows.push({
        conversationId: id,
        channel,
        externalId: m.externalId ?? null,
        dedupScope: m.externalId ? dedupScope(m) : null,
        author: 'customer',
        body: m.text,
        contentType: m.contentType ?? 'text',
        attachments: m.attachments ? JSON.stringify(m.attachments) : null,
        payload: m.payload ? JSON.stringify(m.payload) : null,
        item: i,
      });
    }
  }
  // the conversations' stamps and their clocks (give-up while queued, inactivity with an agent)
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.conversationId, (counts.get(r.conversationId) ?? 0) + 1);
  // (a fast group's conversation is queued or with an agent, so it always has one)
  const timers = groups.map((g) => ({
    id: conversationOf(g),
    ...customerClock(g.conversation?.state ?? 'queued', services.get(g.conversation?.serviceId ?? g.service.id) ?? g.service, now)!,
  }));
  // one statement writes the messages, the stamps and the clocks, and returns the messages and the
  // conversations' views (as JSON: two shapes in one answer)
  const { rows: [written] } = await u.tx.query<{ messages: Record<string, unknown>[]; conversations: Record<string, unknown>[] }>(
    `WITH ins AS (
       INSERT INTO messages (conversation_id, channel, external_id, dedup_scope, author_type, body, content_type, attachments, payload, delivery_status, created_at)
       SELECT t.conversation_id, t.channel, t.external_id, t.dedup_scope, t.author_type, t.body, t.content_type, t.attachments::jsonb, t.payload::jsonb,
              CASE WHEN t.author_type = 'customer' THEN NULL ELSE 'pending' END, $9
         FROM unnest($1::uuid[], $2::text[], $3::text[], $15::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
              WITH ORDINALITY AS t(conversation_id, channel, external_id, dedup_scope, author_type, body, content_type, attachments, payload, n)
        ORDER BY t.n
       RETURNING *),
     clock AS (
       INSERT INTO timers (kind, conversation_id, user_id, due_at) SELECT t.kind, t.id, NULL, t.due FROM unnest($12::text[], $13::uuid[], $14::timestamptz[]) AS t(kind, id, due)
       ON CONFLICT (kind, conversation_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at),
     stamped AS (
       UPDATE conversations c SET last_customer_message_at = $9, last_message_at = $9, last_message_from = 'customer', version = c.version + v.n
         FROM unnest($10::uuid[], $11::int[]) AS v(id, n) WHERE c.id = v.id
       RETURNING c.*, (SELECT name FROM contacts WHERE id = c.contact_id) AS contact_name)
     SELECT (SELECT json_agg(ins ORDER BY ins.id) FROM ins) AS messages, (SELECT json_agg(stamped) FROM stamped) AS conversations`,
    [
      rows.map((r) => r.conversationId), rows.map((r) => r.channel), rows.map((r) => r.externalId), rows.map((r) => r.author),
      rows.map((r) => r.body), rows.map((r) => r.contentType), rows.map((r) => r.attachments), rows.map((r) => r.payload), now,
      [...counts.keys()], [...counts.values()],
      timers.map((t) => t.kind), timers.map((t) => t.id), timers.map((t) => t.due),
      rows.map((r) => r.dedupScope),
    ],
  );
  // identities are drawn in the order rows are inserted (ORDER BY n), so by id they match `rows`
  const messages = written.messages.map((r) => presentMessage({ ...rowFromJson(r), author_name: null }));
  const views = new Map(
    written.conversations.map((r) => {
      const c = presentConversation(rowFromJson(r));
      return [c.id, c] as const;
    }),
  );

  // the events, in the order the single command raises them
  for (const g of opening) {
    const c = views.get(conversationOf(g))!;
    u.emit({ type: 'conversation.created', reason: 'created', serviceId: c.serviceId, agentId: c.agentId, conversation: c });
  }
  const results = new Map<number, InboundResult>();
  const openedIds = new Set([...opened.values()].map((o) => o.id));
  const created = new Set<string>();
  messages.forEach((message: MessageView, n) => {
    const c = views.get(message.conversationId)!;
    u.emit({ type: 'message.created', serviceId: c.serviceId, agentId: c.agentId, message });
    const item = rows[n].item;
    if (item === null) return;
    const first = openedIds.has(c.id) && !created.has(c.id);
    if (first) created.add(c.id);
    results.set(item, { conversationId: c.id, protocol: c.protocol, messageId: message.id, duplicate: false, created: first });
  });
  for (const c of views.values()) u.emit({ type: 'conversation.updated', reason: 'customer_message', serviceId: c.serviceId, agentId: c.agentId, conversation: c });
  // the protocol message goes to the customer like any other outgoing message
  for (const [n, message] of messages.entries()) {
    if (rows[n].author !== 'system') continue;
    const c = views.get(message.conversationId)!;
    await engine.outboundHook(c.channel)?.(u, c, message);
  }
  if (opening.length) u.requestRouting();
  return results;
}

interface Pending {
  m: InboundMessage;
  resolve: (r: InboundResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Collects the inbound messages that arrive while a batch is in the database. When the node is idle
 * a message goes at once, alone; under load each transaction carries every message that waited.
 */
export class InboundBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  batches = 0;

  constructor(
    private readonly engine: Engine,
    private readonly single: (u: UnitOfWork, m: InboundMessage) => Promise<InboundResult>,
    private readonly alone: (m: InboundMessage) => Promise<InboundResult>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 200,
  ) {}

  private pumpScheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  submit(m: InboundMessage): Promise<InboundResult> {
    return new Promise((resolve, reject) => {
      // after close() the pool is about to go: a clean refusal, never "pool closed"
      if (this.closed) return reject(new AppError(503, 'unavailable', { en: 'this server is shutting down; send the message again', pt: 'este servidor está sendo desligado; envie a mensagem de novo' }));
      this.queue.push({ m, resolve, reject });
      // start on the next turn of the event loop, so the requests read in this one join the batch
      // (PGlite runs a whole transaction without yielding to I/O: without this, each would go alone)
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
        if (!this.inFlight && !this.queue.length) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
  }

  /**
   * Shutdown: takes no more messages, and resolves once every message taken so far is settled (its
   * batch committed or failed), so the pool is not closed under them.
   */
  close(): Promise<void> {
    this.closed = true;
    if (!this.inFlight && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(batch: Pending[]): Promise<void> {
    this.batches++;
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.engine.execute((u) => receiveBatchIn(this.engine, u, batch.map((p) => p.m), this.single));
    } catch {
      // the batch failed as a whole (a deadlock, a lost race with another node): one by one, in order
      outcomes = batch.map(() => ({ kind: 'alone' }));
    }
    const later: number[] = [];
    for (const [i, o] of outcomes.entries()) {
      const p = batch[i];
      if (o.kind === 'done') p.resolve(o.result);
      else if (o.kind === 'failed') p.reject(o.error);
      else if (o.kind === 'alone') await this.settle(p, () => this.alone(p.m));
      else later.push(i);
    }
    // a repeated delivery is answered as the single path answers it, once its first copy is settled
    for (const i of later) await this.settle(batch[i], () => this.alone(batch[i].m));
  }

  private async settle(p: Pending, fn: () => Promise<InboundResult>): Promise<void> {
    try {
      p.resolve(await fn());
    } catch (err) {
      p.reject(err);
    }
  }
}
