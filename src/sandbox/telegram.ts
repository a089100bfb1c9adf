import type { FastifyInstance, FastifyReply } from 'fastify';
import { deliverWebhook, type SandboxContext, type SandboxProvider } from './sandbox.js';

// Telegram's Bot API, as the sandbox plays it: `POST /telegram/bot<token>/<method>` (getMe,
// setWebhook, sendMessage, sendPhoto/… with multipart uploads, getFile, answerCallbackQuery) and
// `GET /telegram/file/bot<token>/<path>`, answering `{ok, result}` like Telegram. A customer acts
// through the functions below: they build Telegram's Update, and post it to the webhook the bot
// registered with setWebhook, with its secret token. Telegram sends no receipts, so there are none.
// Accounts point `config.apiBaseUrl` at `{sandbox}/telegram`.

export interface TelegramSandboxOptions {
  /** Where a webhook URL is reached from the sandbox (a proxy in front of Mirante); default as it is. */
  deliverTo?: (url: string) => string;
}

interface Bot {
  username: string;
  webhook: { url: string; secretToken: string | null } | null;
}

/** The sandbox's Telegram: its bots by token, the chats that blocked them, tokens it refuses. */
export interface TelegramSandboxState {
  bots: Map<string, Bot>;
  blockedChats: Set<string>;
  refusedTokens: Set<string>;
  nextUpdateId: number;
  nextMessageId: number;
  deliverTo: (url: string) => string;
}

// keyed by the files map: the one object a running sandbox and its context share
const states = new WeakMap<SandboxContext['files'], TelegramSandboxState>();

/** The Telegram state of a running sandbox (tests set blocked chats and refused tokens on it). */
export function telegramState(ctx: SandboxContext): TelegramSandboxState {
  const s = states.get(ctx.files);
  if (!s) throw new Error('the sandbox has no telegram provider');
  return s;
}

const bot = (s: TelegramSandboxState, token: string): Bot => {
  let b = s.bots.get(token);
  if (!b) {
    b = { username: `sandbox_${token.split(':')[0]}_bot`, webhook: null };
    s.bots.set(token, b);
  }
  return b;
};

const fail = (reply: FastifyReply, code: number, description: string) => reply.code(code).send({ ok: false, error_code: code, description });

const UPLOADS: Record<string, [string, string]> = { sendPhoto: ['photo', 'photo'], sendAudio: ['audio', 'audio'], sendVideo: ['video', 'video'], sendDocument: ['document', 'document'], sendSticker: ['sticker', 'sticker'] };

export function telegramProvider(opts: TelegramSandboxOptions = {}): SandboxProvider {
  return {
    name: 'telegram',
    register(scope: FastifyInstance, ctx: SandboxContext) {
      const s: TelegramSandboxState = { bots: new Map(), blockedChats: new Set(), refusedTokens: new Set(), nextUpdateId: 100_000, nextMessageId: 1000, deliverTo: opts.deliverTo ?? ((u) => u) };
      states.set(ctx.files, s);

      scope.get('/file/bot:token/*', async (req, reply) => {
        const { token } = req.params as { token: string; '*': string };
        const path = (req.params as Record<string, string>)['*'];
        if (s.refusedTokens.has(token)) return fail(reply, 401, 'Unauthorized');
        const file = ctx.files.get(path.split('/').pop() ?? '');
        if (!file) return fail(reply, 404, 'Not Found');
        return reply.type('application/octet-stream').send(file.data);
      });

      scope.post('/bot:token/:method', async (req, reply) => {
        const { token, method } = req.params as { token: string; method: string };
        if (s.refusedTokens.has(token)) return fail(reply, 401, 'Unauthorized');
        const b = bot(s, token);
        let body: Record<string, unknown> = {};
        let upload: { field: string; file: File } | null = null;
        const type = String(req.headers['content-type'] ?? '');
        if (type.startsWith('multipart/form-data') && Buffer.isBuffer(req.body)) {
          const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData();
          for (const [k, v] of form.entries()) {
            if (typeof v === 'string') body[k] = v;
            else upload = { field: k, file: v };
          }
        } else if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
          body = req.body as Record<string, unknown>;
        }
        const chatId = String(body.chat_id ?? '');
        const message = (extra: Record<string, unknown>) => ({
          message_id: ++s.nextMessageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(chatId), type: 'private' },
          from: { id: Number(token.split(':')[0]) || 1, is_bot: true, first_name: 'Mirante', username: b.username },
          ...extra,
        });
        switch (method) {
          case 'getMe':
            return { ok: true, result: { id: Number(token.split(':')[0]) || 1, is_bot: true, first_name: 'Mirante', username: b.username } };
          case 'setWebhook':
            if (typeof body.url !== 'string' || !body.url.startsWith('http')) return fail(reply, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
            b.webhook = { url: body.url, secretToken: typeof body.secret_token === 'string' ? body.secret_token : null };
            return { ok: true, result: true, description: 'Webhook was set' };
          case 'answerCallbackQuery':
            return { ok: true, result: true };
          case 'getFile': {
            const id = String(body.file_id ?? '');
            const file = ctx.files.get(id);
            if (!file) return fail(reply, 400, 'Bad Request: invalid file_id');
            return { ok: true, result: { file_id: id, file_unique_id: id, file_size: file.data.byteLength, file_path: `files/${id}` } };
          }
          case 'sendMessage':
            if (s.blockedChats.has(chatId)) return fail(reply, 403, 'Forbidden: bot was blocked by the user');
            if (typeof body.text !== 'string' || !body.text) return fail(reply, 400, 'Bad Request: message text is empty');
            return { ok: true, result: message({ text: body.text, ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}) }) };
          default: {
            const kind = UPLOADS[method];
            if (!kind) return fail(reply, 404, 'Not Found: method not found');
            if (s.blockedChats.has(chatId)) return fail(reply, 403, 'Forbidden: bot was blocked by the user');
            if (!upload) return fail(reply, 400, `Bad Request: there is no ${kind[1]} in the request`);
            const id = ctx.newId('tgfile');
            ctx.files.set(id, { data: Buffer.from(await upload.file.arrayBuffer()), type: upload.file.type, name: upload.file.name });
            const f = { file_id: id, file_unique_id: id, file_size: upload.file.size };
            return { ok: true, result: message({ [kind[0]]: kind[0] === 'photo' ? [f] : { ...f, file_name: upload.file.name, mime_type: upload.file.type }, ...(body.caption ? { caption: body.caption } : {}) }) };
          }
        }
      });
    },
  };
}

/** A Telegram user writing to a bot (a private chat: the chat's id is the user's). */
export interface TelegramCustomer {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
}

const user = (c: TelegramCustomer) => ({ id: c.id, is_bot: false, first_name: c.firstName, ...(c.lastName ? { last_name: c.lastName } : {}), ...(c.username ? { username: c.username } : {}), language_code: 'pt-br' });
const chat = (c: TelegramCustomer) => ({ id: c.id, type: 'private', first_name: c.firstName, ...(c.lastName ? { last_name: c.lastName } : {}) });

/** Posts an Update to the bot's webhook (as registered by setWebhook), with its secret token. */
export async function deliverUpdate(ctx: SandboxContext, botToken: string, update: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const s = telegramState(ctx);
  const hook = s.bots.get(botToken)?.webhook;
  if (!hook) throw new Error('the bot has no webhook: Mirante has not called setWebhook for it');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (hook.secretToken) headers['x-telegram-bot-api-secret-token'] = hook.secretToken;
  return deliverWebhook(s.deliverTo(hook.url), JSON.stringify({ update_id: ++s.nextUpdateId, ...update }), headers);
}

const incoming = (ctx: SandboxContext, c: TelegramCustomer, extra: Record<string, unknown>) => ({
  message_id: ++telegramState(ctx).nextMessageId,
  from: user(c),
  chat: chat(c),
  date: Math.floor(Date.now() / 1000),
  ...extra,
});

/** The customer types a text. */
export function customerSays(ctx: SandboxContext, botToken: string, c: TelegramCustomer, text: string) {
  return deliverUpdate(ctx, botToken, { message: incoming(ctx, c, { text }) });
}

/** The customer sends a photo (the bytes are kept for getFile), with an optional caption. */
export function customerSendsPhoto(ctx: SandboxContext, botToken: string, c: TelegramCustomer, data: Buffer, caption?: string) {
  const id = ctx.newId('tgphoto');
  ctx.files.set(id, { data, type: 'image/jpeg' });
  return deliverUpdate(ctx, botToken, { message: incoming(ctx, c, { photo: [{ file_id: id, file_unique_id: id, width: 640, height: 480, file_size: data.byteLength }], ...(caption ? { caption } : {}) }) });
}

/** The customer sends a file (document). */
export function customerSendsDocument(ctx: SandboxContext, botToken: string, c: TelegramCustomer, data: Buffer, name: string, mimeType: string) {
  const id = ctx.newId('tgdoc');
  ctx.files.set(id, { data, type: mimeType, name });
  return deliverUpdate(ctx, botToken, { message: incoming(ctx, c, { document: { file_id: id, file_unique_id: id, file_name: name, mime_type: mimeType, file_size: data.byteLength } }) });
}

/**
 * The customer presses a button of an inline keyboard the bot sent: `sent` is the message as the
 * sandbox answered sendMessage (with its reply_markup), `data` the button's callback data.
 */
export function customerPicks(ctx: SandboxContext, botToken: string, c: TelegramCustomer, sent: Record<string, unknown>, data: string) {
  return deliverUpdate(ctx, botToken, {
    callback_query: { id: ctx.newId('cbq'), from: user(c), message: sent, chat_instance: String(c.id), data },
  });
}

/** The customer edits a message they sent (`messageId` as Telegram numbered it). */
export function customerEdits(ctx: SandboxContext, botToken: string, c: TelegramCustomer, messageId: number, text: string) {
  const now = Math.floor(Date.now() / 1000);
  return deliverUpdate(ctx, botToken, { edited_message: { message_id: messageId, from: user(c), chat: chat(c), date: now - 1, edit_date: now, text } });
}

/** The customer blocks the bot: my_chat_member kicked, and sends to them fail with 403 from now on. */
export function customerBlocks(ctx: SandboxContext, botToken: string, c: TelegramCustomer) {
  telegramState(ctx).blockedChats.add(String(c.id));
  const me = { id: Number(botToken.split(':')[0]) || 1, is_bot: true, first_name: 'Mirante' };
  return deliverUpdate(ctx, botToken, {
    my_chat_member: { chat: chat(c), from: user(c), date: Math.floor(Date.now() / 1000), old_chat_member: { status: 'member', user: me }, new_chat_member: { status: 'kicked', until_date: 0, user: me } },
  });
}
