import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOptOutMessage } from '../../src/engine/opt-out.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, metaWhatsAppAccount, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Opt-out (issue 17): a customer message that is exactly one of the configured words (case and
// accents aside) marks the contact and is answered with the confirmation, through the WhatsApp
// sandbox; an agent marks and unmarks from the desk (audited); scope as the conversation's.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const wa = createMetaWhatsApp();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([wa.provider]);
});
afterAll(() => sb?.close());


async function setup() {
  const { account, phoneNumberId } = await metaWhatsAppAccount(t.url, admin, sb, wa);
  const team = await createTeam(admin);
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
  const desk = await t.login(agent.email, agent.password);
  await desk.post('/api/agent/login');
  const customer = { waId: `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`, name: 'Ana' };
  const say = async (text: string) => {
    const r = await wa.customerSays(phoneNumberId, customer, text);
    expect(r.status).toBe(200);
    await t.settle();
    return (await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE external_id = $1', [r.id])).rows[0].conversation_id;
  };
  return { phoneNumberId, team, desk, customer, say };
}
const contactRow = async (conversationId: string) =>
  (await t.db.query<{ opted_out_at: Date | null; opted_out_reason: string | null; opted_out_by: string | null }>(
    'SELECT ct.opted_out_at, ct.opted_out_reason, ct.opted_out_by FROM contacts ct JOIN conversations c ON c.contact_id = ct.id WHERE c.id = $1', [conversationId],
  )).rows[0];

describe('opt-out', () => {
  it('the words match whole, case and accents aside', () => {
    const words = ['SAIR', 'PARAR'];
    for (const yes of ['sair', 'Sair', ' SAIR! ', 'Párar', 'parar.']) expect(isOptOutMessage(yes, words), yes).toBe(true);
    for (const no of ['quero sair', 'sairam', '', 'parar de receber']) expect(isOptOutMessage(no, words), no).toBe(false);
  });

  it('a customer who writes "Sair" is opted out and answered with the confirmation; "quero sair" is not', async () => {
    const s = await setup();
    const id = await s.say('bom dia');
    await eventually(async () => expect((await s.desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service'));
    await s.say('quero sair daqui a pouco');
    expect((await contactRow(id)).opted_out_at).toBeNull();

    await s.say('Sáir');
    const row = await contactRow(id);
    expect(row.opted_out_at).not.toBeNull();
    expect(row).toMatchObject({ opted_out_reason: 'customer: Sáir', opted_out_by: null });
    const view = (await s.desk.get(`/api/conversations/${id}/contact/opt-out`)).body;
    expect(view).toMatchObject({ optedOut: true, reason: 'customer: Sáir', byUserId: null });
    // the confirmation is the setting's, sent to the customer
    const { optOut } = (await admin.get('/api/settings')).body;
    const messages = (await admin.get(`/api/conversations/${id}`)).body.messages as { authorType: string; body: string }[];
    expect(messages.filter((m) => m.authorType === 'system' && m.body === optOut.confirmation)).toHaveLength(1);
    await t.runtime.outbox.tick();
    expect(wa.sent.filter((m) => m.to === s.customer.waId).some((m) => (m.body.text as { body?: string } | undefined)?.body === optOut.confirmation)).toBe(true);
    // the word again: already opted out, no second confirmation
    await s.say('SAIR');
    const again = (await admin.get(`/api/conversations/${id}`)).body.messages as { authorType: string; body: string }[];
    expect(again.filter((m) => m.authorType === 'system' && m.body === optOut.confirmation)).toHaveLength(1);
  });

  it('the words are a setting', async () => {
    const before = (await admin.get('/api/settings')).body.optOut;
    expect((await admin.patch('/api/settings', { optOut: { words: ['CHEGA'], confirmation: 'Ok, sem mais mensagens.' } })).status).toBe(200);
    try {
      const s = await setup();
      const id = await s.say('oi');
      await s.say('sair');
      expect((await contactRow(id)).opted_out_at).toBeNull();
      await s.say('chega');
      expect((await contactRow(id)).opted_out_at).not.toBeNull();
      expect((await admin.patch('/api/settings', { optOut: { words: ['x'], confirmation: 'y', extra: 1 } })).status).toBe(400);
    } finally {
      await admin.patch('/api/settings', { optOut: before });
    }
  });

  it('the agent marks and unmarks from the desk (audited); a supervisor of another team cannot see it', async () => {
    const s = await setup();
    const id = await s.say('olá');
    await eventually(async () => expect((await s.desk.get(`/api/conversations/${id}`)).body.conversation.state).toBe('in_service'));
    const marked = await s.desk.put(`/api/conversations/${id}/contact/opt-out`, { optedOut: true, reason: 'pediu por telefone' });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ optedOut: true, reason: 'pediu por telefone' });
    expect(marked.body.byUserId).not.toBeNull();
    expect((await contactRow(id)).opted_out_by).toBe(marked.body.byUserId);
    const audit = (await t.db.query<{ action: string; entity: string; entity_id: string }>(`SELECT action, entity, entity_id FROM audit_log WHERE entity = 'contact' AND entity_id = $1 ORDER BY id`, [marked.body.contactId])).rows;
    expect(audit.map((a) => a.action)).toEqual(['opt_out']);

    const unmarked = await s.desk.put(`/api/conversations/${id}/contact/opt-out`, { optedOut: false });
    expect(unmarked.body).toMatchObject({ optedOut: false, reason: null, byUserId: null });
    expect((await contactRow(id)).opted_out_at).toBeNull();

    const other = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [(await createTeam(admin)).id] });
    const c = await t.login(other.email, other.password);
    expect((await c.get(`/api/conversations/${id}/contact/opt-out`)).status).toBe(404);
    expect((await c.put(`/api/conversations/${id}/contact/opt-out`, { optedOut: true })).status).toBe(404);
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [s.team.id] });
    expect((await (await t.login(sup.email, sup.password)).put(`/api/conversations/${id}/contact/opt-out`, { optedOut: true })).status).toBe(200);
    expect((await s.desk.put(`/api/conversations/${id}/contact/opt-out`, { optedOut: true, bogus: 1 })).status).toBe(400);
    const final = (await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'contact' AND entity_id = $1 ORDER BY id`, [marked.body.contactId])).rows;
    expect(final.map((a) => a.action)).toEqual(['opt_out', 'opt_in', 'opt_out']);
  });
});
