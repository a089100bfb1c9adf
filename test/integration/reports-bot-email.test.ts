import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchOption } from '../../src/core/bot-flow-text.js';
import { seeded } from '../support/indicators-fold.js';
import { insertConversation, insertMessage } from '../support/report-rows.js';
import { appForFile, createApiService, createService, createTeam, createUser, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// Relatórios 6 (Pré-atendimento) on real bot traffic through the API channel, and 7 (E-mail) on raw
// e-mails of known ages, the figures worked out by hand; scope for both.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const pt = (c: Client, path: string) => c.request('GET', path, undefined, { 'accept-language': 'pt-BR' });
const rowsOf = (body: any, service: any) => body.rows.filter((r: any) => r.service === service.name);

let teamA: any, teamB: any, supA: Client;
beforeAll(async () => {
  teamA = await createTeam(admin);
  teamB = await createTeam(admin);
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  supA = await t.login(sup.email, sup.password);
});

describe('6. Pré-atendimento (bot)', () => {
  const D = '2026-03-10';
  let svc: any, other: any;

  beforeAll(async () => {
    t.clock.set(Date.parse(`${D}T12:00:00Z`));
    const api = await createApiService(t, admin, { teamIds: [teamA.id], botFlow: TWO_STEP });
    svc = api.service;
    const send = (contact: string, text: string) => api.send({ contact: { externalId: contact }, externalId: unique('m'), text });
    // 1: "1" picks Atendente → the queue; 2: "sair" → the flow's end; 3: an answer matching nothing, then silence → gives up at the menu
    await send('c1', 'Olá');
    await send('c1', '1');
    await send('c2', 'Bom dia');
    await send('c2', 'sair');
    await send('c3', 'Oi');
    await send('c3', 'quero pizza');
    await t.settle();
    t.clock.advance(601_000); // past the bot's 600 s
    await t.runtime.scheduler.tick();
    // 4: still in the bot
    await send('c4', 'Olá');
    await t.settle();
    // another team's bot service, out of the supervisor's scope
    const b = await createApiService(t, admin, { teamIds: [teamB.id], botFlow: TWO_STEP });
    other = b.service;
    await b.send({ contact: { externalId: 'x1' }, externalId: unique('m'), text: 'Olá' });
    await b.send({ contact: { externalId: 'x1' }, externalId: unique('m'), text: 'atendente' });
    await t.settle();
  });

  it('outcomes, options chosen and where customers gave up, per service (flow)', async () => {
    const states = (await t.db.query<{ state: string }>(`SELECT state FROM conversations WHERE service_id = $1 ORDER BY created_at`, [svc.id])).rows.map((r) => r.state);
    expect(states).toEqual(['queued', 'completed', 'customer_gave_up', 'bot']);
    const r = await pt(admin, `/api/reports/bot?from=${D}&to=${D}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(rowsOf(r.body, svc).map((x: any) => [x.section, x.item, x.count, x.share])).toEqual([
      ['Resultado', 'Com etapa de bot', 4, 100],
      ['Resultado', 'Encerrados no bot', 1, 25],
      ['Resultado', 'Transferidos para a fila', 1, 25],
      ['Resultado', 'Desistências no bot', 1, 25],
      ['Resultado', 'Ainda no bot', 1, 25],
      ['Opção escolhida', 'Atendente', 1, 50],
      ['Opção escolhida', 'Sair', 1, 50],
      ['Desistência na etapa', 'menu', 1, 100],
    ]);
    expect(rowsOf(r.body, other).map((x: any) => [x.item, x.count])).toEqual([
      ['Com etapa de bot', 1], ['Encerrados no bot', 0], ['Transferidos para a fila', 1], ['Desistências no bot', 0], ['Atendente', 1],
    ]);
    expect(r.body.total).toMatchObject({ item: 'Com etapa de bot', count: 5 });
    // the day after holds nothing
    expect((await admin.get('/api/reports/bot?from=2026-03-11&to=2026-03-11')).body.rows).toEqual([]);
  });

  it('a supervisor sees only their teams’ services', async () => {
    const r = await pt(supA, `/api/reports/bot?from=${D}&to=${D}`);
    expect(new Set(r.body.rows.map((x: any) => x.service))).toEqual(new Set([svc.name]));
    expect(r.body.total.count).toBe(4);
  });
});

// The options chosen of messages written straight into the table (as the bench seed bulk-loads them),
// given choices by migration 0038's SQL backfill (each bot menu to the message after it), against a
// fold of the raw messages the old way round: each customer message, the one before it, the runner's match.
describe('6. Pré-atendimento: the options chosen on random message sequences equal a fold of the raw messages', () => {
  const D = '2026-04-07';
  const MENUS = [
    [{ id: 'a', label: 'Atendente' }, { id: 's', label: 'Sair' }],
    [{ id: 'b', label: 'Boleto' }, { id: 'c', label: 'Cartão de crédito' }, { id: 'a', label: 'Atendente' }],
  ];
  const message = fc.record({
    author: fc.constantFrom('bot', 'bot', 'bot', 'customer', 'customer', 'customer', 'agent', 'system'),
    // a bot message: a menu (0, 1), a menu whose options are not a list (2), plain text (3)
    menu: fc.constantFrom(0, 0, 1, 1, 2, 3),
    body: fc.constantFrom('1', '2', '3', '9', 'sair', 'Atendente!', 'quero o boleto', 'cartão', 'quero pizza', ''),
  });
  const conversation = fc.record({
    start: fc.integer({ min: 0, max: 86_400 - 3_600 }),
    // the bot's end: after the nth message (its instant included), or still in the bot
    endAfter: fc.option(fc.nat(10), { nil: null, freq: 2 }),
    messages: fc.array(message, { minLength: 1, maxLength: 10 }),
  });

  it('per service, every option and its count', async () => {
    const day = Date.parse(`${D}T03:00:00Z`);
    let matched = 0;
    await fc.assert(fc.asyncProperty(fc.array(conversation, { minLength: 1, maxLength: 6 }), async (convs) => {
      const svc = await createService(admin, { name: unique('Bot prop'), channel: 'whatsapp' });
      const want = new Map<string, number>();
      for (const c of convs) {
        const at = (i: number) => new Date(day + (c.start + i * 10) * 1000);
        const botEndedAt = c.endAfter === null ? null : at(Math.min(c.endAfter, c.messages.length - 1));
        const id = await insertConversation(t.db, { serviceId: svc.id, channel: 'whatsapp', state: 'bot', createdAt: at(0), botStartedAt: at(0), botEndedAt });
        const payloadOf = (m: (typeof c.messages)[number]) =>
          m.author !== 'bot' || m.menu === 3 ? null : m.menu === 2 ? { options: 'Atendente' } : { options: MENUS[m.menu] };
        for (const [i, m] of c.messages.entries()) {
          await insertMessage(t.db, { conversationId: id, channel: 'whatsapp', authorType: m.author, body: m.body, payload: payloadOf(m), at: at(i) });
        }
        for (let i = 1; i < c.messages.length; i++) {
          const m = c.messages[i];
          const p = c.messages[i - 1];
          if (m.author !== 'customer' || (botEndedAt && at(i) > botEndedAt)) continue;
          const options = payloadOf(p)?.options;
          if (p.author !== 'bot' || !Array.isArray(options)) continue;
          const chosen = matchOption(options.map((o) => ({ ...o, next: '' })), m.body);
          if (chosen) want.set(chosen.label, (want.get(chosen.label) ?? 0) + 1);
          if (chosen) matched++;
        }
      }
      await t.db.query('SELECT bot_choices_backfill()');
      const r = await pt(admin, `/api/reports/bot?from=${D}&to=${D}&serviceId=${svc.id}`);
      expect(r.status).toBe(200);
      const got = new Map<string, number>(r.body.rows.filter((x: any) => x.section === 'Opção escolhida').map((x: any) => [x.item, x.count]));
      expect(got).toEqual(want);
    }), {
      numRuns: 40,
      // always one sequence that chooses options (Boleto by its number, Sair by its word, Atendente after a non-list
      // menu is not chosen), besides the random ones: a run of sequences choosing nothing would prove little
      examples: [[[{
        start: 3_600, endAfter: null,
        messages: [
          { author: 'bot', menu: 1, body: '' }, { author: 'customer', menu: 0, body: '1' }, { author: 'bot', menu: 0, body: '' },
          { author: 'customer', menu: 0, body: 'sair' }, { author: 'bot', menu: 2, body: '' }, { author: 'customer', menu: 0, body: 'Atendente!' },
        ],
      }]]],
    });
    // the random sequences matched 8 to 40 times over 40 runs (CI once saw 8): the example's two at least
    expect(matched).toBeGreaterThanOrEqual(2);
  });
});

describe('7. E-mail', () => {
  // now: 20 May 2026, 12:00 in São Paulo (15:00Z)
  const NOW = Date.parse('2026-05-20T15:00:00Z');
  const local = (day: string, hm = '12:00') => new Date(`${day}T${hm}:00-03:00`);
  let mailA: any, mailB: any, agent: any;

  beforeAll(async () => {
    t.clock.set(NOW);
    mailA = await createService(admin, { name: unique('A Mail'), channel: 'email', teamIds: [teamA.id] });
    mailB = await createService(admin, { name: unique('B Mail'), channel: 'email', teamIds: [teamB.id] });
    agent = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
    const open = (serviceId: string, createdAt: Date, state = 'queued') =>
      insertConversation(t.db, { serviceId, channel: 'email', state, createdAt, firstQueuedAt: createdAt, ...(state === 'in_service' ? { agentId: agent.id, firstAssignedAt: createdAt } : {}) });
    const answered = (serviceId: string, createdAt: Date, answeredAt: Date) =>
      insertConversation(t.db, {
        serviceId, channel: 'email', state: 'completed', agentId: agent.id, createdAt, firstQueuedAt: createdAt, firstAssignedAt: createdAt,
        firstAgentMessageAt: answeredAt, finishedAt: answeredAt, finishedBy: 'agent',
      });
    // open in A, by calendar days in São Paulo: 0, 1 (00:30 of the 19th), 2 (23:30 of the 18th: the 19th in UTC), 5, 7, 8
    await open(mailA.id, local('2026-05-20', '08:00'));
    await open(mailA.id, local('2026-05-19', '00:30'), 'in_service');
    await open(mailA.id, local('2026-05-18', '23:30'));
    await open(mailA.id, local('2026-05-15'));
    await open(mailA.id, local('2026-05-13'), 'triage');
    await open(mailA.id, local('2026-05-12'));
    // answered in the period 18–20 May: after 2 h, 4 days, 9 days; one answered on the 17th is outside
    await answered(mailA.id, local('2026-05-18', '10:00'), local('2026-05-18', '12:00'));
    await answered(mailA.id, local('2026-05-15', '10:00'), local('2026-05-19', '10:00'));
    await answered(mailA.id, local('2026-05-10', '10:00'), local('2026-05-19', '10:00'));
    await answered(mailA.id, local('2026-05-16', '10:00'), local('2026-05-17', '10:00'));
    // B: one open for 10 days
    await open(mailB.id, local('2026-05-10'));
  });

  it('open demands by age in calendar days, first response: mean, longest, within 24 h and 7 days', async () => {
    const r = await pt(admin, '/api/reports/email?from=2026-05-18&to=2026-05-20');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(rowsOf(r.body, mailA)).toEqual([{
      service: mailA.name, open: 6, age0_1: 2, age2_3: 1, age4_5: 1, age6_7: 1, age8: 1,
      answered: 3, meanResponse: (7200 + 4 * 86_400 + 9 * 86_400) / 3, maxResponse: 9 * 86_400, within24h: 33.33, within7d: 66.67,
    }]);
    expect(rowsOf(r.body, mailB)).toEqual([{
      service: mailB.name, open: 1, age0_1: 0, age2_3: 0, age4_5: 0, age6_7: 0, age8: 1, answered: 0, meanResponse: null, maxResponse: null, within24h: 0, within7d: 0,
    }]);
    expect(r.body.total).toEqual({
      service: null, open: 7, age0_1: 2, age2_3: 1, age4_5: 1, age6_7: 1, age8: 2,
      answered: 3, meanResponse: 376_800, maxResponse: 777_600, within24h: 33.33, within7d: 66.67,
    });
    expect(r.body.notes).toEqual([expect.stringContaining('7 dias corridos')]);
    // the open ones are "now": another period changes only the response times
    const may17 = await pt(admin, '/api/reports/email?from=2026-05-17&to=2026-05-17');
    expect(rowsOf(may17.body, mailA)[0]).toMatchObject({ open: 6, answered: 1, meanResponse: 86_400, within24h: 100 });
  });

  it('random open e-mails and answers match a plain fold (calendar days at UTC−3)', async () => {
    const team = await createTeam(admin);
    const svc = await createService(admin, { channel: 'email', teamIds: [team.id] });
    const rnd = seeded(7_2026);
    const localDay = (ms: number) => Math.floor((ms - 3 * 3600_000) / 86_400_000);
    const open: number[] = [];
    const waits: number[] = [];
    const s = Date.parse('2026-05-18T03:00:00Z');
    const e = Date.parse('2026-05-21T03:00:00Z');
    for (let i = 0; i < 60; i++) {
      const created = NOW - rnd.int(0, 12 * 86_400) * 1000;
      if (rnd.next() < 0.5) {
        open.push(localDay(NOW) - localDay(created));
        await insertConversation(t.db, { serviceId: svc.id, channel: 'email', state: rnd.pick(['triage', 'queued']), createdAt: new Date(created) });
      } else {
        const answeredAt = Math.min(NOW, created + rnd.pick([3600, 86_399, 86_400, 86_401, 3 * 86_400, 7 * 86_400, 7 * 86_400 + 1, 10 * 86_400]) * 1000);
        if (answeredAt >= s && answeredAt < e) waits.push((answeredAt - created) / 1000);
        await insertConversation(t.db, {
          serviceId: svc.id, channel: 'email', state: 'completed', createdAt: new Date(created), firstAgentMessageAt: new Date(answeredAt), finishedAt: new Date(answeredAt),
        });
      }
    }
    const r = await admin.get(`/api/reports/email?from=2026-05-18&to=2026-05-20&serviceId=${svc.id}`);
    const share = (n: number) => (waits.length ? Math.round((n * 10_000) / waits.length) / 100 : 0);
    expect(r.body.rows).toEqual([{
      service: svc.name, open: open.length,
      age0_1: open.filter((d) => d <= 1).length, age2_3: open.filter((d) => d >= 2 && d <= 3).length, age4_5: open.filter((d) => d >= 4 && d <= 5).length,
      age6_7: open.filter((d) => d >= 6 && d <= 7).length, age8: open.filter((d) => d > 7).length,
      answered: waits.length, meanResponse: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      maxResponse: waits.length ? Math.max(...waits) : null, within24h: share(waits.filter((w) => w <= 86_400).length), within7d: share(waits.filter((w) => w <= 7 * 86_400).length),
    }]);
  });

  it('scope and the agent filter', async () => {
    const sup = await pt(supA, '/api/reports/email?from=2026-05-18&to=2026-05-20');
    expect(sup.body.rows.map((x: any) => x.service)).toEqual([mailA.name]);
    const mine = await pt(admin, `/api/reports/email?from=2026-05-18&to=2026-05-20&agentId=${agent.id}`);
    expect(mine.body.rows).toEqual([expect.objectContaining({ service: mailA.name, open: 1, age0_1: 1, answered: 3 })]);
    const desk = await t.login(agent.email, agent.password);
    expect((await desk.get('/api/reports/email')).status).toBe(403);
  });
});
