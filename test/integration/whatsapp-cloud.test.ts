import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappAdapter } from '../../src/channels/whatsapp/index.js';
import { storeAttachment } from '../../src/engine/attachments.js';
import { loadChannelAccount, type LoadedChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { eventually, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// WhatsApp through Meta's Cloud API, end to end against the provider sandbox at the network edge:
// signed webhooks in, the bot's reply buttons out, the pick answered as the option, an agent's text,
// receipts moving the ticks, the closed window refusing free text for good while a template goes out,
// files both ways, the GET handshake and "Testar conexão".

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const wa = createMetaWhatsApp();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([wa.provider]);
});
afterAll(() => sb?.close());

const key = deriveSecretKey(TEST_SECRET_KEY);
const hex = () => randomBytes(6).toString('hex');

async function setup(opts: { botFlow?: unknown } = {}) {
  const phoneNumberId = `1065${Date.now() % 1e8}${hex().slice(0, 4)}`;
  const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: `vt-${hex()}` };
  const account = (await admin.post('/api/channel-accounts', {
    channel: 'whatsapp', name: unique('WhatsApp'), provider: 'meta',
    config: { phoneNumberId, wabaId: '102290129340398', apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` },
    credentials,
  })).body;
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id], ...(opts.botFlow ? { botFlow: opts.botFlow } : {}) });
  const webhookUrl = `${t.url}/webhooks/whatsapp/${account.id}`;
  wa.connect({ phoneNumberId, ...credentials, webhookUrl, autoReceipts: false });
  const desk = await t.login(agent.email, agent.password);
  const waId = `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`;
  return { account, service, phoneNumberId, credentials, webhookUrl, desk, waId, customer: { waId, name: 'Maria Souza' } };
}

const conversationOf = async (externalId: string) =>
  (await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [externalId])).rows[0].conversation_id;
const history = async (id: string) => (await admin.get(`/api/conversations/${id}`)).body as { conversation: any; messages: any[] };
const sentTo = (pn: string, to: string) => wa.sent.filter((s) => s.phoneNumberId === pn && s.to === to);

describe('WhatsApp Cloud API through the sandbox', () => {
  it('customer writes, bot answers with reply buttons, the pick is the option, an agent answers, receipts tick, the closed window refuses text and a template goes out', async () => {
    const s = await setup({ botFlow: TWO_STEP });
    const hello = await wa.customerSays(s.phoneNumberId, s.customer, 'Oi, preciso de ajuda');
    expect(hello.status).toBe(200);
    await t.settle();
    const id = await conversationOf(hello.id);
    let h = await history(id);
    expect(h.conversation.state).toBe('bot');
    expect(h.messages.find((m) => m.authorType === 'customer')).toMatchObject({ body: 'Oi, preciso de ajuda', contentType: 'text' });
    // the contact is the customer's number, in E.164, with their profile name
    const contact = (await t.db.query('SELECT ct.name, ct.phone FROM contacts ct JOIN conversations c ON c.contact_id = ct.id WHERE c.id = $1', [id])).rows[0];
    expect(contact).toEqual({ name: 'Maria Souza', phone: `+${s.waId}` });

    await t.runtime.outbox.tick();
    const menu = sentTo(s.phoneNumberId, s.waId).find((m) => m.body.type === 'interactive');
    expect(menu?.body.interactive).toEqual({
      type: 'button',
      body: { text: 'Escolha:' },
      action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'Atendente' } }, { type: 'reply', reply: { id: 'b', title: 'Sair' } }] },
    });

    const pick = await wa.customerPicks(s.phoneNumberId, s.customer, { id: 'a', title: 'Atendente', context: menu!.id });
    expect(pick.status).toBe(200);
    await t.settle();
    h = await history(id);
    expect(h.conversation.state).toBe('queued');
    expect(h.messages.find((m) => m.authorType === 'customer' && m.contentType === 'option')).toMatchObject({ body: 'Atendente', payload: { replyTo: menu!.id } });

    await s.desk.post('/api/agent/login');
    await t.settle();
    const reply = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Bom dia, Maria! Como posso ajudar?' });
    expect(reply.status).toBe(201);
    await t.runtime.outbox.tick();
    const out = sentTo(s.phoneNumberId, s.waId).at(-1)!;
    expect(out.body).toMatchObject({ messaging_product: 'whatsapp', to: s.waId, type: 'text', text: { body: 'Bom dia, Maria! Como posso ajudar?' } });
    // Meta's requests carried the account's token
    expect(sb.requestsTo('meta-whatsapp', 'POST', `/v21.0/${s.phoneNumberId}/messages`).every((r) => r.headers.authorization === `Bearer ${s.credentials.accessToken}`)).toBe(true);

    // receipts arrive out of order: read wins, delivered after it changes nothing
    expect((await wa.sendReceipts(s.phoneNumberId, out.id, ['read'])).status).toBe(200);
    expect((await wa.sendReceipts(s.phoneNumberId, out.id, ['delivered'])).status).toBe(200);
    h = await history(id);
    expect(h.messages.find((m) => m.id === reply.body.id)).toMatchObject({ deliveryStatus: 'read' });

    // 24 h later: free text fails for good with the window's reason, after one attempt
    wa.closeWindow(s.phoneNumberId, s.waId);
    const late = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Ainda está aí?' });
    await t.runtime.outbox.tick();
    h = await history(id);
    const failed = h.messages.find((m) => m.id === late.body.id);
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.deliveryError.code).toBe('window_closed');
    expect(failed.deliveryError.message).toContain('131047');
    const item = (await t.db.query('SELECT attempts, dead_at FROM outbox WHERE message_id = $1', [late.body.id])).rows[0];
    expect(item.attempts).toBe(1);
    expect(item.dead_at).not.toBeNull();

    // an approved template still goes out (sent by the adapter: the desk's template composer is another part)
    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const sent = await whatsappAdapter.send!({ account, db: t.db, attempt: 1 }, {
      messageId: late.body.id, conversationId: id, serviceId: s.service.id, to: { externalId: s.waId },
      content: { kind: 'template', name: 'atualizacao_pedido', language: 'pt_BR', parameters: ['Maria', '#4521'] },
    });
    expect(sent.providerMessageId).toMatch(/^wamid\./);
    expect(sentTo(s.phoneNumberId, s.waId).at(-1)!.body).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: s.waId, type: 'template',
      template: { name: 'atualizacao_pedido', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '#4521' }] }] },
    });
  });

  it('a customer\'s photo is fetched by its media id with the token and checked; an agent\'s file is uploaded and sent by id', async () => {
    const s = await setup();
    const photo = randomBytes(2048);
    const r = await wa.customerSendsMedia(s.phoneNumberId, s.customer, { kind: 'image', data: photo, mimeType: 'image/jpeg', caption: 'nota fiscal' });
    expect(r.status).toBe(200);
    const [m] = (await t.db.query<{ id: number; body: string; content_type: string; attachments: any[] }>('SELECT id, body, content_type, attachments FROM messages WHERE external_id = $1', [r.id])).rows;
    expect(m).toMatchObject({ body: 'nota fiscal', content_type: 'image', attachments: [{ status: 'pending', media: 'image', type: 'image/jpeg' }] });
    await t.runtime.outbox.tick();
    const [after] = (await t.db.query<{ attachments: any[] }>('SELECT attachments FROM messages WHERE id = $1', [m.id])).rows;
    expect(after.attachments[0]).toMatchObject({ status: 'stored', type: 'image/jpeg', size: photo.length });
    const file = await fetch(`${t.url}/api/attachments/${after.attachments[0].id}`, { headers: { cookie: admin.cookie } });
    expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true);
    // the download URL was asked with the same bearer token
    expect(sb.requestsTo('meta-whatsapp', 'GET', '/_files/').at(-1)!.headers.authorization).toBe(`Bearer ${s.credentials.accessToken}`);

    const pdf = Buffer.from('%PDF-1.4 boleto de teste');
    const stored = await storeAttachment(t.db, { name: 'boleto.pdf', type: 'application/pdf', data: pdf, serviceId: s.service.id }, new Date());
    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const conversationId = await conversationOf(r.id);
    const sent = await whatsappAdapter.send!({ account, db: t.db, attempt: 1 }, {
      messageId: m.id, conversationId, serviceId: s.service.id, to: { externalId: s.waId }, replyTo: r.id,
      content: { kind: 'media', media: 'document', attachmentId: stored.id, caption: 'segue o boleto' },
    });
    const out = wa.sent.find((x) => x.id === sent.providerMessageId)!;
    expect(out.body).toMatchObject({ type: 'document', context: { message_id: r.id }, document: { caption: 'segue o boleto', filename: 'boleto.pdf' } });
    const uploaded = sb.files.get((out.body.document as { id: string }).id)!;
    expect(createHash('sha256').update(uploaded.data).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(uploaded.type).toBe('application/pdf');
  });

  it('the automatic receipts of the sandbox move a message to read on their own', async () => {
    const s = await setup();
    wa.update(s.phoneNumberId, { autoReceipts: { delayMs: 20 } });
    const hello = await wa.customerSays(s.phoneNumberId, s.customer, 'Olá');
    await t.settle();
    const id = await conversationOf(hello.id);
    await s.desk.post('/api/agent/login');
    await t.settle();
    const reply = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Olá!' });
    await t.runtime.outbox.tick();
    await eventually(async () => expect((await history(id)).messages.find((m) => m.id === reply.body.id).deliveryStatus).toBe('read'));
  });

  it('an agent replies with context: context.message_id names the quoted message; a quote the provider never took goes without; bad quotes are 400/404/422', async () => {
    const s = await setup();
    const hello = await wa.customerSays(s.phoneNumberId, s.customer, 'Meu pedido não chegou');
    await t.settle();
    const id = await conversationOf(hello.id);
    await s.desk.post('/api/agent/login');
    await t.settle();
    const quoted = (await history(id)).messages.find((m) => m.externalId === hello.id);
    const reply = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Vou verificar o pedido', replyToMessageId: quoted.id });
    expect(reply.status).toBe(201);
    // stored with the quote, so the history (and every projection of it) shows it
    expect(reply.body.payload).toEqual({ replyTo: { messageId: quoted.id, externalId: hello.id, text: 'Meu pedido não chegou' } });
    expect((await history(id)).messages.find((m) => m.id === reply.body.id).payload.replyTo).toMatchObject({ messageId: quoted.id });
    await t.runtime.outbox.tick();
    const out = sentTo(s.phoneNumberId, s.waId).find((m) => (m.body.text as { body?: string })?.body === 'Vou verificar o pedido');
    expect(out?.body.context).toEqual({ message_id: hello.id });

    // the agent quotes their own message: its wamid, which the provider gave it when it was sent
    const own = sentTo(s.phoneNumberId, s.waId).at(-1)!;
    await s.desk.post(`/api/conversations/${id}/messages`, { text: 'Já localizei', replyToMessageId: reply.body.id });
    await t.runtime.outbox.tick();
    expect(sentTo(s.phoneNumberId, s.waId).at(-1)!.body).toMatchObject({ text: { body: 'Já localizei' }, context: { message_id: own.id } });

    // a message the provider refused has no provider id: a reply to it goes without context
    wa.update(s.phoneNumberId, { accessToken: 'revoked' });
    const lost = (await s.desk.post(`/api/conversations/${id}/messages`, { text: 'esta não vai' })).body;
    await t.runtime.outbox.tick();
    await eventually(async () => expect((await history(id)).messages.find((m) => m.id === lost.id).deliveryStatus).toBe('failed'));
    wa.update(s.phoneNumberId, { accessToken: s.credentials.accessToken });
    await s.desk.post(`/api/conversations/${id}/messages`, { text: 'reenvio', replyToMessageId: lost.id });
    await t.runtime.outbox.tick();
    const resent = sentTo(s.phoneNumberId, s.waId).at(-1)!.body;
    expect(resent).toMatchObject({ text: { body: 'reenvio' } });
    expect(resent.context).toBeUndefined();

    // not this conversation's message: 404 naming the field; a system note: 422; not a number: 400
    const other = await setup();
    const elsewhere = await wa.customerSays(other.phoneNumberId, other.customer, 'outra conversa');
    await t.settle();
    const foreign = (await history(await conversationOf(elsewhere.id))).messages.find((m) => m.externalId === elsewhere.id);
    const notHere = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'x', replyToMessageId: foreign.id });
    expect(notHere.status).toBe(404);
    expect(notHere.body.error.issues).toEqual([expect.objectContaining({ path: 'replyToMessageId' })]);
    await t.db.query(`INSERT INTO messages (conversation_id, channel, author_type, body) VALUES ($1, 'whatsapp', 'system', 'nota')`, [id]);
    const note = (await history(id)).messages.find((m) => m.authorType === 'system' && m.body === 'nota');
    const refused = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'x', replyToMessageId: note.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'not_quotable', issues: [{ path: 'replyToMessageId' }] });
    const bad = await s.desk.post(`/api/conversations/${id}/messages`, { text: 'x', replyToMessageId: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('replyToMessageId');
  });

  it('a bad or missing signature is a 401 that stores nothing; the GET handshake echoes the challenge for the verify token only', async () => {
    const s = await setup();
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'w', changes: [{ field: 'messages', value: { messages: [{ from: s.waId, id: 'wamid.forged', timestamp: '1718000000', type: 'text', text: { body: 'x' } }] } }] }] });
    for (const headers of [{}, { 'x-hub-signature-256': 'sha256=00' }] as Record<string, string>[]) {
      const res = await fetch(s.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(res.status).toBe(401);
    }
    expect((await t.db.query('SELECT 1 FROM messages WHERE external_id = $1', ['wamid.forged'])).rows).toEqual([]);

    const ok = await fetch(`${s.webhookUrl}?hub.mode=subscribe&hub.verify_token=${s.credentials.verifyToken}&hub.challenge=1158201444`);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    const wrong = await fetch(`${s.webhookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it('Testar conexão says what is wrong: the token, the number id, the address', async () => {
    const s = await setup();
    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const check = (a: LoadedChannelAccount) => whatsappAdapter.testConnection!({ account: a, db: t.db });
    expect(await check(account)).toEqual({ ok: true, detail: { en: 'number +55 11 4000-0000 — Mirante Sandbox', pt: 'número +55 11 4000-0000 — Mirante Sandbox' } });
    const badToken = await check({ ...account, credentials: { ...account.credentials, accessToken: 'EAAGwrong' } });
    expect(badToken).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('token de acesso foi recusado') } });
    const badId = await check({ ...account, config: { ...account.config, phoneNumberId: '999' } });
    expect(badId).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('o id de número 999 não foi encontrado') } });
    // an address that answers nothing (allowed by the guard, so the refusal is the network's)
    const closed = await startSandbox({ providers: [] });
    const unexpect = expectOutbound(closed.url);
    await closed.close();
    const down = await check({ ...account, config: { ...account.config, apiBaseUrl: `${closed.url}/meta-whatsapp/v21.0` } });
    unexpect();
    expect(down).toMatchObject({ ok: false, problem: { pt: expect.stringContaining('não foi possível falar com a Cloud API') } });
    // saving the account subscribes the app to the WABA (idempotent); a refusal says why
    const wabaId = `waba${hex()}`;
    wa.update(s.phoneNumberId, { wabaId });
    const withWaba = { ...account, config: { ...account.config, wabaId } };
    await whatsappAdapter.accountSaved!({ account: withWaba, db: t.db });
    expect(wa.subscribed.has(wabaId)).toBe(true);
    await expect(whatsappAdapter.accountSaved!({ account: { ...withWaba, credentials: { ...account.credentials, accessToken: 'bad' } }, db: t.db })).rejects.toMatchObject({ status: 422, pt: expect.stringContaining('token de acesso foi recusado') });
    const missing = await check({ ...account, credentials: { accessToken: 'x' } });
    expect(missing).toEqual({ ok: false, problem: { en: 'missing: appSecret, verifyToken', pt: 'faltam: appSecret, verifyToken' } });
  });
});
