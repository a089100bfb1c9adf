import { describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function passTime(ms: number, ...desks: Client[]) {
  for (let left = ms; left > 0; left -= 30_000) {
    t.clock.advance(Math.min(30_000, left));
    for (const d of desks) await d.post('/api/agent/heartbeat');
    await t.runtime.scheduler.tick();
  }
}

describe('alerts', () => {
  it('a pause past its reason’s limit raises one alert, pushed live, read per supervisor, resolved when it ends', async () => {
    const team = await createTeam(admin);
    const other = await createTeam(admin);
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const sup = await t.login((await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] })).email, 'password-123');
    const outsider = await t.login((await createUser(admin, { role: 'supervisor', supervisedTeamIds: [other.id] })).email, 'password-123');
    const desk = await t.login(agent.email, agent.password);
    const restroom = (await desk.get('/api/pause-reasons')).body.items.find((r: any) => r.name === 'Banheiro');
    await desk.post('/api/agent/login');
    await desk.post('/api/agent/pause', { reasonId: restroom.id });
    await t.settle();

    const ws = await WsClient.open(t.url, sup.cookie);
    ws.send({ type: 'subscribe', stream: 'monitor' });
    await ws.next((m) => m.type === 'caught_up');

    await passTime(restroom.maxMinutes * 60_000 - 60_000, desk);
    expect(await t.runtime.alerts.evaluate()).toBe(0);
    await passTime(2 * 60_000, desk);
    await t.settle();
    expect(await t.runtime.alerts.evaluate()).toBeGreaterThanOrEqual(1);
    expect(await t.runtime.alerts.evaluate()).toBe(0); // still breached: not raised twice
    const pushed = await ws.next<any>((m) => m.type === 'event' && m.event.type === 'alert.created' && m.event.alert?.subjectId === agent.id);
    expect(pushed.event.alert).toMatchObject({ rule: 'agent_paused_too_long', read: false });
    expect(pushed.event.alert.message).toContain('Banheiro');

    const inbox = (await sup.get('/api/alerts')).body;
    const mine = inbox.items.find((a: any) => a.subjectId === agent.id);
    expect(mine).toBeTruthy();
    expect(inbox.unread).toBeGreaterThanOrEqual(1);
    expect((await outsider.get('/api/alerts')).body.items.find((a: any) => a.subjectId === agent.id)).toBeUndefined();
    expect((await sup.post(`/api/alerts/${mine.id}/read`)).status).toBe(204);
    expect((await sup.get('/api/alerts')).body.items.find((a: any) => a.id === mine.id).read).toBe(true);
    expect((await admin.get('/api/alerts')).body.items.find((a: any) => a.id === mine.id).read).toBe(false);
    expect((await sup.post('/api/alerts/999999999/read')).status).toBe(404);

    await desk.post('/api/agent/resume');
    await t.settle();
    await t.runtime.alerts.evaluate();
    const after = (await sup.get('/api/alerts')).body.items.find((a: any) => a.id === mine.id);
    expect(after.resolvedAt).not.toBeNull(); // kept for the day's review
    await ws.close();
  });

  it('a queue longer than the limit raises a critical alert on its service', async () => {
    const team = await createTeam(admin);
    const service = await createService(admin, { channel: 'whatsapp', teamIds: [team.id] });
    expect((await admin.put('/api/settings/alerts', { value: { pauseMinutes: 15, queueWaitOverTarget: false, noInteractionMinutes: 10, longServiceMinutes: 30, queueLength: 2, serviceLevelPercent: 1 } })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      await receiveInbound(t.runtime.engine, { serviceId: service.id, channel: 'whatsapp', contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    }
    await t.settle();
    await t.runtime.alerts.evaluate();
    const alert = (await admin.get('/api/alerts')).body.items.find((a: any) => a.subjectId === service.id && a.rule === 'queue_too_long');
    expect(alert).toMatchObject({ severity: 'critical', serviceId: service.id, payload: { queued: 3, limit: 2 } });
    const agent = await createUser(admin, { agentEnabled: true });
    expect((await (await t.login(agent.email, agent.password)).get('/api/alerts')).status).toBe(403);
  });
});
