import { canonicalPhone } from '../../../shared/phone.js';
import { WebhookParseError, type FileMediaKind, type ParsedMessage, type ParsedWebhook, type Receipt } from '../../adapter.js';
import type { TemplateStatusUpdate } from '../../../engine/templates.js';
import { epoch, isObject, reasonOf, str, templateStatusOf, unsupported, WINDOW_CLOSED, WINDOW_CODES } from '../common.js';

// Meta's WhatsApp webhook body (`{"object":"whatsapp_business_account","entry":[{"changes":[{"field",
// "value"}]}]}`) into messages and receipts. Only the `messages` field carries customers' messages
// and statuses; the other fields (template and account updates, calls, marketing preferences, the
// Business app's echoes) concern the business, not a conversation, and store nothing.

type Obj = Record<string, unknown>;

const MEDIA_KINDS: Record<string, FileMediaKind> = { image: 'image', video: 'video', audio: 'audio', document: 'document', sticker: 'sticker' };

const RECEIPT_STATUS: Record<string, Receipt['status']> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'read', failed: 'failed' };

export function parseCloudWebhook(raw: Buffer): ParsedWebhook {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookParseError('the body is not JSON');
  }
  if (!isObject(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) {
    throw new WebhookParseError('expected {"object":"whatsapp_business_account","entry":[…]}');
  }
  const messages: ParsedMessage[] = [];
  const receipts: Receipt[] = [];
  const templates: TemplateStatusUpdate[] = [];
  for (const entry of body.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      const t = isObject(change) ? templateUpdate(change) : null;
      if (t) templates.push(t);
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
      const value = change.value;
      const names = new Map<string, string>();
      for (const c of Array.isArray(value.contacts) ? value.contacts : []) {
        if (isObject(c) && typeof c.wa_id === 'string' && isObject(c.profile) && typeof c.profile.name === 'string') names.set(c.wa_id, c.profile.name);
      }
      for (const m of Array.isArray(value.messages) ? value.messages : []) {
        if (isObject(m)) messages.push(parseMessage(m, names));
      }
      for (const s of Array.isArray(value.statuses) ? value.statuses : []) {
        const r = isObject(s) ? parseStatus(s) : null;
        if (r) receipts.push(r);
      }
    }
  }
  return templates.length ? { messages, receipts, templates } : { messages, receipts };
}

/** `message_template_status_update` (event, reason) and `message_template_quality_update` (new_quality_score). */
function templateUpdate(change: Obj): TemplateStatusUpdate | null {
  const v = change.value;
  if (!isObject(v)) return null;
  const who = { providerId: str(v.message_template_id), name: str(v.message_template_name), language: str(v.message_template_language) };
  if (change.field === 'message_template_status_update') return { ...who, status: templateStatusOf(v.event), reason: reasonOf(v.reason) ?? reasonOf(v.disable_info) };
  if (change.field === 'message_template_quality_update') return { ...who, quality: str(v.new_quality_score) };
  return null;
}

function parseStatus(s: Obj): Receipt | null {
  const status = RECEIPT_STATUS[String(s.status)];
  const id = str(s.id);
  if (!status || !id) return null;
  const receipt: Receipt = { providerMessageId: id, status, at: epoch(s.timestamp) };
  if (status === 'failed') {
    const e = Array.isArray(s.errors) && isObject(s.errors[0]) ? s.errors[0] : {};
    const code = Number(e.code);
    const details = isObject(e.error_data) ? str(e.error_data.details) : null;
    const text = [str(e.title) ?? str(e.message) ?? 'failed', details].filter(Boolean).join(': ');
    receipt.error = WINDOW_CODES.has(code) ? { code: WINDOW_CLOSED, message: `${code} ${text}` } : { code: Number.isFinite(code) ? String(code) : 'failed', message: text };
  }
  return receipt;
}

/** One customer message; a kind Mirante cannot draw is stored as "tipo de mensagem não suportado". */
export function parseMessage(m: Obj, names: Map<string, string>): ParsedMessage {
  const from = str(m.from) ?? '';
  const type = str(m.type) ?? 'unknown';
  const payload: Obj = {};
  const context = isObject(m.context) ? m.context : null;
  if (context && typeof context.id === 'string' && context.id) payload.replyTo = context.id;
  if (context?.forwarded || context?.frequently_forwarded) payload.forwarded = true;
  if (isObject(m.referral)) payload.referral = m.referral;
  const base = {
    externalId: str(m.id) ?? `${from}:${str(m.timestamp) ?? ''}`,
    contact: { externalId: from, name: names.get(from) ?? null, phone: canonicalPhone(from) },
    payload,
  };
  return parseContent(base, type, m);
}

type Base = Omit<ParsedMessage, 'text' | 'contentType'> & { payload: Obj };

function parseContent(base: Base, type: string, m: Obj): ParsedMessage {
  const inner = isObject(m[type]) ? (m[type] as Obj) : null;
  const media = MEDIA_KINDS[type];
  if (type === 'text') return { ...base, text: str(inner?.body) ?? '', contentType: 'text' };
  if (media && inner && typeof inner.id === 'string') {
    const voice = type === 'audio' && inner.voice === true;
    return {
      ...base,
      text: str(inner.caption) ?? '',
      contentType: voice ? 'voice' : type,
      payload: { ...base.payload, ...(inner.animated === true ? { animated: true } : {}) },
      media: [{ media, ref: inner.id, mimeType: str(inner.mime_type), filename: str(inner.filename), sha256: str(inner.sha256) }],
    };
  }
  if (type === 'location' && inner) {
    const location = { latitude: Number(inner.latitude), longitude: Number(inner.longitude), name: str(inner.name), address: str(inner.address), url: str(inner.url) };
    const text = [location.name, location.address].filter(Boolean).join(' — ') || `${location.latitude}, ${location.longitude}`;
    return { ...base, text, contentType: 'location', payload: { ...base.payload, location } };
  }
  if (type === 'contacts' && Array.isArray(m.contacts)) {
    const contacts = m.contacts.filter(isObject).map((c) => ({
      name: isObject(c.name) ? (str(c.name.formatted_name) ?? [str(c.name.first_name), str(c.name.last_name)].filter(Boolean).join(' ')) : '',
      phones: (Array.isArray(c.phones) ? c.phones : []).filter(isObject).map((p) => ({ phone: str(p.phone), waId: str(p.wa_id), type: str(p.type) })),
      emails: (Array.isArray(c.emails) ? c.emails : []).filter(isObject).map((e) => str(e.email)).filter(Boolean),
    }));
    return { ...base, text: contacts.map((c) => c.name).join(', '), contentType: 'contacts', payload: { ...base.payload, contacts } };
  }
  if (type === 'reaction' && inner) {
    // an empty or absent emoji takes the reaction back
    const emoji = str(inner.emoji) || null;
    return { ...base, text: emoji ?? '', contentType: 'reaction', payload: { ...base.payload, reaction: { emoji, messageId: str(inner.message_id) } } };
  }
  if (type === 'interactive' && inner) {
    const kind = str(inner.type) ?? 'unknown';
    const reply = kind === 'button_reply' || kind === 'list_reply' ? (isObject(inner[kind]) ? (inner[kind] as Obj) : null) : null;
    if (reply && typeof reply.id === 'string') {
      const title = str(reply.title) ?? reply.id;
      return { ...base, text: title, contentType: 'option', option: reply.id, payload: { ...base.payload, reply: { id: reply.id, title, description: str(reply.description) } } };
    }
    return unsupported(base, `interactive.${kind}`);
  }
  if (type === 'button' && inner) {
    // a template's quick-reply button: its payload is what the template said it would send back
    const text = str(inner.text) ?? '';
    return { ...base, text, contentType: 'option', payload: { ...base.payload, reply: { id: str(inner.payload), title: text } } };
  }
  if (type === 'revoke' && inner) {
    return { ...base, text: 'mensagem apagada pelo cliente', contentType: 'delete', payload: { ...base.payload, deletes: str(inner.original_message_id) } };
  }
  if (type === 'edit' && inner && isObject(inner.message)) {
    const edited = parseContent({ ...base, payload: { ...base.payload } }, str(inner.message.type) ?? 'unknown', inner.message);
    return { ...edited, contentType: 'edit', payload: { ...edited.payload, edits: str(inner.original_message_id), kind: edited.contentType } };
  }
  if (type === 'system' && inner) {
    return { ...base, text: str(inner.body) ?? '', contentType: 'system', payload: { ...base.payload, system: { type: str(inner.type), waId: str(inner.wa_id) } } };
  }
  if (type === 'unsupported') {
    const kind = inner ? str(inner.type) : null;
    return unsupported(base, kind ?? 'unsupported');
  }
  return unsupported(base, type);
}
