import { describe, expect, it } from 'vitest';
import { appForFile, createApiService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Every way back into a queue is one transition (engine/conversations/transitions.ts `queue`): a
// supervisor's return, an agent's transfer to another service, the agent's connection lost. Each
// leaves the same stamps — `queued_at` this entry, `first_queued_at` the first, priority `returned`,
// no agent — and the same clock: the give-up timer of the queue it is now in, the inactivity one gone.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const at = (ms: number) => new Date(ms).toISOString();

describe('back into the queue, one way', () => {
  it('return, transfer to a service and connection lost stamp the conversation and set its clock alike', async () => {
    const team = await createTeam(admin, { maxChat: 1 });
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const first = await createApiService(t, admin, { teamIds: [team.id], queueTimeoutSeconds: 600 });
    const second = await createApiService(t, admin, { teamIds: [team.id], queueTimeoutSeconds: 900 });
    const desk = await t.login(agent.email, agent.password);
    const reasonId = (await desk.get('/api/pause-reasons')).body.items[0].id;
    const t0 = t.clock.now().getTime();
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    const r = await first.send({ contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    const id = r.body.conversationId as string;
    await t.settle();

    const row = async () => (await t.db.query<Record<string, any>>('SELECT * FROM conversations WHERE id = $1', [id])).rows[0];
    const timers = async () =>
      (await t.db.query<{ kind: string; due_at: Date }>('SELECT kind, due_at FROM timers WHERE conversation_id = $1 ORDER BY kind', [id])).rows.map((x) => [x.kind, x.due_at.toISOString()]);
    const lastEvent = async (reason: string) =>
      (await t.db.query<{ payload: any }>(`SELECT payload FROM events WHERE conversation_id = $1 AND type = 'conversation.updated' AND payload->>'reason' = $2 ORDER BY seq DESC LIMIT 1`, [id, reason])).rows[0]?.payload;
    const backInQueue = async (when: number, serviceId: string, timeout: number, reason: string, transfers: number) => {
      expect(await row()).toMatchObject({ state: 'queued', service_id: serviceId, agent_id: null, priority: 'returned', transfer_count: transfers });
      expect((await row()).queued_at.toISOString()).toBe(at(when));
      expect((await row()).first_queued_at.toISOString()).toBe(at(t0));
      expect(await timers()).toEqual([['queue_timeout', at(when + timeout * 1000)]]);
      expect((await lastEvent(reason))?.conversation).toMatchObject({ state: 'queued', queuedAt: at(when), firstQueuedAt: at(t0), agentId: null, serviceId });
    };
    expect(await row()).toMatchObject({ state: 'in_service', agent_id: agent.id });

    // a supervisor returns it (the agent's pause, pending, starts: nobody takes it again)
    expect((await desk.post('/api/agent/pause', { reasonId })).status).toBe(200);
    t.clock.advance(10_000);
    expect((await admin.post(`/api/conversations/${id}/return-to-queue`)).status).toBe(200);
    await t.settle();
    await backInQueue(t0 + 10_000, first.service.id, 600, 'returned', 0);

    // the agent takes it again, then transfers it to the second service's queue
    t.clock.advance(5_000);
    expect((await desk.post('/api/agent/resume')).status).toBe(200);
    await t.settle();
    expect(await row()).toMatchObject({ state: 'in_service', agent_id: agent.id });
    expect((await desk.post('/api/agent/pause', { reasonId })).status).toBe(200);
    t.clock.advance(5_000);
    expect((await desk.post(`/api/conversations/${id}/transfer`, { toServiceId: second.service.id })).status).toBe(200);
    await t.settle();
    await backInQueue(t0 + 20_000, second.service.id, 900, 'transferred', 1);

    // taken again; the agent's desk goes silent past the grace period: back to the queue by the system
    expect((await desk.post('/api/agent/resume')).status).toBe(200);
    await t.settle();
    expect(await row()).toMatchObject({ state: 'in_service', agent_id: agent.id });
    t.clock.advance(61_000);
    await t.runtime.scheduler.tick();
    await t.settle();
    await backInQueue(t0 + 81_000, second.service.id, 900, 'connection_lost_requeued', 1);
    expect((await desk.get('/api/agent/presence')).body).toMatchObject({ state: 'offline', openChat: 0 });

    // and the state history says all of it, each row closed when the next began
    const { rows: history } = await t.db.query<{ state: string; service_id: string; agent_id: string | null; actor: string; reason: string; started_at: Date; ended_at: Date | null }>(
      'SELECT * FROM conversation_state_history WHERE conversation_id = $1 ORDER BY started_at, id',
      [id],
    );
    const s1 = first.service.id;
    const s2 = second.service.id;
    expect(history.map((h) => [h.state, h.service_id, h.agent_id, h.actor, h.reason, h.started_at.getTime() - t0, h.ended_at && h.ended_at.getTime() - t0])).toEqual([
      ['queued', s1, null, 'customer', 'created', 0, 0],
      ['in_service', s1, agent.id, 'system', 'assigned', 0, 10_000],
      ['queued', s1, null, 'supervisor', 'returned', 10_000, 15_000],
      ['in_service', s1, agent.id, 'system', 'assigned', 15_000, 20_000],
      ['queued', s2, null, 'agent', 'transferred', 20_000, 20_000],
      ['in_service', s2, agent.id, 'system', 'assigned', 20_000, 81_000],
      ['queued', s2, null, 'system', 'connection_lost_requeued', 81_000, null],
    ]);
  });
});
