import { randomUUID } from 'node:crypto';
import type { ConversationView, MessageView } from '../../contracts/conversations.js';
import { rowFromJson } from '../../db/database.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { nextProtocols } from '../protocol.js';
import { customerClock } from '../timers.js';
import type { InboundMessage, InboundResult } from './inbound.js';
import { contactKey, dedupScope, type Group } from './inbound-plan.js';
import { messageStamps } from './lifecycle.js';
import { protocolMessage, type ServiceRow } from './open.js';
import { presentConversation, presentMessage } from './present.js';
import { openConversations } from './transitions.js';

// The inbound batch's writer: the groups the planner found simple (a message to a conversation
// queued or with an agent; a first message that opens a queued conversation) in a handful of
// set-based statements for the whole batch. The rows, stamps and events are those of the one-message
// command: conversations open through transitions.ts (openConversations, one statement for all),
// messages stamp their conversation with lifecycle.ts's messageStamps, and the events come in the
// order the one-message command raises them (test/integration/inbound-paths.test.ts compares both).

/** Writes the fast groups; returns each message's result by its index in `ms`. */
export async function writeFast(
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
  // the new contacts, their identities and the day's protocol numbers leave in one write (pipelined:
  // none needs another's answer), one round trip instead of three
  const identityWrites: Promise<unknown>[] = [];
  if (newContacts.size) {
    const list = [...newContacts.values()];
    identityWrites.push(u.tx.query(
      `INSERT INTO contacts (id, name, email, phone, created_at, updated_at)
       SELECT t.id, t.name, t.email, t.phone, $5, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(id, name, email, phone)`,
      [list.map((c) => c.id), list.map((c) => c.m.contact.name ?? null), list.map((c) => c.m.contact.email ?? null), list.map((c) => c.m.contact.phone ?? null), now],
    ));
    identityWrites.push(u.tx.query(
      `INSERT INTO contact_identities (contact_id, channel, external_id, display_name)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [list.map((c) => c.id), list.map((c) => c.m.channel), list.map((c) => c.m.contact.externalId), list.map((c) => c.m.contact.name ?? null)],
    ));
  }
  // SAC decree protocol numbers: the day's sequence moves by the whole batch in one statement
  const protocolsOf: Promise<string[]> = opening.length ? nextProtocols(u.tx, now, timeZone, opening.length) : Promise.resolve([]);
  const [protocols] = await Promise.all([protocolsOf, ...identityWrites]);
  // the conversations open as the one-message command opens them (straight to the queue: the planner
  // sends every other stage to it), their conversation.created raised in this order
  const opened = new Map<Group, ConversationView>();
  if (opening.length) {
    const views = await openConversations(
      u,
      opening.map((g, n) => ({
        serviceId: g.service.id,
        channel: g.service.channel,
        contactId: g.contactId!,
        protocol: protocols[n],
        stage: 'queued' as const,
        subject: ms[g.items[0]].subject ?? null,
        outsideHours: false,
      })),
    );
    opening.forEach((g, n) => opened.set(g, views[n]));
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
       UPDATE conversations c SET ${messageStamps('customer', '$9', 'v.n')}
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

  // the events, in the order the one-message command raises them (conversation.created came with the INSERT)
  const results = new Map<number, InboundResult>();
  const openedIds = new Set([...opened.values()].map((o) => o.id));
  const created = new Set<string>();
  messages.forEach((message: MessageView, n) => {
    const c = views.get(message.conversationId)!;
    u.emit({ type: 'message.created', serviceId: c.serviceId, agentId: c.agentId, message });
    const item = rows[n].item;
    if (item === null) return;
    // as after each one-message command: the conversation's view once this message is stored (the
    // same for every message of the batch, written in the same instant)
    u.emit({ type: 'conversation.updated', reason: 'customer_message', serviceId: c.serviceId, agentId: c.agentId, conversation: c });
    const first = openedIds.has(c.id) && !created.has(c.id);
    if (first) created.add(c.id);
    results.set(item, { conversationId: c.id, protocol: c.protocol, messageId: message.id, duplicate: false, created: first });
  });
  // the protocol message goes to the customer like any other outgoing message
  for (const [n, message] of messages.entries()) {
    if (rows[n].author !== 'system') continue;
    const c = views.get(message.conversationId)!;
    await engine.outboundHook(c.channel)?.(u, c, message);
  }
  for (const g of opening) u.requestRouting(g.service.id);
  return results;
}

