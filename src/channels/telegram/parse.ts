import { canonicalPhone } from '../../shared/phone.js';
import { WebhookParseError, type InboundMediaRef, type ParsedMessage } from '../adapter.js';

// A Telegram Update (Bot API wire format, snake_case) as Mirante's messages. Telegram sends no
// delivery receipts, so an update yields at most one message, plus, for a button press, the callback
// query to answer (so that the customer's client stops spinning). The customer is the chat (a private
// chat's id is the user's id); message ids are unique per chat only, so a message's external id is
// `chat:message_id`, which is also what replies and edits name.

/* eslint-disable @typescript-eslint/no-explicit-any -- the Update is read field by field, defensively */
type Obj = Record<string, any>;

export interface ParsedUpdate {
  messages: ParsedMessage[];
  /** callback_query ids to answer (answerCallbackQuery) */
  callbacks: string[];
}

export const UNSUPPORTED = (kind: string) => `tipo de mensagem não suportado: ${kind}`;

/** `#3`: the callback data of an option whose id is too long for Telegram's 64 bytes: answered by its number. */
export const OPTION_BY_NUMBER = /^#(\d{1,3})$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const nameOf = (u: Obj | undefined): string | null => {
  if (!isObj(u)) return null;
  const full = [u.first_name, u.last_name].filter((s) => typeof s === 'string' && s).join(' ');
  return full || (typeof u.title === 'string' ? u.title : null) || (typeof u.username === 'string' ? u.username : null);
};

export const messageKey = (chatId: unknown, messageId: unknown) => `${String(chatId)}:${String(messageId)}`;

const FILE_KINDS = [
  ['photo', 'image'],
  ['sticker', 'sticker'],
  ['voice', 'audio'],
  ['audio', 'audio'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['animation', 'video'],
  ['document', 'document'],
] as const;


/** What one Message says: text, kind, payload and files. */
function content(msg: Obj): Pick<ParsedMessage, 'text' | 'contentType' | 'payload' | 'media'> {
  const caption = typeof msg.caption === 'string' ? msg.caption : '';
  const payload: Record<string, unknown> = {};
  if (isObj(msg.reply_to_message) && msg.reply_to_message.message_id !== undefined) payload.replyTo = messageKey(msg.chat?.id, msg.reply_to_message.message_id);
  if (isObj(msg.quote) && typeof msg.quote.text === 'string') payload.quote = msg.quote.text;
  for (const [field, media] of FILE_KINDS) {
    const f = msg[field];
    if (!f) continue;
    // photo: the sizes of one picture, largest last
    const file: Obj | undefined = Array.isArray(f) ? f[f.length - 1] : f;
    if (!isObj(file) || typeof file.file_id !== 'string') continue;
    const ref: InboundMediaRef = { media, ref: file.file_id, mimeType: file.mime_type ?? (field === 'photo' ? 'image/jpeg' : null), filename: file.file_name ?? null };
    if (field === 'sticker' && file.emoji) payload.emoji = file.emoji;
    if (typeof file.duration === 'number') payload.duration = file.duration;
    return { text: caption || (field === 'sticker' && file.emoji ? file.emoji : caption), contentType: media, payload: Object.keys(payload).length ? payload : null, media: [ref] };
  }
  if (typeof msg.text === 'string') return { text: msg.text, contentType: 'text', payload: Object.keys(payload).length ? payload : null };
  const place = isObj(msg.venue) ? msg.venue.location : msg.location;
  if (isObj(place)) {
    const venue = isObj(msg.venue) ? { name: msg.venue.title ?? null, address: msg.venue.address ?? null } : {};
    return { text: `Localização: ${place.latitude}, ${place.longitude}`, contentType: 'location', payload: { ...payload, latitude: place.latitude, longitude: place.longitude, ...venue } };
  }
  if (isObj(msg.contact)) {
    const c = msg.contact;
    const name = nameOf(c) ?? '';
    const phone = typeof c.phone_number === 'string' ? c.phone_number : '';
    return {
      text: [name, phone].filter(Boolean).join(' '),
      contentType: 'contacts',
      payload: { ...payload, contacts: [{ name, phone: canonicalPhone(phone) ?? phone, userId: c.user_id ?? null }] },
    };
  }
  // a poll, a dice, a game, a service message (video chat started…): kept, shown as unsupported
  const kind = ['poll', 'dice', 'game', 'invoice', 'story', 'video_chat_started', 'video_chat_ended', 'video_chat_scheduled', 'video_chat_participants_invited', 'new_chat_members', 'left_chat_member', 'pinned_message']
    .find((k) => msg[k] !== undefined) ?? 'message';
  return { text: UNSUPPORTED(kind), contentType: 'unsupported', payload: { ...payload, kind } };
}

function customer(chat: Obj | undefined, from: Obj | undefined): ParsedMessage['contact'] | null {
  const id = chat?.id ?? from?.id;
  if (id === undefined || id === null) return null;
  const privateChat = !chat || chat.type === 'private';
  return { externalId: String(id), name: privateChat ? (nameOf(from) ?? nameOf(chat)) : nameOf(chat) };
}

/** The label of the inline-keyboard button whose callback data is `data`, from the message that carried it. */
function buttonLabel(message: Obj | undefined, data: string): string | null {
  const rows = message?.reply_markup?.inline_keyboard;
  if (!Array.isArray(rows)) return null;
  for (const row of rows) for (const b of Array.isArray(row) ? row : []) if (isObj(b) && b.callback_data === data) return typeof b.text === 'string' ? b.text : null;
  return null;
}

export function parseUpdate(raw: Buffer): ParsedUpdate {
  let update: unknown;
  try {
    update = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookParseError('the body is not JSON');
  }
  if (!isObj(update) || typeof update.update_id !== 'number') throw new WebhookParseError('an Update has a numeric update_id');
  const out: ParsedUpdate = { messages: [], callbacks: [] };
  const uid = update.update_id;

  const message = update.message ?? update.channel_post ?? update.business_message;
  if (isObj(message)) {
    const who = customer(message.chat, message.from ?? message.sender_chat);
    if (who) out.messages.push({ externalId: messageKey(message.chat?.id, message.message_id), contact: who, ...content(message) });
    return out;
  }
  const edited = update.edited_message ?? update.edited_channel_post ?? update.edited_business_message;
  if (isObj(edited)) {
    const who = customer(edited.chat, edited.from ?? edited.sender_chat);
    const target = messageKey(edited.chat?.id, edited.message_id);
    if (who) {
      const c = content(edited);
      // an edit is a new entry that names the message it changes (the desk shows it as an edit)
      out.messages.push({ externalId: `${target}:edit:${edited.edit_date ?? uid}`, contact: who, text: c.text, contentType: 'edit', payload: { ...(c.payload ?? {}), editOf: target, editedKind: c.contentType }, media: c.media });
    }
    return out;
  }
  if (isObj(update.callback_query)) {
    const q = update.callback_query;
    if (typeof q.id === 'string') out.callbacks.push(q.id);
    const who = customer(q.message?.chat, q.from);
    if (!who) return out;
    const base = { externalId: `callback:${q.id ?? uid}`, contact: who };
    if (typeof q.data !== 'string') {
      out.messages.push({ ...base, text: UNSUPPORTED('callback_query'), contentType: 'unsupported', payload: { kind: 'callback_query', gameShortName: q.game_short_name ?? null } });
      return out;
    }
    const label = buttonLabel(q.message, q.data) ?? q.data;
    const byNumber = OPTION_BY_NUMBER.exec(q.data);
    // a button of a bot menu answers the bot as that option (by its number when the id was too long)
    out.messages.push(byNumber
      ? { ...base, text: byNumber[1], contentType: 'text', payload: { callbackData: q.data, label } }
      : { ...base, text: label, contentType: 'text', option: q.data, payload: { callbackData: q.data } });
    return out;
  }
  // the customer blocked (kicked) or unblocked the bot: no message of theirs to store, and an open
  // conversation must not be opened by it; sends to them fail from now on with 403, shown on the message
  if (isObj(update.my_chat_member)) return out;
  if (isObj(update.message_reaction)) {
    const r = update.message_reaction;
    const who = customer(r.chat, r.user ?? r.actor_chat);
    const emoji = (Array.isArray(r.new_reaction) ? r.new_reaction : []).map((x: Obj) => x?.emoji ?? x?.custom_emoji_id).filter(Boolean);
    if (who) out.messages.push({ externalId: `reaction:${uid}`, contact: who, text: emoji.join(' '), contentType: 'reaction', payload: { emoji: emoji[0] ?? null, emojis: emoji, target: messageKey(r.chat?.id, r.message_id) } });
    return out;
  }
  if (isObj(update.deleted_business_messages)) {
    const d = update.deleted_business_messages;
    const who = customer(d.chat, undefined);
    const ids = (Array.isArray(d.message_ids) ? d.message_ids : []).map((id: unknown) => messageKey(d.chat?.id, id));
    if (who) out.messages.push({ externalId: `deleted:${uid}`, contact: who, text: 'mensagem apagada', contentType: 'delete', payload: { deleteOf: ids } });
    return out;
  }
  // every other update (inline queries, polls, payments, boosts, chat members…): stored as
  // unsupported when it has a person to show it under, so nothing a customer did is dropped
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
  const body = isObj(update[kind]) ? update[kind] : {};
  const who = customer(body.chat ?? body.voter_chat, body.from ?? body.user);
  if (who) out.messages.push({ externalId: `update:${uid}`, contact: who, text: UNSUPPORTED(kind), contentType: 'unsupported', payload: { kind } });
  return out;
}
