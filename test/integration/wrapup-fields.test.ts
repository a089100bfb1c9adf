import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Campos da ficha: an admin defines a service's wrap-up fields; the desk reads them within its scope;
// finishing checks the values (required on Concluir, types always) and stores them.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const FIELDS = [
  { key: 'motivo', label: 'Motivo do contato', type: 'select', options: ['Segunda via', 'Cancelamento', 'Reclamação'], required: true },
  { key: 'parcelas', label: 'Parcelas', type: 'number', required: false },
  { key: 'retorno', label: 'Pediu retorno', type: 'boolean' },
  { key: 'pedido', label: 'Número do pedido', type: 'text', required: true },
];

/** Two teams, each with an agent and a service; a supervisor of the first only. */
async function twoTeams() {
  const mine = await createTeam(admin, { maxChat: 3 });
  const theirs = await createTeam(admin);
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [mine.id] });
  const otherAgent = await createUser(admin, { agentEnabled: true, teamIds: [theirs.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [mine.id] });
  const otherSup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [theirs.id] });
  const service = await createService(admin, { channel: 'api', teamIds: [mine.id] });
  return { mine, agent, otherAgent, sup, otherSup, service };
}

const put = (c: Client, serviceId: string, items: unknown) => c.put(`/api/services/${serviceId}/wrapup-fields`, { items });

describe('defining the fields', () => {
  it('an admin replaces the whole ordered list; positions follow the list; options only on select', async () => {
    const { service } = await twoTeams();
    expect((await admin.get(`/api/services/${service.id}/wrapup-fields`)).body).toEqual({ items: [] });

    const r = await put(admin, service.id, FIELDS);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      { key: 'motivo', label: 'Motivo do contato', type: 'select', options: ['Segunda via', 'Cancelamento', 'Reclamação'], required: true, position: 0 },
      { key: 'parcelas', label: 'Parcelas', type: 'number', required: false, position: 1 },
      { key: 'retorno', label: 'Pediu retorno', type: 'boolean', required: false, position: 2 },
      { key: 'pedido', label: 'Número do pedido', type: 'text', required: true, position: 3 },
    ]);
    expect((await admin.get(`/api/services/${service.id}/wrapup-fields`)).body).toEqual(r.body);

    // reordered and one removed: what is read back is the new list, a `position` sent is rewritten
    const again = await put(admin, service.id, [{ ...FIELDS[3], position: 7 }, { ...FIELDS[0], label: '  Motivo  ' }]);
    expect(again.status).toBe(200);
    expect(again.body.items.map((f: any) => [f.key, f.label, f.position])).toEqual([['pedido', 'Número do pedido', 0], ['motivo', 'Motivo', 1]]);

    // the empty list removes them all
    expect((await put(admin, service.id, [])).body).toEqual({ items: [] });
    expect((await admin.get(`/api/services/${service.id}/wrapup-fields`)).body).toEqual({ items: [] });
  });

  it('is audited with before and after, in the same transaction', async () => {
    const { service } = await twoTeams();
    await put(admin, service.id, [FIELDS[1]]);
    await put(admin, service.id, [FIELDS[0], { ...FIELDS[1], required: true }]);
    const log = (await admin.get(`/api/audit?entity=service&entityId=${service.id}`)).body.items;
    const entries = log.filter((e: any) => e.action === 'update_wrapup_fields');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actorName: expect.any(String),
      before: { name: service.name, wrapupFields: { parcelas: { label: 'Parcelas', type: 'number', required: false, position: 0 } } },
      after: {
        name: service.name,
        wrapupFields: {
          motivo: { label: 'Motivo do contato', type: 'select', options: FIELDS[0].options, required: true, position: 0 },
          parcelas: { label: 'Parcelas', type: 'number', required: true, position: 1 },
        },
      },
    });
    expect(entries[1]).toMatchObject({ before: { wrapupFields: {} }, after: { wrapupFields: { parcelas: { required: false } } } });
  });

  it('a bad body is a 400 naming the field; nothing changes', async () => {
    const { service } = await twoTeams();
    await put(admin, service.id, [FIELDS[1]]);
    const cases: [unknown, string][] = [
      [[{ ...FIELDS[1], key: 'Parcelas' }], 'body.items.0.key'],
      [[{ ...FIELDS[1], key: 'x'.repeat(41) }], 'body.items.0.key'],
      [[{ ...FIELDS[1], key: '' }], 'body.items.0.key'],
      [[{ ...FIELDS[1], label: '   ' }], 'body.items.0.label'],
      [[{ ...FIELDS[1], label: 'x'.repeat(101) }], 'body.items.0.label'],
      [[FIELDS[1], { ...FIELDS[1], key: 'outro', type: 'date' }], 'body.items.1.type'],
      [[{ key: 'motivo', label: 'Motivo', type: 'select', required: true }], 'body.items.0.options'],
      [[{ key: 'motivo', label: 'Motivo', type: 'select', options: [] }], 'body.items.0.options'],
      [[{ key: 'motivo', label: 'Motivo', type: 'select', options: ['A', 'A'] }], 'body.items.0.options.1'],
      [[{ ...FIELDS[1], options: ['1', '2'] }], 'body.items.0.options'],
      [[{ ...FIELDS[1], required: 'yes' }], 'body.items.0.required'],
      [[{ ...FIELDS[1], color: 'red' }], 'body.items.0.color'],
      [[{ label: 'Sem chave', type: 'text' }], 'body.items.0.key'],
    ];
    for (const [items, path] of cases) {
      const r = await put(admin, service.id, items);
      expect(r.status, JSON.stringify(items)).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
      expect(r.body.error.issues.map((i: any) => i.path), JSON.stringify(r.body)).toContain(path);
      expect(r.body.error.message).toContain(path);
    }
    expect((await admin.put(`/api/services/${service.id}/wrapup-fields`, FIELDS)).status).toBe(400);
    expect((await admin.put(`/api/services/${service.id}/wrapup-fields`, { items: FIELDS, extra: 1 })).body.error.message).toContain('body.extra');
    expect((await admin.get(`/api/services/${service.id}/wrapup-fields`)).body.items.map((f: any) => f.key)).toEqual(['parcelas']);
  });

  it('a key used twice is a 422 naming where; an unknown service is a 404; nothing is audited', async () => {
    const { service } = await twoTeams();
    const dup = await put(admin, service.id, [FIELDS[0], FIELDS[1], { ...FIELDS[3], key: 'motivo' }]);
    expect(dup.status).toBe(422);
    expect(dup.body.error).toMatchObject({ code: 'duplicate_key', issues: [{ path: 'items.2.key', message: '"motivo" is already the key of items.0' }] });
    expect(dup.body.error.message).toBe('items.2.key: "motivo" is already the key of items.0');

    const missing = randomUUID();
    expect((await put(admin, missing, FIELDS)).status).toBe(404);
    expect((await admin.get(`/api/services/${missing}/wrapup-fields`)).status).toBe(404);
    expect((await admin.get('/api/services/not-a-uuid/wrapup-fields')).status).toBe(400);
    const log = (await admin.get(`/api/audit?entity=service&entityId=${service.id}`)).body.items;
    expect(log.filter((e: any) => e.action === 'update_wrapup_fields')).toEqual([]);
  });

  it('only an admin writes: supervisors and agents get 403, anonymous 401', async () => {
    const w = await twoTeams();
    const sup = await t.login(w.sup.email, w.sup.password);
    const agent = await t.login(w.agent.email, w.agent.password);
    expect((await put(sup, w.service.id, FIELDS)).status).toBe(403);
    expect((await put(agent, w.service.id, FIELDS)).status).toBe(403);
    expect((await put(t.anonymous(), w.service.id, FIELDS)).status).toBe(401);
    expect((await admin.get(`/api/services/${w.service.id}/wrapup-fields`)).body.items).toEqual([]);
  });

  it('agents and supervisors read the fields of the services in their scope; any other is a 404', async () => {
    const w = await twoTeams();
    await put(admin, w.service.id, FIELDS);
    for (const u of [w.agent, w.sup]) {
      const c = await t.login(u.email, u.password);
      const r = await c.get(`/api/services/${w.service.id}/wrapup-fields`);
      expect(r.status, u.email).toBe(200);
      expect(r.body.items.map((f: any) => f.key)).toEqual(['motivo', 'parcelas', 'retorno', 'pedido']);
    }
    for (const u of [w.otherAgent, w.otherSup]) {
      const c = await t.login(u.email, u.password);
      const r = await c.get(`/api/services/${w.service.id}/wrapup-fields`);
      expect(r.status, u.email).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await t.anonymous().get(`/api/services/${w.service.id}/wrapup-fields`)).status).toBe(401);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body;
    const path = doc.paths['/api/services/{id}/wrapup-fields'];
    expect(Object.keys(path).sort()).toEqual(['get', 'put']);
    expect(path.put.requestBody).toBeDefined();
  });
});

describe('finishing with the fields', () => {
  /** A conversation in service with the agent of a service whose fields are FIELDS. */
  async function inService() {
    const w = await twoTeams();
    await put(admin, w.service.id, FIELDS);
    const creds = (await admin.post(`/api/services/${w.service.id}/api-credentials`)).body;
    const desk = await t.login(w.agent.email, w.agent.password);
    await desk.post('/api/agent/login');
    const r = await t.anonymous().request('POST', `/api/channels/api/${w.service.id}/messages`,
      { contact: { externalId: randomUUID(), name: 'Cliente' }, externalId: randomUUID(), text: 'Olá' },
      { authorization: `Bearer ${creds.token}` });
    expect(r.status).toBe(202);
    await t.settle();
    const id = r.body.conversationId as string;
    expect((await desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service');
    return { ...w, desk, id };
  }
  const finish = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/conversations/${id}/finish`, { outcome: 'completed', ...body });

  it('Concluir without a required field is a 422 naming it; the conversation stays in service', async () => {
    const { desk, id } = await inService();
    const r = await finish(desk, id, { fields: { pedido: 'A-123' } });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'validation_error', message: 'fields.motivo: "Motivo do contato" is required for this service' });
    expect(r.body.error.issues).toEqual([{ path: 'fields.motivo', message: '"Motivo do contato" is required for this service' }]);
    const both = await finish(desk, id, { fields: { pedido: '   ' } });
    expect(both.body.error.issues.map((i: any) => i.path)).toEqual(['fields.motivo', 'fields.pedido']);
    expect((await desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service');
  });

  it('a value of the wrong type, an option not offered or an unknown key is a 422 naming it', async () => {
    const { desk, id } = await inService();
    const ok = { motivo: 'Cancelamento', pedido: 'A-123' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...ok, parcelas: '3' }, 'fields.parcelas', '"Parcelas" must be a number'],
      [{ ...ok, motivo: 'Outro motivo' }, 'fields.motivo', '"Motivo do contato" must be one of: Segunda via, Cancelamento, Reclamação'],
      [{ ...ok, retorno: 'sim' }, 'fields.retorno', '"Pediu retorno" must be true or false'],
      [{ ...ok, pedido: 123 }, 'fields.pedido', '"Número do pedido" must be text'],
      [{ ...ok, brinde: true }, 'fields.brinde', 'not a wrap-up field of this service'],
    ];
    for (const [fields, path, message] of cases) {
      const r = await finish(desk, id, { fields });
      expect(r.status, JSON.stringify(fields)).toBe(422);
      expect(r.body.error.issues).toEqual([{ path, message }]);
      expect(r.body.error.message).toBe(`${path}: ${message}`);
    }
    // a value the body's schema refuses outright is a 400
    expect((await finish(desk, id, { fields: { parcelas: [3] } })).status).toBe(400);
    expect((await desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service');
  });

  it('valid values are stored in the conversation’s wrap-up', async () => {
    const { desk, id, sup } = await inService();
    const r = await finish(desk, id, { notes: 'ok', fields: { motivo: 'Segunda via', parcelas: 3, retorno: false, pedido: '  A-123 ' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'completed', notes: 'ok', wrapup: { motivo: 'Segunda via', parcelas: 3, retorno: false, pedido: 'A-123' } });
    const supervisor = await t.login(sup.email, sup.password);
    expect((await supervisor.get(`/api/conversations/${id}`)).body.conversation.wrapup).toEqual({ motivo: 'Segunda via', parcelas: 3, retorno: false, pedido: 'A-123' });
  });

  it('Cancelar asks for no required field, but still checks what it is given', async () => {
    const first = await inService();
    const wrong = await first.desk.post(`/api/conversations/${first.id}/finish`, { outcome: 'cancelled', fields: { parcelas: 'três' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues).toEqual([{ path: 'fields.parcelas', message: '"Parcelas" must be a number' }]);
    const r = await first.desk.post(`/api/conversations/${first.id}/finish`, { outcome: 'cancelled' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'cancelled', wrapup: null });
  });

  it('a supervisor finishing someone’s conversation fills the same fields', async () => {
    const { sup, id } = await inService();
    const supervisor = await t.login(sup.email, sup.password);
    expect((await finish(supervisor, id, {})).status).toBe(422);
    const r = await finish(supervisor, id, { fields: { motivo: 'Reclamação', pedido: 'B-9' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ finishedBy: 'supervisor', wrapup: { motivo: 'Reclamação', pedido: 'B-9' } });
  });

  it('Concluir asks for a classification when the service offers any, one of its own; Cancelar does not', async () => {
    const first = await inService();
    const fields = { motivo: 'Segunda via', pedido: 'C-1' };
    const code = randomUUID().slice(0, 8);
    const own = await admin.post('/api/classifications', { code: `own-${code}`, name: 'Resolvido', serviceIds: [first.service.id] });
    const elsewhere = await admin.post('/api/classifications', { code: `other-${code}`, name: 'De outro serviço', serviceIds: [(await twoTeams()).service.id] });
    expect([own.status, elsewhere.status]).toEqual([201, 201]);

    const none = await finish(first.desk, first.id, { fields });
    expect(none.status).toBe(422);
    expect(none.body.error.issues).toEqual([{ path: 'classificationId', message: 'required: this service classifies its conversations' }]);
    expect((await finish(first.desk, first.id, { fields, classificationId: elsewhere.body.id })).body.error.message).toBe('classificationId: not active for this service');
    expect((await first.desk.get(`/api/conversations/${first.id}`)).body.conversation.state).toBe('in_service');
    const r = await finish(first.desk, first.id, { fields, classificationId: own.body.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'completed', classificationId: own.body.id });

    // an inactive classification is not offered: a service whose only one is inactive asks for none
    const second = await inService();
    const lone = await admin.post('/api/classifications', { code: `lone-${code}`, name: 'Única', serviceIds: [second.service.id] });
    expect((await finish(second.desk, second.id, { fields })).status).toBe(422);
    expect((await admin.patch(`/api/classifications/${lone.body.id}`, { active: false })).status).toBe(200);
    expect((await finish(second.desk, second.id, { fields })).status).toBe(200);

    // Cancelar: no classification asked
    const third = await inService();
    await admin.post('/api/classifications', { code: `third-${code}`, name: 'Outra', serviceIds: [third.service.id] });
    expect((await third.desk.post(`/api/conversations/${third.id}/finish`, { outcome: 'cancelled' })).status).toBe(200);
  });
});
