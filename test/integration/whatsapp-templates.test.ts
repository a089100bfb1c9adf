import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGupshup } from '../../src/sandbox/gupshup.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, metaWhatsAppAccount, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createApiService, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Templates that a provider approves (issue 17), through the provider sandbox: submitted from
// Mirante ("Enviar para aprovação"), PENDING, then the provider's status webhook (signed like every
// WhatsApp webhook) makes them APPROVED or REJECTED with the reason; "Sincronizar" reads a status
// changed without a webhook; only APPROVED templates are sent on WhatsApp; plain text elsewhere.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const wa = createMetaWhatsApp();
const gs = createGupshup();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([wa.provider, gs.provider]);
});
afterAll(() => sb?.close());

const hex = () => randomBytes(5).toString('hex');
let code = Math.floor(Math.random() * 900000);

const cloudAccount = () => metaWhatsAppAccount(t.url, admin, sb, wa);

async function gupshupAccount() {
  const config = { appName: `Loja${hex()}`, appId: `app-${hex()}`, sourceNumber: '551140000000', apiBaseUrl: `${sb.url}/gupshup` };
  const credentials = { apiKey: `k-${hex()}`, appToken: `sk_${hex()}`, webhookSecret: hex() };
  const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('Gupshup'), provider: 'gupshup', config, credentials })).body;
  gs.connect({ ...config, ...credentials, webhookUrl: `${t.url}/webhooks/whatsapp/${account.id}`, autoEvents: false });
  return { account, config, credentials };
}

async function category() {
  return (await admin.post('/api/template-categories', { code: ++code, title: unique('Cobrança'), type: 'billing' })).body;
}

const templateBody = async (accountId: string, over: Record<string, unknown> = {}) => ({
  categoryId: (await category()).id, name: unique('Boleto'), channelAccountId: accountId, providerTemplate: `boleto_${hex()}`, providerCategory: 'UTILITY',
  language: 'pt_BR', header: 'Seu boleto', body: 'Olá {{1}}, o boleto do protocolo {{2}} vence amanhã.', examples: ['Ana', '2026-000123'], footer: 'Mirante',
  buttons: [{ type: 'QUICK_REPLY', text: 'Já paguei' }, { type: 'URL', text: 'Ver boleto', url: 'https://exemplo.com.br/boleto' }], ...over,
});
const statusOf = async (id: string) => (await admin.get(`/api/templates/${id}`)).body;

describe('templates approved by the provider', () => {
  it('Cloud API: submit → PENDING with the provider id and the components as Meta takes them → the status webhook → APPROVED', async () => {
    const a = await cloudAccount();
    const created = await admin.post('/api/templates', await templateBody(a.account.id));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'DRAFT', channel: 'whatsapp', providerId: null });
    const submitted = await admin.post(`/api/templates/${created.body.id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('PENDING');
    const providerId = submitted.body.providerId as string;
    const call = sb.requestsTo('meta-whatsapp', 'POST', `/v21.0/${a.wabaId}/message_templates`).at(-1)!;
    expect(call.headers.authorization).toBe(`Bearer ${a.credentials.accessToken}`);
    expect(call.body).toEqual({
      name: created.body.providerTemplate, language: 'pt_BR', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Seu boleto' },
        { type: 'BODY', text: 'Olá {{1}}, o boleto do protocolo {{2}} vence amanhã.', example: { body_text: [['Ana', '2026-000123']] } },
        { type: 'FOOTER', text: 'Mirante' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Já paguei' }, { type: 'URL', text: 'Ver boleto', url: 'https://exemplo.com.br/boleto' }] },
      ],
    });
    expect(wa.templates.get(providerId)?.status).toBe('PENDING');
    // the sandbox approves and tells Mirante by the signed webhook
    await eventually(async () => expect((await statusOf(created.body.id)).status).toBe('APPROVED'));
    // submitting an approved template again is a conflict
    expect((await admin.post(`/api/templates/${created.body.id}/submit`)).status).toBe(409);
  });

  it('Cloud API: a name with "rejeitar" is rejected with the reason', async () => {
    const a = await cloudAccount();
    const created = (await admin.post('/api/templates', await templateBody(a.account.id, { providerTemplate: `rejeitar_${hex()}` }))).body;
    await admin.post(`/api/templates/${created.id}/submit`);
    await eventually(async () => expect(await statusOf(created.id)).toMatchObject({ status: 'REJECTED', statusReason: 'INVALID_FORMAT' }));
  });

  it('Gupshup: submit through the Partner API → PENDING → template-event → APPROVED; rejected with the reason', async () => {
    const g = await gupshupAccount();
    const ok = (await admin.post('/api/templates', await templateBody(g.account.id))).body;
    const r = await admin.post(`/api/templates/${ok.id}/submit`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('PENDING');
    const call = sb.requestsTo('gupshup', 'POST', `/partner/app/${g.config.appId}/templates`).at(-1)!;
    expect(call.headers.authorization).toBe(g.credentials.appToken);
    expect(call.body).toMatchObject({ elementName: ok.providerTemplate, languageCode: 'pt_BR', category: 'UTILITY', content: ok.body, example: 'Olá Ana, o boleto do protocolo 2026-000123 vence amanhã.', header: 'Seu boleto', footer: 'Mirante' });
    await eventually(async () => expect((await statusOf(ok.id)).status).toBe('APPROVED'));

    const bad = (await admin.post('/api/templates', await templateBody(g.account.id, { providerTemplate: `rejeitar_${hex()}` }))).body;
    await admin.post(`/api/templates/${bad.id}/submit`);
    await eventually(async () => expect(await statusOf(bad.id)).toMatchObject({ status: 'REJECTED', statusReason: 'The template contains a formatting error' }));
  });

  it('a status webhook with a bad signature or secret is refused and changes nothing', async () => {
    const a = await cloudAccount();
    wa.review.delayMs = false;
    try {
      const tpl = (await admin.post('/api/templates', await templateBody(a.account.id))).body;
      const { providerId } = (await admin.post(`/api/templates/${tpl.id}/submit`)).body;
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: a.wabaId, changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: Number(providerId), message_template_name: tpl.providerTemplate, message_template_language: 'pt_BR', reason: 'NONE' } }] }] });
      const forged = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
      const res = await fetch(`${t.url}/webhooks/whatsapp/${a.account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': forged }, body });
      expect(res.status).toBe(401);
      expect((await statusOf(tpl.id)).status).toBe('PENDING');
      // the same body signed with the app secret is taken
      const signed = `sha256=${createHmac('sha256', a.credentials.appSecret).update(body).digest('hex')}`;
      expect((await fetch(`${t.url}/webhooks/whatsapp/${a.account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signed }, body })).status).toBe(200);
      expect((await statusOf(tpl.id)).status).toBe('APPROVED');

      const g = await gupshupAccount();
      gs.review.delayMs = false;
      const gt = (await admin.post('/api/templates', await templateBody(g.account.id))).body;
      const sent = (await admin.post(`/api/templates/${gt.id}/submit`)).body;
      const gBody = JSON.stringify({ app: g.config.appName, timestamp: Date.now(), version: 2, type: 'template-event', payload: { id: sent.providerId, elementName: gt.providerTemplate, languageCode: 'pt_BR', status: 'approved' } });
      expect((await fetch(`${t.url}/webhooks/whatsapp/${g.account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'wrong' }, body: gBody })).status).toBe(401);
      expect((await statusOf(gt.id)).status).toBe('PENDING');
    } finally {
      wa.review.delayMs = 200;
      gs.review.delayMs = 200;
    }
  });

  it('"Sincronizar" reads a status changed without a webhook (paused, with quality), on both providers', async () => {
    const a = await cloudAccount();
    const tpl = (await admin.post('/api/templates', await templateBody(a.account.id))).body;
    const { providerId } = (await admin.post(`/api/templates/${tpl.id}/submit`)).body;
    await eventually(async () => expect((await statusOf(tpl.id)).status).toBe('APPROVED'));
    await wa.reviewTemplate(providerId, 'PAUSED', 'LOW_QUALITY', false);
    wa.templates.get(providerId)!.quality = 'RED';
    expect((await statusOf(tpl.id)).status).toBe('APPROVED');
    const synced = await admin.post(`/api/templates/${tpl.id}/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ status: 'PAUSED', statusReason: 'LOW_QUALITY', quality: 'RED' });

    const g = await gupshupAccount();
    const gt = (await admin.post('/api/templates', await templateBody(g.account.id))).body;
    const gs1 = (await admin.post(`/api/templates/${gt.id}/submit`)).body;
    await eventually(async () => expect((await statusOf(gt.id)).status).toBe('APPROVED'));
    await gs.reviewTemplate(gs1.providerId, 'disabled', 'Policy violation', false);
    expect((await admin.post(`/api/templates/${gt.id}/sync`)).body).toMatchObject({ status: 'DISABLED', statusReason: 'Policy violation' });
  });

  it('refuses what the provider would: the name, gaps in the parameters, missing examples, button limits, the header with a parameter (400 naming the field)', async () => {
    const a = await cloudAccount();
    const cases: [Record<string, unknown>, string][] = [
      [{ providerTemplate: 'Boleto Atualizado' }, 'providerTemplate'],
      [{ body: 'Olá {{1}}, protocolo {{3}}', examples: ['a', 'b'] }, 'body'],
      [{ examples: ['Ana'] }, 'examples'],
      [{ providerCategory: null }, 'providerCategory'],
      [{ header: 'Olá {{1}}' }, 'header'],
      [{ buttons: [1, 2, 3].map((i) => ({ type: 'URL', text: `b${i}`, url: 'https://exemplo.com.br' })) }, 'buttons'],
      [{ buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }, 'buttons'],
      [{ footer: 'x'.repeat(61) }, 'footer'],
    ];
    for (const [over, field] of cases) {
      const r = await admin.post('/api/templates', await templateBody(a.account.id, over));
      expect(r.status, field).toBe(400);
      expect(r.body.error.message, field).toContain(field);
    }
    // without an account the same text is a plain template: no provider rules, no status
    const plain = await admin.post('/api/templates', { categoryId: (await category()).id, name: unique('Livre'), body: 'Olá {{2}}' });
    expect(plain.status).toBe(201);
    expect(plain.body.status).toBeNull();
    expect((await admin.post(`/api/templates/${plain.body.id}/submit`)).status).toBe(422);
  });

  it('only the admin submits and syncs', async () => {
    const a = await cloudAccount();
    const tpl = (await admin.post('/api/templates', await templateBody(a.account.id))).body;
    const team = await createTeam(admin);
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    const c = await t.login(sup.email, sup.password);
    expect((await c.post(`/api/templates/${tpl.id}/submit`)).status).toBe(403);
    expect((await c.post(`/api/templates/${tpl.id}/sync`)).status).toBe(403);
  });
});

describe('sending templates', () => {
  async function conversationWithAgent(a: Awaited<ReturnType<typeof cloudAccount>>) {
    const team = await createTeam(admin);
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    await createService(admin, { channel: 'whatsapp', channelAccountId: a.account.id, teamIds: [team.id] });
    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    const waId = `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`;
    const said = await wa.customerSays(a.phoneNumberId, { waId, name: 'Ana' }, 'bom dia');
    expect(said.status).toBe(200);
    await t.settle();
    const id = (await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [said.id])).rows[0].conversation_id;
    await eventually(async () => expect((await desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service'));
    return { desk, id, waId };
  }

  it('a template not APPROVED is refused with 422 naming its status; once approved it goes out as the provider template', async () => {
    const a = await cloudAccount();
    wa.review.delayMs = false;
    try {
      const { desk, id, waId } = await conversationWithAgent(a);
      const tpl = (await admin.post('/api/templates', await templateBody(a.account.id))).body;
      const send = () => desk.post(`/api/conversations/${id}/messages`, { template: { id: tpl.id, parameters: ['Ana', '2026-1'] } });
      let r = await send();
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'template_not_approved' });
      expect(r.body.error.message).toContain('DRAFT');
      const { providerId } = (await admin.post(`/api/templates/${tpl.id}/submit`)).body;
      r = await send();
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain('PENDING');
      await wa.reviewTemplate(providerId, 'REJECTED', 'INVALID_FORMAT');
      r = await send();
      expect(r.body.error.message).toContain('REJECTED');
      expect(r.body.error.message).toContain('INVALID_FORMAT');
      await wa.reviewTemplate(providerId, 'APPROVED');
      r = await send();
      expect(r.status).toBe(201);
      await t.runtime.outbox.tick();
      const out = wa.sent.filter((s) => s.to === waId).at(-1)!;
      expect(out.body).toMatchObject({ type: 'template', template: { name: tpl.providerTemplate, language: { code: 'pt_BR' } } });
    } finally {
      wa.review.delayMs = 200;
    }
  });

  it('on a channel without templates a template is plain text with its parameters filled in, sent as text', async () => {
    const team = await createTeam(admin);
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const api = await createApiService(t, admin, { teamIds: [team.id] });
    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    expect((await api.send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'oi' })).status).toBe(202);
    await t.settle();
    const id = await eventually(async () => {
      const { rows } = await t.db.query<{ id: string; state: string }>('SELECT id, state FROM conversations WHERE service_id = $1', [api.service.id]);
      expect(rows[0]?.state).toBe('in_service');
      return rows[0].id;
    });
    const tpl = (await admin.post('/api/templates', { categoryId: (await category()).id, name: unique('Aviso'), body: 'Olá {{1}}, seu protocolo é {{2}}.' })).body;
    const r = await desk.post(`/api/conversations/${id}/messages`, { template: { id: tpl.id, parameters: ['Ana', '2026-7'] } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ body: 'Olá Ana, seu protocolo é 2026-7.', contentType: 'text' });
    expect((await desk.post(`/api/conversations/${id}/messages`, { template: { id: tpl.id, parameters: ['Ana'] } })).status).toBe(422);
  });
});
