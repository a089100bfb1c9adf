import { describe, expect, it } from 'vitest';
import { loadAgent } from '../../src/engine/agents/present.js';
import { assignBatch } from '../../src/engine/conversations/assign.js';
import { loadConversation } from '../../src/engine/conversations/present.js';
import { appForFile, createApiService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// The router applies its choices in guarded transactions of many assignments (assignBatch). Each
// choice must pass the same guards as one assignment alone, counting what the batch already gave.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

describe('assignments in one guarded transaction', () => {
  it('takes a choice only while the conversation waits and its agent can take it, counting the batch’s own slots', async () => {
    const team = await createTeam(admin, { maxChat: 2 });
    const other = await createTeam(admin, { maxChat: 5 });
    const { send } = await createApiService(t, admin, { teamIds: [team.id] });
    const [ana, bia, caio, duda] = await Promise.all([
      createUser(admin, { agentEnabled: true, teamIds: [team.id] }),
      createUser(admin, { agentEnabled: true, teamIds: [team.id] }),
      createUser(admin, { agentEnabled: true, teamIds: [team.id] }),
      // logged in, but in a team that does not serve the service
      createUser(admin, { agentEnabled: true, teamIds: [other.id] }),
    ]);
    // conversations wait in the queue while nobody is logged in
    const tag = unique('rb').replace(/\W/g, '');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await send({ contact: { externalId: `${tag}-${i}` }, externalId: `${tag}-${i}`, text: 'oi' });
      ids.push(r.body.conversationId);
    }
    const anaDesk = await t.login(ana.email, ana.password);
    const biaDesk = await t.login(bia.email, bia.password);
    const dudaDesk = await t.login(duda.email, duda.password);
    const reasons = (await biaDesk.get('/api/pause-reasons')).body.items;
    // Ana and Duda are free; Bia is paused; Caio never logged in. Routing is not allowed to run yet
    // (no settle): the choices below are applied by hand, as a stale pass would apply them.
    await t.runtime.router.stop();
    expect((await anaDesk.post('/api/agent/login')).status).toBe(200);
    expect((await biaDesk.post('/api/agent/login')).status).toBe(200);
    expect((await biaDesk.post('/api/agent/pause', { reasonId: reasons[0].id })).status).toBe(200);
    expect((await dudaDesk.post('/api/agent/login')).status).toBe(200);
    await t.db.query(`UPDATE conversations SET state = 'cancelled', finished_at = now(), finished_by = 'system' WHERE id = $1`, [ids[5]]);

    const choices = [
      { conversationId: ids[0], agentId: ana.id },
      { conversationId: ids[1], agentId: ana.id },
      // Ana's limit is 2: the batch already gave her two
      { conversationId: ids[2], agentId: ana.id },
      // paused, never logged in, not linked to the service
      { conversationId: ids[3], agentId: bia.id },
      { conversationId: ids[3], agentId: caio.id },
      { conversationId: ids[4], agentId: duda.id },
      // taken above already, and one that is not waiting any more
      { conversationId: ids[0], agentId: duda.id },
      { conversationId: ids[5], agentId: duda.id },
    ];
    const rejected = await t.runtime.engine.execute((u) => assignBatch(u, choices, 'assigned'));
    expect(rejected).toEqual(choices.slice(2));

    const { rows } = await t.db.query<{ id: string; state: string; agent_id: string | null; timer: string | null }>(
      `SELECT c.id, c.state, c.agent_id, (SELECT string_agg(kind, ',') FROM timers WHERE conversation_id = c.id) AS timer
         FROM conversations c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids.slice(0, 2)) expect(byId.get(id)).toMatchObject({ state: 'in_service', agent_id: ana.id, timer: 'inactive_in_service' });
    for (const id of ids.slice(2, 5)) expect(byId.get(id)).toMatchObject({ state: 'queued', agent_id: null, timer: 'queue_timeout' });
    expect((await anaDesk.get('/api/agent/presence')).body).toMatchObject({ state: 'in_service', openChat: 2 });
    expect((await dudaDesk.get('/api/agent/presence')).body).toMatchObject({ state: 'available', openChat: 0 });
    expect((await biaDesk.get('/api/agent/presence')).body).toMatchObject({ state: 'paused', openChat: 0 });
    // Ana's state history: available closed at the assignment, in service open since it
    const { rows: history } = await t.db.query<{ state: string; open: boolean }>(
      `SELECT state, ended_at IS NULL AS open FROM agent_state_history WHERE user_id = $1 ORDER BY started_at, id`,
      [ana.id],
    );
    expect(history.slice(-2)).toEqual([
      { state: 'available', open: false },
      { state: 'in_service', open: true },
    ]);
    // the events tell the desk and the monitor: both conversations, then Ana once
    const { rows: events } = await t.db.query<{ type: string; reason: string; conversation_id: string | null; agent_id: string | null }>(
      `SELECT type, payload->>'reason' AS reason, conversation_id, agent_id FROM events
        WHERE (conversation_id = ANY($1::uuid[]) OR agent_id = $2) AND payload->>'reason' = 'assigned' ORDER BY seq`,
      [ids, ana.id],
    );
    expect(events.map((e) => [e.type, e.conversation_id])).toEqual([
      ['conversation.updated', ids[0]],
      ['conversation.updated', ids[1]],
      ['agent.updated', null],
    ]);
    // the views the events carry are the rows as stored (computed from the locked rows, not read back)
    const { rows: payloads } = await t.db.query<{ payload: any }>(
      `SELECT payload FROM events WHERE payload->>'reason' = 'assigned' AND (conversation_id = ANY($1::uuid[]) OR (type = 'agent.updated' AND agent_id = $2)) ORDER BY seq`,
      [ids, ana.id],
    );
    expect(payloads[2].payload.agent).toEqual(await loadAgent(t.db, ana.id));
    expect(payloads[0].payload.conversation).toEqual(await loadConversation(t.db, ids[0]));
    expect(payloads[1].payload.conversation).toEqual(await loadConversation(t.db, ids[1]));

    // returned to the queue and taken again: the view keeps the first assignment's time
    const firstAssignedAt = payloads[0].payload.conversation.firstAssignedAt;
    expect((await admin.post(`/api/conversations/${ids[0]}/return-to-queue`)).status).toBe(200);
    t.clock.advance(60_000);
    expect(await t.runtime.engine.execute((u) => assignBatch(u, [{ conversationId: ids[0], agentId: ana.id }], 'assigned'))).toEqual([]);
    const { rows: [again] } = await t.db.query<{ payload: any }>(
      `SELECT payload FROM events WHERE conversation_id = $1 AND payload->>'reason' = 'assigned' ORDER BY seq DESC LIMIT 1`,
      [ids[0]],
    );
    expect(again.payload.conversation).toEqual(await loadConversation(t.db, ids[0]));
    expect(again.payload.conversation).toMatchObject({ state: 'in_service', agentId: ana.id, firstAssignedAt, assignedAt: t.clock.now().toISOString() });
  });
});
