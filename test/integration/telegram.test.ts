import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramAdapter } from '../../src/channels/telegram/index.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { PermanentFailure } from '../../src/engine/outbox.js';
import { storeAttachment } from '../../src/engine/attachments.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { customerBlocks, customerEdits, customerPicks, customerSays, customerSendsPhoto, telegramProvider, telegramState, type TelegramCustomer } from '../../src/sandbox/telegram.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// The Telegram channel through the provider sandbox: the account's save registers the webhook with
// its secret token, a customer writes, the bot answers with an inline keyboard, the press answers the
// bot, an agent answers with text and a file, the customer's photo is fetched through getFile, an
// edit is kept as an edit, a customer who blocked the bot makes sends fail for good.

const PUBLIC_URL = 'https://mirante.example.test';
const KEY = deriveSecretKey(TEST_SECRET_KEY);
let t: TestApp;
let admin: Client;
let sandbox: Sandbox;
let unexpect: () => void;
appForFile((app) => ({ t, admin } = app), { publicUrl: PUBLIC_URL });

beforeAll(async () => {
  // Telegram calls PUBLIC_URL; here a proxy in front of Mirante would route it to the test app
  sandbox = await startSandbox({ providers: [telegramProvider({ deliverTo: (u) => u.replace(PUBLIC_URL, t.url) })] });
  unexpect = expectOutbound(sandbox.url);
});
afterAll(async () => {
  await sandbox?.close();
  unexpect?.();
});

async function setup(botFlow: unknown = TWO_STEP) {
  const botToken = `${Math.floor(Math.random() * 1e9)}:${randomUUID()}`;
  const secretToken = randomUUID().replaceAll('-', '');
  const created = await admin.post('/api/channel-accounts', {
    channel: 'telegram', name: unique('Bot'), provider: 'telegram',
    config: { botUsername: `sandbox_${botToken.split(':')[0]}_bot`, apiBaseUrl: `${sandbox.url}/telegram` },
    credentials: { botToken, secretToken },
  });
  expect(created.status).toBe(201);
  const account = await loadChannelAccount(t.db, KEY, 'telegram', created.body.id);
  await telegramAdapter.accountSaved!({ account, db: t.db, publicUrl: PUBLIC_URL });
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'telegram', channelAccountId: account.id, teamIds: [team.id], botFlow });
  const customer: TelegramCustomer = { id: 700_000 + Math.floor(Math.random() * 1e6), firstName: 'Maria', lastName: 'Souza' };
  return { botToken, secretToken, account, service, agent, customer };
}

const sends = (chatId: number) => sandbox.requestsTo('telegram', 'POST').filter((r) => (r.body as { chat_id?: unknown })?.chat_id === String(chatId) || (r.body as { chat_id?: unknown })?.chat_id === chatId);
const conversationOf = async (chatId: number) =>
  (await t.db.query<{ id: string }>(`SELECT c.id FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id WHERE ci.channel = 'telegram' AND ci.external_id = $1 ORDER BY c.created_at DESC LIMIT 1`, [String(chatId)])).rows[0].id;

describe('Telegram through the sandbox', () => {
  it('saving the account calls setWebhook with PUBLIC_URL, the secret token and the updates Mirante reads; without PUBLIC_URL it says so', async () => {
    const { botToken, secretToken, account } = await setup();
    const call = sandbox.requestsTo('telegram', 'POST', `/bot${botToken}/setWebhook`).at(-1)!;
    expect(call.body).toMatchObject({ url: `${PUBLIC_URL}/webhooks/telegram/${account.id}`, secret_token: secretToken, allowed_updates: expect.arrayContaining(['message', 'edited_message', 'callback_query', 'my_chat_member']) });
    const err = await telegramAdapter.accountSaved!({ account, db: t.db }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, code: 'public_url_missing' });
    expect((err as { pt: string }).pt).toContain('PUBLIC_URL');
  });

  it('a wrong or missing secret token is a 401 and stores nothing', async () => {
    const { account, customer } = await setup();
    const body = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: customer.id, type: 'private' }, from: { id: customer.id, is_bot: false, first_name: 'X' }, text: 'oi' } });
    for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'not-the-secret' }] as Record<string, string>[]) {
      const r = await fetch(`${t.url}/webhooks/telegram/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(r.status).toBe(401);
    }
    expect((await t.db.query(`SELECT 1 FROM contact_identities WHERE channel = 'telegram' AND external_id = $1`, [String(customer.id)])).rows).toEqual([]);
  });

  it('the bot answers with an inline keyboard; the press answers it as that option; the agent answers; a photo is fetched; an edit is an edit', async () => {
    const { botToken, service, agent, customer } = await setup();
    expect((await customerSays(sandbox, botToken, customer, 'Olá')).status).toBe(200);
    await t.settle();
    await t.runtime.outbox.tick();
    // the protocol message and the menu went out; the menu as an inline keyboard, its data the options' ids
    const menu = sends(customer.id).find((r) => (r.body as { reply_markup?: unknown }).reply_markup)!;
    expect(menu.url).toMatch(/\/sendMessage$/);
    expect(menu.body).toMatchObject({ text: 'Escolha:', reply_markup: { inline_keyboard: [[{ text: 'Atendente', callback_data: 'a' }], [{ text: 'Sair', callback_data: 'b' }]] } });

    // the customer presses "Atendente": stored as the label, the bot transfers to the queue, the spinner is answered
    const sentMenu = { message_id: 55, chat: { id: customer.id, type: 'private' }, date: 0, text: 'Escolha:', reply_markup: (menu.body as { reply_markup: unknown }).reply_markup };
    expect((await customerPicks(sandbox, botToken, customer, sentMenu, 'a')).status).toBe(200);
    await t.settle();
    const conversationId = await conversationOf(customer.id);
    let view = (await admin.get(`/api/conversations/${conversationId}`)).body;
    expect(view.conversation.state).toBe('queued');
    expect(view.conversation.serviceId).toBe(service.id);
    expect(view.messages.filter((m: any) => m.authorType === 'customer').map((m: any) => m.body)).toEqual(['Olá', 'Atendente']);
    await expect.poll(() => sandbox.requestsTo('telegram', 'POST', `/bot${botToken}/answerCallbackQuery`).length).toBe(1);

    // the agent takes it and answers: a sendMessage to the chat, its message id kept
    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    await t.settle();
    expect((await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Olá Maria, como posso ajudar?' })).status).toBe(201);
    await t.runtime.outbox.tick();
    const answer = sends(customer.id).find((r) => (r.body as { text?: string }).text === 'Olá Maria, como posso ajudar?');
    expect(answer?.url).toMatch(/\/sendMessage$/);
    const agentMessage = (await t.db.query<{ provider_message_id: string; delivery_status: string }>(`SELECT provider_message_id, delivery_status FROM messages WHERE conversation_id = $1 AND author_type = 'agent'`, [conversationId])).rows[0];
    expect(agentMessage.provider_message_id).toMatch(new RegExp(`^${customer.id}:\\d+$`));
    expect(agentMessage.delivery_status).toBe('sent');

    // a photo with a caption: stored at once, fetched through getFile and the file URL
    const photo = Buffer.from('\xff\xd8\xff fake jpeg bytes', 'latin1');
    expect((await customerSendsPhoto(sandbox, botToken, customer, photo, 'comprovante')).status).toBe(200);
    await t.runtime.outbox.tick();
    view = (await desk.get(`/api/conversations/${conversationId}`)).body;
    const withPhoto = view.messages.find((m: any) => m.body === 'comprovante');
    expect(withPhoto.contentType).toBe('image');
    expect(withPhoto.attachments).toMatchObject([{ status: 'stored', media: 'image', type: 'image/jpeg', size: photo.length }]);
    const file = await fetch(`${t.url}/api/attachments/${withPhoto.attachments[0].id}`, { headers: { cookie: desk.cookie } });
    expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true);

    // the customer edits their first message: a new entry naming the one it changes
    const first = (await t.db.query<{ external_id: string }>(`SELECT external_id FROM messages WHERE conversation_id = $1 AND body = 'Olá'`, [conversationId])).rows[0];
    expect((await customerEdits(sandbox, botToken, customer, Number(first.external_id.split(':')[1]), 'Olá!!')).status).toBe(200);
    await t.settle();
    view = (await desk.get(`/api/conversations/${conversationId}`)).body;
    expect(view.messages.find((m: any) => m.contentType === 'edit')).toMatchObject({ body: 'Olá!!', payload: { editOf: first.external_id } });
  });

  it('an agent replies with context: reply_parameters names the quoted message in the chat', async () => {
    const { botToken, agent, customer } = await setup(null);
    expect((await customerSays(sandbox, botToken, customer, 'Quando chega?')).status).toBe(200);
    await t.settle();
    const conversationId = await conversationOf(customer.id);
    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    await t.settle();
    const quoted = (await desk.get(`/api/conversations/${conversationId}`)).body.messages.find((m: any) => m.body === 'Quando chega?');
    const [, telegramId] = String(quoted.externalId).split(':');
    const reply = await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Amanhã', replyToMessageId: quoted.id });
    expect(reply.status).toBe(201);
    expect(reply.body.payload.replyTo).toEqual({ messageId: quoted.id, externalId: quoted.externalId, text: 'Quando chega?' });
    await t.runtime.outbox.tick();
    const out = sends(customer.id).find((r) => (r.body as { text?: string }).text === 'Amanhã');
    expect(out?.body).toMatchObject({ reply_parameters: { message_id: Number(telegramId) } });
    // a text without a quote carries none
    await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Até logo' });
    await t.runtime.outbox.tick();
    const plain = sends(customer.id).find((r) => (r.body as { text?: string }).text === 'Até logo');
    expect(plain).toBeDefined();
    expect(plain!.body).not.toHaveProperty('reply_parameters');
  });

  it('a press on a menu the bot has left behind is kept as typed text, not refused', async () => {
    const { botToken, customer } = await setup();
    await customerSays(sandbox, botToken, customer, 'Oi');
    await t.settle();
    const sentMenu = { message_id: 9, chat: { id: customer.id, type: 'private' }, date: 0, text: 'Escolha:', reply_markup: { inline_keyboard: [[{ text: 'Atendente', callback_data: 'a' }]] } };
    expect((await customerPicks(sandbox, botToken, customer, sentMenu, 'a')).status).toBe(200);
    await t.settle();
    // pressed again: the conversation is queued now, the press is a customer message with the label
    expect((await customerPicks(sandbox, botToken, customer, sentMenu, 'a')).status).toBe(200);
    await t.settle();
    const view = (await admin.get(`/api/conversations/${await conversationOf(customer.id)}`)).body;
    expect(view.conversation.state).toBe('queued');
    expect(view.messages.filter((m: any) => m.authorType === 'customer').map((m: any) => m.body)).toEqual(['Oi', 'Atendente', 'Atendente']);
  });

  it('sends a file as a multipart upload, and fails for good once the customer blocked the bot', async () => {
    const { botToken, account, service, customer } = await setup(null);
    await customerSays(sandbox, botToken, customer, 'Oi');
    await t.settle();
    const conversationId = await conversationOf(customer.id);
    const stored = await storeAttachment(t.db, { name: 'boleto.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 boleto'), serviceId: service.id }, new Date());
    const loaded = await loadChannelAccount(t.db, KEY, 'telegram', account.id);
    const message = { messageId: 1, conversationId, serviceId: service.id, to: { externalId: String(customer.id) }, content: { kind: 'media' as const, media: 'document' as const, attachmentId: stored.id, caption: 'segue o boleto' } };
    const sent = await telegramAdapter.send!({ account: loaded, db: t.db, attempt: 1 }, message);
    expect(sent.providerMessageId).toMatch(new RegExp(`^${customer.id}:\\d+$`));
    const upload = sandbox.requestsTo('telegram', 'POST', `/bot${botToken}/sendDocument`).at(-1)!;
    expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data/);
    const kept = [...sandbox.files.values()].find((f) => f.name === 'boleto.pdf');
    expect(kept?.data.toString()).toBe('%PDF-1.4 boleto');

    // a reply names the customer's message (Mirante keeps chat:message_id; Telegram wants the number)
    await telegramAdapter.send!({ account: loaded, db: t.db, attempt: 1 }, { ...message, replyTo: `${customer.id}:77`, content: { kind: 'text', text: 'sobre isso' } });
    expect(sandbox.requestsTo('telegram', 'POST', `/bot${botToken}/sendMessage`).at(-1)!.body).toMatchObject({ chat_id: String(customer.id), text: 'sobre isso', reply_parameters: { message_id: 77 } });
    // a file Telegram no longer has is gone for good, not retried
    const gone = await telegramAdapter.fetchMedia!({ account: loaded, db: t.db }, { media: 'image', ref: 'no-such-file' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PermanentFailure);
    expect((gone as PermanentFailure).reasonCode).toBe('media_gone');

    // blocked: my_chat_member is accepted (nothing to store), and a send is a permanent failure
    expect((await customerBlocks(sandbox, botToken, customer)).status).toBe(200);
    const err = await telegramAdapter.send!({ account: loaded, db: t.db, attempt: 1 }, { ...message, content: { kind: 'text', text: 'ainda aí?' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentFailure);
    expect((err as PermanentFailure).reasonCode).toBe('blocked');
    // templates do not exist on Telegram
    await expect(telegramAdapter.send!({ account: loaded, db: t.db, attempt: 1 }, { ...message, content: { kind: 'template', name: 'x', language: 'pt_BR', parameters: [] } })).rejects.toBeInstanceOf(PermanentFailure);
  });

  it('Testar conexão: getMe with the token, the bot username checked; a refused token said in pt and en', async () => {
    const { botToken, account } = await setup();
    const loaded = await loadChannelAccount(t.db, KEY, 'telegram', account.id);
    expect(await telegramAdapter.testConnection!({ account: loaded, db: t.db })).toMatchObject({ ok: true });
    expect(await telegramAdapter.testConnection!({ account: { ...loaded, config: { ...loaded.config, botUsername: 'outro_bot' } }, db: t.db })).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('não de @outro_bot') } });
    telegramState(sandbox).refusedTokens.add(botToken);
    expect(await telegramAdapter.testConnection!({ account: loaded, db: t.db })).toEqual({ ok: false, problem: { en: 'Telegram refused the bot token', pt: 'o Telegram recusou o token do bot' } });
  });
});
