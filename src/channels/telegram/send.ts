import { PermanentFailure } from '../../engine/outbox.js';
import type { Database } from '../../db/database.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { OutboundMessage, SendResult } from '../adapter.js';
import { telegramBase, telegramCall, telegramOutboxError } from './api.js';
import { messageKey } from './parse.js';

// Mirante's messages as Bot API calls: text (sendMessage, ≤ 4096 characters), a bot menu as an
// inline keyboard (one button a row, its callback data the option's id), a file uploaded from the
// attachments table (sendPhoto / sendAudio / sendVideo / sendDocument / sendSticker, multipart), a
// reply as `reply_parameters`. Telegram has no templates and no window.

/** Telegram's limit for callback_data. */
const CALLBACK_DATA_BYTES = 64;

const METHOD = { image: ['sendPhoto', 'photo'], audio: ['sendAudio', 'audio'], video: ['sendVideo', 'video'], document: ['sendDocument', 'document'], sticker: ['sendSticker', 'sticker'] } as const;

/** The callback data of a menu option: its id, or `#n` (its number) when the id does not fit. */
export function callbackData(id: string, index: number): string {
  return Buffer.byteLength(id) <= CALLBACK_DATA_BYTES ? id : `#${index + 1}`;
}

/** `chat:message_id` (what Mirante keeps) → the message id Telegram wants, when it is this chat's. */
function replyParameters(chatId: string, replyTo: string | null | undefined): { message_id: number } | undefined {
  if (!replyTo) return undefined;
  const [chat, id] = replyTo.split(':');
  return chat === chatId && /^\d+$/.test(id ?? '') ? { message_id: Number(id) } : undefined;
}

export async function sendTelegram(account: LoadedChannelAccount, db: Database, m: OutboundMessage): Promise<SendResult> {
  const token = account.credentials.botToken;
  if (!token) throw new PermanentFailure('the Telegram account has no bot token', 'bad_credentials');
  const base = telegramBase(account.config);
  const chatId = m.to.externalId;
  const reply = replyParameters(chatId, m.replyTo);
  const c = m.content;
  let body: Record<string, unknown> | FormData;
  let method = 'sendMessage';
  switch (c.kind) {
    case 'text':
      body = { chat_id: chatId, text: c.text, ...(reply ? { reply_parameters: reply } : {}) };
      break;
    case 'options':
      body = {
        chat_id: chatId,
        text: c.text,
        reply_markup: { inline_keyboard: c.options.map((o, i) => [{ text: o.label, callback_data: callbackData(o.id, i) }]) },
        ...(reply ? { reply_parameters: reply } : {}),
      };
      break;
    case 'media': {
      const { rows } = await db.query<{ name: string; content_type: string; data: Uint8Array }>('SELECT name, content_type, data FROM attachments WHERE id = $1', [c.attachmentId]);
      if (!rows[0]) throw new PermanentFailure(`attachment ${c.attachmentId} does not exist`, 'attachment_missing');
      const [name, field] = METHOD[c.media];
      method = name;
      const form = new FormData();
      form.set('chat_id', chatId);
      form.set(field, new Blob([Buffer.from(rows[0].data)], { type: c.mimeType ?? rows[0].content_type }), c.filename ?? rows[0].name);
      if (c.caption && c.media !== 'sticker') form.set('caption', c.caption);
      if (reply) form.set('reply_parameters', JSON.stringify(reply));
      body = form;
      break;
    }
    case 'template':
      throw new PermanentFailure('Telegram has no message templates', 'templates_unsupported');
  }
  try {
    const sent = await telegramCall<{ message_id: number; chat: { id: number } }>(base, token, method, body);
    return { providerMessageId: messageKey(sent.chat?.id ?? chatId, sent.message_id) };
  } catch (err) {
    throw telegramOutboxError(err);
  }
}
