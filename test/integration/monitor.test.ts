import { describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

/** A customer message on any channel, straight into the engine (the channel adapters are thin over it). */
const arrive = (serviceId: string, channel: any, text = 'oi') =>
  receiveInbound(t.runtime.engine, { serviceId, channel, contact: { externalId: unique('c'), name: unique('Cliente') }, externalId: unique('m'), text });

describe('the monitor’s figures', () => {
  it('match an independent count from the database after a scripted run', async () => {
    const team = await createTeam(admin, { maxChat: 2 });
    const agents = await Promise.all([1, 2, 3].map(() => createUser(admin, { agentEnabled: true, teamIds: [team.id] })));
    const chat = await createService(admin, { channel: 'webchat', teamIds: [team.id] });
    const wa = await createService(admin, { channel: 'whatsapp', teamIds: [team.id] });
    const desks = await Promise.all(agents.map((a) => t.login(a.email, a.password)));
    await desks[0].post('/api/agent/login');
    await desks[1].post('/api/agent/login');
    const reasons = (await desks[2].get('/api/pause-reasons')).body.items;
    await desks[2].post('/api/agent/login');
    await desks[2].post('/api/agent/pause', { reasonId: reasons[0].id });

    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await arrive(chat.id, 'webchat')).conversationId);
    for (let i = 0; i < 3; i++) ids.push((await arrive(wa.id, 'whatsapp')).conversationId);
    await t.settle();
    // finish two, let one give up in the queue
    const mine = (await desks[0].get('/api/conversations')).body.items;
    await desks[0].post(`/api/conversations/${mine[0].id}/finish`, { outcome: 'completed' });
    await desks[0].post(`/api/conversations/${mine[1].id}/finish`, { outcome: 'cancelled' });
    await t.settle();
    const queued = (await t.db.query<{ id: string }>(`SELECT id FROM conversations WHERE state = 'queued' ORDER BY queued_at LIMIT 1`)).rows[0];
    if (queued) {
      await t.db.query(`UPDATE timers SET due_at = now() - interval '1 second' WHERE conversation_id = $1 AND kind = 'queue_timeout'`, [queued.id]);
      t.clock.advance(1000);
      await t.runtime.scheduler.tick();
    }
    await t.settle();

    const snap = (await admin.get('/api/monitor/snapshot')).body;
    // the independent count: straight from the conversations table
    const { rows } = await t.db.query<{ channel: string; state: string; n: number }>(
      `SELECT channel, state, count(*)::int AS n FROM conversations WHERE id = ANY($1::uuid[]) GROUP BY 1, 2`,
      [ids],
    );
    const db = (channel: string, state: string) => rows.find((r) => r.channel === channel && r.state === state)?.n ?? 0;
    for (const channel of ['webchat', 'whatsapp']) {
      const c = snap.channels.find((x: any) => x.channel === channel) ?? { queued: 0, inService: 0, bot: 0 };
      expect(c.queued, `${channel} queued`).toBe(db(channel, 'queued'));
      expect(c.inService, `${channel} in service`).toBe(db(channel, 'in_service'));
      expect(c.bot).toBe(db(channel, 'bot'));
    }
    expect(snap.agents).toEqual({ available: expect.any(Number), paused: 1, inService: expect.any(Number), total: 3 });
    const { rows: presence } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agent_presence WHERE state = 'in_service'`);
    expect(snap.agents.inService).toBe(presence[0].n);

    const finished = await t.db.query<{ service_id: string; completed: number; finished: number; gave_up: number }>(
      `SELECT service_id, count(*) FILTER (WHERE state = 'completed')::int AS completed, count(*)::int AS finished,
          count(*) FILTER (WHERE state = 'customer_gave_up')::int AS gave_up
         FROM conversations WHERE finished_at IS NOT NULL AND id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    for (const f of finished.rows) {
      const row = snap.services.find((s: any) => s.serviceId === f.service_id);
      expect(row.completed).toBe(f.completed);
      expect(row.abandoned).toBe(f.gave_up);
    }
    const hourlyTotal = snap.hourly.reduce((a: number, h: any) => a + h.finished, 0);
    expect(hourlyTotal).toBe(finished.rows.reduce((a, f) => a + f.finished, 0));
    expect(snap.dayByChannel).toEqual(expect.arrayContaining([{ channel: 'webchat', total: 4 }, { channel: 'whatsapp', total: 3 }]));
    const chatRow = snap.services.find((s: any) => s.serviceId === chat.id);
    expect(chatRow.offered).toBe(4);
    expect(chatRow.serviceLevel).toBe(100);

    // a node that starts now rebuilds the same figures from the database
    await t.runtime.projection.rebuild();
    const again = (await admin.get('/api/monitor/snapshot')).body;
    expect({ ...again, generatedAt: '', seq: 0 }).toEqual({ ...snap, generatedAt: '', seq: 0 });
  });

  it('scopes and filters: a supervisor sees only their teams; the service filter narrows Filtro Serviço', async () => {
    const teamA = await createTeam(admin);
    const teamB = await createTeam(admin);
    const a = await createService(admin, { channel: 'telegram', teamIds: [teamA.id] });
    const b = await createService(admin, { channel: 'telegram', teamIds: [teamB.id] });
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
    const supervisor = await t.login(sup.email, sup.password);
    await arrive(a.id, 'telegram');
    await arrive(b.id, 'telegram');
    await t.settle();
    const snap = (await supervisor.get('/api/monitor/snapshot')).body;
    expect(snap.services.map((s: any) => s.serviceId)).toEqual([a.id]);
    expect(snap.channels).toEqual([{ channel: 'telegram', queued: 1, bot: 0, inService: 0, triage: 0, total: 1 }]);
    const filtered = (await admin.get(`/api/monitor/snapshot?serviceId=${b.id}`)).body;
    expect(filtered.services.map((s: any) => s.serviceId)).toEqual([b.id]);
    expect((await admin.get('/api/monitor/snapshot?channel=fax')).status).toBe(400);
    const agent = await createUser(admin, { agentEnabled: true });
    expect((await (await t.login(agent.email, agent.password)).get('/api/monitor/snapshot')).status).toBe(403);
  });

  it('pushes new figures over the WebSocket when an event changes them', async () => {
    const team = await createTeam(admin);
    const s = await createService(admin, { channel: 'sms', teamIds: [team.id] });
    const ws = await WsClient.open(t.url, admin.cookie);
    ws.send({ type: 'subscribe', stream: 'monitor' });
    ws.send({ type: 'monitor_filter', filter: { serviceId: s.id } });
    const first = await ws.next<any>((m) => m.type === 'monitor');
    expect(first.figures.totals.queued).toBe(0);
    await arrive(s.id, 'sms');
    const moved = await ws.next<any>((m) => m.type === 'monitor' && m.figures.totals.queued === 1, 3000);
    expect(moved.figures.services[0]).toMatchObject({ serviceId: s.id, queued: 1, offered: 1 });
    await ws.close();
  });
});
