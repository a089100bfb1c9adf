import { canonicalPhone } from '../../../shared/phone.js';
import type { Receipt } from '../../../engine/conversations/receipts.js';
import { WebhookParseError, type FileMediaKind, type InboundMediaRef, type ParsedMessage, type ParsedWebhook } from '../../adapter.js';

// Twilio's form webhooks: an incoming SMS/MMS (From, Body, NumMedia, MediaUrl0…, MediaContentType0…,
// Latitude/Longitude for a location) or a status callback (MessageSid + MessageStatus, ErrorCode).
// The customer is the From number (its own id on this channel), their phone the same number in the
// one E.164 form contacts are matched by.

/** Twilio's delivery errors most seen on SMS (the rest are shown by code). */
const ERROR_TEXT: Record<string, string> = {
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
  '21610': 'The recipient replied STOP (opted out)',
};

const STATUS: Record<string, Receipt['status'] | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

const mediaOf = (type: string): FileMediaKind => (type.startsWith('image/') ? 'image' : type.startsWith('audio/') ? 'audio' : type.startsWith('video/') ? 'video' : 'document');

export function parseTwilioForm(raw: Buffer, now: Date): ParsedWebhook {
  const form = new URLSearchParams(raw.toString('utf8'));
  const get = (k: string) => form.get(k) ?? undefined;
  const sid = get('MessageSid') ?? get('SmsSid') ?? get('SmsMessageSid');
  if (!sid) throw new WebhookParseError('a Twilio message webhook names its MessageSid');

  const status = get('MessageStatus');
  if (status !== undefined) {
    const s = STATUS[status.toLowerCase()];
    // queued, accepted, sending, scheduled: steps before Twilio hands the message on, nothing to show
    if (!s) return { messages: [], receipts: [] };
    const code = get('ErrorCode');
    const error = s === 'failed' ? { code: code ?? status, message: get('ErrorMessage') ?? (code ? ERROR_TEXT[code] : undefined) ?? `Twilio: ${status}` } : undefined;
    return { messages: [], receipts: [{ providerMessageId: sid, status: s, at: now, ...(error ? { error } : {}) }] };
  }

  const from = get('From');
  if (!from) throw new WebhookParseError('an incoming Twilio message names its From number');
  const number = from.replace(/^[a-z]+:/i, '');
  const contact: ParsedMessage['contact'] = { externalId: from, phone: canonicalPhone(number), name: get('ProfileName') ?? null };
  const media: InboundMediaRef[] = [];
  const count = Math.min(Number(get('NumMedia') ?? 0) || 0, 10);
  for (let i = 0; i < count; i++) {
    const url = get(`MediaUrl${i}`);
    if (!url) continue;
    const type = get(`MediaContentType${i}`) ?? 'application/octet-stream';
    media.push({ media: mediaOf(type), ref: url, mimeType: type });
  }
  const body = get('Body') ?? '';
  const base = { externalId: sid, contact };
  if (get('Latitude') !== undefined && get('Longitude') !== undefined) {
    const [latitude, longitude] = [Number(get('Latitude')), Number(get('Longitude'))];
    const message = { ...base, text: body || `Localização: ${latitude}, ${longitude}`, contentType: 'location', payload: { latitude, longitude, name: get('Label') ?? null, address: get('Address') ?? null } };
    return { messages: [message], receipts: [] };
  }
  const message: ParsedMessage = { ...base, text: body, contentType: media.length ? media[0].media : 'text', ...(media.length ? { media } : {}) };
  return { messages: [message], receipts: [] };
}
