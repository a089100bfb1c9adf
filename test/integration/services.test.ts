import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);

describe('services: create, read, list', () => {
  it('creates a service: 201 with the object, its id, a generated key and the defaults', async () => {
    const team = await createTeam(admin);
    const name = unique('Atendimento Geral');
    const r = await admin.post('/api/services', { name, channel: 'webchat', teamIds: [team.id] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name,
      channel: 'webchat',
      channelAccountId: null,
      teamIds: [team.id],
      botFlow: null,
      serviceLevelSeconds: 60,
      emailTriage: false,
      active: true,
    });
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.key).toMatch(/^atendimento-geral-[a-z0-9-]+$/);
    expect((await admin.get(`/api/services/${r.body.id}`)).body).toEqual(r.body);
  });

  it('an e-mail service defaults to a 24 h service level and may have the e-mail filter', async () => {
    const r = await admin.post('/api/services', { name: unique('Caixa'), channel: 'email', emailTriage: true });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ channel: 'email', serviceLevelSeconds: 86_400, emailTriage: true });
  });

  it('keeps a given key and a bot flow as JSON', async () => {
    const key = `k-${randomUUID().slice(0, 8)}`;
    // the shape is checked, and so is the graph (webchat.test.ts has the invalid flows)
    const botFlow = {
      version: 1,
      start: 'menu',
      steps: {
        menu: { kind: 'menu', text: 'Olá!', options: [{ id: 'vendas', label: 'Vendas', next: 'fila' }] },
        fila: { kind: 'transfer' },
      },
    };
    const r = await admin.post('/api/services', { name: unique('Com Chave'), channel: 'whatsapp', key, botFlow });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ key, botFlow });
    const dup = await admin.post('/api/services', { name: unique('Outra'), channel: 'whatsapp', key });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('key');
  });

  it('lists with ?q= and ?active=', async () => {
    const tag = unique('Suporte').replace(/\s/g, '');
    const a = await createService(admin, { name: `${tag} Chat` });
    const b = await createService(admin, { name: `${tag} SMS`, channel: 'sms' });
    await admin.del(`/api/services/${b.id}`);
    expect(ids(await admin.get(`/api/services?q=${encodeURIComponent(tag.toUpperCase())}`)).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await admin.get(`/api/services?q=${encodeURIComponent(tag)}&active=true`))).toEqual([a.id]);
    expect(ids(await admin.get(`/api/services?q=${encodeURIComponent(tag)}&active=false`))).toEqual([b.id]);
  });
});

describe('services: update and deactivate', () => {
  it('PATCH changes the given fields and the teams', async () => {
    const t1 = await createTeam(admin);
    const t2 = await createTeam(admin);
    const s = await createService(admin, { teamIds: [t1.id] });
    const r = await admin.patch(`/api/services/${s.id}`, { tmaGoalSeconds: 300, queueTimeoutSeconds: 120, teamIds: [t1.id, t2.id] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: s.id, key: s.key, tmaGoalSeconds: 300, queueTimeoutSeconds: 120 });
    expect(r.body.teamIds.sort()).toEqual([t1.id, t2.id].sort());
    expect((await admin.patch(`/api/services/${s.id}`, { botFlow: null })).body.botFlow).toBeNull();
  });

  it('the channel cannot change (unknown field), and only e-mail services get the e-mail filter (422)', async () => {
    const s = await createService(admin);
    const channel = await admin.patch(`/api/services/${s.id}`, { channel: 'email' });
    expect(channel.status).toBe(400);
    expect(channel.body.error.message).toContain('body.channel');
    const triage = await admin.patch(`/api/services/${s.id}`, { emailTriage: true });
    expect(triage.status).toBe(422);
    expect(triage.body.error.message).toContain('emailTriage');
  });

  it('DELETE deactivates: active false, still readable, listed with ?active=false', async () => {
    const s = await createService(admin);
    const r = await admin.del(`/api/services/${s.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: s.id, active: false });
    expect((await admin.get(`/api/services/${s.id}`)).body.active).toBe(false);
    expect(ids(await admin.get('/api/services?active=false'))).toContain(s.id);
    expect(ids(await admin.get('/api/services?active=true'))).not.toContain(s.id);
  });
});

describe('services: errors', () => {
  it('unknown id → 404, malformed id → 400', async () => {
    const missing = randomUUID();
    expect((await admin.get(`/api/services/${missing}`)).status).toBe(404);
    expect((await admin.patch(`/api/services/${missing}`, { tmaGoalSeconds: 60 })).status).toBe(404);
    expect((await admin.del(`/api/services/${missing}`)).status).toBe(404);
    const bad = await admin.patch('/api/services/1', { tmaGoalSeconds: 60 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('params.id');
  });

  it('a missing required field or an unknown field is a 400 naming it', async () => {
    const noChannel = await admin.post('/api/services', { name: unique('Sem Canal') });
    expect(noChannel.status).toBe(400);
    expect(noChannel.body.error.message).toContain('body.channel');
    const noName = await admin.post('/api/services', { channel: 'webchat' });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toContain('body.name');
    const extra = await admin.post('/api/services', { name: unique('Extra'), channel: 'webchat', apiToken: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('body.apiToken');
  });

  it('bad values are a 400 naming the field; a body over 1 MiB is a 413', async () => {
    for (const [over, field] of [
      [{ channel: 'fax' }, 'body.channel'],
      [{ key: 'Has Spaces' }, 'body.key'],
      [{ serviceLevelSeconds: 0 }, 'body.serviceLevelSeconds'],
      [{ name: 'n'.repeat(121) }, 'body.name'],
      [{ teamIds: [randomUUID(), 'x'] }, 'body.teamIds.1'],
    ] as const) {
      const r = await admin.post('/api/services', { name: unique('Valores'), channel: 'webchat', ...over });
      expect(r.status, field).toBe(400);
      expect(r.body.error.message, field).toContain(field);
    }
    const huge = await admin.post('/api/services', { name: unique('Fluxo'), channel: 'webchat', botFlow: { text: 'x'.repeat(1_100_000) } });
    expect(huge.status).toBe(413);
  });

  it('a duplicate name, in any case, is a 409', async () => {
    const s = await createService(admin);
    const dup = await admin.post('/api/services', { name: s.name.toLowerCase(), channel: 'email' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('name');
    const other = await createService(admin);
    expect((await admin.patch(`/api/services/${other.id}`, { name: s.name.toUpperCase() })).status).toBe(409);
  });

  it('a link to a team or a channel account that does not exist is a 422', async () => {
    const name = unique('Órfão');
    const team = await admin.post('/api/services', { name, channel: 'webchat', teamIds: [randomUUID()] });
    expect(team.status).toBe(422);
    expect(team.body.error.code).toBe('unknown_reference');
    expect(team.body.error.message).toContain('teamIds');
    expect(ids(await admin.get(`/api/services?q=${encodeURIComponent(name)}`))).toEqual([]);
    const account = await admin.post('/api/services', { name, channel: 'webchat', channelAccountId: randomUUID() });
    expect(account.status).toBe(422);
    expect(account.body.error.code).toBe('unknown_reference');
    const s = await createService(admin);
    expect((await admin.patch(`/api/services/${s.id}`, { teamIds: [randomUUID()] })).status).toBe(422);
  });

  it('only an admin writes: an agent or a supervisor gets 403', async () => {
    const team = await createTeam(admin);
    const s = await createService(admin, { teamIds: [team.id] });
    const agent = await createUser(admin, { teamIds: [team.id] });
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    for (const u of [agent, sup]) {
      const c = await t.login(u.email, u.password);
      expect((await c.post('/api/services', { name: unique('Nova'), channel: 'webchat' })).status, u.role).toBe(403);
      expect((await c.patch(`/api/services/${s.id}`, { tmaGoalSeconds: 1 })).status, u.role).toBe(403);
      expect((await c.del(`/api/services/${s.id}`)).status, u.role).toBe(403);
      // reading their own team's service is allowed
      expect((await c.get(`/api/services/${s.id}`)).status, u.role).toBe(200);
    }
  });
});
