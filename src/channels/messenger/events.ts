import type { FileMediaKind, InboundMediaRef, ParsedMessage, Receipt } from '../adapter.js';
import { WebhookParseError } from '../adapter.js';

// The Messenger Platform's webhook (`{object: "page"|"instagram", entry: [{id, time, messaging|standby: [event]}]}`),
// shared by Facebook Messenger and Instagram Direct (channels.md §3, §4): each event becomes a
// customer message, a receipt, or nothing (echoes of what the page sent, referrals, opt-ins, policy
// notices). Pure: the adapter adds what needs the network or the database (names, read watermarks).

/** The prefix of a quick reply's payload that Mirante drew for a bot option: what follows is the option id. */
export const OPTION_PAYLOAD_PREFIX = 'MIRANTE_OPTION:';

export interface MessengerEventsOptions {
  /** the business's own ids (page id, Instagram account id): an event from them is the page's own */
  ownIds: ReadonlySet<string>;
}

/** A delivery or read that names a time, not messages (Messenger's watermark): every message sent to the customer until then. */
export interface Watermark {
  /** the two parties as the event named them; the customer is the one that is not the page */
  parties: string[];
  status: 'delivered' | 'read';
  at: Date;
}

export interface MessengerEvents {
  messages: ParsedMessage[];
  receipts: Receipt[];
  watermarks: Watermark[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** Meta sends epoch milliseconds; some integrations (Instagram's test events) seconds or ISO text. */
export function eventTime(v: unknown, fallback: Date): Date {
  if (typeof v === 'string' && v.trim() !== '' && !/^\d+$/.test(v.trim())) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? fallback : new Date(t);
  }
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) return fallback;
  return new Date(n < 1e11 ? n * 1000 : n);
}

const FILE_KINDS: Record<string, FileMediaKind> = { image: 'image', video: 'video', audio: 'audio', file: 'document' };

/** What the desk shows for a kind it cannot draw: stored, never dropped. */
export const unsupportedText = (kind: string) => `tipo de mensagem não suportado: ${kind}`;

interface Built {
  text: string;
  contentType: string;
  payload: Obj;
  media: InboundMediaRef[];
}

/** The attachments of one message: files to fetch, and what the desk shows for the others. */
function attachments(list: unknown[], message: Obj): Built {
  const out: Built = { text: '', contentType: '', payload: {}, media: [] };
  const texts: string[] = [];
  const kinds: string[] = [];
  for (const a of list) {
    if (!isObj(a)) continue;
    const type = str(a.type) ?? 'unknown';
    const p = isObj(a.payload) ? a.payload : {};
    const url = str(p.url) ?? str(a.url) ?? str(a.URL);
    const file = FILE_KINDS[type];
    if (file && url) {
      // a Messenger sticker arrives as an image with its sticker id
      const kind: FileMediaKind = file === 'image' && (p.sticker_id !== undefined || message.sticker_id !== undefined) ? 'sticker' : file;
      out.media.push({ media: kind, ref: url });
      kinds.push(kind);
    } else if (type === 'location' && isObj(p.coordinates)) {
      const lat = Number(p.coordinates.lat);
      const lng = Number(p.coordinates.long ?? p.coordinates.lng);
      out.payload.location = { latitude: lat, longitude: lng, name: str(a.title) ?? str(p.title) };
      kinds.push('location');
      texts.push(`Localização: ${lat}, ${lng}`);
    } else if (type === 'story_mention' && url) {
      // the story's file expires with the story: fetched now like any file
      out.media.push({ media: /\.mp4(\?|$)/i.test(url) ? 'video' : 'image', ref: url });
      out.payload.storyMention = { url };
      kinds.push('story_mention');
      texts.push('Mencionou a empresa em um story');
    } else if ((type === 'share' || type === 'ig_reel' || type === 'reel' || type === 'ig_post' || type === 'fallback' || type === 'template') && (url || str(a.title))) {
      const title = str(a.title) ?? str(p.title);
      out.payload.links = [...((out.payload.links as unknown[]) ?? []), { type, url, title }];
      kinds.push(type === 'fallback' || type === 'template' ? 'link' : 'share');
      texts.push([title, url].filter(Boolean).join('\n'));
    } else {
      kinds.push('unsupported');
      texts.push(unsupportedText(type));
    }
  }
  const distinct = [...new Set(kinds)];
  out.contentType = distinct.length === 1 ? distinct[0] : distinct.length ? 'media' : 'unsupported';
  out.text = texts.filter(Boolean).join('\n');
  return out;
}

function fromMessage(event: Obj, message: Obj, sender: string): ParsedMessage | null {
  const mid = str(message.mid);
  if (!mid) return null;
  const contact = { externalId: sender };
  if (message.is_deleted === true) {
    // Instagram's unsend: a message of its own (the original stays where it is), pointing at it
    return { contact, externalId: `${mid}#deleted`, text: 'Mensagem apagada pelo cliente', contentType: 'deleted', payload: { deletedId: mid } };
  }
  const text = str(message.text) ?? '';
  const payload: Obj = {};
  const replyTo = isObj(message.reply_to) ? message.reply_to : null;
  if (replyTo && str(replyTo.mid)) payload.replyTo = str(replyTo.mid);
  if (replyTo && isObj(replyTo.story)) payload.story = { id: str(replyTo.story.id), url: str(replyTo.story.url) };
  if (event.__standby) payload.standby = true;
  const quick = isObj(message.quick_reply) ? str(message.quick_reply.payload) : null;
  if (quick) {
    payload.quickReply = quick;
    const option = quick.startsWith(OPTION_PAYLOAD_PREFIX) ? quick.slice(OPTION_PAYLOAD_PREFIX.length) : null;
    return { contact, externalId: mid, text, contentType: 'interactive', payload, ...(option ? { option } : {}) };
  }
  const list = Array.isArray(message.attachments) ? message.attachments : [];
  if (list.length) {
    const a = attachments(list, message);
    const body = [text, a.text].filter(Boolean).join('\n');
    return { contact, externalId: mid, text: body, contentType: a.contentType, payload: { ...payload, ...a.payload }, ...(a.media.length ? { media: a.media } : {}) };
  }
  if (!text) return { contact, externalId: mid, text: unsupportedText('empty'), contentType: 'unsupported', payload };
  return { contact, externalId: mid, text, contentType: payload.story ? 'story_reply' : 'text', payload: Object.keys(payload).length ? payload : null };
}

/** One `messaging[]` (or `standby[]`) event into what Mirante keeps of it. */
function event(e: Obj, opts: MessengerEventsOptions, entryTime: Date, out: MessengerEvents): void {
  const sender = isObj(e.sender) ? str(e.sender.id) : null;
  const recipient = isObj(e.recipient) ? str(e.recipient.id) : null;
  const at = eventTime(e.timestamp, entryTime);
  const parties = [sender, recipient].filter((p): p is string => !!p);

  if (isObj(e.delivery)) {
    const mids = Array.isArray(e.delivery.mids) ? e.delivery.mids.map(str).filter((m): m is string => !!m) : [];
    const when = eventTime(e.delivery.watermark, at);
    for (const mid of mids) out.receipts.push({ providerMessageId: mid, status: 'delivered', at: when });
    if (!mids.length && e.delivery.watermark !== undefined) out.watermarks.push({ parties, status: 'delivered', at: when });
    return;
  }
  if (isObj(e.read)) {
    const mid = str(e.read.mid);
    // Instagram names the message read; Messenger a watermark
    if (mid) out.receipts.push({ providerMessageId: mid, status: 'read', at });
    else if (e.read.watermark !== undefined) out.watermarks.push({ parties, status: 'read', at: eventTime(e.read.watermark, at) });
    return;
  }
  // everything below is the customer's; the page's own (echoes, sent from the Page inbox or by Mirante) is not
  if (!sender || opts.ownIds.has(sender)) return;
  if (isObj(e.message)) {
    if (e.message.is_echo === true) return;
    const m = fromMessage(e, e.message, sender);
    if (m) out.messages.push(m);
    return;
  }
  if (isObj(e.message_edit)) {
    const mid = str(e.message_edit.mid);
    if (!mid) return;
    const n = str(e.message_edit.num_edit) ?? String(at.getTime());
    out.messages.push({ contact: { externalId: sender }, externalId: `${mid}#edit${n}`, text: str(e.message_edit.text) ?? '', contentType: 'edit', payload: { editOf: mid } });
    return;
  }
  if (isObj(e.postback)) {
    const p = e.postback;
    const data = str(p.payload) ?? '';
    const option = data.startsWith(OPTION_PAYLOAD_PREFIX) ? data.slice(OPTION_PAYLOAD_PREFIX.length) : null;
    out.messages.push({
      contact: { externalId: sender },
      externalId: str(p.mid) ?? `postback:${sender}:${at.getTime()}:${data}`,
      text: str(p.title) ?? data,
      contentType: 'interactive',
      payload: { postback: data, ...(isObj(p.referral) ? { referral: p.referral } : {}) },
      ...(option ? { option } : {}),
    });
    return;
  }
  if (isObj(e.reaction)) {
    const r = e.reaction;
    const target = str(r.mid);
    const emoji = str(r.emoji) ?? str(r.reaction) ?? '';
    const action = str(r.action) ?? 'react';
    out.messages.push({
      contact: { externalId: sender },
      externalId: `reaction:${target}:${sender}:${action}:${at.getTime()}`,
      text: action === 'unreact' ? `Removeu a reação ${emoji}`.trim() : `Reagiu com ${emoji}`.trim(),
      contentType: 'reaction',
      payload: { reaction: { emoji, name: str(r.reaction), action, targetId: target } },
    });
  }
  // referral, optin, account linking, handover and policy notices carry no message of the customer
}

/** The whole body; a body that is not the Messenger Platform's shape is refused (400). */
export function parseMessengerEvents(raw: Buffer, opts: MessengerEventsOptions, now: Date = new Date()): MessengerEvents {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookParseError('the body is not JSON');
  }
  if (!isObj(body) || !Array.isArray(body.entry)) throw new WebhookParseError('no entry list');
  if (body.object !== undefined && body.object !== 'page' && body.object !== 'instagram') throw new WebhookParseError(`object "${String(body.object)}" is not page or instagram`);
  const out: MessengerEvents = { messages: [], receipts: [], watermarks: [] };
  for (const entry of body.entry) {
    if (!isObj(entry)) continue;
    const time = eventTime(entry.time, now);
    for (const e of Array.isArray(entry.messaging) ? entry.messaging : []) if (isObj(e)) event(e, opts, time, out);
    // another app holds the thread (handover): the customer still wrote to the business, so it is kept, marked
    for (const e of Array.isArray(entry.standby) ? entry.standby : []) if (isObj(e)) event({ ...e, __standby: true }, opts, time, out);
  }
  return out;
}
