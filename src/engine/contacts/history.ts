import { Readable } from 'node:stream';
import { HISTORY_SCHEMA } from '../../contracts/contacts.js';
import type { Database } from '../../db/database.js';
import { policyOf } from '../access.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import { getSettings } from '../settings.js';
import { historyPdf } from './history-pdf.js';
import { contactInScope } from './registry.js';

// The consumer's history (SAC decree art. 13): every conversation of the contact in the caller's
// scope, its states, who answered, and the messages both ways, times in the contact center's zone.
// Conversations and their states are few and read whole; messages are read through a database cursor
// (db.stream) and written as they come, so a 100k-message history never sits in memory.

export interface HistoryHead {
  schema: typeof HISTORY_SCHEMA;
  company: string;
  generatedAt: string;
  timeZone: string;
  contact: { id: string; name: string | null; email: string | null; phone: string | null; cpf: string | null; anonymized: boolean };
  period: { from: string | null; to: string | null };
  conversationCount: number;
}

export interface HistoryConversation {
  protocol: string;
  channel: string;
  direction: string;
  service: string;
  subject: string | null;
  state: string;
  classification: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** the agents who wrote in it, and the one who held it last */
  answeredBy: string[];
  states: { state: string; at: string; actor: string }[];
}

export interface HistoryMessage {
  at: string;
  from: 'customer' | 'agent' | 'bot' | 'system';
  author: string | null;
  subject: string | null;
  text: string;
  attachments: string[];
}

/** A conversation and its messages, one batch at a time, in the order they are written. */
export type HistoryPart = { kind: 'conversation'; conversation: HistoryConversation } | { kind: 'messages'; messages: HistoryMessage[] };

const offsets = new Map<string, Intl.DateTimeFormat>();
/** An instant as local ISO 8601 with its offset in `tz`: 2026-03-10T09:00:00-03:00. */
export function localIso(at: Date | string, tz: string): string {
  let f = offsets.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' });
    offsets.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.replace('GMT', '');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}

interface ConversationRow {
  id: string; protocol: string; channel: string; direction: string; service_name: string; subject: string | null; state: string;
  classification: string | null; created_at: Date; finished_at: Date | null; agent_name: string | null;
}
interface MessageRow { conversation_id: string; created_at: Date; author_type: HistoryMessage['from']; author_name: string | null; body: string; subject: string | null; files: string[] | null }

export interface OpenedHistory {
  head: HistoryHead;
  parts: AsyncGenerator<HistoryPart>;
}

/** Reads the head now (404 outside scope), audits the export, and returns the parts to stream. */
export async function openHistory(db: Database, actor: Actor, contactId: string, format: 'json' | 'pdf', now: Date): Promise<OpenedHistory> {
  const contact = await contactInScope(db, actor, contactId);
  const settings = await getSettings(db);
  const tz = settings.timezone;
  const scope = policyOf(actor).conversationsSql('c', 2);
  const params = [contactId, ...scope.params];
  const { rows: convs } = await db.query<ConversationRow>(
    `SELECT c.id, c.protocol, c.channel, c.direction, s.name AS service_name, c.subject, c.state, cl.name AS classification,
            c.created_at, c.finished_at, u.name AS agent_name
       FROM conversations c JOIN services s ON s.id = c.service_id
       LEFT JOIN users u ON u.id = c.agent_id LEFT JOIN classifications cl ON cl.id = c.classification_id
      WHERE c.contact_id = $1 AND ${scope.sql} ORDER BY c.created_at, c.id`,
    params,
  );
  const { rows: states } = await db.query<{ conversation_id: string; state: string; started_at: Date; actor: string }>(
    `SELECT h.conversation_id, h.state, h.started_at, h.actor FROM conversation_state_history h JOIN conversations c ON c.id = h.conversation_id
      WHERE c.contact_id = $1 AND ${scope.sql} ORDER BY h.started_at, h.id`,
    params,
  );
  const { rows: writers } = await db.query<{ conversation_id: string; name: string }>(
    `SELECT DISTINCT m.conversation_id, u.name FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN users u ON u.id = m.author_id
      WHERE c.contact_id = $1 AND ${scope.sql} AND m.author_type = 'agent' ORDER BY u.name`,
    params,
  );
  await writeAudit(db, actor, { action: 'export_history', entity: 'contact', entityId: contactId, after: { format, conversations: convs.length } });

  const head: HistoryHead = {
    schema: HISTORY_SCHEMA,
    company: settings.companyName,
    generatedAt: localIso(now, tz),
    timeZone: tz,
    contact: { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone, cpf: contact.cpf, anonymized: contact.anonymized_at !== null },
    period: { from: convs.length ? localIso(convs[0].created_at, tz) : null, to: convs.length ? localIso(lastTime(convs), tz) : null },
    conversationCount: convs.length,
  };
  const conversation = (c: ConversationRow): HistoryConversation => {
    const answered = writers.filter((w) => w.conversation_id === c.id).map((w) => w.name);
    if (c.agent_name && !answered.includes(c.agent_name)) answered.push(c.agent_name);
    return {
      protocol: c.protocol, channel: c.channel, direction: c.direction, service: c.service_name, subject: c.subject, state: c.state,
      classification: c.classification, startedAt: localIso(c.created_at, tz), finishedAt: c.finished_at ? localIso(c.finished_at, tz) : null,
      answeredBy: answered,
      states: states.filter((h) => h.conversation_id === c.id).map((h) => ({ state: h.state, at: localIso(h.started_at, tz), actor: h.actor })),
    };
  };

  async function* parts(): AsyncGenerator<HistoryPart> {
    const messages = db.stream<MessageRow>(
      `SELECT m.conversation_id, m.created_at, m.author_type, u.name AS author_name, m.body,
              coalesce(m.payload #>> '{email,subject}', m.payload #>> '{emailOut,subject}') AS subject,
              (SELECT array_agg(f ->> 'name') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.attachments) = 'array' THEN m.attachments ELSE '[]'::jsonb END) f) AS files
         FROM conversations c JOIN messages m ON m.conversation_id = c.id LEFT JOIN users u ON u.id = m.author_id
        WHERE c.contact_id = $1 AND ${scope.sql}
        ORDER BY c.created_at, c.id, m.id`,
      params,
      { batchSize: 500 },
    )[Symbol.asyncIterator]();
    let batch: MessageRow[] = [];
    let i = 0;
    let done = false;
    const next = async (): Promise<MessageRow | null> => {
      while (i >= batch.length) {
        if (done) return null;
        const r = await messages.next();
        if (r.done) { done = true; return null; }
        batch = r.value;
        i = 0;
      }
      return batch[i];
    };
    try {
      for (const c of convs) {
        yield { kind: 'conversation', conversation: conversation(c) };
        let out: HistoryMessage[] = [];
        for (let m = await next(); m && m.conversation_id === c.id; m = await next()) {
          out.push({ at: localIso(m.created_at, tz), from: m.author_type, author: m.author_name, subject: m.subject, text: m.body, attachments: m.files ?? [] });
          i++;
          if (out.length >= 500) { yield { kind: 'messages', messages: out }; out = []; }
        }
        if (out.length) yield { kind: 'messages', messages: out };
      }
    } finally {
      await messages.return?.();
    }
  }
  return { head, parts: parts() };
}

function lastTime(convs: ConversationRow[]): Date {
  return convs.reduce((a, c) => { const t = c.finished_at ?? c.created_at; return t > a ? t : a; }, convs[0].created_at);
}

/** The history as JSON, written as it is read: the head's fields, then `conversations`, each with its `messages`. */
export function historyJson(h: OpenedHistory): Readable {
  async function* text(): AsyncGenerator<string> {
    const head = JSON.stringify(h.head);
    yield `${head.slice(0, -1)},"conversations":[`;
    let first = true;
    let open = false;
    let firstMessage = true;
    for await (const part of h.parts) {
      if (part.kind === 'conversation') {
        if (open) yield ']}';
        const c = JSON.stringify(part.conversation);
        yield `${first ? '' : ','}${c.slice(0, -1)},"messages":[`;
        first = false;
        open = true;
        firstMessage = true;
      } else {
        yield (firstMessage ? '' : ',') + part.messages.map((m) => JSON.stringify(m)).join(',');
        firstMessage = false;
      }
    }
    if (open) yield ']}';
    yield ']}';
  }
  return Readable.from(text(), { objectMode: false });
}

export interface HistoryDownload { fileName: string; contentType: string; body: Readable }

export async function exportHistory(db: Database, actor: Actor, contactId: string, format: 'json' | 'pdf', lang: 'pt' | 'en', now: Date): Promise<HistoryDownload> {
  const h = await openHistory(db, actor, contactId, format, now);
  const day = h.head.generatedAt.slice(0, 10);
  const fileName = `historico-titular_${contactId.slice(0, 8)}_${day}.${format}`;
  if (format === 'json') return { fileName, contentType: 'application/json; charset=utf-8', body: historyJson(h) };
  return { fileName, contentType: 'application/pdf', body: historyPdf(h, lang) };
}
