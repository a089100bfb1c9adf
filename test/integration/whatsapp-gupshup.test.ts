import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappAdapter } from '../../src/channels/whatsapp/index.js';
import { storeAttachment } from '../../src/engine/attachments.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { createGupshup } from '../../src/sandbox/gupshup.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// WhatsApp through Gupshup, end to end against the provider sandbox: callbacks authenticated by the
// account's secret, the bot's quick-reply buttons, the pick by postbackText, an agent's text, the
// message-events moving the ticks (Gupshup's id in gsId), the closed window failing later by event
// with the window's reason, a template, files both ways and "Testar conexão".

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const gs = createGupshup();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([gs.provider]);
});
afterAll(() => sb?.close());

const key = deriveSecretKey(TEST_SECRET_KEY);
const hex = () => randomBytes(6).toString('hex');

async function setup(opts: { botFlow?: unknown } = {}) {
  const appName = `LojaBR${hex()}`;
  const config = { appName, appId: `app-${hex()}`, sourceNumber: '551140000000', apiBaseUrl: `${sb.url}/gupshup` };
  const credentials = { apiKey: `key-${hex()}`, appToken: `sk_${hex()}`, webhookSecret: `wh-${hex()}` };
  const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('Gupshup'), provider: 'gupshup', config, credentials })).body;
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id], ...(opts.botFlow ? { botFlow: opts.botFlow } : {}) });
  const webhookUrl = `${t.url}/webhooks/whatsapp/${account.id}`;
  gs.connect({ ...config, ...credentials, webhookUrl, autoEvents: false, wallet: { currency: 'USD', currentBalance: 12.5, overDraftLimit: -20 } });
  const desk = await t.login(agent.email, agent.password);
  const phone = `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`;
  return { account, service, config, credentials, webhookUrl, desk, phone, customer: { phone, name: 'João Lima' } };
}

const conversationOf = async (externalId: string) =>
  (await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [externalId])).rows[0].conversation_id;
const history = async (id: string) => (await admin.get(`/api/conversations/${id}`)).body as { conversation: any; messages: any[] };

describe('WhatsApp through Gupshup and the sandbox', () => {
  it('customer writes, bot answers with quick replies, the pick is the option, an agent answers, events tick, the closed window fails, a template goes out', async () => {
    const s = await setup({ botFlow: TWO_STEP });
    const hello = await gs.customerSays(s.config.appName, s.customer, 'Oi');
    expect(hello.status).toBe(200);
    await t.settle();
    const id = await conversationOf(hello.id);
    expect((await history(id)).conversation.state).toBe('bot');
    await t.runtime.outbox.tick();
    const menu = gs.sent.find((m) => m.destination === s.phone && m.message.type === 'quick_reply')!;
    expect(menu.message).toMatchObject({
      content: { type: 'text', text: 'Escolha:' },
      options: [{ type: 'text', title: 'Atendente', postbackText: 'a' }, { type: 'text', title: 'Sair', postbackText: 'b' }],
    });
    // the form carried the account's app, number and key
    const call = sb.requestsTo('gupshup', 'POST', '/wa/api/v1/msg').at(-1)!;
    expect(call.headers.apikey).toBe(s.credentials.apiKey);
    expect(call.body).toMatchObject({ channel: 'whatsapp', source: '551140000000', destination: s.phone, 'src.name': s.config.appName });

    expect((await gs.customerPicks(s.config.appName, s.customer, { id: 'a', title: 'Atendente' })).status).toBe(200);
    await t.settle();
    let h = await history(id);
    expect(h.conversation.state).toBe('queued');
    expect(h.messages.find((m) => m.contentType === 'option')).toMatchObject({ authorType: 'customer', body: 'Atendente' });

    await s.desk.post('/api/agent/login');
    await t.settle();
    const reply = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Olá, João!' });
    await t.runtime.outbox.tick();
    const out = gs.sent.at(-1)!;
    expect(out.message).toEqual({ type: 'text', text: 'Olá, João!' });
    for (const type of ['enqueued', 'sent', 'delivered'] as const) expect((await gs.sendEvent(s.config.appName, out.messageId, type)).status).toBe(200);
    h = await history(id);
    expect(h.messages.find((m) => m.id === reply.body.id).deliveryStatus).toBe('delivered');

    gs.closeWindow(s.config.appName, s.phone);
    const late = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Ainda aí?' });
    await t.runtime.outbox.tick();
    await eventually(async () => {
      const m = (await history(id)).messages.find((x) => x.id === late.body.id);
      expect(m.deliveryStatus).toBe('failed');
      expect(m.deliveryError).toEqual({ code: 'window_closed', message: '131047 Re-engagement message' });
    });

    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const sent = await whatsappAdapter.send!({ account, db: t.db, attempt: 1 }, {
      messageId: late.body.id, conversationId: id, serviceId: s.service.id, to: { externalId: s.phone },
      content: { kind: 'template', name: '9b71295f-f7af-4c1f-b2b4-31b4a4867bad', language: 'pt_BR', parameters: ['João', '#4521'] },
    });
    expect(gs.sent.find((x) => x.messageId === sent.providerMessageId)).toMatchObject({ template: true, message: { id: '9b71295f-f7af-4c1f-b2b4-31b4a4867bad', params: ['João', '#4521'] } });
  });

  it('a customer\'s file is fetched from its URL; an agent\'s file gets a media id from the Partner API', async () => {
    const s = await setup();
    const audio = randomBytes(1500);
    const r = await gs.customerSendsMedia(s.config.appName, s.customer, { kind: 'audio', data: audio, mimeType: 'audio/ogg' });
    expect(r.status).toBe(200);
    await t.runtime.outbox.tick();
    const [m] = (await t.db.query<{ id: number; content_type: string; attachments: any[] }>('SELECT id, content_type, attachments FROM messages WHERE external_id = $1', [r.id])).rows;
    expect(m.content_type).toBe('audio');
    expect(m.attachments[0]).toMatchObject({ status: 'stored', type: 'audio/ogg', size: audio.length });

    const png = randomBytes(700);
    const stored = await storeAttachment(t.db, { name: 'foto.png', type: 'image/png', data: png, serviceId: s.service.id }, new Date());
    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const sent = await whatsappAdapter.send!({ account, db: t.db, attempt: 1 }, {
      messageId: m.id, conversationId: await conversationOf(r.id), serviceId: s.service.id, to: { externalId: s.phone },
      content: { kind: 'media', media: 'image', attachmentId: stored.id, caption: 'veja' },
    });
    const out = gs.sent.find((x) => x.messageId === sent.providerMessageId)!;
    expect(out.message).toMatchObject({ type: 'image', caption: 'veja' });
    expect(sb.files.get(out.message.id as string)!.data.equals(png)).toBe(true);
    expect(sb.requestsTo('gupshup', 'POST', `/partner/app/${s.config.appId}/media`).at(-1)!.headers.authorization).toBe(s.credentials.appToken);
  });

  it('an agent\'s reply is stored with its quote but sent without context (Gupshup\'s session message has no reply field)', async () => {
    const s = await setup();
    const hello = await gs.customerSays(s.config.appName, s.customer, 'Cadê meu boleto?');
    await t.settle();
    const id = await conversationOf(hello.id);
    await s.desk.post('/api/agent/login');
    await t.settle();
    const quoted = (await history(id)).messages.find((m) => m.externalId === hello.id);
    const reply = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Enviei agora', replyToMessageId: quoted.id });
    expect(reply.status).toBe(201);
    expect(reply.body.payload.replyTo).toEqual({ messageId: quoted.id, externalId: hello.id, text: 'Cadê meu boleto?' });
    await t.runtime.outbox.tick();
    const out = gs.sent.find((m) => m.destination === s.phone && (m.message as { text?: string }).text === 'Enviei agora');
    expect(out?.message).toEqual({ type: 'text', text: 'Enviei agora' });
  });

  it('a callback without the account\'s secret is a 401 that stores nothing; one for another app is a 400', async () => {
    const s = await setup();
    const body = JSON.stringify({ app: s.config.appName, timestamp: 1718007189549, version: 2, type: 'message', payload: { id: 'ABEGforged', source: s.phone, type: 'text', payload: { text: 'x' }, sender: { phone: s.phone } } });
    for (const headers of [{}, { authorization: 'wrong' }] as Record<string, string>[]) {
      expect((await fetch(s.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status).toBe(401);
    }
    expect((await t.db.query('SELECT 1 FROM messages WHERE external_id = $1', ['ABEGforged'])).rows).toEqual([]);
    // the secret may come in the URL instead of the header
    expect((await fetch(`${s.webhookUrl}?token=${s.credentials.webhookSecret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
    const other = body.replace(s.config.appName, 'OutraLoja');
    expect((await fetch(s.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: s.credentials.webhookSecret }, body: other })).status).toBe(400);
  });

  it('Testar conexão checks the API key and the App Id / App Token', async () => {
    const s = await setup();
    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const check = (over: { config?: object; credentials?: object }) =>
      whatsappAdapter.testConnection!({ account: { ...account, config: { ...account.config, ...over.config }, credentials: { ...account.credentials, ...over.credentials } as Record<string, string> }, db: t.db });
    expect(await check({})).toEqual({ ok: true, detail: { en: `app ${s.config.appName}`, pt: `app ${s.config.appName}` } });
    expect(await check({ credentials: { apiKey: 'nope' } })).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('a Gupshup recusou a API key') } });
    expect(await check({ credentials: { appToken: 'nope' } })).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('a Gupshup recusou o App Id / App Token') } });
    expect(await check({ credentials: { appToken: '' } })).toMatchObject({ ok: true, detail: { pt: expect.stringContaining('sem App Id e App Token') } });
  });
});
