import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appForFile, createApiService, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Who sees what: a supervisor sees the teams they supervise, the services of those teams and the
// agents of those teams; an agent sees their own teams, their services and only themself as a user.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const ids = (r: { status: number; body: { items: { id: string }[] } }) => {
  expect(r.status).toBe(200);
  return r.body.items.map((i) => i.id).sort();
};
const sorted = (...xs: string[]) => [...xs].sort();

/** Two teams, each with an agent and a service; a supervisor of the first only. */
async function twoTeams() {
  const mine = await createTeam(admin);
  const theirs = await createTeam(admin);
  const agent = await createUser(admin, { teamIds: [mine.id] });
  const otherAgent = await createUser(admin, { teamIds: [theirs.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [mine.id] });
  const otherSup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [theirs.id] });
  const service = await createService(admin, { teamIds: [mine.id] });
  const otherService = await createService(admin, { teamIds: [theirs.id] });
  const sharedService = await createService(admin, { teamIds: [mine.id, theirs.id] });
  return { mine, theirs, agent, otherAgent, sup, otherSup, service, otherService, sharedService };
}

describe('a supervisor', () => {
  it('sees only the teams they supervise, and 404 on another team', async () => {
    const w = await twoTeams();
    const c = await t.login(w.sup.email, w.sup.password);
    expect(ids(await c.get('/api/teams'))).toEqual([w.mine.id]);
    expect((await c.get(`/api/teams/${w.mine.id}`)).body).toMatchObject({ id: w.mine.id, agentIds: [w.agent.id], supervisorIds: [w.sup.id] });
    const other = await c.get(`/api/teams/${w.theirs.id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    // the filters narrow the scope, never widen it
    expect(ids(await c.get(`/api/teams?q=${encodeURIComponent(w.theirs.name)}`))).toEqual([]);
    expect(ids(await c.get('/api/teams?active=true'))).toEqual([w.mine.id]);
  });

  it('sees only the services of those teams, and 404 on another', async () => {
    const w = await twoTeams();
    const c = await t.login(w.sup.email, w.sup.password);
    expect(ids(await c.get('/api/services'))).toEqual(sorted(w.service.id, w.sharedService.id));
    expect((await c.get(`/api/services/${w.service.id}`)).status).toBe(200);
    expect((await c.get(`/api/services/${w.otherService.id}`)).status).toBe(404);
  });

  it('sees themself and the agents of those teams, and 404 on anyone else', async () => {
    const w = await twoTeams();
    const c = await t.login(w.sup.email, w.sup.password);
    expect(ids(await c.get('/api/users'))).toEqual(sorted(w.sup.id, w.agent.id));
    expect((await c.get(`/api/users/${w.agent.id}`)).status).toBe(200);
    for (const hidden of [w.otherAgent.id, w.otherSup.id]) {
      expect((await c.get(`/api/users/${hidden}`)).status).toBe(404);
    }
    const adminId = (await admin.get('/api/auth/me')).body.id;
    expect((await c.get(`/api/users/${adminId}`)).status).toBe(404);
  });

  it('follows changes at once: a new team to supervise appears, a removed one disappears', async () => {
    const w = await twoTeams();
    const c = await t.login(w.sup.email, w.sup.password);
    await admin.patch(`/api/users/${w.sup.id}`, { supervisedTeamIds: [w.theirs.id] });
    expect(ids(await c.get('/api/teams'))).toEqual([w.theirs.id]);
    expect(ids(await c.get('/api/services'))).toEqual(sorted(w.otherService.id, w.sharedService.id));
    expect(ids(await c.get('/api/users'))).toEqual(sorted(w.sup.id, w.otherAgent.id));
    expect((await c.get(`/api/teams/${w.mine.id}`)).status).toBe(404);
  });

  it('with no team sees no team, no service and only themself', async () => {
    const sup = await createUser(admin, { role: 'supervisor' });
    await twoTeams();
    const c = await t.login(sup.email, sup.password);
    expect(ids(await c.get('/api/teams'))).toEqual([]);
    expect(ids(await c.get('/api/services'))).toEqual([]);
    expect(ids(await c.get('/api/users'))).toEqual([sup.id]);
  });

  it('may not read the audit log nor the channel accounts', async () => {
    const w = await twoTeams();
    const c = await t.login(w.sup.email, w.sup.password);
    expect((await c.get('/api/audit')).status).toBe(403);
    expect((await c.get('/api/channel-accounts')).status).toBe(403);
  });
});

describe('a protocol number', () => {
  it('finds its conversation in any state, within the scope of who asks', async () => {
    const mine = await createTeam(admin);
    const theirs = await createTeam(admin);
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [mine.id] });
    const api = await createApiService(t, admin, { teamIds: [mine.id] });
    const other = await createApiService(t, admin, { teamIds: [theirs.id] });
    const sent = (await api.send({ contact: { externalId: randomUUID() }, externalId: randomUUID(), text: 'Oi' })).body;
    const elsewhere = (await other.send({ contact: { externalId: randomUUID() }, externalId: randomUUID(), text: 'Oi' })).body;
    // setup: the first conversation finished long ago (the engine's own finishing is tested elsewhere)
    await t.db.query(`UPDATE conversations SET state = 'completed', finished_at = now(), finished_by = 'agent' WHERE id = $1`, [sent.conversationId]);

    const c = await t.login(sup.email, sup.password);
    const found = await c.get(`/api/conversations?protocol=${sent.protocol}`);
    expect(found.body.items.map((x: { id: string; state: string }) => [x.id, x.state])).toEqual([[sent.conversationId, 'completed']]);
    // with a state, the state still filters; the listing without a protocol stays the open ones
    expect((await c.get(`/api/conversations?protocol=${sent.protocol}&state=open`)).body.items).toEqual([]);
    expect((await c.get('/api/conversations')).body.items.map((x: { id: string }) => x.id)).not.toContain(sent.conversationId);
    // another team's conversation is not found by its protocol
    expect((await c.get(`/api/conversations?protocol=${elsewhere.protocol}`)).body.items).toEqual([]);
    expect((await admin.get(`/api/conversations?protocol=${elsewhere.protocol}`)).body.items).toHaveLength(1);
  });
});

describe('an agent', () => {
  it('sees only themself in /api/users', async () => {
    const w = await twoTeams();
    const c = await t.login(w.agent.email, w.agent.password);
    expect(ids(await c.get('/api/users'))).toEqual([w.agent.id]);
    expect((await c.get(`/api/users/${w.agent.id}`)).body).toMatchObject({ id: w.agent.id, teamIds: [w.mine.id] });
    for (const other of [w.otherAgent.id, w.sup.id, randomUUID()]) {
      expect((await c.get(`/api/users/${other}`)).status).toBe(404);
    }
  });

  it('sees the teams they work in and the services of those teams', async () => {
    const w = await twoTeams();
    const c = await t.login(w.agent.email, w.agent.password);
    expect(ids(await c.get('/api/teams'))).toEqual([w.mine.id]);
    expect((await c.get(`/api/teams/${w.theirs.id}`)).status).toBe(404);
    expect(ids(await c.get('/api/services'))).toEqual(sorted(w.service.id, w.sharedService.id));
    expect((await c.get(`/api/services/${w.otherService.id}`)).status).toBe(404);
  });

  it('may not read the audit log nor the channel accounts', async () => {
    const w = await twoTeams();
    const c = await t.login(w.agent.email, w.agent.password);
    expect((await c.get('/api/audit')).status).toBe(403);
    expect((await c.get('/api/channel-accounts')).status).toBe(403);
  });
});

describe('an admin', () => {
  it('sees every team, service and user', async () => {
    const w = await twoTeams();
    expect(ids(await admin.get('/api/teams'))).toEqual(expect.arrayContaining([w.mine.id, w.theirs.id]));
    expect(ids(await admin.get('/api/services'))).toEqual(expect.arrayContaining([w.service.id, w.otherService.id, w.sharedService.id]));
    expect(ids(await admin.get('/api/users'))).toEqual(expect.arrayContaining([w.agent.id, w.otherAgent.id, w.sup.id, w.otherSup.id]));
  });
});
