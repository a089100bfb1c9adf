import { describe, expect, it } from 'vitest';
import { appForFile, createApiService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Routing at a peak (issue 13): with every agent full, a growing backlog costs routing nothing — no
// pass reads the queue, a new conversation in a full service wakes no pass — and when a slot frees,
// the pass reads only the head of the queue, yet assigns exactly what routing everything would:
// `returned` before `normal`, the oldest first, pinned (`manual`) ones for their agent.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

/** The conversation ids in the order a full-backlog router would serve them (an independent query). */
async function queueOrder(serviceId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ id: string }>(
    `SELECT id FROM conversations WHERE service_id = $1 AND state = 'queued'
      ORDER BY CASE priority WHEN 'manual' THEN 0 WHEN 'returned' THEN 1 ELSE 2 END, queued_at, id::text`,
    [serviceId],
  );
  return rows.map((r) => r.id);
}

describe('routing with a backlog', () => {
  it('reads no queue while every agent is full, and only the head when slots free', async () => {
    const team = await createTeam(admin, { maxChat: 2 });
    const { service, send } = await createApiService(t, admin, { teamIds: [team.id] });
    const [ana, bia] = await Promise.all([
      createUser(admin, { agentEnabled: true, teamIds: [team.id] }),
      createUser(admin, { agentEnabled: true, teamIds: [team.id] }),
    ]);
    const anaDesk = await t.login(ana.email, ana.password);
    const biaDesk = await t.login(bia.email, bia.password);
    expect((await anaDesk.post('/api/agent/login')).status).toBe(200);
    expect((await biaDesk.post('/api/agent/login')).status).toBe(200);
    const tag = unique('bk').replace(/\W/g, '');
    // four customers fill the four slots
    for (let i = 0; i < 4; i++) await send({ contact: { externalId: `${tag}-first-${i}` }, externalId: `${tag}-f${i}`, text: 'oi' });
    await t.settle();
    expect((await t.db.query(`SELECT 1 FROM conversations WHERE service_id = $1 AND state = 'in_service'`, [service.id])).rows).toHaveLength(4);

    // 120 more wait; routing reads none of them, and most arrivals wake no pass at all
    const router = t.runtime.router;
    const read0 = router.queuedRead;
    const passes0 = router.passes;
    for (let i = 0; i < 120; i++) {
      const r = await send({ contact: { externalId: `${tag}-${i}` }, externalId: `${tag}-${i}`, text: `mensagem ${i}` });
      expect(r.status).toBe(202);
    }
    await t.settle();
    const order = await queueOrder(service.id);
    expect(order).toHaveLength(120);
    expect(router.queuedRead - read0).toBe(0);
    expect(router.passes - passes0).toBeLessThanOrEqual(1);
    expect(router.skipped).toBeGreaterThanOrEqual(100);

    // Ana finishes one: her slot goes to the oldest waiting, and the pass read one queued row
    const anaOpen = (await anaDesk.get('/api/conversations?state=in_service')).body.items as { id: string }[];
    const read1 = router.queuedRead;
    expect((await anaDesk.post(`/api/conversations/${anaOpen[0].id}/finish`, { outcome: 'completed' })).status).toBe(200);
    await t.settle();
    const first = await t.db.query<{ state: string; agent_id: string }>('SELECT state, agent_id FROM conversations WHERE id = $1', [order[0]]);
    expect(first.rows[0]).toEqual({ state: 'in_service', agent_id: ana.id });
    expect(router.queuedRead - read1).toBe(1);

    // one deep in the queue returned (as a supervisor's return does): it goes before every older new one
    const rest = order.slice(1);
    await t.db.query(`UPDATE conversations SET priority = 'returned' WHERE id = $1`, [rest[50]]);
    // and one allocated to Ana (Alocar responsável), who is full: it waits for her alone
    await t.db.query(`UPDATE conversations SET priority = 'manual', preferred_agent_id = $2 WHERE id = $1`, [rest[80], ana.id]);
    const finishOneOf = async (desk: Client) => {
      const open = (await desk.get('/api/conversations?state=in_service')).body.items as { id: string }[];
      expect((await desk.post(`/api/conversations/${open[0].id}/finish`, { outcome: 'completed' })).status).toBe(200);
      await t.settle();
    };
    const holder = async (id: string) => (await t.db.query<{ state: string; agent_id: string | null }>('SELECT state, agent_id FROM conversations WHERE id = $1', [id])).rows[0];

    const read2 = router.queuedRead;
    await finishOneOf(biaDesk);
    expect(await holder(rest[50])).toEqual({ state: 'in_service', agent_id: bia.id });
    expect(await holder(rest[80])).toEqual({ state: 'queued', agent_id: null });
    // the head of one, and the allocated one
    expect(router.queuedRead - read2).toBe(2);

    // Bia again: the manual one still waits for Ana; Bia takes the oldest new arrival
    await finishOneOf(biaDesk);
    expect(await holder(rest[0])).toEqual({ state: 'in_service', agent_id: bia.id });
    expect(await holder(rest[80])).toEqual({ state: 'queued', agent_id: null });

    // Ana frees a slot: the allocated conversation is hers, ahead of everything older
    await finishOneOf(anaDesk);
    expect(await holder(rest[80])).toEqual({ state: 'in_service', agent_id: ana.id });
    expect(await holder(rest[1])).toEqual({ state: 'queued', agent_id: null });
    // everything still waiting is exactly what a full read says, untouched
    expect(await queueOrder(service.id)).toEqual(rest.filter((id, n) => n !== 50 && n !== 80 && n !== 0));

    // nothing above the limit, ever
    const over = await t.db.query(`SELECT 1 FROM agent_presence WHERE user_id = ANY($1::uuid[]) AND open_chat > 2`, [[ana.id, bia.id]]);
    expect(over.rows).toHaveLength(0);
  });
});
