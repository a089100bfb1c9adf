import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Análise da Operação: Atendentes, Fila and Mensagens ativas through the HTTP API, each figure checked
// against a plain computation over the conversations and presence tables (not the route's SQL).

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const arrive = (serviceId: string, channel: any) =>
  receiveInbound(t.runtime.engine, { serviceId, channel, contact: { externalId: unique('c'), name: unique('Cliente') }, externalId: unique('m'), text: 'oi' });

/** The calendar day of an instant in São Paulo (UTC−3 all year since 2019). */
const spDay = (at: Date | number) => new Date(new Date(at).getTime() - 3 * 3600_000).toISOString().slice(0, 10);

interface World {
  teamA: any; teamB: any;
  chatA: any; waA: any; svcB: any; orphan: any;
  agents: any[]; desks: Client[]; agentB: any;
  supA: Client; supB: Client; agentClient: Client;
}
let w: World;

beforeAll(async () => {
  const teamA = await createTeam(admin, { maxChat: 2 });
  const teamB = await createTeam(admin, { maxChat: 3 });
  const chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  const waA = await createService(admin, { channel: 'whatsapp', teamIds: [teamA.id] });
  const svcB = await createService(admin, { channel: 'telegram', teamIds: [teamB.id] });
  const orphan = await createService(admin, { channel: 'sms', teamIds: [] });
  const agents = await Promise.all([1, 2, 3].map(() => createUser(admin, { agentEnabled: true, teamIds: [teamA.id] })));
  const agentB = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const desks = await Promise.all(agents.map((a) => t.login(a.email, a.password)));
  const supAUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const supBUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamB.id] });
  w = {
    teamA, teamB, chatA, waA, svcB, orphan, agents, desks, agentB,
    supA: await t.login(supAUser.email, supAUser.password),
    supB: await t.login(supBUser.email, supBUser.password),
    agentClient: desks[0],
  };
  // a1 and a2 take work; a3 logs in and pauses
  await desks[0].post('/api/agent/login');
  await desks[1].post('/api/agent/login');
  const reasons = (await desks[2].get('/api/pause-reasons')).body.items;
  await desks[2].post('/api/agent/login');
  await desks[2].post('/api/agent/pause', { reasonId: reasons[0].id });
  for (let i = 0; i < 4; i++) await arrive(chatA.id, 'webchat');
  for (let i = 0; i < 2; i++) await arrive(waA.id, 'whatsapp');
  await t.settle();
  // a1 finishes one of each; routing gives a1 two more from the queue
  const mine = (await desks[0].get('/api/conversations?mine=true')).body.items;
  expect(mine).toHaveLength(2);
  // 95 s of service: the TMA has something to measure
  t.clock.advance(95_000);
  expect((await desks[0].post(`/api/conversations/${mine[0].id}/finish`, { outcome: 'completed' })).status).toBe(200);
  expect((await desks[0].post(`/api/conversations/${mine[1].id}/finish`, { outcome: 'cancelled' })).status).toBe(200);
  await t.settle();
  // two more waits, which nobody can take: a1 and a2 at their limit of 2, a3 paused
  await arrive(chatA.id, 'webchat');
  await arrive(waA.id, 'whatsapp');
  // team B: nobody logged in; the orphan service: no department at all
  await arrive(svcB.id, 'telegram');
  await arrive(orphan.id, 'sms');
  await t.settle();
  // a2 finished one yesterday (moved back in time: the period must leave it out of today)
  const a2 = (await desks[1].get('/api/conversations?mine=true')).body.items;
  t.clock.advance(40_000);
  expect((await desks[1].post(`/api/conversations/${a2[0].id}/finish`, { outcome: 'completed' })).status).toBe(200);
  await t.settle();
  await t.db.query(`UPDATE conversations SET finished_at = finished_at - interval '24 hours', assigned_at = assigned_at - interval '24 hours' WHERE id = $1`, [a2[0].id]);
  await arrive(chatA.id, 'webchat');
  await t.settle();
});

/** Atendentes as a plain fold over the conversations table, for `agentIds` and the days [from, to]. */
async function expectedAgents(agentIds: string[], from: string, to: string, serviceIds?: string[]) {
  const { rows } = await t.db.query<{ agent_id: string; state: string; service_id: string; finished_at: Date | null; assigned_at: Date | null }>(
    `SELECT agent_id, state, service_id, finished_at, assigned_at FROM conversations WHERE agent_id = ANY($1::uuid[])`,
    [agentIds],
  );
  return agentIds.map((id) => {
    const mine = rows.filter((r) => r.agent_id === id && (!serviceIds || serviceIds.includes(r.service_id)));
    const ended = mine.filter((r) => r.finished_at && spDay(r.finished_at) >= from && spDay(r.finished_at) <= to);
    const handled = ended.filter((r) => r.assigned_at);
    const sum = handled.reduce((a, r) => a + (r.finished_at!.getTime() - r.assigned_at!.getTime()) / 1000, 0);
    return {
      agentId: id,
      inService: mine.filter((r) => r.state === 'in_service').length,
      completed: ended.filter((r) => r.state === 'completed').length,
      cancelled: ended.filter((r) => r.state === 'cancelled').length,
      otherFinished: ended.filter((r) => r.state !== 'completed' && r.state !== 'cancelled').length,
      tmaSeconds: handled.length ? Math.round(sum / handled.length) : null,
    };
  });
}

const byAgent = <T extends { agentId: string }>(xs: T[]) => [...xs].sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
const figures = (r: any) => ({ agentId: r.agentId, inService: r.inService, completed: r.completed, cancelled: r.cancelled, otherFinished: r.otherFinished, tmaSeconds: r.tmaSeconds });

describe('Atendentes', () => {
  it('lists each agent in scope with in service now, and completed, cancelled and other ends in the period', async () => {
    const today = spDay(t.clock.now());
    const r = await w.supA.get('/api/analysis/agents');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: today, to: today, timezone: 'America/Sao_Paulo' });
    const ids = w.agents.map((a) => a.id);
    // supervisor A sees exactly team A's agents
    expect(r.body.rows.map((x: any) => x.agentId).sort()).toEqual([...ids].sort());
    const want = await expectedAgents(ids, today, today);
    expect(r.body.rows.map(figures).sort((a: any, b: any) => (a.agentId < b.agentId ? -1 : 1))).toEqual(want.sort((a, b) => (a.agentId < b.agentId ? -1 : 1)));
    // the script's own account: a1 finished one of each and holds two; a2 holds one, its finished one was yesterday
    const a1 = r.body.rows.find((x: any) => x.agentId === w.agents[0].id);
    expect(a1).toMatchObject({ inService: 2, completed: 1, cancelled: 1, state: 'in_service', tmaSeconds: 95 });
    const a2 = r.body.rows.find((x: any) => x.agentId === w.agents[1].id);
    expect(a2).toMatchObject({ completed: 0, inService: 2 });
    const a3 = r.body.rows.find((x: any) => x.agentId === w.agents[2].id);
    expect(a3).toMatchObject({ state: 'paused', inService: 0, completed: 0, tmaSeconds: null });
    expect(a3.pauseReasonId).toEqual(expect.any(String));
    expect(r.body.totals).toMatchObject({
      inService: want.reduce((a, x) => a + x.inService, 0),
      completed: want.reduce((a, x) => a + x.completed, 0),
      cancelled: want.reduce((a, x) => a + x.cancelled, 0),
    });
  });

  it('the period counts ends by their day; the service filter narrows conversations and agents', async () => {
    const today = spDay(t.clock.now());
    const yesterday = spDay(t.clock.now().getTime() - 86_400_000);
    const ids = w.agents.map((a) => a.id);
    const r = await admin.get(`/api/analysis/agents?from=${yesterday}&to=${today}`);
    const mineA = byAgent(r.body.rows.filter((x: any) => ids.includes(x.agentId)).map(figures));
    expect(mineA).toEqual(byAgent(await expectedAgents(ids, yesterday, today)));
    expect((mineA.find((x: any) => x.agentId === w.agents[1].id) as any).completed).toBe(1);
    // admin sees team B's agent too
    expect(r.body.rows.map((x: any) => x.agentId)).toContain(w.agentB.id);

    const onlyWa = await admin.get(`/api/analysis/agents?serviceIds=${w.waA.id}`);
    expect(onlyWa.body.rows.map((x: any) => x.agentId).sort()).toEqual([...ids].sort());
    expect(onlyWa.body.rows.map(figures).sort((a: any, b: any) => (a.agentId < b.agentId ? -1 : 1)))
      .toEqual((await expectedAgents(ids, today, today, [w.waA.id])).sort((a, b) => (a.agentId < b.agentId ? -1 : 1)));
    const onlyB = await admin.get(`/api/analysis/agents?serviceIds=${w.svcB.id}`);
    expect(onlyB.body.rows.map((x: any) => x.agentId)).toEqual([w.agentB.id]);
  });

  it('an agent’s conversations: held now, then ended in the period, with the same counts', async () => {
    const a1 = w.agents[0].id;
    const r = await w.supA.get(`/api/analysis/agents/${a1}/conversations`);
    expect(r.status).toBe(200);
    const { rows } = await t.db.query<{ id: string; state: string }>(
      `SELECT id, state FROM conversations WHERE agent_id = $1 AND (state = 'in_service' OR finished_at IS NOT NULL) ORDER BY id`, [a1],
    );
    expect(r.body.rows.map((x: any) => x.id).sort()).toEqual(rows.map((x) => x.id).sort());
    // the ones held now come first
    const states = r.body.rows.map((x: any) => x.state);
    expect(states.slice(0, 2)).toEqual(['in_service', 'in_service']);
    // paging by keyset gives the same rows
    const p1 = await w.supA.get(`/api/analysis/agents/${a1}/conversations?limit=3`);
    const p2 = await w.supA.get(`/api/analysis/agents/${a1}/conversations?limit=3&after=${p1.body.next}`);
    expect([...p1.body.rows, ...p2.body.rows].map((x: any) => x.id)).toEqual(r.body.rows.map((x: any) => x.id));
    expect(p2.body.next).toBeNull();
    // outside the scope: the 404 of an unknown agent
    expect((await w.supB.get(`/api/analysis/agents/${a1}/conversations`)).status).toBe(404);
    expect((await admin.get(`/api/analysis/agents/${randomUUID()}/conversations`)).status).toBe(404);
  });
});

describe('Fila', () => {
  it('lists every waiting conversation per department, with its place in line and why it waits', async () => {
    const r = await admin.get('/api/analysis/queue');
    expect(r.status).toBe(200);
    const queued = (await t.db.query<{ id: string; service_id: string; queued_at: Date }>(`SELECT id, service_id, queued_at FROM conversations WHERE state = 'queued'`)).rows;
    expect(r.body.waiting).toBe(queued.length);
    const deptA = r.body.departments.find((d: any) => d.teamId === w.teamA.id);
    const inA = queued.filter((q) => q.service_id === w.chatA.id || q.service_id === w.waA.id);
    expect(deptA.waiting).toBe(inA.length);
    expect(deptA.rows.map((x: any) => x.id).sort()).toEqual(inA.map((q) => q.id).sort());
    // positions: within each service, by the time queued (all normal priority here)
    for (const sid of [w.chatA.id, w.waA.id]) {
      const order = inA.filter((q) => q.service_id === sid).sort((a, b) => a.queued_at.getTime() - b.queued_at.getTime()).map((q) => q.id);
      const pos = deptA.rows.filter((x: any) => x.serviceId === sid).sort((a: any, b: any) => a.position - b.position).map((x: any) => x.id);
      expect(pos).toEqual(order);
    }
    // the reason, from the presence table: a1 and a2 hold 2 (the limit), a3 is paused
    const presence = (await t.db.query<{ user_id: string; state: string; open_chat: number }>(
      `SELECT user_id, state, open_chat FROM agent_presence WHERE user_id = ANY($1::uuid[])`, [w.agents.map((a) => a.id)],
    )).rows;
    const atLimit = presence.filter((p) => p.state !== 'paused' && p.state !== 'offline' && p.open_chat >= 2).length;
    expect(deptA.reasons).toEqual([{ kind: 'chat', code: 'at_limit_or_paused', limit: 2, loggedIn: 3, paused: 1, atLimit, free: 0 }]);
    expect(atLimit).toBe(2);
    const deptB = r.body.departments.find((d: any) => d.teamId === w.teamB.id);
    expect(deptB).toMatchObject({ waiting: 1, agents: { linked: 1, loggedIn: 0 }, reasons: [{ code: 'none_logged_in', loggedIn: 0 }] });
    const none = r.body.departments.find((d: any) => d.teamId === null);
    expect(none.reasons[0].code).toBe('no_department');
    expect(none.rows.map((x: any) => x.serviceId)).toEqual([w.orphan.id]);
  });

  it('when the paused agent comes back and fills up, team A is all at its limit (3/3)', async () => {
    for (let i = 0; i < 3; i++) await arrive(w.chatA.id, 'webchat');
    await t.settle();
    expect((await w.desks[2].post('/api/agent/resume')).status).toBe(200);
    await t.settle();
    // a3 took two (the limit); what is left waits with every agent at the limit
    const r = await admin.get(`/api/analysis/queue?serviceIds=${w.chatA.id},${w.waA.id}`);
    const left = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE state = 'queued' AND service_id = ANY($1::uuid[])`, [[w.chatA.id, w.waA.id]])).rows[0].n;
    expect(left).toBeGreaterThan(0);
    expect(r.body.waiting).toBe(left);
    expect(r.body.departments).toHaveLength(1);
    expect(r.body.departments[0].reasons).toEqual([{ kind: 'chat', code: 'all_at_limit', limit: 2, loggedIn: 3, paused: 0, atLimit: 3, free: 0 }]);
  });

  it('is scoped: a supervisor sees their departments’ queues only', async () => {
    const a = await w.supA.get('/api/analysis/queue');
    expect(a.body.departments.map((d: any) => d.teamId)).not.toContain(w.teamB.id);
    expect(a.body.departments.every((d: any) => d.teamId === w.teamA.id)).toBe(true);
    const b = await w.supB.get('/api/analysis/queue');
    expect(b.body.departments.map((d: any) => d.teamId)).toEqual([w.teamB.id]);
    expect(b.body.waiting).toBe(1);
  });
});

describe('Mensagens ativas', () => {
  it('is empty until an outbound conversation exists, then lists it in scope, with the filter', async () => {
    const empty = await admin.get('/api/analysis/outbound');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ rows: [], next: null, total: 0 });

    // an outbound conversation (as the active-messages feature will write it)
    const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name, phone) VALUES ('Cliente Ativo', '+5511912345678') RETURNING id`)).rows[0].id;
    const protocol = `OUT${Date.now()}`;
    const id = (await t.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at, assigned_at, first_assigned_at)
       VALUES ($1, $2, 'whatsapp', $3, 'outbound', 'in_service', $4, now(), now(), now()) RETURNING id`,
      [protocol, w.waA.id, contact, w.agents[0].id],
    )).rows[0].id;
    const all = await admin.get('/api/analysis/outbound');
    const direct = (await t.db.query<{ id: string }>(`SELECT id FROM conversations WHERE direction = 'outbound'`)).rows.map((r) => r.id);
    expect(all.body.rows.map((r: any) => r.id)).toEqual(direct);
    expect(all.body.total).toBe(1);
    expect(all.body.rows[0]).toMatchObject({ id, protocol, direction: 'outbound', contactName: 'Cliente Ativo', serviceName: w.waA.name, agentId: w.agents[0].id });
    expect((await w.supA.get('/api/analysis/outbound')).body.rows.map((r: any) => r.id)).toEqual([id]);
    expect((await w.supB.get('/api/analysis/outbound')).body).toEqual({ rows: [], next: null, total: 0 });
    // the conversation filter applies
    expect((await admin.get(`/api/analysis/outbound?protocol=${protocol}`)).body.total).toBe(1);
    expect((await admin.get('/api/analysis/outbound?states=completed')).body.total).toBe(0);
    expect((await admin.get('/api/analysis/outbound?origin=Ativo')).body.total).toBe(1);
    // an inbound conversation never shows
    expect((await t.db.query(`SELECT 1 FROM conversations WHERE direction = 'inbound'`)).rows.length).toBeGreaterThan(0);
  });
});

describe('every route', () => {
  it('answers 400 naming the field for a bad period or parameter', async () => {
    const today = spDay(t.clock.now());
    for (const [path, field] of [
      ['/api/analysis/agents?from=2024-05-10&to=2024-05-01', 'to'],
      ['/api/analysis/agents?from=2023-01-01&to=2024-05-01', 'to'],
      ['/api/analysis/agents?from=2024-05-01', 'to'],
      ['/api/analysis/agents?from=ontem&to=2024-05-01', 'from'],
      ['/api/analysis/agents?serviceIds=nope', 'serviceIds'],
      [`/api/analysis/agents/${w.agents[0].id}/conversations?from=${today}&to=2000-01-01`, 'to'],
      [`/api/analysis/agents/${w.agents[0].id}/conversations?limit=0`, 'limit'],
      [`/api/analysis/agents/${w.agents[0].id}/conversations?after=xyz`, 'cursor'],
      ['/api/analysis/queue?serviceIds=1', 'serviceIds'],
      ['/api/analysis/outbound?from=2024-05-10&to=2024-05-01', 'to'],
      ['/api/analysis/outbound?from=2023-01-01&to=2024-05-01', 'to'],
      ['/api/analysis/outbound?states=lost', 'states'],
      ['/api/analysis/outbound?unknown=1', 'unknown'],
    ] as const) {
      const r = await admin.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.message, path).toContain(field);
    }
    // in Portuguese for a Portuguese screen
    const pt = await admin.request('GET', '/api/analysis/agents?from=2023-01-01&to=2024-05-01', undefined, { 'accept-language': 'pt-BR' });
    expect(pt.body.error.message).toContain('no máximo 366 dias');
  });

  it('is for admins and supervisors: an agent gets 403, nobody 401', async () => {
    for (const path of ['/api/analysis/agents', '/api/analysis/queue', '/api/analysis/outbound', `/api/analysis/agents/${w.agents[0].id}/conversations`]) {
      expect((await w.agentClient.get(path)).status, path).toBe(403);
      expect((await t.anonymous().get(path)).status, path).toBe(401);
    }
  });

  it('a supervisor of another team sees none of team A', async () => {
    const agents = await w.supB.get('/api/analysis/agents');
    expect(agents.body.rows.map((r: any) => r.agentId)).toEqual([w.agentB.id]);
    expect(agents.body.totals).toMatchObject({ inService: 0, completed: 0, cancelled: 0 });
    const filtered = await w.supB.get(`/api/analysis/agents?serviceIds=${w.chatA.id}`);
    expect(filtered.body.rows).toEqual([]);
    const queue = await w.supB.get(`/api/analysis/queue?serviceIds=${w.chatA.id}`);
    expect(queue.body).toMatchObject({ waiting: 0, departments: [] });
  });
});
