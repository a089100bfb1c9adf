import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelRegistry, WebhookParseError, type ChannelAdapter, type OutboundMessage, type ParsedWebhook } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { appForFile, createService, unique, type Client, type TestApp } from '../support/test-app.js';

// POST|GET /webhooks/{channel}/{accountId} with a stand-in adapter registered as `telegram` (a channel
// the model knows and this build has no adapter for): it signs like Meta (HMAC-SHA256 of the raw body
// with the account's `appSecret`, hex, in x-test-signature) and carries Meta-like messages/statuses.

const sign = (secret: string, body: Buffer | string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const sent: OutboundMessage[] = [];

const testAdapter: ChannelAdapter = {
  channel: 'telegram',
  capabilities: CHANNEL_CAPABILITIES.telegram,
  webhook: {
    challenge(account, req) {
      if (req.query['hub.mode'] !== 'subscribe' || req.query['hub.verify_token'] !== account.credentials.verifyToken) return null;
      return { status: 200, contentType: 'text/plain', body: req.query['hub.challenge'] ?? '' };
    },
    verify(account, req) {
      const got = Buffer.from(String(req.headers['x-test-signature'] ?? ''));
      const expected = Buffer.from(sign(account.credentials.appSecret, req.rawBody));
      return got.length === expected.length && timingSafeEqual(got, expected);
    },
    parse(_account, req): ParsedWebhook {
      let body: { messages?: { id: string; from: string; name?: string; text: string }[]; statuses?: { id: string; status: 'delivered' | 'read'; timestamp: number }[] };
      try {
        body = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        throw new WebhookParseError('the body is not JSON');
      }
      return {
        messages: (body.messages ?? []).map((m) => ({ externalId: m.id, contact: { externalId: m.from, name: m.name }, text: m.text })),
        receipts: (body.statuses ?? []).map((s) => ({ providerMessageId: s.id, status: s.status, at: new Date(s.timestamp * 1000) })),
      };
    },
  },
  async send(_ctx, message) {
    sent.push(message);
    return { providerMessageId: `prov-${message.messageId}` };
  },
};
// before the app starts: registerChannels plugs its outbound path in
channelRegistry.register(testAdapter);

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function setup() {
  const appSecret = `secret-${randomUUID()}`;
  const verifyToken = `verify-${randomUUID()}`;
  const account = (await admin.post('/api/channel-accounts', { channel: 'telegram', name: unique('Bot'), credentials: { appSecret, verifyToken } })).body;
  const service = await createService(admin, { channel: 'telegram', channelAccountId: account.id });
  const post = (body: Buffer | string, signature = sign(appSecret, body), path = `/webhooks/telegram/${account.id}`) =>
    fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-signature': signature }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { account, service, appSecret, verifyToken, post };
}

const storedMessages = async (externalId: string) =>
  (await t.db.query<{ body: string; conversation_id: string }>('SELECT body, conversation_id FROM messages WHERE external_id = $1', [externalId])).rows;

describe('webhooks: verify, parse, store', () => {
  it('verifies the exact bytes: a body that re-serialised JSON would change is accepted; one changed byte is a 401 and stores nothing', async () => {
    const { post, appSecret } = await setup();
    const id = `m-${randomUUID()}`;
    // escaped non-ASCII and odd spacing, as Meta sends: JSON.stringify(JSON.parse(raw)) differs from raw
    const raw = `{"messages":[ {"id":"${id}","from":"5511999990001","name":"Jo\\u00e3o","text":"Ol\\u00e1, preciso de ajuda \\ud83d\\ude00"} ]}`;
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);

    const tampered = Buffer.from(raw);
    tampered[tampered.indexOf('preciso')] = 'P'.charCodeAt(0);
    const refused = await post(tampered, sign(appSecret, raw));
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('invalid_signature');
    expect(await post(raw, 'sha256=00')).toMatchObject({ status: 401 });
    expect(await storedMessages(id)).toEqual([]);

    const ok = await post(raw);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ messages: 1, receipts: 0 });
    expect((await storedMessages(id)).map((m) => m.body)).toEqual(['Olá, preciso de ajuda 😀']);
  });

  it('answers only once the message is durable: it is readable, with its conversation, when the 2xx arrives', async () => {
    const { post, service } = await setup();
    const id = `m-${randomUUID()}`;
    const res = await post(JSON.stringify({ messages: [{ id, from: `cust-${randomUUID()}`, name: 'Maria', text: 'Oi' }] }));
    expect(res.status).toBe(200);
    const [m] = await storedMessages(id);
    expect(m).toBeDefined();
    const { rows } = await t.db.query<{ service_id: string; state: string }>('SELECT service_id, state FROM conversations WHERE id = $1', [m.conversation_id]);
    expect(rows[0]).toMatchObject({ service_id: service.id, state: 'queued' });
  });

  it('a repeated delivery is stored once', async () => {
    const { post } = await setup();
    const id = `m-${randomUUID()}`;
    const body = JSON.stringify({ messages: [{ id, from: `cust-${randomUUID()}`, text: 'uma vez' }] });
    const answers = await Promise.all([post(body), post(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await post(body)).status).toBe(200);
    expect(await storedMessages(id)).toHaveLength(1);
  });

  it('several messages in one delivery are stored in order; NUL characters are dropped from the text, not refused', async () => {
    const { post } = await setup();
    const from = `cust-${randomUUID()}`;
    const [a, b] = [`m-${randomUUID()}`, `m-${randomUUID()}`];
    const res = await post(`{"messages":[{"id":"${a}","from":"${from}","text":"pri\\u0000meira"},{"id":"${b}","from":"${from}","text":"segunda"}]}`);
    expect(res.status).toBe(200);
    const [ma] = await storedMessages(a);
    const [mb] = await storedMessages(b);
    expect([ma.body, mb.body]).toEqual(['primeira', 'segunda']);
    expect(ma.conversation_id).toBe(mb.conversation_id);
  });

  it('a body that is not the provider’s shape, once verified, is a 400', async () => {
    const { post } = await setup();
    expect((await post('not json')).status).toBe(400);
  });
});

describe('webhooks: addresses and limits', () => {
  it('unknown account, not an id, another channel’s account, a deactivated one, a channel without webhooks: 404', async () => {
    const { post, account } = await setup();
    const body = JSON.stringify({ messages: [] });
    expect((await post(body, undefined, `/webhooks/telegram/${randomUUID()}`)).status).toBe(404);
    expect((await post(body, undefined, '/webhooks/telegram/not-an-id')).status).toBe(404);
    expect((await post(body, undefined, `/webhooks/nosuchchannel/${account.id}`)).status).toBe(404);
    const wa = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA') })).body;
    expect((await post(body, undefined, `/webhooks/telegram/${wa.id}`)).status).toBe(404);
    // WhatsApp has webhooks: its account without an app secret verifies nothing
    expect((await post(body, undefined, `/webhooks/whatsapp/${wa.id}`)).status).toBe(401);
    const web = (await admin.post('/api/channel-accounts', { channel: 'webchat', name: unique('Web') })).body;
    expect((await post(body, undefined, `/webhooks/webchat/${web.id}`)).status).toBe(404);
    expect((await admin.patch(`/api/channel-accounts/${account.id}`, { active: false })).status).toBe(200);
    expect((await post(body)).status).toBe(404);
  });

  it('an account read for one webhook is not used stale: a rotated secret, a deactivated service or account take effect on the next delivery', async () => {
    const { post, account, service, appSecret } = await setup();
    const say = (id: string) => JSON.stringify({ messages: [{ id, from: '5511999990000', text: 'oi' }] });
    expect((await post(say(`m-${randomUUID()}`))).status).toBe(200);
    // the admin rotates the app secret: the old signature is refused at once, the new one accepted
    const rotated = `secret-${randomUUID()}`;
    expect((await admin.patch(`/api/channel-accounts/${account.id}`, { credentials: { appSecret: rotated, verifyToken: 'v' } })).status).toBe(200);
    const old = `m-${randomUUID()}`;
    expect((await post(say(old), sign(appSecret, say(old)))).status).toBe(401);
    expect(await storedMessages(old)).toEqual([]);
    expect((await post(say(`m-${randomUUID()}`), sign(rotated, say(`x`)))).status).toBe(401);
    const fresh = `m-${randomUUID()}`;
    expect((await post(say(fresh), sign(rotated, say(fresh)))).status).toBe(200);
    // no active service uses it any more: its messages are refused, nothing stored
    expect((await admin.patch(`/api/services/${service.id}`, { active: false })).status).toBe(200);
    const orphan = `m-${randomUUID()}`;
    expect((await post(say(orphan), sign(rotated, say(orphan)))).status).toBe(404);
    expect(await storedMessages(orphan)).toEqual([]);
    expect((await admin.patch(`/api/channel-accounts/${account.id}`, { active: false })).status).toBe(200);
    expect((await post(JSON.stringify({ messages: [] }), sign(rotated, JSON.stringify({ messages: [] })))).status).toBe(404);
  });

  it('messages for an account no active service uses: 404, nothing stored', async () => {
    const appSecret = 'orphan-secret';
    const account = (await admin.post('/api/channel-accounts', { channel: 'telegram', name: unique('Orphan'), credentials: { appSecret } })).body;
    const id = `m-${randomUUID()}`;
    const body = JSON.stringify({ messages: [{ id, from: 'x', text: 'oi' }] });
    const res = await fetch(`${t.url}/webhooks/telegram/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-signature': sign(appSecret, body) }, body });
    expect(res.status).toBe(404);
    expect(await storedMessages(id)).toEqual([]);
  });

  it('GET answers the challenge with the right verify token, 403 with another', async () => {
    const { account, verifyToken } = await setup();
    const ok = await fetch(`${t.url}/webhooks/telegram/${account.id}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${t.url}/webhooks/telegram/${account.id}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });

  it('an oversize body is a 413', async () => {
    const { post } = await setup();
    const res = await post(JSON.stringify({ messages: [], pad: 'x'.repeat(1024 * 1024 + 1) }));
    expect(res.status).toBe(413);
  });

  it('any content type is kept as bytes (form-urlencoded, as Twilio posts)', async () => {
    const { account, appSecret } = await setup();
    const body = 'MessageSid=SM1&Body=Ol%C3%A1';
    const res = await fetch(`${t.url}/webhooks/telegram/${account.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-signature': sign(appSecret, body) },
      body,
    });
    // verified on the bytes, then refused by this adapter's parse (it speaks JSON only)
    expect(res.status).toBe(400);
  });
});

describe('webhooks: outbound through send, receipts back', () => {
  it('a message to the customer goes out through the adapter’s send; its receipt moves the message', async () => {
    const { post, account } = await setup();
    const from = `cust-${randomUUID()}`;
    expect((await post(JSON.stringify({ messages: [{ id: `m-${randomUUID()}`, from, text: 'Oi' }] }))).status).toBe(200);
    // the first system message (the protocol) is for the customer
    await t.runtime.outbox.tick();
    const out = sent.find((m) => m.to.externalId === from);
    expect(out).toMatchObject({ content: { kind: 'text', text: expect.stringContaining('protocolo') } });
    const { rows } = await t.db.query<{ delivery_status: string; provider_message_id: string }>('SELECT delivery_status, provider_message_id FROM messages WHERE id = $1', [out!.messageId]);
    expect(rows[0]).toEqual({ delivery_status: 'sent', provider_message_id: `prov-${out!.messageId}` });

    const receipt = await post(JSON.stringify({ statuses: [{ id: `prov-${out!.messageId}`, status: 'delivered', timestamp: Math.floor(Date.now() / 1000) }] }));
    expect(receipt.status).toBe(200);
    expect(await receipt.json()).toEqual({ messages: 0, receipts: 1 });
    const after = await t.db.query<{ delivery_status: string }>('SELECT delivery_status FROM messages WHERE id = $1', [out!.messageId]);
    expect(after.rows[0].delivery_status).toBe('delivered');
    expect(account.id).toBeDefined();
  });
});
