import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { createService, createTeam, startTestApp, unique, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

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
  });
});
