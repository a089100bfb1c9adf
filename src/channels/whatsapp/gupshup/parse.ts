import { canonicalPhone } from '../../../shared/phone.js';
import { WebhookParseError, type FileMediaKind, type ParsedMessage, type ParsedWebhook, type Receipt } from '../../adapter.js';
import { epoch, isObject, reasonOf, str, templateStatusOf, unsupported, WINDOW_CLOSED, WINDOW_CODES } from '../common.js';

// Gupshup's callback (format version 2): `{app, timestamp, version, type, payload}` with `type`
// `message` (a customer's message), `message-event` (a status of ours), and `user-event`,
// `template-event`, `billing-event` (about the app: they store nothing). channels.md §2.

type Obj = Record<string, unknown>;

const MEDIA: Record<string, FileMediaKind> = { image: 'image', video: 'video', audio: 'audio', file: 'document', sticker: 'sticker' };
const RECEIPT_STATUS: Record<string, Receipt['status']> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

export function parseGupshupBody(raw: Buffer): Obj {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookParseError('the body is not JSON');
  }
  if (!isObject(body) || typeof body.type !== 'string' || !isObject(body.payload)) throw new WebhookParseError('expected {"type":…,"payload":{…}}');
  return body;
}

export function parseGupshupWebhook(body: Obj): ParsedWebhook {
  const payload = body.payload as Obj;
  if (body.type === 'message') return { messages: [parseMessage(payload)], receipts: [] };
  if (body.type === 'message-event') {
    const r = parseEvent(payload, body.timestamp);
    return { messages: [], receipts: r ? [r] : [] };
  }
  if (body.type === 'template-event') {
    // {id, elementName, languageCode, status: approved|rejected|…, rejectedReason}
    const status = templateStatusOf(payload.status ?? payload.type);
    const quality = str(payload.quality);
    if (!status && !quality) return { messages: [], receipts: [] };
    return { messages: [], receipts: [], templates: [{ providerId: str(payload.id), name: str(payload.elementName), language: str(payload.languageCode), status, reason: reasonOf(payload.rejectedReason ?? payload.reason), quality: quality?.toUpperCase() ?? null }] };
  }
  return { messages: [], receipts: [] };
}

/**
 * A status of a message Mirante sent. `enqueued` and `failed` name Gupshup's id (the `messageId` the
 * send returned); `sent`/`delivered`/`read` name WhatsApp's id in `id` and Gupshup's in `gsId`.
 */
function parseEvent(p: Obj, timestamp: unknown): Receipt | null {
  const status = RECEIPT_STATUS[String(p.type)];
  const id = str(p.gsId) ?? str(p.id);
  if (!status || !id) return null;
  const inner = isObject(p.payload) ? p.payload : {};
  const receipt: Receipt = { providerMessageId: id, status, at: inner.ts !== undefined ? epoch(inner.ts) : epoch(timestamp) };
  if (status === 'failed') {
    const code = Number(inner.code);
    const reason = str(inner.reason) ?? 'failed';
    receipt.error = WINDOW_CODES.has(code) ? { code: WINDOW_CLOSED, message: `${code} ${reason}` } : { code: Number.isFinite(code) ? String(code) : 'failed', message: reason };
  }
  return receipt;
}

export function parseMessage(p: Obj): ParsedMessage {
  const sender = isObject(p.sender) ? p.sender : {};
  const phone = str(sender.phone) ?? str(p.source) ?? '';
  const context = isObject(p.context) ? p.context : null;
  const payload: Obj = {};
  // the reply names our message by Gupshup's id (what the send returned) when it has one
  const replyTo = context ? str(context.gsId) || str(context.id) : null;
  if (replyTo) payload.replyTo = replyTo;
  const base = {
    externalId: str(p.id) ?? `${phone}:${Date.now()}`,
    contact: { externalId: phone, name: str(sender.name), phone: canonicalPhone(phone) },
    payload,
  };
  const inner = isObject(p.payload) ? p.payload : {};
  // Gupshup's own samples omit `type` on a text message
  const type = str(p.type) ?? (typeof inner.text === 'string' ? 'text' : 'unknown');
  const media = MEDIA[type];
  if (type === 'text') return { ...base, text: str(inner.text) ?? '', contentType: 'text' };
  if (media && typeof inner.url === 'string') {
    const mimeType = str(inner.contentType) ?? str(inner['content-type']);
    return {
      ...base,
      text: str(inner.caption) ?? '',
      contentType: media,
      payload: { ...payload, ...(inner.urlExpiry !== undefined ? { urlExpiry: inner.urlExpiry } : {}) },
      media: [{ media, ref: inner.url, mimeType, filename: str(inner.name) }],
    };
  }
  if (type === 'location') {
    const location = { latitude: Number(inner.latitude), longitude: Number(inner.longitude), name: str(inner.name), address: str(inner.address), url: str(inner.url) };
    const text = [location.name, location.address].filter(Boolean).join(' — ') || `${location.latitude}, ${location.longitude}`;
    return { ...base, text, contentType: 'location', payload: { ...payload, location } };
  }
  if (type === 'contact' && Array.isArray(inner.contacts)) {
    const contacts = inner.contacts.filter(isObject).map((c) => ({
      name: isObject(c.name) ? (str(c.name.formatted_name) ?? '') : '',
      phones: (Array.isArray(c.phones) ? c.phones : []).filter(isObject).map((ph) => ({ phone: str(ph.phone), waId: str(ph.wa_id), type: str(ph.type) })),
      emails: (Array.isArray(c.emails) ? c.emails : []).filter(isObject).map((e) => str(e.email)).filter(Boolean),
    }));
    return { ...base, text: contacts.map((c) => c.name).join(', '), contentType: 'contacts', payload: { ...payload, contacts } };
  }
  if (type === 'button_reply' || type === 'list_reply') {
    // Mirante's widgets put the option id in postbackText; Gupshup echoes it as `postbackText` or `id`
    const id = str(inner.postbackText) ?? str(inner.id);
    const title = str(inner.title) ?? str(inner.reply) ?? id ?? '';
    if (id) return { ...base, text: title, contentType: 'option', option: id, payload: { ...payload, reply: { id, title, description: str(inner.description) } } };
  }
  if (type === 'quick_reply') {
    const text = str(inner.text) ?? '';
    return { ...base, text, contentType: 'option', payload: { ...payload, reply: { id: str(inner.payload), title: text } } };
  }
  return unsupported(base, type);
}
