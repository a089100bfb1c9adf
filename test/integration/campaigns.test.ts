import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { campaignWorld, contactsCsv, type CampaignWorld } from '../support/campaigns.js';
import { startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createUser, type Client, type TestApp } from '../support/test-app.js';

// Campaigns (Mensagens ativas) through the HTTP API and the provider sandbox: the CSV checked row by
// row, stored, sent by the sender under its lease at the tier's rate inside the window, receipts and
// answers tracked, paused and resumed, and a node killed mid-campaign.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const wa = createMetaWhatsApp();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([wa.provider]);
});
afterAll(() => sb?.close());

let w: CampaignWorld;
beforeAll(async () => {
  w = await campaignWorld(t, admin, sb, wa);
}, 30_000);

describe('the CSV, checked row by row', () => {
  it('says what goes and why each other row does not, with its line number; nothing stored', async () => {
    const { csv } = contactsCsv(3, 10_000_000, [
      '11 98888-77;Curto;X;Y', // line 5: too short
      '(11) 91000-0000;Repetido;A;B', // line 6: the number of line 2, spelled otherwise
      '11955554444;Sem param;A;', // line 7: param2 empty
      '',
      '11955553333;Colunas;A;B;sobra', // line 9: a cell past the header
    ]);
    const r = await w.supClient.request('POST', '/api/campaigns/validate', { templateId: w.template.id, serviceId: w.service.id, csv }, { 'accept-language': 'pt-BR' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 7, ok: 3, skipped: 4 });
    expect(r.body.problems.map((p: { line: number; reason: string }) => [p.line, p.reason])).toEqual([[5, 'invalid_phone'], [6, 'duplicate'], [7, 'missing_parameter'], [9, 'invalid_row']]);
    expect(r.body.problems[1].message).toBe('o mesmo número da linha 2');
    expect(r.body.problems[2].message).toBe('param2 está vazio');
    expect(r.body.sample[0]).toMatchObject({ line: 2, phone: '+5511910000000', name: 'Cliente 0', parameters: ['Cliente 0', 'B-0'], ok: true, reason: null });
    expect((await t.db.query('SELECT count(*)::int AS n FROM campaign_recipients')).rows[0].n).toBe(0);
  });

  it('a bad request names its field; a header without the phone or a parameter column is a 400 on csv', async () => {
    const bad = await w.supClient.post('/api/campaigns/validate', { templateId: 'x', serviceId: w.service.id, csv: 'a' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('templateId');
    const noPhone = await w.supClient.post('/api/campaigns/validate', { templateId: w.template.id, serviceId: w.service.id, csv: 'nome,param1,param2\nAna,a,b\n' });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.error.issues[0].path).toBe('csv');
    const noParam = await w.supClient.post('/api/campaigns/validate', { templateId: w.template.id, serviceId: w.service.id, csv: 'telefone,param1\n11999998888,a\n' });
    expect(noParam.status).toBe(400);
    expect(noParam.body.error.message).toContain('param2');
    const window = await w.supClient.post('/api/campaigns', { templateId: w.template.id, serviceId: w.service.id, csv: contactsCsv(1).csv, name: 'x', window: { from: '9:00', to: '18:00' } });
    expect(window.status).toBe(400);
    expect(JSON.stringify(window.body)).toContain('window.from');
  });

  it('an oversized CSV is refused: 413 past 100,000 rows', async () => {
    const { csv } = contactsCsv(100_001, 10_000_000);
    const r = await w.supClient.post('/api/campaigns/validate', { templateId: w.template.id, serviceId: w.service.id, csv });
    expect(r.status).toBe(413);
    expect(r.body.error.issues[0].path).toBe('csv');
  });

  it('agents may not; another team’s supervisor does not see the service', async () => {
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [w.team.id] });
    const desk = await t.login(agent.email, agent.password);
    const body = { templateId: w.template.id, serviceId: w.service.id, csv: contactsCsv(2).csv };
    expect((await desk.post('/api/campaigns/validate', body)).status).toBe(403);
    const other = await campaignWorld(t, admin, sb, wa);
    expect((await other.supClient.post('/api/campaigns/validate', body)).status).toBe(404);
  });
});
