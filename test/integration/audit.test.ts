import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRegistry } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { createService, createTeam, createUser, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';

// the accounts' CRUD only: stand-ins that call no provider after a save (each channel's own tests
// cover its accountSaved), registered before the app starts
for (const channel of ['telegram'] as const) channelRegistry.register({ channel, capabilities: CHANNEL_CAPABILITIES[channel] });

let t: TestApp;
let admin: Client;
let adminId: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
  adminId = (await admin.get('/api/auth/me')).body.id;
});
afterAll(() => t.close());

interface Entry {
  id: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: any;
  after: any;
  ip: string | null;
  at: string;
}
const entriesOf = async (c: Client, query: string): Promise<Entry[]> => {
  const r = await c.get(`/api/audit?${query}`);
  expect(r.status).toBe(200);
  return r.body.items;
};

/** A second admin of its own, so that filtering by actor shows only what this test did. */
async function ownAdmin() {
  const u = await createUser(admin, { role: 'admin' });
  return { id: u.id as string, name: u.name as string, client: await t.login(u.email, u.password) };
}

describe('every admin change is audited', () => {
  let categoryCode = 700_000 + (process.pid % 1000) * 100;
  const newCategory = async () => (await admin.post('/api/template-categories', { code: ++categoryCode, title: unique('Cat'), type: 'protocol_update' })).body;
  const cases: { entity: string; path: string; body: () => Record<string, unknown> | Promise<Record<string, unknown>>; patch: Record<string, unknown> }[] = [
    { entity: 'team', path: '/api/teams', body: () => ({ name: unique('Equipe') }), patch: { maxChat: 9 } },
    { entity: 'service', path: '/api/services', body: () => ({ name: unique('Serviço'), channel: 'sms' }), patch: { tmaGoalSeconds: 123 } },
    { entity: 'user', path: '/api/users', body: () => ({ email: `${unique('a').replace(/\s/g, '-')}@test.local`.toLowerCase(), name: unique('Ana'), role: 'agent', password: 'password-123' }), patch: { agentEnabled: true } },
    { entity: 'pause_reason', path: '/api/pause-reasons', body: () => ({ name: unique('Pausa') }), patch: { productive: true } },
    { entity: 'classification', path: '/api/classifications', body: () => ({ code: unique('C'), name: unique('Classe') }), patch: { name: 'Renomeada' } },
    { entity: 'channel_account', path: '/api/channel-accounts', body: () => ({ channel: 'telegram', name: unique('Bot') }), patch: { config: { botUsername: 'mirante_bot' } } },
    { entity: 'template_category', path: '/api/template-categories', body: () => ({ code: ++categoryCode, title: unique('Categoria'), type: 'protocol_update' }), patch: { title: 'Nova' } },
    { entity: 'template', path: '/api/templates', body: async () => ({ categoryId: (await newCategory()).id, name: unique('Modelo'), body: 'Olá' }), patch: { body: 'Oi' } },
  ];

  it.each(cases)('$entity: create, update and deactivate with actor, entity, before and after', async ({ entity, path, body, patch }) => {
    const me = await ownAdmin();
    const created = (await me.client.post(path, await body())).body;
    const updated = (await me.client.patch(`${path}/${created.id}`, patch)).body;
    const deactivated = (await me.client.del(`${path}/${created.id}`)).body;

    const items = await entriesOf(admin, `entity=${entity}&entityId=${created.id}`);
    expect(items.map((i) => i.action)).toEqual(['deactivate', 'update', 'create']);
    for (const i of items) {
      expect(i).toMatchObject({ actorId: me.id, actorName: me.name, entity, entityId: created.id });
      expect(i.ip).toBe('127.0.0.1');
      expect(Date.parse(i.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    const [del, upd, crt] = items;
    expect(crt.before).toBeNull();
    expect(crt.after).toMatchObject({ ...created, ...(entity === 'user' ? { password: '[redacted]' } : {}) });
    expect(upd.before).toEqual(created);
    expect(upd.after).toEqual(updated);
    expect(del.before).toEqual(updated);
    expect(del.after).toEqual(deactivated);
    expect(del.after.active).toBe(false);
    // ids increase with time: newest first
    expect(del.id).toBeGreaterThan(upd.id);
    expect(upd.id).toBeGreaterThan(crt.id);
  });

  it('a refused change leaves no audit entry', async () => {
    const team = await createTeam(admin);
    expect((await admin.patch(`/api/teams/${team.id}`, { agentIds: ['00000000-0000-4000-8000-000000000000'] })).status).toBe(422);
    expect((await entriesOf(admin, `entity=team&entityId=${team.id}`)).map((i) => i.action)).toEqual(['create']);
  });

  it('a changed link shows in before and after', async () => {
    const team = await createTeam(admin);
    const service = await createService(admin);
    await admin.patch(`/api/services/${service.id}`, { teamIds: [team.id] });
    const [upd] = await entriesOf(admin, `entity=service&entityId=${service.id}&limit=1`);
    expect(upd.before.teamIds).toEqual([]);
    expect(upd.after.teamIds).toEqual([team.id]);
  });
});

describe('GET /api/audit', () => {
  it('pages newest first with before / nextCursor, no entry twice, none missed', async () => {
    const me = await ownAdmin();
    for (let i = 0; i < 7; i++) await me.client.post('/api/pause-reasons', { name: unique('Paginada') });

    const seen: Entry[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const query: string = `actorId=${me.id}&entity=pause_reason&limit=3${cursor ? `&before=${cursor}` : ''}`;
      const r = await admin.get(`/api/audit?${query}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (cursor !== null) expect(cursor).toBe(r.body.items[r.body.items.length - 1].id);
      pages++;
    } while (cursor !== null && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    const seenIds = seen.map((e) => e.id);
    expect(new Set(seenIds).size).toBe(7);
    expect(seenIds).toEqual([...seenIds].sort((a, b) => b - a));
    expect(seen.every((e) => e.actorId === me.id && e.action === 'create' && e.entity === 'pause_reason')).toBe(true);
  });

  it('an exact page has no next cursor', async () => {
    const me = await ownAdmin();
    for (let i = 0; i < 2; i++) await me.client.post('/api/pause-reasons', { name: unique('Exata') });
    const r = await admin.get(`/api/audit?actorId=${me.id}&entity=pause_reason&limit=2`);
    expect(r.body.items).toHaveLength(2);
    expect(r.body.nextCursor).toBeNull();
  });

  it('filters by entity, entityId, actor and time', async () => {
    const me = await ownAdmin();
    const start = new Date(Date.now() - 1000).toISOString();
    const team = (await me.client.post('/api/teams', { name: unique('Filtro') })).body;
    await me.client.post('/api/pause-reasons', { name: unique('Filtro') });
    const byActor = await entriesOf(admin, `actorId=${me.id}`);
    // signing in is audited too
    expect(byActor.map((e) => e.entity)).toEqual(['pause_reason', 'team', 'session']);
    expect((await entriesOf(admin, `actorId=${me.id}&entity=team`)).map((e) => e.entityId)).toEqual([team.id]);
    expect(await entriesOf(admin, `actorId=${me.id}&entity=team&from=${encodeURIComponent(start)}`)).toHaveLength(1);
    expect(await entriesOf(admin, `actorId=${me.id}&entity=team&to=${encodeURIComponent(start)}`)).toHaveLength(0);
  });

  it('rejects bad queries with a 400 naming the parameter', async () => {
    for (const [q, field] of [
      ['limit=0', 'querystring.limit'],
      ['limit=501', 'querystring.limit'],
      ['before=-3', 'querystring.before'],
      ['actorId=nobody', 'querystring.actorId'],
      ['from=yesterday', 'querystring.from'],
      ['order=asc', 'querystring.order'],
    ]) {
      const r = await admin.get(`/api/audit?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toContain(field);
    }
  });

  it('is for admins only', async () => {
    for (const role of ['agent', 'supervisor']) {
      const u = await createUser(admin, { role });
      const c = await t.login(u.email, u.password);
      expect((await c.get('/api/audit')).status, role).toBe(403);
    }
    expect((await t.anonymous().get('/api/audit')).status).toBe(401);
  });

  it('records the admin who made the change by id and name', async () => {
    const team = await createTeam(admin);
    const [entry] = await entriesOf(admin, `entity=team&entityId=${team.id}`);
    expect(entry).toMatchObject({ actorId: adminId, actorName: 'Administrador', action: 'create' });
  });
});
