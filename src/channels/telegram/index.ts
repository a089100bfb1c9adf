import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import { AppError } from '../../engine/errors.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { AccountContext, ChannelAdapter, ConnectionCheck, WebhookRequest } from '../adapter.js';
import { fetchLimited } from '../media.js';
import { sameSecret } from '../same-secret.js';
import { TelegramError, telegramBase, telegramCall } from './api.js';
import { parseUpdate } from './parse.js';
import { sendTelegram } from './send.js';

// The Telegram channel (Bot API). Account: config `botUsername`, `apiBaseUrl`; credentials
// `botToken`, `secretToken`. Telegram authenticates its webhook with the secret token Mirante gave
// `setWebhook` (header X-Telegram-Bot-Api-Secret-Token, a plain shared secret), set when the account
// is saved.

/** The updates Mirante asks for (setWebhook's allowed_updates). */
export const TELEGRAM_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'message_reaction'];

export const webhookUrl = (publicUrl: string, accountId: string) => `${publicUrl.replace(/\/+$/, '')}/webhooks/telegram/${accountId}`;

const token = (account: LoadedChannelAccount) => {
  const t = account.credentials.botToken;
  if (!t) throw new PermanentFailure('the Telegram account has no bot token', 'bad_credentials');
  return t;
};

/** Stops the spinner on the customer's button; best effort (the press itself is stored regardless). */
function answerCallbacks(account: LoadedChannelAccount, ids: string[]): void {
  const t = account.credentials.botToken;
  if (!t) return;
  for (const id of ids) void telegramCall(telegramBase(account.config), t, 'answerCallbackQuery', { callback_query_id: id }, AbortSignal.timeout(10_000)).catch(() => undefined);
}

async function testConnection({ account }: AccountContext): Promise<ConnectionCheck> {
  if (!account.credentials.botToken) return { ok: false, problem: { en: 'the bot token is missing', pt: 'falta o token do bot' } };
  try {
    const me = await telegramCall<{ username?: string }>(telegramBase(account.config), account.credentials.botToken, 'getMe');
    const want = typeof account.config.botUsername === 'string' ? account.config.botUsername.replace(/^@/, '') : '';
    if (want && me.username?.toLowerCase() !== want.toLowerCase()) {
      return { ok: false, problem: { en: `the token is of bot @${me.username}, not @${want}`, pt: `o token é do bot @${me.username}, não de @${want}` } };
    }
    return { ok: true, detail: { en: `connected as @${me.username}`, pt: `conectado como @${me.username}` } };
  } catch (err) {
    if (err instanceof TelegramError && (err.code === 401 || err.code === 404)) return { ok: false, problem: { en: 'Telegram refused the bot token', pt: 'o Telegram recusou o token do bot' } };
    if (err instanceof TelegramError) return { ok: false, problem: { en: `Telegram answered ${err.code}: ${err.message}`, pt: `o Telegram respondeu ${err.code}: ${err.message}` } };
    return { ok: false, problem: { en: 'Telegram could not be reached', pt: 'não foi possível falar com o Telegram' } };
  }
}

/** Registers Mirante's webhook with the bot, with the secret token Telegram will send back. */
async function accountSaved({ account, publicUrl }: AccountContext): Promise<void> {
  if (!publicUrl) {
    throw new AppError(422, 'public_url_missing', {
      en: 'PUBLIC_URL is not set: Telegram needs a public https address to deliver messages (set PUBLIC_URL and save the account again)',
      pt: 'PUBLIC_URL não está definida: o Telegram precisa de um endereço https público para entregar as mensagens (defina PUBLIC_URL e salve a conta de novo)',
    });
  }
  if (!account.credentials.botToken || !account.credentials.secretToken) {
    throw new AppError(422, 'credentials_missing', { en: 'the bot token and the secret token are required', pt: 'o token do bot e o token secreto são obrigatórios' });
  }
  try {
    await telegramCall(telegramBase(account.config), account.credentials.botToken, 'setWebhook', {
      url: webhookUrl(publicUrl, account.id),
      secret_token: account.credentials.secretToken,
      allowed_updates: TELEGRAM_UPDATES,
      drop_pending_updates: false,
    });
  } catch (err) {
    const why = err instanceof TelegramError ? `${err.code} ${err.message}` : 'unreachable';
    throw new AppError(422, 'set_webhook_failed', { en: `Telegram refused setWebhook: ${why}`, pt: `o Telegram recusou o setWebhook: ${why}` });
  }
}

export const telegramAdapter: ChannelAdapter = {
  channel: 'telegram',
  capabilities: CHANNEL_CAPABILITIES.telegram,
  webhook: {
    verify: (account, req: WebhookRequest) => sameSecret(account.credentials.secretToken, req.headers['x-telegram-bot-api-secret-token']),
    parse(account, req) {
      const parsed = parseUpdate(req.rawBody);
      answerCallbacks(account, parsed.callbacks);
      return { messages: parsed.messages, receipts: [] };
    },
  },
  send: (ctx, message) => sendTelegram(ctx.account, ctx.db, message),
  async fetchMedia({ account }, ref) {
    const base = telegramBase(account.config);
    let file: { file_path?: string; file_size?: number };
    try {
      file = await telegramCall(base, token(account), 'getFile', { file_id: ref.ref });
    } catch (err) {
      // 400 "file is too big" (over 20 MB for bots) or an unknown file_id: asking again changes nothing
      if (err instanceof TelegramError && err.code >= 400 && err.code < 500 && err.code !== 429) throw new PermanentFailure(`getFile: ${err.code} ${err.message}`, 'media_gone');
      throw err;
    }
    if (!file.file_path) throw new PermanentFailure('getFile gave no file_path', 'media_gone');
    const { data, contentType } = await fetchLimited(`${base}/file/bot${token(account)}/${file.file_path}`);
    const name = ref.filename ?? file.file_path.split('/').pop() ?? null;
    // Telegram serves files as application/octet-stream: the type the update named is better
    return { data, mimeType: ref.mimeType ?? (contentType && contentType !== 'application/octet-stream' ? contentType : 'application/octet-stream'), filename: name };
  },
  testConnection,
  accountSaved,
};
