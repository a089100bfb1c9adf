import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyReceipts } from '../../src/engine/conversations/receipts.js';
import { backoffCeilingMs, enqueueOutbox, OUTBOX_POLICY, PermanentFailure } from '../../src/engine/outbox.js';
import { FakeProvider } from '../support/fake-provider.js';
import { checkOutbound, expectOutbound, takeOutboundViolations } from '../support/outbound-guard.js';
import { freePort } from '../support/server-process.js';
import { allowPrivateWebhookTargets, appForFile, createApiService, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

// Issue 11, point 3: the outbox's policy (attempts, age, jittered back-off, dead letters, permanent
// failures), the provider's message id, delivery receipts pushed to the desk, and the test support
// (a fake provider at the network edge, the outbound guard).

let t: TestApp;
let admin: Client;
appForFile((a) => ({ t, admin } = a));

let fake: FakeProvider;
beforeAll(async () => {
  fake = await FakeProvider.start();
  fake.on('POST', '/down', { status: 503, json: { error: 'maintenance' } });
  fake.on('POST', '/ok', (req) => ({ json: { id: `rcv-${(req.json as { message: { id: number } }).message.id}` } }));
  // the webhook receiver is on loopback
  await allowPrivateWebhookTargets(admin);
});
afterAll(() => fake.close());

/** A customer writes on an API service whose webhook is `path` on the fake: its conversation and outbox rows. */
async function conversationTo(path: string) {
  const api = await createApiService(t, admin, { outboundWebhookUrl: `${fake.url}${path}` });
  const r = await api.send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'Olá' });
  expect(r.status).toBe(202);
  return { ...api, conversationId: r.body.conversationId as string };
}

const rowsOf = async (serviceId: string) =>
  (
    await t.db.query<{ id: number; message_id: number; attempts: number; next_attempt_at: Date; dead_at: Date | null; delivered_at: Date | null; last_error: string | null }>(
      `SELECT id, message_id, attempts, next_attempt_at, dead_at, delivered_at, last_error FROM outbox WHERE payload->>'serviceId' = $1 ORDER BY id`,
      [serviceId],
    )
  ).rows;

const messagesOf = async (conversationId: string) => (await admin.get(`/api/conversations/${conversationId}`)).body.messages as any[];

describe('the outbox’s retry policy', () => {
  it('backs off exponentially up to the cap, then after the last attempt the item is dead and its message failed with the reason', async () => {
    const { service, conversationId } = await conversationTo('/down');
    // the top of each jitter range, to see the ceilings
    t.runtime.outbox.random = () => 0.9999999;
    try {
      const ceilings: number[] = [];
      for (let attempt = 1; attempt < OUTBOX_POLICY.maxAttempts; attempt++) {
        await t.runtime.outbox.tick();
        const [row] = await rowsOf(service.id);
        expect(row).toMatchObject({ attempts: attempt, dead_at: null, delivered_at: null, last_error: 'webhook answered 503' });
        const delay = row.next_attempt_at.getTime() - t.clock.now().getTime();
        ceilings.push(delay);
        // and nothing before it is due
        t.clock.advance(Math.max(0, delay - 1));
        await t.runtime.outbox.tick();
        expect((await rowsOf(service.id))[0].attempts).toBe(attempt);
        t.clock.advance(1);
      }
      expect(ceilings).toEqual([1999, 3999, 7999, 15999, 31999, 63999, 127999, 255999, 299999, 299999, 299999]);
      expect(ceilings.map((_, i) => backoffCeilingMs(i + 1))).toEqual([2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000, 300000]);
    } finally {
      t.runtime.outbox.random = Math.random;
    }
    // the 12th attempt fails: dead
    await t.runtime.outbox.tick();
    const [row] = await rowsOf(service.id);
    expect(row.attempts).toBe(OUTBOX_POLICY.maxAttempts);
    expect(row.dead_at).not.toBeNull();
    const system = (await messagesOf(conversationId)).find((m) => m.authorType === 'system');
    expect(system.deliveryStatus).toBe('failed');
    expect(system.deliveryError).toEqual({ code: 'attempts_exhausted', message: 'webhook answered 503 (12 attempts)' });

    // no more attempts, ever
    const calls = fake.requestsTo('POST', '/down').length;
    t.clock.advance(48 * 3_600_000);
    await t.runtime.outbox.tick();
    expect((await rowsOf(service.id))[0].attempts).toBe(OUTBOX_POLICY.maxAttempts);
    expect(fake.requestsTo('POST', '/down').length).toBe(calls);

    const metrics = await t.anonymous().get('/metrics');
    expect(Number(/^mirante_outbox_dead (\d+)$/m.exec(metrics.body)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('a failure more than 24 h after the item was queued is its last', async () => {
    const { service, conversationId } = await conversationTo('/down');
    await t.runtime.outbox.tick();
    expect((await rowsOf(service.id))[0]).toMatchObject({ attempts: 1, dead_at: null });
    t.clock.advance(OUTBOX_POLICY.maxAgeMs);
    await t.runtime.outbox.tick();
    expect((await rowsOf(service.id))[0]).toMatchObject({ attempts: 2 });
    expect((await rowsOf(service.id))[0].dead_at).not.toBeNull();
    expect((await messagesOf(conversationId)).find((m) => m.authorType === 'system').deliveryStatus).toBe('failed');
  });

  it('a failure whose jittered wait is 0 ms waits for the next pass, not retried in a loop', async () => {
    const { service } = await conversationTo('/down');
    const random = t.runtime.outbox.random;
    t.runtime.outbox.random = () => 0;
    try {
      await t.runtime.outbox.tick();
      const [row] = await rowsOf(service.id);
      expect(row.attempts).toBe(1);
      expect(row.next_attempt_at.getTime()).toBe(t.clock.now().getTime());
      await t.runtime.outbox.tick();
      expect((await rowsOf(service.id))[0].attempts).toBe(2);
    } finally {
      t.runtime.outbox.random = random;
    }
  });

  it('the waits are spread with full jitter, within [0, ceiling]', async () => {
    const services = [];
    for (let i = 0; i < 12; i++) services.push((await conversationTo('/down')).service);
    // several attempts each, so some waits are capped
    const delays: number[][] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      await t.runtime.outbox.tick();
      const now = t.clock.now().getTime();
      const rows = (await Promise.all(services.map((s) => rowsOf(s.id)))).flat();
      for (const r of rows) {
        expect(r.attempts).toBe(attempt);
        const d = r.next_attempt_at.getTime() - now;
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(backoffCeilingMs(attempt));
        expect(d).toBeLessThanOrEqual(OUTBOX_POLICY.capMs);
      }
      delays.push(rows.map((r) => r.next_attempt_at.getTime() - now));
      // everyone due again
      t.clock.advance(OUTBOX_POLICY.capMs);
    }
    // not one wait for all: twelve items that failed together come back apart
    for (const round of delays) expect(new Set(round).size).toBeGreaterThan(1);
    expect(new Set(delays[9]).size).toBeGreaterThan(6);
  });
});

describe('permanent failures and the provider’s message id', () => {
  it('a PermanentFailure kills the item at its first attempt, the message failed with the provider’s reason', async () => {
    // a provider's API at the edge: the sender calls it, and maps its window error to a PermanentFailure
    const provider = await FakeProvider.start();
    try {
      provider.on('POST', '/v1/messages', { status: 400, json: { error: { code: 131047, message: 'Re-engagement message' } } });
      t.runtime.outbox.register('test_provider', async (item) => {
        const res = await fetch(`${provider.url}/v1/messages`, { method: 'POST', body: JSON.stringify(item.payload) });
        const body = (await res.json()) as { error?: { code: number; message: string }; id?: string };
        if (body.error?.code === 131047) throw new PermanentFailure(`outside the 24 h window: ${body.error.message}`);
        if (!res.ok) throw new Error(`provider answered ${res.status}`);
        return { providerMessageId: body.id };
      });
      // a service without a webhook: the reply stays pending until this item says otherwise
      const { service, send } = await createApiService(t, admin);
      const r = await send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'Oi' });
      const message = (await messagesOf(r.body.conversationId)).find((m) => m.authorType === 'system');
      expect(message.deliveryStatus).toBe('pending');
      await enqueueOutbox(t.db, { kind: 'test_provider', messageId: message.id, payload: { serviceId: service.id, text: message.body } }, t.clock.now());

      await t.runtime.outbox.tick();
      const [row] = await rowsOf(service.id);
      expect(row).toMatchObject({ attempts: 1, last_error: 'outside the 24 h window: Re-engagement message' });
      expect(row.dead_at).not.toBeNull();
      expect(provider.requestsTo('POST', '/v1/messages')).toHaveLength(1);
      const failed = (await messagesOf(r.body.conversationId)).find((m) => m.id === message.id);
      expect(failed).toMatchObject({ deliveryStatus: 'failed', deliveryError: { code: null, message: 'outside the 24 h window: Re-engagement message' } });

      t.clock.advance(3_600_000);
      await t.runtime.outbox.tick();
      expect(provider.requestsTo('POST', '/v1/messages')).toHaveLength(1);
    } finally {
      await provider.close();
    }
  });

  it('a delivery stores the receiver’s id of the message, and the message is sent', async () => {
    const { service, conversationId } = await conversationTo('/ok');
    await t.runtime.outbox.tick();
    const [row] = await rowsOf(service.id);
    expect(row.delivered_at).not.toBeNull();
    const { rows } = await t.db.query<{ provider_message_id: string; provider_account_id: string | null; delivery_status: string; sent_at: Date }>(
      'SELECT provider_message_id, provider_account_id, delivery_status, sent_at FROM messages WHERE id = $1',
      [row.message_id],
    );
    expect(rows[0]).toMatchObject({ provider_message_id: `rcv-${row.message_id}`, provider_account_id: null, delivery_status: 'sent' });
    expect(rows[0].sent_at.getTime()).toBe(t.clock.now().getTime());
    expect((await messagesOf(conversationId)).find((m) => m.id === row.message_id).deliveryStatus).toBe('sent');
  });
});

/** An API-channel service with one agent signed in at the desk, and what a customer's message there needs. */
async function apiDesk() {
  const team = await createTeam(admin);
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'api', teamIds: [team.id], outboundWebhookUrl: `${fake.url}/ok` });
  const creds = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
  const desk = await t.login(agent.email, agent.password);
  expect((await desk.post('/api/agent/login')).status).toBe(200);
  const customerWrites = (text: string) => t.anonymous().request('POST', `/api/channels/api/${service.id}/messages`, { contact: { externalId: unique('cli') }, externalId: unique('m'), text }, { authorization: `Bearer ${creds.token}` });
  return { agent, service, desk, customerWrites };
}

describe('delivery receipts', () => {
  it('move a message forward only, ignore unknown ids, and reach the agent’s desk as message.updated', async () => {
    const { agent, service, desk, customerWrites } = await apiDesk();
    const ws = await WsClient.open(t.url, desk.cookie);
    try {
      ws.send({ type: 'subscribe', stream: 'agent' });
      await ws.next((m) => m.type === 'snapshot');
      const sent = await customerWrites('Oi');
      const conversationId = sent.body.conversationId as string;
      await t.settle();
      const reply = await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Bom dia!' });
      expect(reply.status).toBe(201);
      const id = reply.body.id as number;
      await t.runtime.outbox.tick();
      const providerId = `rcv-${id}`;
      const statusOf = async () => (await messagesOf(conversationId)).find((m) => m.id === id).deliveryStatus;
      expect(await statusOf()).toBe('sent');
      const pushed = (status: string) => ws.next((m) => m.type === 'event' && m.event.type === 'message.updated' && m.event.message.id === id && m.event.message.deliveryStatus === status);
      await pushed('sent');

      const at = (s: number) => new Date(t.clock.now().getTime() + s * 1000);
      // read arrives before delivered (out of order), and an unknown id beside it
      expect(await applyReceipts(t.runtime.engine, null, [
        { providerMessageId: providerId, status: 'read', at: at(5) },
        { providerMessageId: 'someone-elses', status: 'delivered', at: at(1) },
      ])).toEqual({ changed: 1, unknown: ['someone-elses'] });
      expect(await statusOf()).toBe('read');
      const event = (await pushed('read')) as any;
      expect(event.event).toMatchObject({ reason: 'delivery', agentId: agent.id, serviceId: service.id, message: { id, conversationId, deliveryStatus: 'read' } });
      // the late delivered (and a repeated read) change nothing, and raise nothing
      const pushesFor = (messageId: number) => ws.events().filter((e) => e.type === 'message.updated' && e.message.id === messageId).length;
      const before = pushesFor(id);
      expect(await applyReceipts(t.runtime.engine, null, [
        { providerMessageId: providerId, status: 'delivered', at: at(1) },
        { providerMessageId: providerId, status: 'read', at: at(6) },
        { providerMessageId: providerId, status: 'failed', at: at(7), error: { code: '131026', message: 'undeliverable' } },
      ])).toEqual({ changed: 0, unknown: [] });
      expect(await statusOf()).toBe('read');
      // within another account the id is someone else's
      expect((await applyReceipts(t.runtime.engine, '00000000-0000-4000-8000-000000000000', [{ providerMessageId: providerId, status: 'failed', at: at(8) }])).unknown).toEqual([providerId]);
      const { rows } = await t.db.query<{ sent_at: Date; delivered_at: Date; read_at: Date }>('SELECT sent_at, delivered_at, read_at FROM messages WHERE id = $1', [id]);
      expect(rows[0].read_at.getTime()).toBe(at(5).getTime());
      // read implies delivered: stamped with the read's time when the delivered receipt came late
      expect(rows[0].delivered_at.getTime()).toBe(at(5).getTime());

      // a failure with the provider's code, on a message only sent
      const second = await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Ainda aí?' });
      await t.runtime.outbox.tick();
      await applyReceipts(t.runtime.engine, null, [{ providerMessageId: `rcv-${second.body.id}`, status: 'failed', at: at(9), error: { code: '131047', message: 'Re-engagement message' } }]);
      const failed = (await messagesOf(conversationId)).find((m) => m.id === second.body.id);
      expect(failed).toMatchObject({ deliveryStatus: 'failed', deliveryError: { code: '131047', message: 'Re-engagement message' } });
      await ws.next((m) => m.type === 'event' && m.event.type === 'message.updated' && m.event.message.id === second.body.id && m.event.message.deliveryStatus === 'failed');
      // events arrive in seq order: by now any push of the receipts that changed nothing would be here
      expect(pushesFor(id)).toBe(before);
    } finally {
      await ws.close();
    }
  });
});

describe('a receipt that comes before the send’s answer', () => {
  it('is parked and applied when the outbox stores the provider id; someone else’s is removed after a week', async () => {
    const { desk, customerWrites } = await apiDesk();
    const sent = await customerWrites('Oi');
    const conversationId = sent.body.conversationId as string;
    await t.settle();
    const reply = await desk.post(`/api/conversations/${conversationId}/messages`, { text: 'Bom dia!' });
    const id = reply.body.id as number;
    const at = (s: number) => new Date(t.clock.now().getTime() + s * 1000);
    // the provider's delivered and read arrive while the send is still in flight (the fake sender answers rcv-<id>)
    const early = await applyReceipts(t.runtime.engine, null, [
      { providerMessageId: `rcv-${id}`, status: 'read', at: at(3) },
      { providerMessageId: `rcv-${id}`, status: 'delivered', at: at(2) },
      { providerMessageId: `other-${id}`, status: 'delivered', at: at(2) },
    ]);
    expect(early).toEqual({ changed: 0, unknown: [`rcv-${id}`, `other-${id}`] });
    const parked = async (pid: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM parked_receipts WHERE provider_message_id = $1', [pid])).rows[0].n;
    expect(await parked(`rcv-${id}`)).toBe(2);
    await t.runtime.outbox.tick();
    const { rows } = await t.db.query<{ delivery_status: string; delivered_at: Date; read_at: Date }>('SELECT delivery_status, delivered_at, read_at FROM messages WHERE id = $1', [id]);
    expect(rows[0].delivery_status).toBe('read');
    expect(rows[0].delivered_at.getTime()).toBe(at(2).getTime());
    expect(rows[0].read_at.getTime()).toBe(at(3).getTime());
    expect((await messagesOf(conversationId)).find((m) => m.id === id).deliveryStatus).toBe('read');
    expect(await parked(`rcv-${id}`)).toBe(0);
    // no send ever claims the other one: a week later, the next parking removes it
    expect(await parked(`other-${id}`)).toBe(1);
    t.clock.set(t.clock.now().getTime() + 7 * 86_400_000 + 1000);
    await applyReceipts(t.runtime.engine, null, [{ providerMessageId: `late-${id}`, status: 'delivered', at: t.clock.now() }]);
    expect(await parked(`other-${id}`)).toBe(0);
    expect(await parked(`late-${id}`)).toBe(1);
  });
});

describe('the outbound guard', () => {
  it('refuses a request to an origin no test registered, and fails the test naming the URL', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/nobody-expects`;
    const callsOut = () => fetch(url, { method: 'POST', body: '{}' });
    await expect(callsOut()).rejects.toThrow(`unexpected outbound request to ${url}`);
    // what afterEach runs: this is how the test would fail
    expect(() => checkOutbound()).toThrow(new RegExp(`unexpected outbound request[\\s\\S]*${url.replace(/[.]/g, '\\.')}`));

    // node's http (what the API channel's sender and ws use) too, under any of loopback's names
    expect(() => http.request({ hostname: 'localhost', port, path: '/other', method: 'POST' })).toThrow(/unexpected outbound request to http:\/\/localhost:\d+\/other/);
    expect(takeOutboundViolations()).toEqual([`http://localhost:${port}/other`]);

    // once registered, the request leaves (and meets nobody: refused by the OS, not by the guard)
    const unexpect = expectOutbound(`http://127.0.0.1:${port}`);
    await expect(callsOut()).rejects.toThrow(/fetch failed/);
    unexpect();
    expect(takeOutboundViolations()).toEqual([]);
  });
});
