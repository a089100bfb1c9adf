import type { ChannelCapabilities } from '../../contracts/channel-capabilities.js';
import type { Queryable } from '../../db/database.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { OutboundContent, OutboundMessage, SendContext, SendResult } from '../adapter.js';
import { graphBase, graphCall, GraphError, outboxError } from '../meta/graph.js';
import { OPTION_PAYLOAD_PREFIX } from './events.js';

// The Send API (`POST /{page-id}/messages` with the Page token) for Messenger and Instagram: text,
// a file (uploaded with the message, multipart `filedata`: no public URL of Mirante's is needed),
// a bot menu as quick replies, and the customer-service window: within 24 h of the customer's last
// message a normal reply, up to 7 days the HUMAN_AGENT tag, after that nothing (no templates here).

export type WindowDecision = { kind: 'open'; messagingType: 'RESPONSE' } | { kind: 'human_agent'; messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' } | { kind: 'closed' };

/**
 * Where a message falls in the window: judged at the moment it was written (its created_at, on the
 * engine's clock, like the customer's message it answers), so a retry does not change the answer;
 * Graph still refuses one that crossed the line meanwhile (code 10 / 2018278 → window_closed).
 */
export function windowDecision(window: ChannelCapabilities['window'], writtenAt: Date, lastCustomerAt: Date | null, byPerson = true): WindowDecision {
  if (!window) return { kind: 'open', messagingType: 'RESPONSE' };
  if (!lastCustomerAt) return { kind: 'closed' };
  const hours = (writtenAt.getTime() - lastCustomerAt.getTime()) / 3_600_000;
  if (hours <= window.hours) return { kind: 'open', messagingType: 'RESPONSE' };
  // Meta's policy: the tag is for a person's answer, never for the bot's or the system's messages
  if (byPerson && window.humanAgentHours && hours <= window.humanAgentHours) return { kind: 'human_agent', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return { kind: 'closed' };
}

/** When the message was written, and the customer's last message on this channel (any of their conversations). */
export async function windowTimes(db: Queryable, messageId: number): Promise<{ writtenAt: Date; lastCustomerAt: Date | null; byPerson: boolean }> {
  const { rows } = await db.query<{ written_at: Date; last_customer_at: Date | null; author_type: string }>(
    `SELECT m.created_at AS written_at, m.author_type,
        (SELECT max(c2.last_customer_message_at) FROM conversations c2 WHERE c2.contact_id = c.contact_id AND c2.channel = c.channel) AS last_customer_at
       FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1`,
    [messageId],
  );
  if (!rows[0]) throw new PermanentFailure(`message ${messageId} does not exist`);
  return {
    writtenAt: new Date(rows[0].written_at),
    lastCustomerAt: rows[0].last_customer_at ? new Date(rows[0].last_customer_at) : null,
    byPerson: rows[0].author_type === 'agent',
  };
}

/** Messenger's quick replies: at most 13, a title of at most 20 characters (the payload keeps the option). */
export const QUICK_REPLY_TITLE_MAX = 20;

export function quickReplies(options: { id: string; label: string }[]) {
  return options.map((o) => ({
    content_type: 'text',
    title: o.label.length > QUICK_REPLY_TITLE_MAX ? `${o.label.slice(0, QUICK_REPLY_TITLE_MAX - 1)}…` : o.label,
    payload: `${OPTION_PAYLOAD_PREFIX}${o.id}`,
  }));
}

const ATTACHMENT_TYPE = { image: 'image', sticker: 'image', audio: 'audio', video: 'video', document: 'file' } as const;

/** The `message` object of a text or a menu (files go as multipart, below). */
export function messageBody(content: Exclude<OutboundContent, { kind: 'media' }>, caps: ChannelCapabilities): Record<string, unknown> {
  if (content.kind === 'template') throw new PermanentFailure('Messenger and Instagram have no message templates', 'templates_unsupported');
  const max = caps.maxTextLength;
  if (max !== null && content.text.length > max) throw new PermanentFailure(`the text has ${content.text.length} characters, more than ${max}`, 'text_too_long');
  if (content.kind === 'options' && caps.interactive && content.options.length && content.options.length <= caps.interactive.buttons) {
    return { text: content.text, quick_replies: quickReplies(content.options) };
  }
  // a menu too long for quick replies was rendered with numbers by the bot: the customer answers by number
  return { text: content.text };
}

/** A Graph error as the outbox sees it, with the Messenger Platform's own meanings. */
export function sendError(e: unknown): unknown {
  if (!(e instanceof GraphError)) return e;
  const text = `${e.code ?? e.status}${e.subcode ? `/${e.subcode}` : ''} ${e.message}`;
  if (e.code === 10 && (e.subcode === 2018278 || e.subcode === null)) return new PermanentFailure(text, 'window_closed');
  // 551 "this person isn't available", 2018001 "no matching user", 1545041 the person left the conversation
  if (e.code === 551 || e.subcode === 2018001 || e.subcode === 1545041) return new PermanentFailure(text, 'recipient_unavailable');
  if (e.code === 190 || e.status === 401) return new PermanentFailure(text, 'bad_token');
  return outboxError(e);
}

interface AttachmentRow {
  name: string;
  content_type: string;
  data: Buffer;
}

async function attachmentFile(db: Queryable, id: string, conversationId: string): Promise<AttachmentRow> {
  const { rows } = await db.query<AttachmentRow>(
    'SELECT name, content_type, data FROM attachments WHERE id = $1 AND (conversation_id = $2 OR conversation_id IS NULL)',
    [id, conversationId],
  );
  if (!rows[0]) throw new PermanentFailure(`attachment ${id} does not exist`, 'attachment_missing');
  return rows[0];
}

export const pageToken = (account: LoadedChannelAccount): string => {
  const token = account.credentials.pageAccessToken;
  if (!token) throw new PermanentFailure(`the ${account.channel} account has no pageAccessToken`, 'bad_token');
  return token;
};

/** The Send API's path: the Page's (Instagram through its linked Page), or /me for the token's own. */
export const sendPath = (account: LoadedChannelAccount) => `/${String(account.config.pageId ?? 'me')}/messages`;

/** One outbound message through the Send API. */
export async function sendThroughMessenger(caps: ChannelCapabilities, ctx: SendContext, m: OutboundMessage): Promise<SendResult> {
  const { account, db } = ctx;
  const token = pageToken(account);
  const { writtenAt, lastCustomerAt, byPerson } = await windowTimes(db, m.messageId);
  const w = windowDecision(caps.window, writtenAt, lastCustomerAt, byPerson);
  if (w.kind === 'closed') {
    const hours = byPerson ? (caps.window?.humanAgentHours ?? caps.window?.hours) : caps.window?.hours;
    throw new PermanentFailure(
      lastCustomerAt ? `the customer last wrote ${lastCustomerAt.toISOString()}: past the ${hours} h window` : 'the customer never wrote on this channel',
      'window_closed',
    );
  }
  const envelope = { recipient: { id: m.to.externalId }, messaging_type: w.messagingType, ...(w.kind === 'human_agent' ? { tag: w.tag } : {}) };
  const base = graphBase(account.config);
  try {
    if (m.content.kind !== 'media') {
      const r = await graphCall<{ message_id?: string }>(base, sendPath(account), { token, body: { ...envelope, message: messageBody(m.content, caps) } });
      return { providerMessageId: r.message_id };
    }
    const content = m.content;
    if (!caps.media.includes(content.media)) throw new PermanentFailure(`${account.channel} does not take ${content.media} files`, 'media_unsupported');
    const file = await attachmentFile(db, content.attachmentId, m.conversationId);
    const result = await postFile(base, sendPath(account), token, envelope, ATTACHMENT_TYPE[content.media], {
      data: file.data,
      type: content.mimeType ?? file.content_type,
      name: content.filename ?? file.name,
    });
    // a caption travels as a text of its own (the Send API takes one of the two per message)
    if (content.caption) {
      await graphCall(base, sendPath(account), { token, body: { ...envelope, message: messageBody({ kind: 'text', text: content.caption }, caps) } });
    }
    return { providerMessageId: result.message_id };
  } catch (e) {
    throw sendError(e);
  }
}

/** Upload-and-send in one call: multipart with `recipient`, `message` (JSON texts) and `filedata`. */
async function postFile(
  base: string,
  path: string,
  token: string,
  envelope: Record<string, unknown>,
  type: string,
  file: { data: Buffer; type: string; name: string },
): Promise<{ message_id?: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(envelope)) form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  form.set('message', JSON.stringify({ attachment: { type, payload: { is_reusable: false } } }));
  form.set('filedata', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let json: { message_id?: string; error?: { message?: string; code?: number; error_subcode?: number } } | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported with the status
  }
  if (!res.ok) throw new GraphError(res.status, json?.error?.code ?? null, json?.error?.error_subcode ?? null, json?.error?.message ?? `Graph answered ${res.status}`);
  return json ?? {};
}
