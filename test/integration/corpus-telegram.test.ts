import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProvider } from '../support/fake-provider.js';
import { appForFile, createService, unique, type Client, type TestApp } from '../support/test-app.js';

// Conformance with what Telegram sends: every Update of the corpus (tg-rs/tgbot's snapshots, in the
// Bot API's snake_case wire format) replayed, read in place from ../shared/corpus, through the real
// webhook with the account's secret token. Each answers 2xx and is stored as the kind written in the
// table below (by reading each file, not by running the parser). The Message objects of
// message-objects/ are sent wrapped in an Update, as Telegram delivers them; each file goes to its own
// account, since the corpus numbers every message 1 in chat 1. Telegram sends no receipts. The
// bottender folders are camelCased, not the wire format, and are not replayed.

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/telegram/tgbot-snapshots/', import.meta.url));
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus-telegram: ${CORPUS} is absent (a user's machine): the conformance test is skipped`);

/** What each Update is stored as; null: nothing to store (the bot was blocked; a poll's state, with no person). */
const UPDATES: Record<string, string | null> = {
  'bot_status.json': null,
  'business_connection.json': 'unsupported',
  'business_message.json': 'text',
  'callback_query.json': 'unsupported', // a query without data (a game's): not a button of Mirante's
  'channel_post.json': 'text',
  'chat_boost_removed.json': 'unsupported',
  'chat_boost_updated.json': 'unsupported',
  'chat_join_request.json': 'unsupported',
  'chosen_inline_result.json': 'unsupported',
  'deleted_business_messages.json': 'delete',
  'edited_business_message.json': 'edit',
  'edited_channel_post.json': 'edit',
  'edited_message.json': 'edit',
  'guest_message.json': 'unsupported',
  'inline_query.json': 'unsupported',
  'managed_bot_updated.json': 'unsupported',
  'message.json': 'text',
  'message_reaction.json': 'reaction',
  'message_reaction_count.json': 'unsupported',
  'poll.json': null,
  'poll_answer.json': 'unsupported',
  'pre_checkout_query.json': 'unsupported',
  'purchased_paid_media.json': 'unsupported',
  'shipping_query.json': 'unsupported',
  'unknown.json': null,
  'user_status.json': 'unsupported',
};
/** getUpdates' request parameters and an empty object: not Updates, not something Telegram posts to a webhook. */
const NOT_UPDATES = new Set(['get_updates.json', 'get_updates-2.json']);

const MESSAGES: Record<string, string> = {
  'audio.json': 'audio', 'audio-2.json': 'audio', 'contact.json': 'contacts', 'document.json': 'document', 'document-2.json': 'document',
  'location.json': 'location', 'photo.json': 'image', 'photo-2.json': 'image', 'sticker.json': 'sticker', 'text.json': 'text',
  'video.json': 'video', 'video-2.json': 'video', 'video_note.json': 'video', 'voice.json': 'audio', 'voice-2.json': 'audio',
  'video_chat_ended.json': 'unsupported', 'video_chat_participants_invited.json': 'unsupported', 'video_chat_scheduled.json': 'unsupported', 'video_chat_started.json': 'unsupported',
};
/** TextQuote objects (a part of a Message), not Messages. */
const NOT_MESSAGES = new Set(['text_quote.json', 'text_quote-2.json']);

let t: TestApp;
let admin: Client;
let fake: FakeProvider;
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  fake = await FakeProvider.start();
  // answerCallbackQuery and anything else the adapter may call
  fake.on('POST', /^\/bot[^/]+\/\w+$/, { json: { ok: true, result: true } });
});
afterAll(() => fake?.close());

async function replay(body: string): Promise<{ status: number; kinds: string[] }> {
  const secretToken = randomUUID();
  const account = (await admin.post('/api/channel-accounts', { channel: 'telegram', name: unique('Bot'), provider: 'telegram', config: { apiBaseUrl: fake.url }, credentials: { botToken: '1:x', secretToken } })).body;
  const service = await createService(admin, { channel: 'telegram', channelAccountId: account.id });
  const res = await fetch(`${t.url}/webhooks/telegram/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secretToken }, body });
  const { rows } = await t.db.query<{ content_type: string }>(
    `SELECT m.content_type FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer' ORDER BY m.id`,
    [service.id],
  );
  return { status: res.status, kinds: rows.map((r) => r.content_type) };
}

describe.skipIf(!present)('Telegram corpus (tgbot snapshots) through the webhook', () => {
  const files = present ? readdirSync(CORPUS).filter((f) => f.endsWith('.json')) : [];
  const objects = present ? readdirSync(`${CORPUS}message-objects`).filter((f) => f.endsWith('.json')) : [];

  it('the table names every file of the corpus', () => {
    expect(files.filter((f) => !(f in UPDATES) && !NOT_UPDATES.has(f))).toEqual([]);
    expect(objects.filter((f) => !(f in MESSAGES) && !NOT_MESSAGES.has(f))).toEqual([]);
  });

  it.each(Object.entries(UPDATES).filter(([f]) => files.includes(f)))('%s answers 2xx and is stored as %s', async (file, kind) => {
    const r = await replay(readFileSync(`${CORPUS}${file}`, 'utf8'));
    expect(r.status).toBe(200);
    expect(r.kinds).toEqual(kind ? [kind] : []);
  });

  it.each(Object.entries(MESSAGES).filter(([f]) => objects.includes(f)))('message-objects/%s, in an Update, is stored as %s', async (file, kind) => {
    const message = JSON.parse(readFileSync(`${CORPUS}message-objects/${file}`, 'utf8'));
    const r = await replay(JSON.stringify({ update_id: 1, message }));
    expect(r.status).toBe(200);
    expect(r.kinds).toEqual([kind]);
  });

  it('a changed secret token is refused', async () => {
    const account = (await admin.post('/api/channel-accounts', { channel: 'telegram', name: unique('Bot'), provider: 'telegram', config: { apiBaseUrl: fake.url }, credentials: { botToken: '1:x', secretToken: 'abc' } })).body;
    await createService(admin, { channel: 'telegram', channelAccountId: account.id });
    const body = readFileSync(`${CORPUS}message.json`, 'utf8');
    const res = await fetch(`${t.url}/webhooks/telegram/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'abd' }, body });
    expect(res.status).toBe(401);
  });
});
