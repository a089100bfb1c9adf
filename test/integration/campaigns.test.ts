import { RealtimeEvent } from '../../src/contracts/events.js';
import { eventsAfter } from '../../src/engine/events.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignSender } from '../../src/channels/campaign-sender.js';
import type { Database } from '../../src/db/database.js';
import { Engine } from '../../src/engine/engine.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { campaignWorld, contactsCsv, type CampaignWorld } from '../support/campaigns.js';
import { eventually, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createUser, TEST_SECRET_KEY, type Client, type TestApp } from '../support/test-app.js';

// Campaigns (Mensagens ativas) through the HTTP API and the provider sandbox: the CSV checked row by
// row, stored, sent by the sender under its lease at the tier's rate inside the window, receipts and
// answers tracked, paused and resumed, and a node killed mid-campaign.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const wa = createMetaWhatsApp();
// fast enough for a test (the default is the Cloud API's 80 a second)
appForFile((app) => ({ t, admin } = app), { campaignMaxRate: 1000 });
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

const digits = (phone: string) => phone.replace(/^\+/, '');
/** What the sandbox took for this number id, by recipient (its own record of the requests). */
const receivedBy = (phoneNumberId: string) => {
  const byTo = new Map<string, number>();
  for (const m of wa.sent) if (m.phoneNumberId === phoneNumberId) byTo.set(m.to, (byTo.get(m.to) ?? 0) + 1);
  return byTo;
};
const countsBySql = async (campaignId: string) => {
  const { rows } = await t.db.query<{ status: string; n: number }>(`SELECT CASE WHEN status = 'sending' THEN 'queued' ELSE status END AS status, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY 1`, [campaignId]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
};
const allDay = { from: '00:00', to: '00:00' };

describe('sending', () => {
  it('1,000 contacts with opted-out and failing numbers: each number the provider took exactly once; counts as the sandbox and the rows say', async () => {
    const { csv, phones } = contactsCsv(1000);
    // five customers said SAIR on this number before: their contacts opted out
    for (const p of phones.slice(10, 15)) expect((await wa.customerSays(w.phoneNumberId, { waId: digits(p) }, 'SAIR')).status).toBe(200);
    // ten bad numbers: five refused at once, five taken and then failed by a receipt (131026)
    phones.slice(100, 105).forEach((p) => wa.failNumber(digits(p), { code: 131026, title: 'Message undeliverable', when: 'send' }));
    phones.slice(105, 110).forEach((p) => wa.failNumber(digits(p), { code: 131026, title: 'Message undeliverable', when: 'receipt' }));
    const created = await w.supClient.post('/api/campaigns', { templateId: w.template.id, serviceId: w.service.id, csv, name: 'Boletos de dezembro', window: allDay });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ status: 'running', counts: { total: 1000, queued: 995, skipped: 5 } });

    expect(await t.app.campaigns.drain()).toBe(995);
    const received = receivedBy(w.phoneNumberId);
    const expected = phones.filter((_, i) => !(i >= 10 && i < 15) && !(i >= 100 && i < 105));
    expect([...received.keys()].sort()).toEqual(expected.map(digits).sort());
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    // the receipt-failed five, then some delivered and read, as the provider reports them
    await eventually(async () => expect((await admin.get(`/api/campaigns/${id}`)).body.counts.failed).toBe(10));
    const ids = wa.sent.filter((m) => m.phoneNumberId === w.phoneNumberId && expected.slice(200, 300).map(digits).includes(m.to)).map((m) => m.id);
    for (const mid of ids) await wa.sendReceipts(w.phoneNumberId, mid, ['delivered']);
    for (const mid of ids.slice(0, 40)) await wa.sendReceipts(w.phoneNumberId, mid, ['read']);

    const c = (await admin.get(`/api/campaigns/${id}`)).body;
    expect(c.status).toBe('finished');
    expect(c.counts).toEqual({ total: 1000, queued: 0, skipped: 5, failed: 10, sent: 1000 - 5 - 10 - 100, delivered: 60, read: 40, answered: 0 });
    // the row counts (kept by deltas) against a count of the rows
    expect(await countsBySql(id)).toEqual({ skipped: 5, failed: 10, sent: 885, delivered: 60, read: 40 });
    // the sandbox's own record: what it took is what the rows say went
    expect(received.size).toBe(c.counts.sent + c.counts.delivered + c.counts.read + 5);

    const skipped = (await w.supClient.request('GET', `/api/campaigns/${id}/recipients?status=skipped`, undefined, { 'accept-language': 'pt-BR' })).body;
    expect(skipped.rows.map((r: { line: number }) => r.line)).toEqual([12, 13, 14, 15, 16]);
    expect(skipped.rows[0].reason).toContain('opt-out');
    const failed = (await w.supClient.get(`/api/campaigns/${id}/recipients?status=failed`)).body;
    expect(failed.rows).toHaveLength(10);
    expect(failed.rows.every((r: { reason: string }) => r.reason.includes('131026'))).toBe(true);

    // a contact writes back: answered, and the conversation it opens is the campaign's (outbound)
    const answering = expected[500];
    await wa.customerSays(w.phoneNumberId, { waId: digits(answering) }, 'Já paguei, obrigado');
    const row = (await admin.get(`/api/campaigns/${id}/recipients?status=answered`)).body.rows[0];
    expect(row).toMatchObject({ phone: answering, status: 'answered' });
    const conv = (await admin.get(`/api/conversations/${row.conversationId}`)).body.conversation;
    expect(conv).toMatchObject({ direction: 'outbound', serviceId: w.service.id });
    expect((await t.db.query('SELECT campaign_id FROM conversations WHERE id = $1', [row.conversationId])).rows[0].campaign_id).toBe(id);
    expect((await admin.get(`/api/campaigns/${id}`)).body.counts.answered).toBe(1);
    // progress pushed on the monitor stream of the service, throttled: a few events, not one per row
    const { rows: pushed } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE type = 'campaign.updated' AND service_id = $1 AND payload->'campaign'->>'id' = $2`, [w.service.id, id]);
    expect(pushed[0].n).toBeGreaterThanOrEqual(2);
    expect(pushed[0].n).toBeLessThan(100);
    // each as its schema says (the realtime test leaves campaigns to this one)
    for (const e of (await eventsAfter(t.db, 0, 100_000)).filter((x) => x.type === 'campaign.updated')) {
      const parsed = RealtimeEvent.safeParse(e);
      expect(parsed.success ? 'ok' : JSON.stringify(parsed.error.issues)).toBe('ok');
    }
  }, 120_000);

  it('the number’s messaging tier bounds the contacts of 24 hours: TIER_250 sends 250 and waits', async () => {
    const small = await campaignWorld(t, admin, sb, wa, { messagingLimit: 'TIER_250' });
    const { csv, phones } = contactsCsv(300);
    const id = (await small.supClient.post('/api/campaigns', { templateId: small.template.id, serviceId: small.service.id, csv, name: 'Tier', window: allDay })).body.id;
    expect(await t.app.campaigns.drain()).toBe(250);
    expect(phones.filter((p) => receivedBy(small.phoneNumberId).has(digits(p)))).toHaveLength(250);
    expect((await admin.get(`/api/campaigns/${id}`)).body).toMatchObject({ status: 'running', ratePerSecond: 0, counts: { sent: 250, queued: 50 } });
    // (it would go on a day later: the later tests move the clock, so it is cancelled here); what had
    // not gone is skipped, saying why, and the counts move with it
    expect((await small.supClient.post(`/api/campaigns/${id}/cancel`)).body).toMatchObject({ status: 'cancelled', counts: { sent: 250, queued: 0, skipped: 50 } });
    const skipped = await small.supClient.request('GET', `/api/campaigns/${id}/recipients?status=skipped&limit=100`, undefined, { 'accept-language': 'pt-BR' });
    expect(skipped.body.rows).toHaveLength(50);
    expect(new Set(skipped.body.rows.map((r: { reason: string }) => r.reason))).toEqual(new Set(['a campanha foi cancelada antes do envio']));
    const { rows: [byStatus] } = await t.db.query<{ queued: number; skipped: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('queued', 'sending'))::int AS queued, count(*) FILTER (WHERE status = 'skipped')::int AS skipped FROM campaign_recipients WHERE campaign_id = $1`, [id],
    );
    expect(byStatus).toEqual({ queued: 0, skipped: 50 });
    expect(await t.app.campaigns.drain()).toBe(0);
  });

  it('pause stops sending; resume goes on from where it stopped; a paused campaign cannot be paused again', async () => {
    const { csv, phones } = contactsCsv(100);
    const id = (await w.supClient.post('/api/campaigns', { templateId: w.template.id, serviceId: w.service.id, csv, name: 'Pausa', window: allDay })).body.id;
    const sentTo = () => phones.filter((p) => receivedBy(w.phoneNumberId).has(digits(p))).length;
    const first = await t.app.campaigns.drain(undefined, 2);
    expect(first).toBeGreaterThan(0);
    expect(sentTo()).toBe(first);
    expect((await w.supClient.post(`/api/campaigns/${id}/pause`)).body.status).toBe('paused');
    expect((await w.supClient.post(`/api/campaigns/${id}/pause`)).status).toBe(409);
    expect(await t.app.campaigns.drain()).toBe(0);
    expect(sentTo()).toBe(first);
    expect((await w.supClient.post(`/api/campaigns/${id}/resume`)).body.status).toBe('running');
    expect(await t.app.campaigns.drain()).toBe(100 - first);
    expect(sentTo()).toBe(100);
    expect((await w.supClient.get(`/api/campaigns/${id}`)).body).toMatchObject({ status: 'finished', counts: { sent: 100 } });
    // the rows as a download: a header and one line per row, in line order, in Portuguese
    const res = await fetch(`${t.url}/api/campaigns/${id}/recipients?format=csv`, { headers: { cookie: w.supClient.cookie, 'accept-language': 'pt-BR' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(101);
    expect(lines[0]).toContain('Telefone');
    expect(lines[1]).toContain(phones[0]);
    expect(lines[1]).toContain('Enviada');
  });

  it('another team’s supervisor sees and changes nothing of the campaign', async () => {
    const id = (await w.supClient.post('/api/campaigns', { templateId: w.template.id, serviceId: w.service.id, csv: contactsCsv(3).csv, name: 'Escopo', window: allDay, startAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString() })).body.id;
    const other = await campaignWorld(t, admin, sb, wa);
    expect((await other.supClient.get(`/api/campaigns/${id}`)).status).toBe(404);
    expect((await other.supClient.get(`/api/campaigns/${id}/recipients`)).status).toBe(404);
    expect((await other.supClient.post(`/api/campaigns/${id}/cancel`)).status).toBe(404);
    expect((await other.supClient.get('/api/campaigns')).body.rows.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await w.supClient.get('/api/campaigns')).body.rows.map((c: { id: string }) => c.id)).toContain(id);
    expect((await admin.get(`/api/campaigns/${id}`)).body.status).toBe('scheduled');
    expect((await w.supClient.post(`/api/campaigns/${id}/cancel`)).body.status).toBe('cancelled');
    expect((await w.supClient.post(`/api/campaigns/${id}/resume`)).status).toBe(409);
  });

  it('outside the window of hours nothing goes; inside it, it does (the engine clock, São Paulo time)', async () => {
    // 09:00 in São Paulo (UTC−3); the window is 10:00–11:00
    t.clock.set(new Date('2027-03-10T12:00:00Z'));
    const { csv, phones } = contactsCsv(5);
    const id = (await w.supClient.post('/api/campaigns', { templateId: w.template.id, serviceId: w.service.id, csv, name: 'Janela', window: { from: '10:00', to: '11:00' } })).body.id;
    expect(await t.app.campaigns.drain()).toBe(0);
    expect(phones.some((p) => receivedBy(w.phoneNumberId).has(digits(p)))).toBe(false);
    t.clock.set(new Date('2027-03-10T13:30:00Z'));
    expect(await t.app.campaigns.drain()).toBe(5);
    expect((await admin.get(`/api/campaigns/${id}`)).body.status).toBe('finished');
  });
});

/** A node's database as its process sees it: once killed, nothing it asks reaches PostgreSQL any more. */
function dyingDatabase(db: Database): { db: Database; kill(): void } {
  let dead = false;
  const refuse = () => Promise.reject(new Error('the node is dead'));
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (dead && (prop === 'query' || prop === 'transaction')) return refuse;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: proxy, kill: () => void (dead = true) };
}

describe('a node killed mid-campaign', () => {
  it('the other takes the lease over: nobody sent twice, nobody skipped, the uncertain rows failed as interrupted', async () => {
    const key = deriveSecretKey(TEST_SECRET_KEY);
    // whoever held the lease before lets it lapse
    t.clock.advance(60_000);
    const { csv, phones } = contactsCsv(60);
    const id = (await w.supClient.post('/api/campaigns', { templateId: w.template.id, serviceId: w.service.id, csv, name: 'Queda', window: allDay })).body.id;
    const a = dyingDatabase(t.db);
    const nodeA = new CampaignSender(new Engine(a.db, t.runtime.bus, t.clock), key, { holder: 'node-a', maxRatePerSecond: 1000, batchMax: 8 });
    const nodeB = new CampaignSender(t.runtime.engine, key, { holder: 'node-b', maxRatePerSecond: 1000, batchMax: 8 });
    // A's third batch holds line 20 (the 19th contact): the provider has that request when A dies
    const held = wa.hold(digits(phones[18]));
    const runA = nodeA.drain().catch((e: Error) => e);
    await held.arrived;
    a.kill();
    // B may not send while A's lease holds; once it lapses, B takes over
    expect(await nodeB.drain()).toBe(0);
    t.clock.advance(31_000);
    const byB = await nodeB.drain();
    held.release();
    expect(((await runA) as Error).message).toBe('the node is dead');

    const received = receivedBy(w.phoneNumberId);
    const mine = phones.map(digits);
    // every number reached the provider exactly once: A's last batch (taken by the provider) was not sent again by B
    expect(mine.every((p) => received.get(p) === 1)).toBe(true);
    const rows = (await admin.get(`/api/campaigns/${id}/recipients?limit=100`)).body.rows as { line: number; status: string; reason: string | null }[];
    const interrupted = rows.filter((r) => r.status === 'failed');
    // exactly A's batch in flight: lines 18–25 (8 rows), shown with the reason
    expect(interrupted.map((r) => r.line)).toEqual([18, 19, 20, 21, 22, 23, 24, 25]);
    expect(interrupted[0].reason).toContain('may or may not have reached');
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(52);
    // B sent the rest, after A's 16 stored and its 8 in flight
    expect(byB).toBe(60 - 24);
    expect((await admin.get(`/api/campaigns/${id}`)).body).toMatchObject({ status: 'finished', counts: { sent: 52, failed: 8, queued: 0 } });
  });
});
