import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOutbound } from '../support/outbound-guard.js';
import { appForFile, createApiService, createService, unique, type Client, type TestApp } from '../support/test-app.js';

// Issue 12, defects 8 and 10: an API service's webhook may not reach loopback, private or
// link-local addresses unless Parâmetros allow it, redirects are never followed, and every delivery
// is signed as Standard Webhooks signs (id, timestamp, HMAC over both and the body).

let t: TestApp;
let admin: Client;
appForFile((a) => ({ t, admin } = a));

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const hits: Hit[] = [];
const flakyCalls = new Map<string, number>();
let receiver: Server;
let base: string;

beforeAll(async () => {
  // a real receiver on loopback: /redirect answers 302 to /target, /flaky fails each message once
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '';
      hits.push({ path, headers: req.headers, body });
      if (path === '/redirect') return res.writeHead(302, { location: `${base}/target` }).end();
      if (path === '/flaky') {
        const id = String(req.headers['webhook-id'] ?? body);
        const n = (flakyCalls.get(id) ?? 0) + 1;
        flakyCalls.set(id, n);
        return res.writeHead(n === 1 ? 503 : 200).end();
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  // the deliveries these tests let through (the refused ones never leave)
  expectOutbound(base);
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

const allowPrivate = async (on: boolean) => {
  const r = await admin.patch('/api/settings', { allowPrivateWebhookTargets: on });
  expect(r.status).toBe(200);
};

/** A customer message on the service: its conversation's first system message goes to the webhook. */
async function conversationOn(url: string) {
  const api = await createApiService(t, admin, { outboundWebhookUrl: url });
  const r = await api.send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'Olá' });
  expect(r.status).toBe(202);
  return { ...api, conversationId: r.body.conversationId as string };
}

const outboxOf = async (serviceId: string) =>
  (
    await t.db.query<{ attempts: number; delivered_at: Date | null; last_error: string | null; next_attempt_at: unknown }>(
      `SELECT attempts, delivered_at, last_error, next_attempt_at FROM outbox WHERE payload->>'serviceId' = $1 ORDER BY id`,
      [serviceId],
    )
  ).rows;

/** The Standard Webhooks signature, computed here independently of Mirante's signer. */
function expectedSignature(secret: string, id: string, timestamp: string, body: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const PRIVATE_TARGETS = [
  'http://127.0.0.1/',
  'http://10.0.0.5/',
  'http://169.254.169.254/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:a00:5]/hook',
  'http://172.16.3.4/',
  'http://192.168.0.10:8080/',
  'http://100.64.0.1/',
  'http://0.0.0.0/',
  'http://[fe80::1]/',
  'http://[fd00::1]/',
  'http://localhost:9/hook',
];

describe('webhook targets (defect 8)', () => {
  it('a loopback, private, link-local or IPv4-mapped target is refused naming outboundWebhookUrl, unless Parâmetros allow it', async () => {
    const existing = await createService(admin, { channel: 'api' });
    for (const url of PRIVATE_TARGETS) {
      const created = await admin.post('/api/services', { name: unique('API'), channel: 'api', outboundWebhookUrl: url });
      expect([url, created.status]).toEqual([url, 422]);
      expect(created.body.error.message).toMatch(/^outboundWebhookUrl: /);
      const patched = await admin.patch(`/api/services/${existing.id}`, { outboundWebhookUrl: url });
      expect([url, patched.status]).toEqual([url, 422]);
      expect(patched.body.error.message).toContain('outboundWebhookUrl');
    }
    const pt = await admin.request('POST', '/api/services', { name: unique('API'), channel: 'api', outboundWebhookUrl: 'http://10.0.0.5/' }, { 'accept-language': 'pt-BR' });
    expect(pt.body.error.message).toMatch(/^outboundWebhookUrl: .*privad/);
    // a public address is fine; so is no webhook
    expect((await admin.patch(`/api/services/${existing.id}`, { outboundWebhookUrl: 'https://93.184.215.14/hook' })).status).toBe(200);
    expect((await admin.patch(`/api/services/${existing.id}`, { outboundWebhookUrl: null })).status).toBe(200);

    await allowPrivate(true);
    try {
      for (const url of PRIVATE_TARGETS) {
        const created = await admin.post('/api/services', { name: unique('API'), channel: 'api', outboundWebhookUrl: url });
        expect([url, created.status]).toEqual([url, 201]);
      }
    } finally {
      await allowPrivate(false);
    }
    const audit = (await admin.get('/api/audit?entity=setting&entityId=allowPrivateWebhookTargets')).body.items;
    expect(audit.map((a: any) => a.after.value)).toEqual([false, true]);
  });

  it('at send time a refused target fails the delivery for good, without calling it', async () => {
    await allowPrivate(true);
    // saved while allowed, by name (the send-time check resolves it) and by address
    const byName = await conversationOn(`${base.replace('127.0.0.1', 'localhost')}/by-name`);
    const byAddress = await conversationOn(`${base}/by-address`);
    await allowPrivate(false);
    try {
      await t.runtime.outbox.tick();
      for (const s of [byName, byAddress]) {
        const rows = await outboxOf(s.service.id);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          expect(row.delivered_at).toBeNull();
          expect(row.attempts).toBe(1);
          expect(row.last_error).toMatch(/refused.*loopback/);
        }
        const messages = (await admin.get(`/api/conversations/${s.conversationId}`)).body.messages;
        const failed = messages.find((m: any) => m.authorType === 'system');
        expect(failed.deliveryStatus).toBe('failed');
        expect(failed.deliveryError.code).toBe('webhook_target_refused');
      }
      // not retried: an hour later nothing more is attempted
      t.clock.advance(3_600_000);
      await t.runtime.outbox.tick();
      for (const s of [byName, byAddress]) for (const row of await outboxOf(s.service.id)) expect(row.attempts).toBe(1);
      expect(hits.filter((h) => h.path === '/by-name' || h.path === '/by-address')).toEqual([]);
    } finally {
      await allowPrivate(false);
    }
  });

  it('a redirect is never followed: a 3xx is a failed delivery', async () => {
    await allowPrivate(true);
    try {
      const { service } = await conversationOn(`${base}/redirect`);
      await t.runtime.outbox.tick();
      expect(hits.some((h) => h.path === '/redirect')).toBe(true);
      expect(hits.filter((h) => h.path === '/target')).toEqual([]);
      const rows = await outboxOf(service.id);
      expect(rows.every((r) => r.delivered_at === null && /302/.test(r.last_error ?? ''))).toBe(true);
    } finally {
      await allowPrivate(false);
    }
  });
});

describe('webhook signature (defect 10)', () => {
  it('each delivery carries webhook-id, webhook-timestamp and a v1 signature over both and the body', async () => {
    await allowPrivate(true);
    try {
      const { service, creds, conversationId } = await conversationOn(`${base}/signed`);
      expect(creds.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const before = Math.floor(Date.now() / 1000);
      await t.runtime.outbox.tick();
      const after = Math.floor(Date.now() / 1000);
      const got = hits.filter((h) => h.path === '/signed' && JSON.parse(h.body).serviceId === service.id);
      expect(got.length).toBeGreaterThan(0);
      for (const h of got) {
        const id = h.headers['webhook-id'] as string;
        const ts = h.headers['webhook-timestamp'] as string;
        expect(id).toMatch(/^msg_\S+$/);
        expect(ts).toMatch(/^\d+$/);
        expect(Number(ts)).toBeGreaterThanOrEqual(before);
        expect(Number(ts)).toBeLessThanOrEqual(after);
        expect(h.headers['webhook-signature']).toBe(expectedSignature(creds.webhookSecret, id, ts, h.body));
        expect(h.headers['x-mirante-signature']).toBeUndefined();
        expect(JSON.parse(h.body).conversation.id).toBe(conversationId);
      }
      // another secret does not verify
      const other = await createApiService(t, admin);
      const h = got[0];
      expect(h.headers['webhook-signature']).not.toBe(expectedSignature(other.creds.webhookSecret, h.headers['webhook-id'] as string, h.headers['webhook-timestamp'] as string, h.body));
      // each message has its own id
      const ids = hits.filter((x) => x.headers['webhook-id']).map((x) => x.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await allowPrivate(false);
    }
  });

  it('a retried message keeps its webhook-id, with a fresh signature that verifies', async () => {
    await allowPrivate(true);
    try {
      const { service, creds } = await conversationOn(`${base}/flaky`);
      await t.runtime.outbox.tick();
      t.clock.advance(5_000);
      await t.runtime.outbox.tick();
      const got = hits.filter((h) => h.path === '/flaky' && JSON.parse(h.body).serviceId === service.id);
      const byId = new Map<string, Hit[]>();
      for (const h of got) byId.set(h.headers['webhook-id'] as string, [...(byId.get(h.headers['webhook-id'] as string) ?? []), h]);
      expect(byId.size).toBeGreaterThan(0);
      for (const [id, calls] of byId) {
        expect(calls).toHaveLength(2);
        expect(calls[0].body).toBe(calls[1].body);
        for (const c of calls) expect(c.headers['webhook-signature']).toBe(expectedSignature(creds.webhookSecret, id, c.headers['webhook-timestamp'] as string, c.body));
      }
      for (const row of await outboxOf(service.id)) expect(row).toMatchObject({ attempts: 2, last_error: null });
    } finally {
      await allowPrivate(false);
    }
  });
});
