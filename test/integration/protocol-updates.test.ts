import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, metaWhatsAppAccount, startTestSandbox } from '../support/provider-sandbox.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, appForFile, Client, createService, createTeam, createUser, unique, type TestApp } from '../support/test-app.js';
import { severalNodesSkipReason, useTwoNodes } from '../support/two-nodes.js';

// Protocol updates (issue 17): the service's template of type "Atualização de protocolo" goes to the
// customer on the state changes its admin chose, with {{1}} the protocol, {{2}} the service, {{3}}
// the new state; recorded in the thread, through the outbox (the WhatsApp sandbox receives it);
// never on a change not chosen, never to an opted-out contact, once per change even when two nodes
// race to make it.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const wa = createMetaWhatsApp();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([wa.provider]);
});
afterAll(() => sb?.close());

const hex = () => randomBytes(5).toString('hex');
let code = 400000 + Math.floor(Math.random() * 200000);
const BODY = 'Protocolo {{1}} ({{2}}): {{3}}.';

async function protocolTemplate(a: Client, over: Record<string, unknown> = {}, type = 'protocol_update') {
  const category = (await a.post('/api/template-categories', { code: ++code, title: unique('Protocolo'), type })).body;
  const r = await a.post('/api/templates', { categoryId: category.id, name: unique('Atualização'), body: BODY, ...over });
  expect(r.status).toBe(201);
  return r.body;
}

async function setup(on: string[]) {
  const { account, phoneNumberId } = await metaWhatsAppAccount(t.url, admin, sb, wa);
  // approved outside Mirante: named by hand, no account (status null)
  const template = await protocolTemplate(admin, { channel: 'whatsapp', providerTemplate: `protocolo_${hex()}`, language: 'pt_BR' });
  const team = await createTeam(admin, { maxChat: 5 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id], protocolUpdateTemplateId: template.id, protocolUpdateOn: on });
  const desk = await t.login(agent.email, agent.password);
  await desk.post('/api/agent/login');
  const conversation = async () => {
    const waId = `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`;
    const said = await wa.customerSays(phoneNumberId, { waId, name: 'Ana' }, 'bom dia');
    expect(said.status).toBe(200);
    await t.settle();
    const id = (await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [said.id])).rows[0].conversation_id;
    await eventually(async () => expect((await desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service'));
    return { id, waId };
  };
  return { account, template, team, agent, service, desk, conversation };
}

/** The protocol updates stored in a conversation, read with plain SQL. */
const updatesOf = async (id: string) =>
  (await t.db.query<{ body: string; author_type: string; transition: string; parameters: string[] }>(
    `SELECT body, author_type, payload->'protocolUpdate'->>'transition' AS transition, payload->'template'->'parameters' AS parameters
       FROM messages WHERE conversation_id = $1 AND payload ? 'protocolUpdate' ORDER BY id`, [id],
  )).rows;
const protocolOf = async (id: string) => (await t.db.query<{ protocol: string }>('SELECT protocol FROM conversations WHERE id = $1', [id])).rows[0].protocol;

describe('protocol updates', () => {
  it('sent on a chosen transition with the protocol, the service and the new state, through the outbox; not on others', async () => {
    const s = await setup(['cancelled', 'transferred']);
    const a = await s.conversation();
    expect((await s.desk.post(`/api/conversations/${a.id}/finish`, { outcome: 'cancelled' })).status).toBe(200);
    const protocol = await protocolOf(a.id);
    const updates = await updatesOf(a.id);
    expect(updates).toEqual([{ body: `Protocolo ${protocol} (${s.service.name}): Cancelado.`, author_type: 'system', transition: 'cancelled', parameters: [protocol, s.service.name, 'Cancelado'] }]);
    // visible in the thread
    const thread = (await admin.get(`/api/conversations/${a.id}`)).body.messages as { body: string }[];
    expect(thread.map((m) => m.body)).toContain(updates[0].body);
    await t.runtime.outbox.tick();
    const out = wa.sent.filter((m) => m.to === a.waId && (m.body as { type?: string }).type === 'template');
    expect(out).toHaveLength(1);
    expect(out[0].body).toMatchObject({ template: { name: s.template.providerTemplate } });
    expect(JSON.stringify(out[0].body)).toContain(protocol);

    // completed was not chosen: nothing
    const b = await s.conversation();
    expect((await s.desk.post(`/api/conversations/${b.id}/finish`, { outcome: 'completed' })).status).toBe(200);
    expect(await updatesOf(b.id)).toEqual([]);
  });

  it('a transfer to another service sends it once, naming the new service', async () => {
    const s = await setup(['transferred']);
    const other = await createService(admin, { channel: 'whatsapp', channelAccountId: s.account.id, teamIds: [s.team.id] });
    const a = await s.conversation();
    expect((await s.desk.post(`/api/conversations/${a.id}/transfer`, { toServiceId: other.id })).status).toBe(200);
    const protocol = await protocolOf(a.id);
    expect((await updatesOf(a.id)).map((u) => u.parameters)).toEqual([[protocol, other.name, 'Transferido']]);
  });

  it('never to an opted-out contact', async () => {
    const s = await setup(['cancelled']);
    const a = await s.conversation();
    expect((await s.desk.put(`/api/conversations/${a.id}/contact/opt-out`, { optedOut: true })).status).toBe(200);
    expect((await s.desk.post(`/api/conversations/${a.id}/finish`, { outcome: 'cancelled' })).status).toBe(200);
    expect(await updatesOf(a.id)).toEqual([]);
    await t.runtime.outbox.tick();
    expect(wa.sent.filter((m) => m.to === a.waId && (m.body as { type?: string }).type === 'template')).toEqual([]);
  });

  it('the service admin: a template of type protocol_update for the channel, at most 3 parameters; transitions need it (422/400 naming the field)', async () => {
    const team = await createTeam(admin);
    const service = await createService(admin, { channel: 'sms', teamIds: [team.id] });
    const good = await protocolTemplate(admin);
    const ok = await admin.patch(`/api/services/${service.id}`, { protocolUpdateTemplateId: good.id, protocolUpdateOn: ['completed', 'customer_gave_up'] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ protocolUpdateTemplateId: good.id, protocolUpdateOn: ['completed', 'customer_gave_up'], outboundReply: 'agent' });
    const billing = await protocolTemplate(admin, {}, 'billing');
    const wrongType = await admin.patch(`/api/services/${service.id}`, { protocolUpdateTemplateId: billing.id });
    expect(wrongType.status).toBe(422);
    expect(JSON.stringify(wrongType.body.error)).toContain('protocolUpdateTemplateId');
    const four = await protocolTemplate(admin, { body: '{{1}} {{2}} {{3}} {{4}}' });
    expect((await admin.patch(`/api/services/${service.id}`, { protocolUpdateTemplateId: four.id })).status).toBe(422);
    const otherChannel = await protocolTemplate(admin, { channel: 'telegram' });
    expect((await admin.patch(`/api/services/${service.id}`, { protocolUpdateTemplateId: otherChannel.id })).status).toBe(422);
    const none = await admin.patch(`/api/services/${service.id}`, { protocolUpdateTemplateId: null });
    expect(none.status).toBe(422);
    expect(JSON.stringify(none.body.error)).toContain('protocolUpdateTemplateId');
    expect((await admin.patch(`/api/services/${service.id}`, { protocolUpdateTemplateId: null, protocolUpdateOn: [] })).status).toBe(200);
    const twice = await admin.patch(`/api/services/${service.id}`, { protocolUpdateOn: ['completed', 'completed'] });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body.error)).toContain('protocolUpdateOn');
    expect((await admin.patch(`/api/services/${service.id}`, { protocolUpdateOn: ['reopened'] })).status).toBe(400);
    expect((await admin.patch(`/api/services/${service.id}`, { outboundReply: 'nobody' })).status).toBe(400);
    // a supervisor does not edit services
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    expect((await (await t.login(sup.email, sup.password)).patch(`/api/services/${service.id}`, { outboundReply: 'queue' })).status).toBe(403);
  });
});

const skipReason = await severalNodesSkipReason();

describe.skipIf(skipReason !== null)(`protocol updates on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const { nodes, signIn } = useTwoNodes();

  it('the same conversation cancelled through node A and node B at once: one change, one protocol update', async () => {
    const [a, b] = nodes;
    const root = await signIn(a, ADMIN_EMAIL, ADMIN_PASSWORD);
    const template = await protocolTemplate(root);
    const team = await createTeam(root, { maxChat: 20 });
    const service = await createService(root, { channel: 'api', teamIds: [team.id], protocolUpdateTemplateId: template.id, protocolUpdateOn: ['cancelled'] });
    const { token } = (await root.post(`/api/services/${service.id}/api-credentials`)).body;
    const x = await createUser(root, { agentEnabled: true, teamIds: [team.id] });
    const onA = await signIn(a, x.email, x.password);
    const onB = await signIn(b, x.email, x.password);
    expect((await onA.post('/api/agent/login')).status).toBe(200);
    for (let round = 0; round < 5; round++) {
      const r = await new Client(a.url).request('POST', `/api/channels/api/${service.id}/messages`, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' }, { authorization: `Bearer ${token}` });
      expect(r.status).toBe(202);
      await a.runtime.router.idle();
      const id = r.body.conversationId as string;
      expect((await a.db.query<{ state: string }>('SELECT state FROM conversations WHERE id = $1', [id])).rows[0].state).toBe('in_service');
      const results = await Promise.all([onA.post(`/api/conversations/${id}/finish`, { outcome: 'cancelled' }), onB.post(`/api/conversations/${id}/finish`, { outcome: 'cancelled' })]);
      expect(results.map((x) => x.status).sort()).toEqual([200, 409]);
      const { rows } = await b.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND payload ? 'protocolUpdate'`, [id]);
      expect(rows[0].n).toBe(1);
    }
  });
});
