import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, metaWhatsAppAccount, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Outbound conversations from the desk (issue 17), through the WhatsApp sandbox: an agent starts one
// with an APPROVED template; it opens outbound, in service with that agent, with its own protocol,
// and the template reaches the provider with its parameters. The customer's answer keeps it with the
// agent or sends it to the queue (the service's setting; the queue too when the agent is offline).
// The refusals: opted out, not approved, no free slot, an open conversation, another team's service,
// who may start one.

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
let code = 700000 + Math.floor(Math.random() * 200000);
const newWaId = () => `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`;

async function setup(over: { maxChat?: number; service?: Record<string, unknown> } = {}) {
  const { account, phoneNumberId } = await metaWhatsAppAccount(t.url, admin, sb, wa);
  const team = await createTeam(admin, over.maxChat ? { maxChat: over.maxChat } : {});
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id], ...over.service });
  const desk = await t.login(agent.email, agent.password);
  expect((await desk.post('/api/agent/login')).status).toBe(200);
  const category = (await admin.post('/api/template-categories', { code: ++code, title: unique('Aviso'), type: 'notification' })).body;
  const created = (await admin.post('/api/templates', {
    categoryId: category.id, name: unique('Retorno'), channelAccountId: account.id, providerTemplate: `retorno_${hex()}`, providerCategory: 'UTILITY',
    language: 'pt_BR', body: 'Olá {{1}}, retornando sobre {{2}}.', examples: ['Ana', 'seu pedido'],
  })).body;
  const { providerId } = (await admin.post(`/api/templates/${created.id}/submit`)).body;
  await wa.reviewTemplate(providerId, 'APPROVED');
  await eventually(async () => expect((await admin.get(`/api/templates/${created.id}`)).body.status).toBe('APPROVED'));
  return { account, phoneNumberId, team, agent, service, desk, template: created };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const start = (s: Setup, body: Record<string, unknown>, as: Client = s.desk) =>
  as.post('/api/conversations/outbound', { serviceId: s.service.id, templateId: s.template.id, parameters: ['Ana', 'seu pedido'], ...body });

/** The conversation as stored, read with plain SQL (not the API's presenter). */
const stored = async (id: string) =>
  (await t.db.query<{ direction: string; state: string; agent_id: string | null; protocol: string; service_id: string; channel: string }>(
    'SELECT direction, state, agent_id, protocol, service_id, channel FROM conversations WHERE id = $1', [id],
  )).rows[0];
const historyOf = async (id: string) =>
  (await t.db.query<{ state: string; reason: string }>('SELECT state, reason FROM conversation_state_history WHERE conversation_id = $1 ORDER BY started_at, id', [id])).rows;

describe('outbound conversation from the desk', () => {
  it('opens outbound, in service with the agent, its own protocol; the template reaches the provider with its parameters; audited', async () => {
    const s = await setup();
    const waId = newWaId();
    const r = await start(s, { phone: `+${waId}` });
    expect(r.status).toBe(201);
    const c = r.body.conversation;
    expect(c).toMatchObject({ direction: 'outbound', state: 'in_service', agentId: s.agent.id, serviceId: s.service.id, channel: 'whatsapp' });
    const row = await stored(c.id);
    expect(row).toMatchObject({ direction: 'outbound', state: 'in_service', agent_id: s.agent.id, service_id: s.service.id });
    expect(row.protocol).toBe(c.protocol);
    expect(row.protocol).toMatch(/\d/);
    // the protocol is its own: not any other conversation's
    expect((await t.db.query('SELECT 1 FROM conversations WHERE protocol = $1', [row.protocol])).rows).toHaveLength(1);
    expect(await historyOf(c.id)).toEqual([{ state: 'in_service', reason: 'outbound_started' }]);
    // it counts against the agent's capacity
    expect((await t.db.query<{ open_chat: number }>('SELECT open_chat FROM agent_presence WHERE user_id = $1', [s.agent.id])).rows[0].open_chat).toBe(1);

    await t.runtime.outbox.tick();
    const out = wa.sent.filter((m) => m.to === waId);
    expect(out).toHaveLength(1);
    expect(out[0].body).toMatchObject({ type: 'template', template: { name: s.template.providerTemplate, language: { code: 'pt_BR' } } });
    const components = (out[0].body.template as { components: { type: string; parameters: { text: string }[] }[] }).components;
    expect(components.find((x) => x.type === 'body')!.parameters.map((p) => p.text)).toEqual(['Ana', 'seu pedido']);

    // in the desk: the agent's conversation with the template's text in its thread
    const detail = (await s.desk.get(`/api/conversations/${c.id}`)).body;
    expect(detail.messages.map((m: { body: string; authorType: string }) => [m.authorType, m.body])).toContainEqual(['agent', 'Olá Ana, retornando sobre seu pedido.']);
    const mine = (await s.desk.get('/api/conversations')).body;
    expect(JSON.stringify(mine)).toContain(c.id);
    const audit = (await t.db.query<{ action: string; actor_id: string; contact_id: string | null }>(`SELECT action, actor_id, contact_id FROM audit_log WHERE entity = 'conversation' AND entity_id = $1`, [c.id])).rows;
    expect(audit).toEqual([{ action: 'start_outbound', actor_id: s.agent.id, contact_id: c.contactId }]);
  });

  it('the customer answers: it stays with the agent by default', async () => {
    const s = await setup();
    const waId = newWaId();
    const c = (await start(s, { phone: waId })).body.conversation;
    const said = await wa.customerSays(s.phoneNumberId, { waId, name: 'Ana' }, 'oi, pode falar');
    expect(said.status).toBe(200);
    await t.settle();
    const m = (await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [said.id])).rows[0];
    expect(m.conversation_id).toBe(c.id);
    expect(await stored(c.id)).toMatchObject({ state: 'in_service', agent_id: s.agent.id });
    expect((await historyOf(c.id)).map((h) => h.state)).toEqual(['in_service']);
    // the window is open now: free text goes
    expect((await s.desk.post(`/api/conversations/${c.id}/messages`, { text: 'Olá Ana!' })).status).toBe(201);
  });

  it('finished unanswered, no closing words go (WhatsApp would refuse free text with its window closed); answered, they do', async () => {
    const s = await setup({ maxChat: 2 });
    const quiet = newWaId();
    const talked = newWaId();
    const c1 = (await start(s, { phone: quiet })).body.conversation;
    const c2 = (await start(s, { phone: talked })).body.conversation;
    await wa.customerSays(s.phoneNumberId, { waId: talked, name: 'Bia' }, 'oi, recebi');
    await t.settle();
    for (const c of [c1, c2]) expect((await s.desk.post(`/api/conversations/${c.id}/finish`, { outcome: 'completed' })).status).toBe(200);
    await t.runtime.outbox.tick();
    await t.settle();
    const system = async (id: string) =>
      (await t.db.query<{ body: string }>(`SELECT body FROM messages WHERE conversation_id = $1 AND author_type = 'system'`, [id])).rows.map((r) => r.body);
    expect(await system(c1.id)).toEqual([]);
    expect(await system(c2.id)).toEqual([`Atendimento concluído. Seu protocolo é ${c2.protocol}. Obrigado pelo contato!`]);
    // the provider got the template alone for the quiet one, and the closing words for the other
    expect(wa.sent.filter((m) => m.to === quiet).map((m) => m.body.type)).toEqual(['template']);
    expect(wa.sent.filter((m) => m.to === talked).map((m) => m.body.type)).toEqual(['template', 'text']);
  });

  it('the customer answers: to the queue when the service says so, and when the agent is offline by then', async () => {
    const s = await setup({ service: { outboundReply: 'queue' } });
    expect((await admin.get(`/api/services/${s.service.id}`)).body.outboundReply).toBe('queue');
    const waId = newWaId();
    const c = (await start(s, { phone: waId })).body.conversation;
    await wa.customerSays(s.phoneNumberId, { waId }, 'oi');
    await t.settle();
    const h = await historyOf(c.id);
    expect(h.slice(0, 2)).toEqual([{ state: 'in_service', reason: 'outbound_started' }, { state: 'queued', reason: 'outbound_answered' }]);

    // the default service, the agent's desk gone by the time the customer answers: the connection
    // loss puts the conversation back in the queue (an agent cannot log out with it open), and the
    // customer's answer finds it there
    const d = await setup();
    expect((await admin.get(`/api/services/${d.service.id}`)).body.outboundReply).toBe('agent');
    const waId2 = newWaId();
    const c2 = (await start(d, { phone: waId2 })).body.conversation;
    await t.db.query(`INSERT INTO timers (kind, user_id, due_at) VALUES ('agent_connection_lost', $1, $2)
      ON CONFLICT (kind, conversation_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at`, [d.agent.id, new Date(t.clock.now().getTime() - 1000)]);
    await t.runtime.scheduler.tick();
    expect((await d.desk.get('/api/agent/presence')).body.state).toBe('offline');
    const said = await wa.customerSays(d.phoneNumberId, { waId: waId2 }, 'oi');
    await t.settle();
    expect((await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [said.id])).rows[0].conversation_id).toBe(c2.id);
    expect(await stored(c2.id)).toMatchObject({ state: 'queued', agent_id: null });
    expect((await historyOf(c2.id)).map((h) => h.state)).toEqual(['in_service', 'queued']);
  });

  it('refuses an opted-out contact (422), a template not approved (422), a duplicate open conversation (409 naming its protocol)', async () => {
    const s = await setup({ maxChat: 5 });
    const waId = newWaId();
    const first = (await start(s, { phone: waId })).body.conversation;
    const dup = await start(s, { contactId: first.contactId });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conversation_open');
    expect(dup.body.error.message).toContain(first.protocol);

    // a template not approved (a new one, DRAFT)
    const draft = (await admin.post('/api/templates', {
      categoryId: (await admin.post('/api/template-categories', { code: ++code, title: unique('X'), type: 'notification' })).body.id,
      name: unique('Rascunho'), channelAccountId: s.account.id, providerTemplate: `rascunho_${hex()}`, providerCategory: 'UTILITY', language: 'pt_BR', body: 'Oi {{1}}', examples: ['Ana'],
    })).body;
    const notApproved = await start(s, { phone: newWaId(), templateId: draft.id, parameters: ['Ana'] });
    expect(notApproved.status).toBe(422);
    expect(notApproved.body.error.code).toBe('template_not_approved');
    expect(notApproved.body.error.message).toContain('DRAFT');
    // wrong number of parameters: 422 naming the field
    const missing = await start(s, { phone: newWaId(), parameters: ['Ana'] });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body.error)).toContain('parameters');

    // opted out: the agent marks the contact, finishes, and may not write to them again
    expect((await s.desk.put(`/api/conversations/${first.id}/contact/opt-out`, { optedOut: true })).status).toBe(200);
    expect((await s.desk.post(`/api/conversations/${first.id}/finish`, { outcome: 'cancelled' })).status).toBe(200);
    const opted = await start(s, { contactId: first.contactId });
    expect(opted.status).toBe(422);
    expect(opted.body.error.code).toBe('opted_out');
    const pt = await s.desk.request('POST', '/api/conversations/outbound', { serviceId: s.service.id, templateId: s.template.id, parameters: ['Ana', 'x'], contactId: first.contactId }, { 'accept-language': 'pt-BR' });
    expect(pt.body.error.message).toContain('opt-out');
    // nothing was opened by the refusals
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE service_id = $1', [s.service.id])).rows[0].n).toBe(1);
  });

  it('refuses when the agent has no free slot (409), is paused or logged out', async () => {
    const s = await setup({ maxChat: 1 });
    expect((await start(s, { phone: newWaId() })).status).toBe(201);
    const full = await start(s, { phone: newWaId() });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('no_free_slot');
    expect(full.body.error.agentState ?? full.body.error.details?.agentState ?? 'in_service').toBe('in_service');
    const off = await setup();
    expect((await off.desk.post('/api/agent/logout')).status).toBe(200);
    const r = await start(off, { phone: newWaId() });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/log in/);
  });

  it('who may: another team\'s service is 404, a contact outside the agent\'s scope 404, a non-agent 403; bad bodies 400 naming the field', async () => {
    const s = await setup();
    const other = await setup();
    // the other team's service
    const foreign = await start(s, { phone: newWaId(), serviceId: other.service.id, templateId: other.template.id });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body.error)).toContain('serviceId');
    // a contact of the other agent's conversation
    const theirs = (await start(other, { phone: newWaId() })).body.conversation;
    expect((await start(s, { contactId: theirs.contactId })).status).toBe(404);
    // the contact search finds only the agent's own contacts
    const search = async (as: Client, q: string) => ((await as.get(`/api/agent/contacts?q=${encodeURIComponent(q)}`)).body.items as { id: string }[]).map((x) => x.id);
    expect(await search(other.desk, theirs.protocol)).toEqual([theirs.contactId]);
    expect(await search(s.desk, theirs.protocol)).toEqual([]);
    // a supervisor (not an agent) may not start one
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [s.team.id] });
    const supClient = await t.login(sup.email, sup.password);
    expect((await start(s, { phone: newWaId() }, supClient)).status).toBe(403);
    // bodies
    const both = await start(s, { phone: newWaId(), contactId: theirs.contactId });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body.error)).toContain('contactId');
    expect((await start(s, { phone: 'abc-not-a-phone' })).status).toBe(400);
    expect((await start(s, { phone: newWaId(), bogus: 1 })).status).toBe(400);
    expect((await t.anonymous().post('/api/conversations/outbound', { phone: newWaId(), serviceId: s.service.id, templateId: s.template.id, parameters: [] })).status).toBe(401);
    // a WebChat service cannot write first
    const wc = await createService(admin, { channel: 'webchat', teamIds: [s.team.id] });
    const r = await start(s, { phone: newWaId(), serviceId: wc.id });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.error)).toContain('serviceId');
  });
});
