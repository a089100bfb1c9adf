import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createUser, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';

// The wrap-up and template catalog: pause reasons, classifications, template categories, templates.
// The same REST contract for each, then what is particular to each.

let t: TestApp;
let admin: Client;
let agent: Client;
let supervisor: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
  const a = await createUser(admin, { role: 'agent' });
  const s = await createUser(admin, { role: 'supervisor' });
  agent = await t.login(a.email, a.password);
  supervisor = await t.login(s.email, s.password);
});
afterAll(() => t.close());

const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);
const usedCodes = new Set<number>();
/** A template-category code no other test of this file used. */
function categoryCode(): number {
  for (;;) {
    const c = randomInt(1, 999_999);
    if (!usedCodes.has(c)) return usedCodes.add(c), c;
  }
}

async function createCategory(over: Record<string, unknown> = {}) {
  const r = await admin.post('/api/template-categories', { code: categoryCode(), title: unique('Categoria'), type: 'protocol_update', ...over });
  if (r.status !== 201) throw new Error(`createCategory: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

interface Resource {
  path: string;
  /** A valid new body; `text` goes into the searchable field. */
  body(text: string): Promise<Record<string, unknown>>;
  searchField: string;
  required: string;
  patch: Record<string, unknown>;
  /** The body that must collide with `existing` (409). */
  duplicate(existing: Record<string, unknown>): Promise<Record<string, unknown>>;
  conflictField: string;
}

const resources: Resource[] = [
  {
    path: '/api/pause-reasons',
    body: async (text) => ({ name: text, maxMinutes: 15 }),
    searchField: 'name',
    required: 'name',
    patch: { maxMinutes: 45, productive: true },
    duplicate: async (e) => ({ name: String(e.name).toUpperCase() }),
    conflictField: 'name',
  },
  {
    path: '/api/classifications',
    body: async (text) => ({ code: `C-${randomUUID().slice(0, 8)}`, name: text }),
    searchField: 'name',
    required: 'code',
    patch: { name: 'Resolvido no primeiro contato' },
    duplicate: async (e) => ({ code: String(e.code).toLowerCase(), name: unique('Outra') }),
    conflictField: 'code',
  },
  {
    path: '/api/template-categories',
    body: async (text) => ({ code: categoryCode(), title: text, type: 'protocol_update' }),
    searchField: 'title',
    required: 'type',
    patch: { title: 'Atualização de protocolo (novo)' },
    duplicate: async (e) => ({ code: e.code, title: unique('Outra'), type: 'protocol_update' }),
    conflictField: 'code',
  },
  {
    path: '/api/templates',
    body: async (text) => ({ categoryId: (await createCategory()).id, name: text, body: 'Olá {{nome}}, seu protocolo é {{protocolo}}.' }),
    searchField: 'name',
    required: 'body',
    patch: { body: 'Texto novo', channel: 'whatsapp', providerTemplate: 'protocolo_v2' },
    duplicate: async (e) => ({ categoryId: e.categoryId, name: String(e.name).toLowerCase(), body: 'x' }),
    conflictField: 'name',
  },
];

describe.each(resources)('$path', (r) => {
  const create = async (text = unique('Item')) => {
    const res = await admin.post(r.path, await r.body(text));
    if (res.status !== 201) throw new Error(`${r.path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('create → 201 with the object and its id; read returns it', async () => {
    const body = await r.body(unique('Novo'));
    const res = await admin.post(r.path, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, active: true });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await admin.get(`${r.path}/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('list with ?q= and ?active=', async () => {
    const tag = unique('Busca').replace(/\s/g, '');
    const a = await create(`${tag} Alfa`);
    const b = await create(`${tag} Beta`);
    await admin.del(`${r.path}/${b.id}`);
    const all = await admin.get(`${r.path}?q=${encodeURIComponent(tag.toLowerCase())}`);
    expect(all.status).toBe(200);
    expect(ids(all).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await admin.get(`${r.path}?q=${encodeURIComponent(tag)}&active=true`))).toEqual([a.id]);
    expect(ids(await admin.get(`${r.path}?q=${encodeURIComponent(tag)}&active=false`))).toEqual([b.id]);
    expect(ids(await admin.get(r.path))).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('PATCH changes the given fields only', async () => {
    const item = await create();
    const res = await admin.patch(`${r.path}/${item.id}`, r.patch);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...item, ...r.patch, updatedAt: res.body.updatedAt });
  });

  it('DELETE deactivates: active false, still readable, listed with ?active=false', async () => {
    const item = await create();
    const res = await admin.del(`${r.path}/${item.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: item.id, active: false });
    expect((await admin.get(`${r.path}/${item.id}`)).body.active).toBe(false);
    expect(ids(await admin.get(`${r.path}?active=false`))).toContain(item.id);
    expect(ids(await admin.get(`${r.path}?active=true`))).not.toContain(item.id);
  });

  it('unknown id → 404, malformed id → 400', async () => {
    const missing = randomUUID();
    expect((await admin.get(`${r.path}/${missing}`)).status).toBe(404);
    expect((await admin.patch(`${r.path}/${missing}`, r.patch)).status).toBe(404);
    expect((await admin.del(`${r.path}/${missing}`)).status).toBe(404);
    const bad = await admin.get(`${r.path}/42`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('params.id');
  });

  it('a missing required field or an unknown field is a 400 naming it', async () => {
    const body = await r.body(unique('Falta'));
    delete body[r.required];
    const missing = await admin.post(r.path, body);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(`body.${r.required}`);
    const extra = await admin.post(r.path, { ...(await r.body(unique('Sobra'))), createdBy: 'me' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('body.createdBy');
  });

  it('an over-long string is a 400; a body over 1 MiB is a 413', async () => {
    const long = await admin.post(r.path, await r.body('x'.repeat(121)));
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain(`body.${r.searchField}`);
    const huge = await admin.post(r.path, await r.body('y'.repeat(1024 * 1024)));
    expect(huge.status).toBe(413);
  });

  it(`a duplicate ${r.conflictField} is a 409`, async () => {
    const item = await create();
    const dup = await admin.post(r.path, await r.duplicate(item));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    expect(dup.body.error.message).toContain(r.conflictField);
    expect(dup.body.error.issues).toEqual([{ path: r.conflictField, message: expect.stringContaining('already exists') }]);
  });

  it('agents and supervisors read but may not write (403)', async () => {
    const item = await create();
    for (const c of [agent, supervisor]) {
      expect((await c.get(r.path)).status).toBe(200);
      expect((await c.get(`${r.path}/${item.id}`)).status).toBe(200);
      const post = await c.post(r.path, await r.body(unique('Proibido')));
      expect(post.status).toBe(403);
      expect(post.body.error.code).toBe('forbidden');
      expect((await c.patch(`${r.path}/${item.id}`, r.patch)).status).toBe(403);
      expect((await c.del(`${r.path}/${item.id}`)).status).toBe(403);
    }
    expect((await admin.get(`${r.path}/${item.id}`)).body).toEqual(item);
  });
});

describe('pause reasons', () => {
  it('maxMinutes may be cleared with null and is bounded', async () => {
    const p = (await admin.post('/api/pause-reasons', { name: unique('Almoço'), maxMinutes: 60 })).body;
    expect((await admin.patch(`/api/pause-reasons/${p.id}`, { maxMinutes: null })).body.maxMinutes).toBeNull();
    const bad = await admin.patch(`/api/pause-reasons/${p.id}`, { maxMinutes: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('body.maxMinutes');
  });
});

describe('classifications', () => {
  it('apply to every service (null) or to the services listed', async () => {
    const s = await createService(admin);
    const all = await admin.post('/api/classifications', { code: `G-${randomUUID().slice(0, 6)}`, name: unique('Geral') });
    expect(all.body.serviceIds).toBeNull();
    const some = await admin.post('/api/classifications', { code: `S-${randomUUID().slice(0, 6)}`, name: unique('Só um'), serviceIds: [s.id] });
    expect(some.status).toBe(201);
    expect(some.body.serviceIds).toEqual([s.id]);
    expect((await admin.patch(`/api/classifications/${some.body.id}`, { serviceIds: null })).body.serviceIds).toBeNull();
  });

  it('a service that does not exist is a 422', async () => {
    const code = `X-${randomUUID().slice(0, 6)}`;
    const r = await admin.post('/api/classifications', { code, name: unique('Órfã'), serviceIds: [randomUUID()] });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unknown_reference');
    expect(r.body.error.message).toContain('serviceIds');
    const ok = await admin.post('/api/classifications', { code, name: unique('Agora') });
    expect(ok.status).toBe(201);
    expect((await admin.patch(`/api/classifications/${ok.body.id}`, { serviceIds: [randomUUID()] })).status).toBe(422);
  });

  it('a blank code is a 400', async () => {
    const r = await admin.post('/api/classifications', { code: '  ', name: unique('Branco') });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('body.code');
  });
});

describe('template categories', () => {
  it('code is a whole number and type one of the known types', async () => {
    for (const [over, field] of [
      [{ code: 1.5 }, 'body.code'],
      [{ code: '12' }, 'body.code'],
      [{ code: -1 }, 'body.code'],
      [{ type: 'promotion' }, 'body.type'],
    ] as const) {
      const r = await admin.post('/api/template-categories', { code: categoryCode(), title: unique('Tipo'), type: 'protocol_update', ...over });
      expect(r.status, field).toBe(400);
      expect(r.body.error.message, field).toContain(field);
    }
  });

  it('are listed in code order', async () => {
    const tag = unique('Ordem').replace(/\s/g, '');
    const high = await createCategory({ title: `${tag} b`, code: 900_000 + randomInt(0, 99_999) });
    const low = await createCategory({ title: `${tag} a`, code: 1 + randomInt(0, 99_999) });
    expect(ids(await admin.get(`/api/template-categories?q=${tag}`))).toEqual([low.id, high.id]);
  });

  it('a code taken by another category is a 409 on PATCH too', async () => {
    const a = await createCategory();
    const b = await createCategory();
    const r = await admin.patch(`/api/template-categories/${b.id}`, { code: a.code });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('code');
  });
});

describe('templates', () => {
  it('a category that does not exist is a 422', async () => {
    const r = await admin.post('/api/templates', { categoryId: randomUUID(), name: unique('Modelo'), body: 'Olá' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unknown_reference');
    const ok = (await admin.post('/api/templates', { categoryId: (await createCategory()).id, name: unique('Modelo'), body: 'Olá' })).body;
    expect((await admin.patch(`/api/templates/${ok.id}`, { categoryId: randomUUID() })).status).toBe(422);
  });

  it('defaults to any channel and pt_BR; validates the language and the body length', async () => {
    const category = await createCategory();
    const r = await admin.post('/api/templates', { categoryId: category.id, name: unique('Padrão'), body: 'Oi' });
    expect(r.body).toMatchObject({ channel: null, language: 'pt_BR', providerTemplate: null });
    for (const [over, field] of [
      [{ language: 'portuguese' }, 'body.language'],
      [{ body: '' }, 'body.body'],
      [{ body: 'z'.repeat(4097) }, 'body.body'],
      [{ channel: 'pombo' }, 'body.channel'],
    ] as const) {
      const bad = await admin.post('/api/templates', { categoryId: category.id, name: unique('Ruim'), body: 'Oi', ...over });
      expect(bad.status, field).toBe(400);
      expect(bad.body.error.message, field).toContain(field);
    }
  });
});
