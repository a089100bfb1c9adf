import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appForFile, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);

describe('teams: create, read, list', () => {
  it('creates a team: 201 with the object, its id and the defaults', async () => {
    const name = unique('Financeiro');
    const r = await admin.post('/api/teams', { name });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name, omniEnabled: true, maxChat: 3, maxEmail: 5, active: true, agentIds: [], supervisorIds: [] });
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await admin.get(`/api/teams/${r.body.id}`)).body).toEqual(r.body);
  });

  it('creates a team with its agents and supervisors', async () => {
    const agent = await createUser(admin);
    const sup = await createUser(admin, { role: 'supervisor' });
    const r = await admin.post('/api/teams', { name: unique('Cobrança'), maxChat: 7, maxEmail: 2, omniEnabled: false, agentIds: [agent.id, agent.id], supervisorIds: [sup.id] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ maxChat: 7, maxEmail: 2, omniEnabled: false, agentIds: [agent.id], supervisorIds: [sup.id] });
    expect((await admin.get(`/api/users/${agent.id}`)).body.teamIds).toEqual([r.body.id]);
    expect((await admin.get(`/api/users/${sup.id}`)).body.supervisedTeamIds).toEqual([r.body.id]);
  });

  it('lists with ?q= (case-insensitive, accents kept) and ?active=', async () => {
    const tag = unique('Ação').replace(/\s/g, '');
    const a = await createTeam(admin, { name: `${tag} Norte` });
    const b = await createTeam(admin, { name: `${tag} Sul` });
    await admin.del(`/api/teams/${b.id}`);
    const all = await admin.get(`/api/teams?q=${encodeURIComponent(tag.toLowerCase())}`);
    expect(all.status).toBe(200);
    expect(ids(all).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await admin.get(`/api/teams?q=${encodeURIComponent(tag + ' n')}`))).toEqual([a.id]);
    expect(ids(await admin.get(`/api/teams?q=${encodeURIComponent(tag)}&active=true`))).toEqual([a.id]);
    expect(ids(await admin.get(`/api/teams?q=${encodeURIComponent(tag)}&active=false`))).toEqual([b.id]);
    expect((await admin.get(`/api/teams?q=${'x'.repeat(121)}`)).status).toBe(400);
  });
});

describe('teams: update and deactivate', () => {
  it('PATCH changes the given fields and replaces the links given', async () => {
    const a1 = await createUser(admin);
    const a2 = await createUser(admin);
    const team = await createTeam(admin, { agentIds: [a1.id] });
    const r = await admin.patch(`/api/teams/${team.id}`, { maxChat: 10, agentIds: [a2.id] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: team.id, name: team.name, maxChat: 10, maxEmail: 5, agentIds: [a2.id] });
    // links not named stay as they were
    const renamed = await admin.patch(`/api/teams/${team.id}`, { name: `${team.name} 2` });
    expect(renamed.body).toMatchObject({ name: `${team.name} 2`, agentIds: [a2.id] });
  });

  it('DELETE deactivates: active false, still readable, listed with ?active=false', async () => {
    const team = await createTeam(admin);
    const r = await admin.del(`/api/teams/${team.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: team.id, active: false });
    expect((await admin.get(`/api/teams/${team.id}`)).body.active).toBe(false);
    expect(ids(await admin.get('/api/teams?active=false'))).toContain(team.id);
    expect(ids(await admin.get('/api/teams?active=true'))).not.toContain(team.id);
    expect(ids(await admin.get('/api/teams'))).toContain(team.id);
  });

  it('a team and a user linked to each other at the same time both succeed', async () => {
    for (let i = 0; i < 5; i++) {
      const team = await createTeam(admin);
      const user = await createUser(admin);
      const [a, b] = await Promise.all([
        admin.patch(`/api/teams/${team.id}`, { agentIds: [user.id] }),
        admin.patch(`/api/users/${user.id}`, { teamIds: [team.id] }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect((await admin.get(`/api/teams/${team.id}`)).body.agentIds).toEqual([user.id]);
    }
  });
});

describe('teams: errors', () => {
  it('unknown id → 404, malformed id → 400', async () => {
    const missing = randomUUID();
    expect((await admin.get(`/api/teams/${missing}`)).status).toBe(404);
    expect((await admin.patch(`/api/teams/${missing}`, { maxChat: 2 })).status).toBe(404);
    expect((await admin.del(`/api/teams/${missing}`)).status).toBe(404);
    for (const bad of ['123', 'not-a-uuid', `${missing}x`]) {
      const r = await admin.get(`/api/teams/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.message).toContain('params.id');
    }
    expect((await admin.del('/api/teams/xyz')).status).toBe(400);
  });

  it('a missing required field or an unknown field is a 400 naming it', async () => {
    const missing = await admin.post('/api/teams', { maxChat: 3 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('body.name');
    const extra = await admin.post('/api/teams', { name: unique('Extra'), color: 'blue' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('body.color');
    const team = await createTeam(admin);
    const patchExtra = await admin.patch(`/api/teams/${team.id}`, { id: randomUUID() });
    expect(patchExtra.status).toBe(400);
    expect(patchExtra.body.error.message).toContain('body.id');
  });

  it('out-of-range numbers, a blank name and an over-long name are a 400 naming the field', async () => {
    for (const [body, field] of [
      [{ name: unique('Faixa'), maxChat: 0 }, 'body.maxChat'],
      [{ name: unique('Faixa'), maxEmail: 101 }, 'body.maxEmail'],
      [{ name: unique('Faixa'), maxChat: 2.5 }, 'body.maxChat'],
      [{ name: '   ' }, 'body.name'],
      [{ name: 'x'.repeat(121) }, 'body.name'],
      [{ name: unique('Faixa'), agentIds: 'all' }, 'body.agentIds'],
    ] as const) {
      const r = await admin.post('/api/teams', body);
      expect(r.status, field).toBe(400);
      expect(r.body.error.message, field).toContain(field);
    }
  });

  it('a body over 1 MiB is a 413', async () => {
    const r = await admin.post('/api/teams', { name: unique('Grande'), agentIds: Array.from({ length: 30_000 }, () => randomUUID()) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('a duplicate name, in any case, is a 409 on create and on rename', async () => {
    const team = await createTeam(admin);
    const dup = await admin.post('/api/teams', { name: team.name.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('name');
    const other = await createTeam(admin);
    expect((await admin.patch(`/api/teams/${other.id}`, { name: team.name.toLowerCase() })).status).toBe(409);
    // surrounding spaces are trimmed before the check
    expect((await admin.post('/api/teams', { name: `  ${team.name}  ` })).status).toBe(409);
  });

  it('a link to a user that does not exist is a 422 and the team is not created', async () => {
    const name = unique('Fantasma');
    const r = await admin.post('/api/teams', { name, agentIds: [randomUUID()] });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain('agentIds');
    expect(ids(await admin.get(`/api/teams?q=${encodeURIComponent(name)}`))).toEqual([]);
    const team = await createTeam(admin);
    const patch = await admin.patch(`/api/teams/${team.id}`, { supervisorIds: [randomUUID()] });
    expect(patch.status).toBe(422);
    expect(patch.body.error.message).toContain('supervisorIds');
  });

  it('only an admin writes: an agent or a supervisor gets 403', async () => {
    const team = await createTeam(admin);
    for (const role of ['agent', 'supervisor']) {
      const u = await createUser(admin, { role, supervisedTeamIds: role === 'supervisor' ? [team.id] : [] });
      const c = await t.login(u.email, u.password);
      expect((await c.post('/api/teams', { name: unique('Nova') })).status, role).toBe(403);
      expect((await c.patch(`/api/teams/${team.id}`, { maxChat: 50 })).status, role).toBe(403);
      expect((await c.del(`/api/teams/${team.id}`)).status, role).toBe(403);
    }
    expect((await admin.get(`/api/teams/${team.id}`)).body).toMatchObject({ maxChat: 3, active: true });
  });
});
