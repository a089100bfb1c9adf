import { describe, expect, it } from 'vitest';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import type { Channel } from '../../src/contracts/common.js';
import { appForFile, createApiService, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

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

  /**
   * The agents with a free slot for a workload one of their teams serves, computed here from the
   * tables in JavaScript (an independent count of what a pass must read); `unusedLimits` counts, as
   * passes did before, a free slot of any workload.
   */
  async function freeAgents(unusedLimits = false): Promise<Set<string>> {
    const q = async <R>(sql: string) => (await t.db.query<R>(sql)).rows;
    const presence = await q<{ user_id: string; open_chat: number; open_email: number }>(
      `SELECT p.user_id, p.open_chat, p.open_email FROM agent_presence p JOIN users u ON u.id = p.user_id
        WHERE p.state IN ('available', 'in_service') AND p.pending_pause_reason_id IS NULL AND u.active AND u.agent_enabled`,
    );
    const teams = new Map((await q<{ id: string; max_chat: number; max_email: number }>(`SELECT id, max_chat, max_email FROM teams WHERE active AND omni_enabled`)).map((r) => [r.id, r]));
    const memberships = await q<{ user_id: string; team_id: string }>(`SELECT user_id, team_id FROM team_agents`);
    const served = await q<{ team_id: string; channel: Channel }>(`SELECT st.team_id, s.channel FROM service_teams st JOIN services s ON s.id = st.service_id`);
    const free = new Set<string>();
    for (const p of presence) {
      for (const m of memberships.filter((x) => x.user_id === p.user_id)) {
        const team = teams.get(m.team_id);
        if (!team) continue;
        const chat = p.open_chat < team.max_chat;
        const email = p.open_email < team.max_email;
        if (unusedLimits ? chat || email : served.some((s) => s.team_id === m.team_id && (CHANNEL_CAPABILITIES[s.channel].workload === 'email' ? email : chat))) free.add(p.user_id);
      }
    }
    return free;
  }

  /** Agents (or services) read per pass while nothing changes (passes the node runs on its own meanwhile included). */
  async function readPerPass(what: 'agentsRead' | 'servicesRead' = 'agentsRead'): Promise<number> {
    const router = t.runtime.router;
    await router.idle();
    const [read0, passes0] = [router[what], router.passes];
    router.schedule();
    await router.idle();
    return (router[what] - read0) / (router.passes - passes0);
  }
  const agentsReadPerPass = () => readPerPass('agentsRead');

  /** The services a pass must read: those served by a team of an agent with a free slot (from the tables, in JavaScript). */
  async function servicesOfFreeAgents(): Promise<Set<string>> {
    const free = await freeAgents();
    const memberships = (await t.db.query<{ user_id: string; team_id: string }>(`SELECT user_id, team_id FROM team_agents`)).rows;
    const teams = new Set(memberships.filter((m) => free.has(m.user_id)).map((m) => m.team_id));
    const served = (await t.db.query<{ service_id: string; team_id: string }>(`SELECT service_id, team_id FROM service_teams`)).rows;
    return new Set(served.filter((s) => teams.has(s.team_id)).map((s) => s.service_id));
  }

  it('reads only the services the free agents\' teams serve, not the whole catalogue', async () => {
    // three teams, a service and an agent each; two agents full, one free
    const made = [];
    for (let i = 0; i < 3; i++) {
      const team = await createTeam(admin, { maxChat: 1 });
      const api = await createApiService(t, admin, { teamIds: [team.id] });
      const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
      const desk = await t.login(agent.email, agent.password);
      expect((await desk.post('/api/agent/login')).status).toBe(200);
      made.push({ team, ...api, agent });
    }
    const tag = unique('cat').replace(/\W/g, '');
    for (const [i, m] of made.slice(0, 2).entries()) {
      expect((await m.send({ contact: { externalId: `${tag}-${i}` }, externalId: `${tag}-${i}`, text: 'oi' })).status).toBe(202);
    }
    await t.settle();
    const services = await servicesOfFreeAgents();
    expect(services.has(made[2].service.id)).toBe(true);
    expect(services.has(made[0].service.id) || services.has(made[1].service.id)).toBe(false);
    const all = Number((await t.db.query<{ n: number }>(`SELECT count(DISTINCT service_id)::int AS n FROM service_teams`)).rows[0].n);
    expect(services.size).toBeLessThan(all);
    expect(await readPerPass('servicesRead')).toBe(services.size);

    // the free agent's service still routes, and a customer of a full one still waits
    const waiting = await made[0].send({ contact: { externalId: `${tag}-w` }, externalId: `${tag}-w`, text: 'oi' });
    const served = await made[2].send({ contact: { externalId: `${tag}-s` }, externalId: `${tag}-s`, text: 'oi' });
    await t.settle();
    const holder = async (id: string) => (await t.db.query<{ state: string; agent_id: string | null }>('SELECT state, agent_id FROM conversations WHERE id = $1', [id])).rows[0];
    expect(await holder(served.body.conversationId)).toEqual({ state: 'in_service', agent_id: made[2].agent.id });
    expect(await holder(waiting.body.conversationId)).toEqual({ state: 'queued', agent_id: null });
  });

  it('reads an agent full on chat only when a team of theirs serves e-mail, where their e-mail limit is free', async () => {
    const team = await createTeam(admin, { maxChat: 1, maxEmail: 3 });
    const { send } = await createApiService(t, admin, { teamIds: [team.id] });
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const desk = await t.login(agent.email, agent.password);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    const tag = unique('mail').replace(/\W/g, '');
    await send({ contact: { externalId: tag }, externalId: tag, text: 'oi' });
    await t.settle();
    // full on chat (1 of 1), none of 3 e-mails open, and no service of the team takes e-mail
    expect((await t.db.query(`SELECT open_chat, open_email FROM agent_presence WHERE user_id = $1`, [agent.id])).rows[0]).toEqual({ open_chat: 1, open_email: 0 });
    const free = await freeAgents();
    expect(free.has(agent.id)).toBe(false);
    // (as passes counted before: free by the unused e-mail limit)
    expect((await freeAgents(true)).has(agent.id)).toBe(true);
    expect(await agentsReadPerPass()).toBe(free.size);

    // the team takes an e-mail service: the same agent is free for it, and an e-mail reaches them
    const mail = await createService(admin, { channel: 'email', teamIds: [team.id] });
    await t.settle();
    const withMail = await freeAgents();
    expect(withMail.has(agent.id)).toBe(true);
    expect(await agentsReadPerPass()).toBe(withMail.size);
    const { rows: [contact] } = await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente do e-mail') RETURNING id`);
    const { rows: [queued] } = await t.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, queued_at, first_queued_at)
       VALUES ($1, $2, 'email', $3, 'queued', now(), now()) RETURNING id`,
      [unique('P').replace(/\W/g, '').slice(0, 30), mail.id, contact.id],
    );
    t.runtime.router.schedule();
    await t.runtime.router.idle();
    await t.settle();
    expect((await t.db.query(`SELECT state, agent_id FROM conversations WHERE id = $1`, [queued.id])).rows[0]).toEqual({ state: 'in_service', agent_id: agent.id });
  });
});
