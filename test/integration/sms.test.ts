import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsAdapter } from '../../src/channels/sms/index.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { storeAttachment } from '../../src/engine/attachments.js';
import { PermanentFailure } from '../../src/engine/outbox.js';
import { signedMediaUrl } from '../../src/engine/media-links.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { customerSendsMms, customerTexts, postSigned, sendStatus, signTwilio, twilioProvider, twilioState, type TwilioTarget } from '../../src/sandbox/twilio.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// SMS through Twilio, played by the provider sandbox: signed form webhooks (X-Twilio-Signature over
// PUBLIC_URL + path), the bot's menu as numbered text answered by "1", an agent's answer sent with a
// StatusCallback whose receipts move the message's ticks, a failed delivery with Twilio's code, MMS
// media fetched with Basic auth, and TwiML as the acknowledgement.

const PUBLIC_URL = 'https://mirante.example.test';
const KEY = deriveSecretKey(TEST_SECRET_KEY);
let t: TestApp;
let admin: Client;
let sandbox: Sandbox;
let unexpect: () => void;
appForFile((app) => ({ t, admin } = app), { publicUrl: PUBLIC_URL });

beforeAll(async () => {
  sandbox = await startSandbox({ providers: [twilioProvider({ deliverTo: (u) => u.replace(PUBLIC_URL, t.url), receiptDelayMs: 10 })] });
  unexpect = expectOutbound(sandbox.url);
});
afterAll(async () => {
  await sandbox?.close();
  unexpect?.();
});

let seq = 0;
const phone = () => `+55119${String(70000000 + Math.floor(Math.random() * 9999999) + ++seq).slice(0, 8)}`;

async function setup(botFlow: unknown = TWO_STEP) {
  const accountSid = `AC${randomUUID().replaceAll('-', '')}`;
  const authToken = randomUUID().replaceAll('-', '');
  const fromNumber = '+551140000000';
  const created = await admin.post('/api/channel-accounts', {
    channel: 'sms', name: unique('SMS'), provider: 'twilio', config: { accountSid, fromNumber, apiBaseUrl: `${sandbox.url}/twilio` }, credentials: { authToken },
  });
  expect(created.status).toBe(201);
  twilioState(sandbox).tokens.set(accountSid, authToken);
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'sms', channelAccountId: created.body.id, teamIds: [team.id], botFlow });
  const target: TwilioTarget = { url: `${PUBLIC_URL}/webhooks/sms/${created.body.id}`, authToken, accountSid, to: fromNumber };
  return { accountId: created.body.id as string, accountSid, authToken, service, agent, target };
}

const conversationOf = async (from: string) =>
  (await t.db.query<{ id: string }>(`SELECT c.id FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id WHERE ci.channel = 'sms' AND ci.external_id = $1 ORDER BY c.created_at DESC LIMIT 1`, [from])).rows[0].id;
const messagesTo = (sid: string, to: string) => sandbox.requestsTo('twilio', 'POST', `/2010-04-01/Accounts/${sid}/Messages.json`).filter((r) => (r.body as { To: string }).To === to);

describe('SMS (Twilio) through the sandbox', () => {
  it('verifies X-Twilio-Signature over PUBLIC_URL + path: unsigned, wrongly signed, or signed for another URL is 401', async () => {
    const { target, accountId } = await setup();
    const from = phone();
    const params = { MessageSid: `SM${randomUUID()}`, From: from, To: target.to, Body: 'oi' };
    const post = (headers: Record<string, string>) =>
      fetch(`${t.url}/webhooks/sms/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-twilio-signature': 'AAAA' })).status).toBe(401);
    // signed over the local address, not the public one Twilio calls
    expect((await post({ 'x-twilio-signature': signTwilio(target.authToken, `${t.url}/webhooks/sms/${accountId}`, params) })).status).toBe(401);
    expect((await t.db.query(`SELECT 1 FROM contact_identities WHERE channel = 'sms' AND external_id = $1`, [from])).rows).toEqual([]);
    const ok = await post({ 'x-twilio-signature': signTwilio(target.authToken, target.url, params) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await ok.text()).toContain('<Response/>');
  });

  it('a numbered menu answered by "1", an agent answer with StatusCallback, receipts that move the ticks, a failure with its code', async () => {
    const { target, accountSid, agent } = await setup();
    const from = phone();
    expect((await customerTexts(sandbox, target, from, 'Olá')).status).toBe(200);
    await t.settle();
    await t.runtime.outbox.tick();
    const menu = messagesTo(accountSid, from).map((r) => r.body as Record<string, string>).find((b) => b.Body.startsWith('Escolha:'));
    expect(menu).toMatchObject({ From: '+551140000000', Body: 'Escolha:\n1 - Atendente\n2 - Sair', StatusCallback: target.url });

    // the customer answers by number: the bot takes it as the first option
    await customerTexts(sandbox, target, from, '1');
    await t.settle();
    const conversationId = await conversationOf(from);
    expect((await admin.get(`/api/conversations/${conversationId}`)).body.conversation.state).toBe('queued');

    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    await t.settle();
    expect((await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Olá! Em que posso ajudar?' })).status).toBe(201);
    await t.runtime.outbox.tick();
    const sent = messagesTo(accountSid, from).find((r) => (r.body as { Body: string }).Body === 'Olá! Em que posso ajudar?');
    expect(sent).toBeDefined();
    expect(String(sent!.headers.authorization)).toBe(`Basic ${Buffer.from(`${accountSid}:${target.authToken}`).toString('base64')}`);
    // the sandbox posts sent, then delivered, to the StatusCallback, signed: the message moves to delivered
    const status = async () =>
      (await t.db.query<{ delivery_status: string; provider_message_id: string }>(`SELECT delivery_status, provider_message_id FROM messages WHERE conversation_id = $1 AND author_type = 'agent'`, [conversationId])).rows[0];
    await expect.poll(async () => (await status()).delivery_status, { timeout: 5000 }).toBe('delivered');
    expect((await status()).provider_message_id).toMatch(/^SM/);

    // a delivery that fails: undelivered with Twilio's ErrorCode, shown on the message
    twilioState(sandbox).undeliverable.set(from, '30003');
    await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Ainda está aí?' });
    await t.runtime.outbox.tick();
    const failed = async () => (await t.db.query<{ delivery_status: string; failed_code: string; failed_reason: string }>(`SELECT delivery_status, failed_code, failed_reason FROM messages WHERE conversation_id = $1 AND body = 'Ainda está aí?'`, [conversationId])).rows[0];
    await expect.poll(async () => (await failed()).delivery_status, { timeout: 5000 }).toBe('failed');
    expect(await failed()).toMatchObject({ failed_code: '30003', failed_reason: 'Unreachable destination handset' });

    // a status for a message Mirante does not know changes nothing and is still acknowledged
    expect((await sendStatus(sandbox, target, 'SMunknown', 'delivered')).status).toBe(200);
    // queued is a step before Twilio hands it on: nothing to show, acknowledged
    expect((await postSigned(sandbox, target.url, target.authToken, { MessageSid: (await status()).provider_message_id, MessageStatus: 'queued', AccountSid: accountSid })).status).toBe(200);
    expect((await status()).delivery_status).toBe('delivered');
  });

  it('an MMS is stored at once and its files fetched with Basic auth; without a media link (no PUBLIC_URL) a file the agent sends goes as a text naming it', async () => {
    const { target, accountSid, accountId, service } = await setup(null);
    const from = phone();
    const jpeg = Buffer.from('\xff\xd8\xff jpeg', 'latin1');
    expect((await customerSendsMms(sandbox, target, from, 'segue a foto', [{ data: jpeg, type: 'image/jpeg' }])).status).toBe(200);
    await t.runtime.outbox.tick();
    const conversationId = await conversationOf(from);
    const view = (await admin.get(`/api/conversations/${conversationId}`)).body;
    const m = view.messages.find((x: any) => x.body === 'segue a foto');
    expect(m.contentType).toBe('image');
    expect(m.attachments).toMatchObject([{ status: 'stored', media: 'image', type: 'image/jpeg', size: jpeg.length }]);
    const media = sandbox.requestsTo('twilio', 'GET').filter((r) => r.url.includes('/Media/'));
    expect(String(media.at(-1)!.headers.authorization)).toMatch(/^Basic /);

    const loaded = await loadChannelAccount(t.db, KEY, 'sms', accountId);
    const stored = await storeAttachment(t.db, { name: 'boleto.pdf', type: 'application/pdf', data: Buffer.from('%PDF'), serviceId: service.id }, new Date());
    const base = { messageId: 1, conversationId, serviceId: service.id, to: { externalId: from } };
    await smsAdapter.send!({ account: loaded, db: t.db, attempt: 1, publicUrl: PUBLIC_URL }, { ...base, content: { kind: 'media', media: 'document', attachmentId: stored.id, caption: 'Seu boleto' } });
    expect(messagesTo(accountSid, from).at(-1)!.body).toMatchObject({ Body: 'Seu boleto\n[arquivo: boleto.pdf]' });

    // a number that opted out (21610) is a permanent failure, with its reason
    twilioState(sandbox).refuse.set(from, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const err = await smsAdapter.send!({ account: loaded, db: t.db, attempt: 1 }, { ...base, content: { kind: 'text', text: 'oi' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentFailure);
    expect((err as PermanentFailure).reasonCode).toBe('opted_out');
  });

  it('an agent\'s file goes as MMS: MediaUrl is a signed link Twilio fetches without a cookie, the caption is the Body; a reply goes as plain text; tampered or expired links are 403', async () => {
    const { target, accountSid, agent } = await setup(null);
    const from = phone();
    await customerSendsMms(sandbox, target, from, 'manda o comprovante', [{ data: Buffer.from('\xff\xd8\xff cliente', 'latin1'), type: 'image/jpeg' }]);
    await t.settle();
    await t.runtime.outbox.tick();
    const conversationId = await conversationOf(from);
    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    await t.settle();
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a464946000101', 'hex'), Buffer.alloc(64, 7)]);
    const up = await fetch(`${t.url}/api/conversations/${conversationId}/attachments`, {
      method: 'POST', headers: { cookie: desk.cookie, 'content-type': 'image/jpeg', 'x-filename': encodeURIComponent('comprovante ação.jpg') }, body: new Uint8Array(jpeg),
    });
    expect(up.status).toBe(201);
    const file = (await up.json()) as { id: string };
    const quoted = (await admin.get(`/api/conversations/${conversationId}`)).body.messages.find((m: any) => m.body === 'manda o comprovante');
    const sent = await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Segue', attachmentIds: [file.id], replyToMessageId: quoted.id });
    expect(sent.status).toBe(201);
    await t.runtime.outbox.tick();
    const form = messagesTo(accountSid, from).at(-1)!.body as Record<string, string>;
    // SMS has no reply context: the caption alone, and the file by its link
    expect(form.Body).toBe('Segue');
    expect(form.MediaUrl).toMatch(new RegExp(`^${PUBLIC_URL}/media/${file.id}\\?exp=\\d+&sig=[\\w-]+$`));
    const link = new URL(form.MediaUrl);
    expect(Number(link.searchParams.get('exp')) * 1000 - Date.now()).toBeGreaterThan(60 * 60_000);
    expect(Number(link.searchParams.get('exp')) * 1000 - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
    // the sandbox fetched it as Twilio does: the bytes, the type, the name, a private cache
    const fetched = twilioState(sandbox).fetchedMedia.at(-1)!;
    expect(fetched).toMatchObject({ url: form.MediaUrl, status: 200, contentType: 'image/jpeg', cacheControl: expect.stringMatching(/^private/) });
    expect(fetched.contentDisposition).toContain(`filename*=UTF-8''${encodeURIComponent('comprovante ação.jpg')}`);
    expect(fetched.data.equals(jpeg)).toBe(true);
    await expect.poll(async () => (await t.db.query(`SELECT delivery_status FROM messages WHERE id = $1`, [sent.body.id])).rows[0].delivery_status, { timeout: 5000 }).toBe('delivered');

    const local = (u: string) => u.replace(PUBLIC_URL, t.url);
    const sig = link.searchParams.get('sig')!;
    const exp = link.searchParams.get('exp')!;
    const at = (id: string, e: string, g: string) => fetch(`${t.url}/media/${id}?exp=${e}&sig=${g}`);
    expect((await fetch(local(form.MediaUrl))).status).toBe(200);
    // another signature, a later expiry, or the signature of another file: refused
    expect((await at(file.id, exp, `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`)).status).toBe(403);
    expect((await at(file.id, String(Number(exp) + 3600), sig)).status).toBe(403);
    expect((await fetch(`${t.url}/media/${file.id}`)).status).toBe(400);
    const expired = signedMediaUrl(KEY, PUBLIC_URL, file.id, new Date(Date.now() - 5 * 3600_000));
    const gone = await fetch(local(expired));
    expect(gone.status).toBe(403);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('link_expired');
    // a validly signed link to a file no message sent to the customer holds (the customer's own, one never sent): 404
    const customerFile = (await t.db.query<{ id: string }>(`SELECT a.id FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.author_type = 'customer' AND m.conversation_id = $1`, [conversationId])).rows[0];
    expect((await fetch(local(signedMediaUrl(KEY, PUBLIC_URL, customerFile.id, new Date())))).status).toBe(404);
    const unsent = await storeAttachment(t.db, { name: 'rascunho.png', type: 'image/png', data: Buffer.from('png') }, new Date());
    expect((await fetch(local(signedMediaUrl(KEY, PUBLIC_URL, unsent.id, new Date())))).status).toBe(404);

    // public in the API description, like the webhooks
    const spec = (await admin.get('/api/openapi.json')).body;
    expect(spec.paths['/media/{attachmentId}'].get.security).toEqual([]);
  });

  it('Testar conexão: the account with its SID and token; a wrong token said in pt and en', async () => {
    const { accountId } = await setup();
    const loaded = await loadChannelAccount(t.db, KEY, 'sms', accountId);
    expect(await smsAdapter.testConnection!({ account: loaded, db: t.db })).toMatchObject({ ok: true });
    expect(await smsAdapter.testConnection!({ account: { ...loaded, credentials: { authToken: 'wrong' } }, db: t.db })).toEqual({
      ok: false,
      problem: { en: 'Twilio refused the account SID or auth token', pt: 'o Twilio recusou o Account SID ou o Auth Token' },
    });
  });
});
