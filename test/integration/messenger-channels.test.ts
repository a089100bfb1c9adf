import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRegistry } from '../../src/channels/index.js';
import { OPTION_PAYLOAD_PREFIX } from '../../src/channels/messenger/events.js';
import { PROFILE_TIMEOUT_MS } from '../../src/channels/messenger/profile.js';
import { storeAttachment } from '../../src/engine/attachments.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { MetaMessengerSandbox, type MessengerPage } from '../../src/sandbox/meta-messenger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { FakeProvider } from '../support/fake-provider.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// Facebook Messenger and Instagram Direct end to end, with Meta played by the provider sandbox
// (src/sandbox/meta-messenger.ts) at the network edge: a customer writes, the bot answers with quick
// replies, the customer taps one, an agent answers, Meta's receipts move the ticks, files go both
// ways, and the window: 24 h normal, then the HUMAN_AGENT tag, after 7 days refused.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));
let sandbox: Sandbox;
const meta = new MetaMessengerSandbox();
let unexpect: () => void;
beforeAll(async () => {
  meta.receipts = null;
  sandbox = await startSandbox({ providers: [meta] });
  unexpect = expectOutbound(sandbox.url);
});
afterAll(async () => {
  meta.stop();
  await sandbox?.close();
  unexpect?.();
});

const H = 3_600_000;
const messagesOf = async (conversationId: string) => (await admin.get(`/api/conversations/${conversationId}`)).body.messages as any[];
const waitFor = async <T>(f: () => Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function setup(channel: 'facebook' | 'instagram') {
  const pageId = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const igUserId = channel === 'instagram' ? `1784${pageId}` : undefined;
  const credentials = { pageAccessToken: `EAAG-${randomUUID()}`, appSecret: `secret-${randomUUID()}`, verifyToken: `verify-${randomUUID()}` };
  const config = { pageId, ...(igUserId ? { igUserId } : {}), apiBaseUrl: `${sandbox.url}/meta-messenger/v21.0` };
  const created = await admin.post('/api/channel-accounts', { channel, name: unique(channel), provider: 'meta', config, credentials });
  expect(created.status).toBe(201);
  const account = created.body;
  const team = await createTeam(admin);
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel, channelAccountId: account.id, teamIds: [team.id], botFlow: TWO_STEP });
  const desk = await t.login(agent.email, agent.password);
  expect((await desk.post('/api/agent/login')).status).toBe(200);
  const page: MessengerPage = meta.connect({ channel, pageId, igUserId, ...credentials, webhookUrl: `${t.url}/webhooks/${channel}/${account.id}`, name: 'Loja Mirante' });
  return { account, service, desk, page, credentials };
}

const conversationOf = async (externalId: string, channel: string) =>
  (await t.db.query<{ id: string; state: string; name: string | null }>(
    `SELECT c.id, c.state, ct.name FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id AND ci.channel = c.channel
      JOIN contacts ct ON ct.id = c.contact_id WHERE ci.channel = $1 AND ci.external_id = $2 ORDER BY c.created_at DESC LIMIT 1`,
    [channel, externalId],
  )).rows[0];

describe.each(['facebook', 'instagram'] as const)('%s through the sandbox', (channel) => {
  it('customer writes (named by Graph), bot answers with quick replies, the tap answers the bot, the agent replies, receipts move the ticks', async () => {
    const { page, desk } = await setup(channel);
    const customer = meta.addCustomer({ id: `${channel}-cust-${randomUUID()}`, name: 'Maria Souza', username: 'maria.souza' });
    const said = await meta.customerSays(page, customer, 'Oi, quero ajuda');
    expect(said.status).toBe(200);
    const conv = await conversationOf(customer.id, channel);
    expect(conv).toMatchObject({ state: 'bot', name: 'Maria Souza' });

    // the bot's menu goes out as quick replies, a normal reply within the window
    await t.runtime.outbox.tick();
    // (the protocol's message goes before it, as a text)
    const menu = meta.sent.filter((s) => s.recipient === customer.id && s.message.quick_replies);
    expect(menu).toHaveLength(1);
    expect(menu[0]).toMatchObject({ messagingType: 'RESPONSE', tag: null, message: { text: expect.stringContaining('Escolha:') } });
    const replies = menu[0].message.quick_replies as { title: string; payload: string }[];
    expect(replies).toEqual([
      { content_type: 'text', title: 'Atendente', payload: `${OPTION_PAYLOAD_PREFIX}a` },
      { content_type: 'text', title: 'Sair', payload: `${OPTION_PAYLOAD_PREFIX}b` },
    ]);

    // the customer taps "Atendente": stored as its label, the bot transfers to the queue, an agent takes it
    expect((await meta.customerPicks(page, customer, replies[0])).status).toBe(200);
    await t.settle();
    const after = await messagesOf(conv.id);
    expect(after.find((m) => m.authorType === 'customer' && m.body === 'Atendente')).toBeTruthy();
    expect((await conversationOf(customer.id, channel)).state).toBe('in_service');

    // an old quick reply tapped after the bot is over is a text, not a refused webhook (Meta would retry it)
    expect((await meta.customerPicks(page, customer, replies[1])).status).toBe(200);
    await t.settle();
    expect((await messagesOf(conv.id)).filter((m) => m.authorType === 'customer').map((m) => m.body)).toEqual(['Oi, quero ajuda', 'Atendente', 'Sair']);
    expect((await conversationOf(customer.id, channel)).state).toBe('in_service');

    const reply = await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Olá Maria, sou a Ana. Como posso ajudar?' });
    expect(reply.status).toBe(201);
    await t.runtime.outbox.tick();
    const sent = meta.sent.find((s) => s.recipient === customer.id && s.message.text === 'Olá Maria, sou a Ana. Como posso ajudar?');
    expect(sent).toMatchObject({ messagingType: 'RESPONSE' });
    const statusOf = async () => (await messagesOf(conv.id)).find((m) => m.id === reply.body.id).deliveryStatus;
    expect(await statusOf()).toBe('sent');

    if (channel === 'facebook') {
      // Messenger: a delivery naming the message, then a read by watermark
      expect((await meta.sendReceipts(page, customer, 'delivered', { mids: [sent!.mid] })).status).toBe(200);
      expect(await statusOf()).toBe('delivered');
      expect((await meta.sendReceipts(page, customer, 'read')).status).toBe(200);
    } else {
      // Instagram: no delivery, a read naming the message
      expect((await meta.sendReceipts(page, customer, 'read', { mid: sent!.mid })).status).toBe(200);
    }
    expect(await statusOf()).toBe('read');
    // the bot's menu was sent before the watermark too
    if (channel === 'facebook') expect((await messagesOf(conv.id)).filter((m) => m.authorType === 'bot' && m.deliveryStatus === 'read').length).toBeGreaterThan(0);
  });

  it('the sandbox sends Meta’s receipts on its own after a send', async () => {
    const { page, desk } = await setup(channel);
    const customer = meta.addCustomer({ id: `${channel}-auto-${randomUUID()}`, name: 'João' });
    await meta.customerSays(page, customer, 'Oi');
    const conv = await conversationOf(customer.id, channel);
    await meta.customerPicks(page, customer, { title: 'Atendente', payload: `${OPTION_PAYLOAD_PREFIX}a` });
    await t.settle();
    const reply = await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Pois não?' });
    meta.receipts = { deliveredMs: 20, readMs: 60 };
    try {
      await t.runtime.outbox.tick();
      await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.id === reply.body.id)?.deliveryStatus === 'read', 'the read receipt');
    } finally {
      meta.receipts = null;
    }
  });

  it('an agent’s reply is stored with its quote and sent without reply context (channels.md documents none for the Send API)', async () => {
    const { page, desk } = await setup(channel);
    const customer = meta.addCustomer({ id: `${channel}-reply-${randomUUID()}`, name: 'Ana' });
    await meta.customerSays(page, customer, 'Oi');
    const conv = await conversationOf(customer.id, channel);
    await meta.customerPicks(page, customer, { title: 'Atendente', payload: `${OPTION_PAYLOAD_PREFIX}a` });
    await t.settle();
    const quoted = (await messagesOf(conv.id)).find((m) => m.authorType === 'customer' && m.body === 'Oi');
    const reply = await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Sobre o seu oi', replyToMessageId: quoted.id });
    expect(reply.status).toBe(201);
    expect(reply.body.payload.replyTo).toEqual({ messageId: quoted.id, externalId: quoted.externalId, text: 'Oi' });
    await t.runtime.outbox.tick();
    const out = meta.sent.find((m) => m.recipient === customer.id && m.message.text === 'Sobre o seu oi');
    expect(out?.message).toEqual({ text: 'Sobre o seu oi' });
    const call = sandbox.requestsTo('meta-messenger', 'POST').find((r) => (r.body as { message?: { text?: string } } | null)?.message?.text === 'Sobre o seu oi');
    expect(call).toBeDefined();
    expect(call!.body).not.toHaveProperty('reply_to');
  });

  it('files: the customer’s image is fetched from the CDN and stored; an agent’s file is uploaded with the message', async () => {
    const { page, account, service } = await setup(channel);
    const customer = meta.addCustomer({ id: `${channel}-file-${randomUUID()}`, name: 'Ana' });
    const photo = Buffer.from('\x89PNG fake image bytes', 'latin1');
    const r = await meta.customerSendsFile(page, customer, { data: photo, type: 'image/png' });
    expect(r.status).toBe(200);
    const { rows } = await t.db.query<{ id: number; content_type: string; attachments: any[] }>('SELECT id, content_type, attachments FROM messages WHERE external_id = $1', [r.mid]);
    expect(rows[0]).toMatchObject({ content_type: 'image', attachments: [{ status: 'pending', media: 'image' }] });
    await t.runtime.outbox.tick();
    const stored = (await t.db.query<{ attachments: any[] }>('SELECT attachments FROM messages WHERE id = $1', [rows[0].id])).rows[0].attachments[0];
    expect(stored).toMatchObject({ status: 'stored', type: 'image/png', size: photo.length });
    const file = await fetch(`${t.url}/api/attachments/${stored.id}`, { headers: { cookie: admin.cookie } });
    expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true);

    // an agent's file (the desk's sending of files is another piece of work: the adapter is called here)
    const conv = await conversationOf(customer.id, channel);
    const pdf = Buffer.from('%PDF-1.4 boleto');
    const att = await storeAttachment(t.db, { name: 'boleto.pdf', type: channel === 'instagram' ? 'video/mp4' : 'application/pdf', data: pdf, serviceId: service.id }, new Date());
    const { rows: mine } = await t.db.query<{ id: number }>(`SELECT id FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1`, [conv.id]);
    const loaded = await loadChannelAccount(t.db, deriveSecretKey(TEST_SECRET_KEY), channel, account.id);
    const adapter = channelRegistry.get(channel)!;
    const media = channel === 'instagram' ? 'video' : 'document';
    const result = await adapter.send!({ account: loaded, db: t.db, attempt: 1 }, {
      messageId: mine[0].id, conversationId: conv.id, serviceId: service.id, to: { externalId: customer.id }, content: { kind: 'media', media, attachmentId: att.id },
    });
    const up = meta.sent.find((s) => s.mid === result.providerMessageId);
    expect(up).toMatchObject({ recipient: customer.id, file: { name: 'boleto.pdf', size: pdf.length }, message: { attachment: { type: channel === 'instagram' ? 'video' : 'file' } } });
    if (channel === 'instagram') {
      // Instagram takes no documents: refused for good before calling Meta
      await expect(adapter.send!({ account: loaded, db: t.db, attempt: 1 }, {
        messageId: mine[0].id, conversationId: conv.id, serviceId: service.id, to: { externalId: customer.id }, content: { kind: 'media', media: 'document', attachmentId: att.id },
      })).rejects.toMatchObject({ reasonCode: 'media_unsupported' });
    }
  });

  it('the window: after 24 h the HUMAN_AGENT tag, after 7 days refused before it is stored; Graph’s own refusal is permanent too', async () => {
    const { page, desk } = await setup(channel);
    const customer = meta.addCustomer({ id: `${channel}-win-${randomUUID()}`, name: 'Rita' });
    await meta.customerSays(page, customer, 'Oi');
    const conv = await conversationOf(customer.id, channel);
    await meta.customerPicks(page, customer, { title: 'Atendente', payload: `${OPTION_PAYLOAD_PREFIX}a` });
    await t.settle();
    const sendAndTick = async (text: string) => {
      const r = await desk.post(`/api/conversations/${conv.id}/messages`, { text });
      expect(r.status).toBe(201);
      await t.runtime.outbox.tick();
      return (await messagesOf(conv.id)).find((m) => m.id === r.body.id);
    };

    t.clock.advance(25 * H);
    expect(await sendAndTick('Conseguiu resolver?')).toMatchObject({ deliveryStatus: 'sent' });
    expect(meta.sent.find((s) => s.recipient === customer.id && s.message.text === 'Conseguiu resolver?')).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    // Graph refuses (its clock, not ours): a permanent failure with the reason, not retried
    meta.closedWindows.add(customer.id);
    const refused = await sendAndTick('Ainda está aí?');
    expect(refused).toMatchObject({ deliveryStatus: 'failed', deliveryError: { code: 'window_closed' } });
    meta.closedWindows.delete(customer.id);

    // past 7 days the desk refuses the text before it is stored (the engine reads the capabilities'
    // humanAgentHours); the adapter would refuse it too, without calling Meta
    t.clock.advance(7 * 24 * H);
    const before = meta.sent.length;
    const late = await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Olá de novo' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('window_closed');
    await t.runtime.outbox.tick();
    expect(meta.sent.length).toBe(before);

    // the customer writes again: the window is open again
    await meta.customerSays(page, customer, 'Voltei');
    expect(await sendAndTick('Que bom!')).toMatchObject({ deliveryStatus: 'sent' });
  });
});

describe('Messenger and Instagram accounts', () => {
  it('the webhook refuses a bad signature (401, nothing stored) and answers the GET challenge for the verify token only', async () => {
    const { page, account, credentials } = await setup('facebook');
    const body = JSON.stringify(meta.envelope(page, { sender: { id: 'intruder' }, message: { mid: `m_${randomUUID()}`, text: 'forjada' } }));
    const bad = await fetch(page.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, body });
    expect(bad.status).toBe(401);
    const none = await fetch(page.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    expect(await conversationOf('intruder', 'facebook')).toBeUndefined();

    const ok = await fetch(`${t.url}/webhooks/facebook/${account.id}?hub.mode=subscribe&hub.verify_token=${credentials.verifyToken}&hub.challenge=12345`);
    expect([ok.status, await ok.text()]).toEqual([200, '12345']);
    const wrong = await fetch(`${t.url}/webhooks/facebook/${account.id}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=12345`);
    expect(wrong.status).toBe(403);
  });

  it('by hand: the sandbox’s control routes make a customer write and list what Mirante sent', async () => {
    const { page } = await setup('instagram');
    const customer = { id: `ig-hand-${randomUUID()}`, name: 'Bia' };
    const said = await fetch(`${sandbox.url}/meta-messenger/_control/says`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pageId: page.pageId, customer, text: 'Olá' }) });
    expect(await said.json()).toMatchObject({ status: 200 });
    expect(await conversationOf(customer.id, 'instagram')).toMatchObject({ name: 'Bia' });
    await t.runtime.outbox.tick();
    const sent = (await (await fetch(`${sandbox.url}/meta-messenger/_control/sent`)).json()) as { recipient: string; pageId: string }[];
    expect(sent.filter((x) => x.recipient === customer.id).map((x) => x.pageId)).toEqual([page.pageId, page.pageId]);
  });

  it('a profile that Graph does not give leaves the contact unnamed, and the message is stored anyway', async () => {
    const { page } = await setup('instagram');
    const stranger = `ig-unknown-${randomUUID()}`;
    expect((await meta.customerSays(page, stranger, 'oi')).status).toBe(200);
    expect(await conversationOf(stranger, 'instagram')).toMatchObject({ name: null });
  });

  it('a slow Graph does not hold the webhook: the message is stored within the time limit, unnamed, and the name is not asked again at once', async () => {
    const slow = await FakeProvider.start();
    try {
      slow.on('GET', /^\/v21\.0\/slow-/, { delayMs: 10_000, json: { name: 'Tarde Demais' } });
      const { page, account } = await setup('facebook');
      const r = await admin.patch(`/api/channel-accounts/${account.id}`, { config: { pageId: page.pageId, apiBaseUrl: `${slow.url}/v21.0` } });
      expect(r.status).toBe(200);
      const customer = `slow-${randomUUID()}`;
      const started = Date.now();
      expect((await meta.customerSays(page, customer, 'oi')).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(PROFILE_TIMEOUT_MS + 2500);
      expect(await conversationOf(customer, 'facebook')).toMatchObject({ name: null });
      expect((await meta.customerSays(page, customer, 'tem alguém?')).status).toBe(200);
      expect(slow.requests.filter((q) => q.path === `/v21.0/${customer}`)).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('testConnection says what is wrong; accountSaved subscribes the Page', async () => {
    const { account } = await setup('facebook');
    const key = deriveSecretKey(TEST_SECRET_KEY);
    const loaded = await loadChannelAccount(t.db, key, 'facebook', account.id);
    const adapter = channelRegistry.get('facebook')!;
    expect(await adapter.testConnection!({ account: loaded, db: t.db })).toEqual({ ok: true, detail: { en: 'connected to Loja Mirante', pt: 'conectado a Loja Mirante' } });
    const badToken = await adapter.testConnection!({ account: { ...loaded, credentials: { ...loaded.credentials, pageAccessToken: 'wrong' } }, db: t.db });
    expect(badToken).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('token de acesso da página foi recusado') } });
    const missing = await adapter.testConnection!({ account: { ...loaded, credentials: { ...loaded.credentials, appSecret: '' } }, db: t.db });
    expect(missing).toEqual({ ok: false, problem: { en: 'missing: appSecret', pt: 'faltam: appSecret' } });
    const wrongId = await adapter.testConnection!({ account: { ...loaded, config: { ...loaded.config, pageId: '999' } }, db: t.db });
    expect(wrongId).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('o id da página não foi encontrado') } });
    // nothing listens there: Meta cannot be reached
    const closed = 'http://127.0.0.1:9';
    const undo = expectOutbound(closed);
    try {
      const unreachable = await adapter.testConnection!({ account: { ...loaded, config: { ...loaded.config, apiBaseUrl: `${closed}/v21.0` } }, db: t.db });
      expect(unreachable).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('não foi possível falar com a API da Meta') } });
    } finally {
      undo();
    }

    await adapter.accountSaved!({ account: loaded, db: t.db });
    const sub = sandbox.requestsTo('meta-messenger', 'POST').find((r) => r.url.includes(`/${String(loaded.config.pageId)}/subscribed_apps`));
    expect(sub?.url).toContain('subscribed_fields=messages%2Cmessage_deliveries%2Cmessage_reads');
    expect(sub?.headers.authorization).toBe(`Bearer ${loaded.credentials.pageAccessToken}`);
  });
});
