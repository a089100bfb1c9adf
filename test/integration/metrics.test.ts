import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRegistry, WebhookParseError, type ChannelAdapter } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { createApiService, createService, createTeam, createUser, startTestApp, unique, type TestApp } from '../support/test-app.js';

// /metrics through prom-client: the live picture, and histograms and counters that move with the
// traffic that happens (HTTP by route pattern, routing passes and assignments, refused webhooks).

// a stand-in `telegram` adapter (this build has none) with a webhook: its secret is a plain header
const adapter: ChannelAdapter = {
  channel: 'telegram',
  capabilities: CHANNEL_CAPABILITIES.telegram,
  webhook: {
    verify: (account, req) => req.headers['x-test-secret'] === account.credentials.secret,
    parse(_account, req) {
      try {
        return { messages: JSON.parse(req.rawBody.toString('utf8')).messages, receipts: [] };
      } catch {
        throw new WebhookParseError('the body is not JSON');
      }
    },
  },
  send: async () => ({}),
};
channelRegistry.register(adapter);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const scrape = async () => {
  const r = await t.anonymous().get('/metrics');
  expect(r.status).toBe(200);
  return r.body as string;
};

/** The value of one sample (name with its exact labels, as printed), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels);
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.keys(got).length === want.length && want.every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  it('exposes the live picture in Prometheus format to loopback', async () => {
    const admin = await t.login();
    const team = await createTeam(admin);
    const s = await createService(admin, { channel: 'telegram', teamIds: [team.id] });
    await receiveInbound(t.runtime.engine, { serviceId: s.id, channel: 'telegram', contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    const r = await t.anonymous().get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    expect(r.body).toMatch(/^# TYPE mirante_conversations_open gauge$/m);
    expect(r.body).toMatch(/^mirante_conversations_open\{state="queued",channel="telegram"\} 1$/m);
    expect(r.body).toMatch(/^mirante_http_requests_total\{method="POST",status="2xx"\} \d+$/m);
    expect(r.body).toMatch(/^mirante_outbox_pending \d+$/m);
    expect(r.body).toMatch(/^mirante_outbox_oldest_pending_age_seconds \d/m);
    // the process's own: event-loop lag, memory, CPU
    for (const name of ['nodejs_eventloop_lag_seconds', 'process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(sample(r.body, name), name).toBeGreaterThanOrEqual(0);
    }
    for (const h of ['mirante_http_request_duration_seconds', 'mirante_routing_pass_duration_seconds', 'mirante_routing_assignment_duration_seconds']) {
      expect(r.body).toMatch(new RegExp(`^# TYPE ${h} histogram$`, 'm'));
    }
  });

  it('times each request under its route pattern and status class, never its raw URL', async () => {
    const admin = await t.login();
    const team = await createTeam(admin);
    const route = { method: 'GET', route: '/api/teams/:id', status: '2xx' };
    const before = (await scrape());
    const count0 = sample(before, 'mirante_http_request_duration_seconds_count', route) ?? 0;
    for (let i = 0; i < 3; i++) expect((await admin.get(`/api/teams/${team.id}`)).status).toBe(200);
    expect((await admin.get(`/api/teams/${randomUUID()}`)).status).toBe(404);
    const after = await scrape();
    expect(sample(after, 'mirante_http_request_duration_seconds_count', route)).toBe(count0 + 3);
    expect(sample(after, 'mirante_http_request_duration_seconds_count', { ...route, status: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'mirante_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(count0 + 3);
    expect(sample(after, 'mirante_http_request_duration_seconds_sum', route)).toBeGreaterThan(0);
    expect(after).not.toContain(team.id);
  });

  it('times routing passes and each assignment', async () => {
    const admin = await t.login();
    const team = await createTeam(admin, { maxChat: 3 });
    const { send } = await createApiService(t, admin, { teamIds: [team.id] });
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const before = await scrape();
    const passes0 = sample(before, 'mirante_routing_pass_duration_seconds_count') ?? 0;
    const assigned0 = sample(before, 'mirante_routing_assignment_duration_seconds_count') ?? 0;
    for (let i = 0; i < 3; i++) expect((await send({ contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' })).status).toBe(202);
    const desk = await t.login(agent.email, agent.password);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    await t.settle();
    t.runtime.router.schedule();
    await t.settle();
    const after = await scrape();
    expect(sample(after, 'mirante_routing_pass_duration_seconds_count')).toBeGreaterThan(passes0);
    expect(sample(after, 'mirante_routing_pass_duration_seconds_count')).toBe(sample(after, 'mirante_routing_pass_duration_seconds_bucket', { le: '+Inf' }));
    expect(sample(after, 'mirante_routing_assignment_duration_seconds_count')).toBe(assigned0 + 3);
    expect(sample(after, 'mirante_routing_passes_total')).toBe(t.runtime.router.passes);
    // the passes that gave the agent the three read the agent (free until the third)
    expect(sample(after, 'mirante_routing_agents_read_total')).toBe(t.runtime.router.agentsRead);
    expect(sample(after, 'mirante_routing_agents_read_total')).toBeGreaterThan(sample(before, 'mirante_routing_agents_read_total') ?? 0);
  });

  it('counts refused webhooks by channel and reason', async () => {
    const admin = await t.login();
    const secret = `s-${randomUUID()}`;
    const account = (await admin.post('/api/channel-accounts', { channel: 'telegram', name: unique('Bot'), credentials: { secret } })).body;
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const before = await scrape();
    const count = (text: string, channel: string, reason: string) => sample(text, 'mirante_webhook_failures_total', { channel, reason }) ?? 0;
    expect((await post(`/webhooks/telegram/${account.id}`, '{}', { 'x-test-secret': 'wrong' })).status).toBe(401);
    expect((await post(`/webhooks/telegram/${account.id}`, '{}', { 'x-test-secret': 'wrong' })).status).toBe(401);
    expect((await post(`/webhooks/telegram/${account.id}`, 'not json', { 'x-test-secret': secret })).status).toBe(400);
    expect((await post(`/webhooks/telegram/${randomUUID()}`, '{}')).status).toBe(404);
    // a made-up channel is counted, under one label whatever its name
    expect((await post(`/webhooks/no-such-${randomUUID().slice(0, 8)}/x`, '{}')).status).toBe(404);
    const after = await scrape();
    expect(count(after, 'telegram', 'signature') - count(before, 'telegram', 'signature')).toBe(2);
    expect(count(after, 'telegram', 'parse') - count(before, 'telegram', 'parse')).toBe(1);
    expect(count(after, 'telegram', 'not_found') - count(before, 'telegram', 'not_found')).toBe(1);
    expect(count(after, 'unknown', 'not_found') - count(before, 'unknown', 'not_found')).toBe(1);
    expect(after).not.toMatch(/channel="no-such-/);
  });
});
