import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, RealtimeEvent } from '../../src/contracts/events.js';
import { eventsAfter } from '../../src/engine/events.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function operation() {
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const service = await createService(admin, { channel: 'api', teamIds: [team.id] });
  const creds = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
  return { team, agent, sup, service, creds, desk: await t.login(agent.email, agent.password), supervisor: await t.login(sup.email, sup.password) };
}

const inbound = (serviceId: string, token: string, text = 'oi', externalId = unique('c')) =>
  t.anonymous().request('POST', `/api/channels/api/${serviceId}/messages`, { contact: { externalId, name: 'Cliente' }, externalId: unique('m'), text }, { authorization: `Bearer ${token}` });

describe('the realtime gateway', () => {
  it('refuses a connection without a session', async () => {
    const ws = await WsClient.open(t.url, '');
    const code = await new Promise<number>((r) => ws.socket.once('close', (c) => r(c)));
    expect(code).toBe(4401);
  });

  it('pushes an agent their own work, and a supervisor only what they supervise', async () => {
    const op = await operation();
    const outside = await operation();
    const agentWs = await WsClient.open(t.url, op.desk.cookie);
    agentWs.send({ type: 'subscribe', stream: 'agent' });
    const snap = await agentWs.next<any>((m) => m.type === 'snapshot');
    expect(snap.agents.map((a: any) => a.id)).toEqual([op.agent.id]);
    const supWs = await WsClient.open(t.url, op.supervisor.cookie);
    supWs.send({ type: 'subscribe', stream: 'monitor' });
    await supWs.next((m) => m.type === 'caught_up');

    await op.desk.post('/api/agent/login');
    const r = await inbound(op.service.id, op.creds.token, 'preciso de ajuda');
    await inbound(outside.service.id, outside.creds.token, 'outro serviço');
    await t.settle();

    const assigned = await agentWs.next<any>((m) => m.type === 'event' && 'reason' in m.event && m.event.reason === 'assigned');
    expect(assigned.event.conversation).toMatchObject({ id: r.body.conversationId, state: 'in_service', agentId: op.agent.id });
    await supWs.next((m) => m.type === 'event' && 'reason' in m.event && m.event.reason === 'assigned');
    const supEvents = supWs.events();
    expect(supEvents.some((e) => e.type === 'conversation.created' && e.conversation.id === r.body.conversationId)).toBe(true);
    expect(supEvents.every((e) => e.serviceId === op.service.id || (e.type === 'agent.updated' && e.agent.id === op.agent.id))).toBe(true);
    // seq only grows on one stream
    const seqs = supEvents.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // an agent may not watch the monitor
    const denied = await WsClient.open(t.url, op.desk.cookie);
    denied.send({ type: 'subscribe', stream: 'monitor' });
    expect((await denied.next<any>((m) => m.type === 'error')).message).toMatch(/supervisors/);
    await Promise.all([agentWs.close(), supWs.close(), denied.close()]);
  });

  it('a client that reconnects with its last seq gets exactly what it missed', async () => {
    const op = await operation();
    const sup = await WsClient.open(t.url, op.supervisor.cookie);
    sup.send({ type: 'subscribe', stream: 'monitor' });
    const caught = await sup.next<any>((m) => m.type === 'caught_up');
    await inbound(op.service.id, op.creds.token, 'antes');
    await t.settle();
    await sup.next((m) => m.type === 'event' && m.event.type === 'conversation.created');
    const last = Math.max(caught.seq, ...sup.events().map((e) => e.seq));
    await sup.close();

    // while it is away: three customers write
    for (const text of ['um', 'dois', 'três']) await inbound(op.service.id, op.creds.token, text);
    await t.settle();

    const back = await WsClient.open(t.url, op.supervisor.cookie);
    back.send({ type: 'subscribe', stream: 'monitor', lastSeq: last });
    const done = await back.next<any>((m) => m.type === 'caught_up');
    const got = back.events().map((e) => e.seq);
    // what the log holds for this supervisor's service after `last`, computed independently
    const expected = (await eventsAfter(t.db, last, 10_000))
      .filter((e: RealtimeEvent) => e.serviceId === op.service.id || (e.type === 'agent.updated' && e.agent.id === op.agent.id))
      .map((e) => e.seq);
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThanOrEqual(9);
    expect(done.seq).toBeGreaterThanOrEqual(Math.max(...got));
    expect(back.messages.some((m) => m.type === 'snapshot')).toBe(false);
    await back.close();
  });

  it('an agent’s open desk keeps them connected; closing it starts the grace period', async () => {
    const op = await operation();
    await op.desk.post('/api/agent/login');
    const ws = await WsClient.open(t.url, op.desk.cookie);
    ws.send({ type: 'subscribe', stream: 'agent' });
    await ws.next((m) => m.type === 'caught_up');
    const timers = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM timers WHERE kind = 'agent_connection_lost' AND user_id = $1`, [op.agent.id])).rows[0].n;
    await expect.poll(timers).toBe(0);
    await ws.close();
    await expect.poll(timers).toBe(1);
    await expect.poll(async () => (await op.desk.get('/api/agent/presence')).body.connected).toBe(false);
  });

  it('a due connection-loss timer does not log out an agent whose desk socket is open here', async () => {
    const op = await operation();
    await op.desk.post('/api/agent/login');
    const ws = await WsClient.open(t.url, op.desk.cookie);
    ws.send({ type: 'subscribe', stream: 'agent' });
    await ws.next((m) => m.type === 'caught_up');
    // as if the socket's refresh had waited behind a burst of writes: the timer is due anyway
    await t.db.query(`INSERT INTO timers (kind, user_id, due_at) VALUES ('agent_connection_lost', $1, now() - interval '1 second')
      ON CONFLICT (kind, conversation_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at`, [op.agent.id]);
    await t.runtime.scheduler.tick();
    expect((await op.desk.get('/api/agent/presence')).body.state).toBe('available');
    const { rows } = await t.db.query<{ due_at: Date }>(`SELECT due_at FROM timers WHERE kind = 'agent_connection_lost' AND user_id = $1`, [op.agent.id]);
    expect(rows[0].due_at.getTime()).toBeGreaterThan(t.clock.now().getTime());
    await ws.close();
  });

  it('every event the log holds matches its type’s schema; a row stored before versions is read, and caught up, as version 1', async () => {
    const op = await operation();
    await op.desk.post('/api/agent/login');
    const r = await inbound(op.service.id, op.creds.token, 'tudo certo?');
    await t.settle();
    const id = r.body.conversationId;
    expect((await op.desk.post(`/api/conversations/${id}/messages`, { text: 'Olá!' })).status).toBe(201);
    expect((await op.supervisor.post(`/api/conversations/${id}/whispers`, { text: 'capriche' })).status).toBe(201);
    await op.desk.post(`/api/conversations/${id}/whispers/read`);
    expect((await op.desk.post(`/api/conversations/${id}/finish`, { outcome: 'completed' })).status).toBe(200);
    await admin.patch(`/api/teams/${op.team.id}`, { name: unique('Equipe') });
    await t.settle();

    const logged = await eventsAfter(t.db, 0, 100_000);
    for (const e of logged) {
      const parsed = RealtimeEvent.safeParse(e);
      expect(parsed.success ? 'ok' : `${e.type}: ${JSON.stringify(parsed.error.issues)}`).toBe('ok');
      expect(e.v).toBe(1);
    }
    const seen = new Set(logged.map((e) => e.type));
    // (the wallet's readings have their own test: whatsapp-wallet-live.test.ts; calls theirs: calls.test.ts;
    // campaigns theirs: campaigns.test.ts)
    const elsewhere = ['message.updated', 'whatsapp.wallet.updated', 'call.updated', 'campaign.updated'];
    for (const type of EVENT_TYPES.filter((x) => !x.startsWith('alert.') && !elsewhere.includes(x))) expect(seen).toContain(type);

    // a row as written before events carried `v`
    const before = (await t.db.query<{ seq: number }>('SELECT max(seq) AS seq FROM events')).rows[0].seq;
    const old = { type: 'agent.updated', reason: 'connected', serviceId: null, agentId: op.agent.id, agent: (await op.desk.get('/api/agent/presence')).body };
    await t.db.query(`INSERT INTO events (type, agent_id, payload, at) VALUES ('agent.updated', $1, $2::jsonb, now())`, [op.agent.id, JSON.stringify(old)]);
    const [read] = await eventsAfter(t.db, before, 10);
    expect(read).toMatchObject({ type: 'agent.updated', v: 1, reason: 'connected', agentId: op.agent.id });
    const ws = await WsClient.open(t.url, op.supervisor.cookie);
    ws.send({ type: 'subscribe', stream: 'monitor', lastSeq: before });
    await ws.next((m) => m.type === 'caught_up');
    expect(ws.events().map((e) => [e.type, e.seq, e.v])).toEqual([['agent.updated', read.seq, 1]]);
    await ws.close();
  });
});
