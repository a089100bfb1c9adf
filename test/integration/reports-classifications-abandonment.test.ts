import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv.js';
import { seeded } from '../support/indicators-fold.js';
import { insertConversation } from '../support/report-rows.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Relatórios 4 (Classificações) and 5 (Abandono) through the HTTP API, on raw conversations whose
// figures are worked out by hand below; a randomized day of abandonments checked against a plain
// TypeScript fold over the rows; scope; bad filters; a CSV download parsed back.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

// São Paulo is UTC−3 all year: D runs from 03:00Z to 03:00Z the next day.
const D = '2026-03-10';
const T0 = Date.parse(`${D}T12:00:00Z`); // 09:00 local
const at = (s: number) => new Date(T0 + s * 1000);
const q = (id: string, extra = '') => `/api/reports/${id}?from=${D}&to=${D}${extra}`;
/** the API answers in English unless asked: the manager's screen asks for Portuguese */
const pt = (c: Client, path: string) => c.request('GET', path, undefined, { 'accept-language': 'pt-BR' });

let svcA: any, svcB: any, classA: any, classB: any, supA: Client;

beforeAll(async () => {
  const teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  svcA = await createService(admin, { name: unique('A Chat'), channel: 'webchat', teamIds: [teamA.id] });
  svcB = await createService(admin, { name: unique('B Zap'), channel: 'whatsapp', teamIds: [teamB.id] });
  classA = (await admin.post('/api/classifications', { code: unique('res').replace(/\s/g, ''), name: 'Resolvido' })).body;
  classB = (await admin.post('/api/classifications', { code: unique('pend').replace(/\s/g, ''), name: 'Pendente' })).body;
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  supA = await t.login(sup.email, sup.password);
  await t.db.query(
    `INSERT INTO wrapup_fields (service_id, key, label, type, options, position) VALUES
       ($1, 'motivo', 'Motivo', 'select', '["boleto","senha"]', 1), ($1, 'resolvido', 'Resolvido?', 'boolean', null, 2), ($1, 'obs', 'Observação', 'text', null, 3)`,
    [svcA.id],
  );
  const A = { serviceId: svcA.id, channel: 'webchat' };
  const B = { serviceId: svcB.id, channel: 'whatsapp' };
  const done = (s: number, extra: Record<string, unknown> = {}) => ({
    state: 'completed', createdAt: at(s), firstQueuedAt: at(s), firstAssignedAt: at(s + 10), finishedAt: at(s + 300), finishedBy: 'agent', ...extra,
  });
  const gone = (s: number, wait: number, state = 'abandoned') => ({ state, createdAt: at(s), firstQueuedAt: at(s), finishedAt: at(s + wait), finishedBy: 'customer' });
  // service A: three classified and answered, one unanswered, two abandonments (20 s; 90 s ending 23:30 local)
  await insertConversation(t.db, { ...A, ...done(0, { classificationId: classA.id, wrapup: { motivo: 'boleto', resolvido: true, obs: 'pagou ontem' } }) });
  await insertConversation(t.db, { ...A, ...done(60, { classificationId: classA.id, wrapup: { motivo: 'boleto', resolvido: false } }) });
  await insertConversation(t.db, { ...A, ...done(120, { classificationId: classB.id, wrapup: { motivo: 'senha', obs: '' } }) });
  await insertConversation(t.db, { ...A, ...done(180) });
  await insertConversation(t.db, { ...A, ...gone(240, 20) });
  await insertConversation(t.db, { ...A, ...gone(14 * 3600 + 28 * 60, 90) }); // queued 23:28 local, left 23:29:30
  // service B: one classified, three abandonments (5 s: short; 45 s; 700 s), a give-up in the bot, one from the day before
  await insertConversation(t.db, { ...B, ...done(0, { classificationId: classB.id }) });
  await insertConversation(t.db, { ...B, ...gone(10, 5, 'customer_gave_up') });
  await insertConversation(t.db, { ...B, ...gone(20, 45) });
  await insertConversation(t.db, { ...B, ...gone(30, 700) });
  await insertConversation(t.db, { ...B, state: 'customer_gave_up', createdAt: at(40), botStartedAt: at(40), finishedAt: at(100), finishedBy: 'system' });
  await insertConversation(t.db, { ...B, ...gone(-10 * 3600, 60) }); // 23:00 local the day before: outside D
});

const rowsOf = (body: any, service: any) => body.rows.filter((r: any) => r.service === service.name);

describe('4. Classificações', () => {
  it('counts the finished conversations per classification and service, and the wrap-up answers per field', async () => {
    const r = await pt(admin, q('classifications'));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.columns.map((c: any) => c.key)).toEqual(['section', 'service', 'item', 'answer', 'count', 'share']);
    // A finished 6 (2 classA, 1 classB, 3 not classified); B finished 5 (the one of the day before is out)
    expect(rowsOf(r.body, svcA).filter((x: any) => x.section === 'Classificação')).toEqual([
      { section: 'Classificação', service: svcA.name, item: 'Sem classificação', answer: null, count: 3, share: 50 },
      { section: 'Classificação', service: svcA.name, item: `${classA.code} – Resolvido`, answer: null, count: 2, share: 33.33 },
      { section: 'Classificação', service: svcA.name, item: `${classB.code} – Pendente`, answer: null, count: 1, share: 16.67 },
    ]);
    expect(rowsOf(r.body, svcB).filter((x: any) => x.section === 'Classificação').map((x: any) => [x.item, x.count, x.share])).toEqual([
      ['Sem classificação', 4, 80], [`${classB.code} – Pendente`, 1, 20],
    ]);
    // the form, in the fields' order; free text counts as filled in (an empty one does not)
    expect(rowsOf(r.body, svcA).filter((x: any) => x.section === 'Ficha').map((x: any) => [x.item, x.answer, x.count, x.share])).toEqual([
      ['Motivo', 'boleto', 2, 66.67], ['Motivo', 'senha', 1, 33.33],
      ['Resolvido?', 'Não', 1, 50], ['Resolvido?', 'Sim', 1, 50],
      ['Observação', '(preenchido)', 1, 100],
    ]);
    expect(r.body.total).toMatchObject({ count: 11, share: 100 });
    expect(r.body.chart).toBeNull();
    const en = await admin.request('GET', q('classifications'), undefined, { 'accept-language': 'en' });
    expect(en.body.columns[0].label).toBe('Section');
    expect(en.body.rows.find((x: any) => x.service === svcA.name && x.answer === 'Yes')).toMatchObject({ section: 'Wrap-up form', count: 1 });
  });

  it('a supervisor sees only their teams’ services', async () => {
    const r = await pt(supA, q('classifications'));
    expect(r.status).toBe(200);
    expect(new Set(r.body.rows.map((x: any) => x.service))).toEqual(new Set([svcA.name]));
    expect(r.body.total.count).toBe(6);
    expect((await pt(supA, q('classifications', `&serviceId=${svcB.id}`))).body.rows).toEqual([]);
  });

  it('downloads as CSV with the totals as the last row', async () => {
    const r = await pt(admin, q('classifications', `&serviceId=${svcA.id}&format=csv`));
    expect(r.status).toBe(200);
    const table = await parseCsv(String(r.body).replace(/^\uFEFF/, ''));
    expect(table[0]).toEqual(['Seção', 'Serviço', 'Classificação / Campo', 'Resposta', 'Qtd', 'Pct']);
    expect(table).toHaveLength(1 + 3 + 5 + 1);
    expect(table[1].slice(0, 3)).toEqual(['Classificação', svcA.name, 'Sem classificação']);
    expect(table.at(-1)![0]).toBe('Total');
    expect(table.at(-1)![4]).toBe('6');
  });
});

describe('5. Abandono', () => {
  it('per service: offered, abandoned by wait bucket, short apart, rate', async () => {
    const r = await pt(admin, q('abandonment'));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const zero = { w0_30: 0, w30_60: 0, w1_2: 0, w2_5: 0, w5_10: 0, w10: 0 };
    // A: offered 6 (all queued on D), abandoned 2 (20 s, 90 s), none within 10 s
    expect(rowsOf(r.body, svcA)).toEqual([{ service: svcA.name, offered: 6, abandoned: 2, short: 0, ...zero, w0_30: 1, w1_2: 1, rate: 33.33 }]);
    // B: offered 4 (the bot give-up never queued; the day before is out), abandoned 3 (5 s short, 45 s, 700 s)
    expect(rowsOf(r.body, svcB)).toEqual([{ service: svcB.name, offered: 4, abandoned: 3, short: 1, ...zero, w0_30: 1, w30_60: 1, w10: 1, rate: 75 }]);
    expect(r.body.total).toEqual({ service: null, offered: 10, abandoned: 5, short: 1, w0_30: 2, w30_60: 1, w1_2: 1, w2_5: 0, w5_10: 0, w10: 1, rate: 50 });
    expect(r.body.chart).toEqual({ type: 'stacked-bar', category: 'service', series: ['w0_30', 'w30_60', 'w1_2', 'w2_5', 'w5_10', 'w10'] });
    // the day before holds its own abandonment
    const before = await admin.get('/api/reports/abandonment?from=2026-03-09&to=2026-03-09');
    expect(rowsOf(before.body, svcB)).toMatchObject([{ offered: 1, abandoned: 1, w1_2: 1 }]);
  });

  it('downloads as XLSX (numbers as numbers, the totals last), audited', async () => {
    const res = await fetch(`${t.url}${q('abandonment', '&format=xlsx')}`, { headers: { cookie: admin.cookie, 'accept-language': 'pt-BR' } });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    book.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['Serviço', 'Ofertados', 'Abandonos', 'Abandono curto', '0–30 s', '30–60 s', '1–2 min', '2–5 min', '5–10 min', '> 10 min', 'Taxa de abandono']);
    expect(rows.find((r) => r[0] === svcB.name)).toEqual([svcB.name, 4, 3, 1, 1, 1, 0, 0, 0, 1, 75]);
    expect(rows.at(-1)).toEqual(['Total', 10, 5, 1, 2, 1, 1, 0, 0, 1, 50]);
    const audit = await t.db.query<{ after: any }>(`SELECT after FROM audit_log WHERE action = 'export' AND entity = 'report' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0].after).toMatchObject({ format: 'xlsx' });
    expect(JSON.stringify(audit.rows[0].after)).toContain('abandonment');
  });

  it('the short-abandon limit is the setting', async () => {
    expect((await admin.patch('/api/settings', { shortAbandonSeconds: 30 })).status).toBe(200);
    try {
      const r = await pt(admin, q('abandonment'));
      expect(r.body.total.short).toBe(2); // 5 s and 20 s
    } finally {
      await admin.patch('/api/settings', { shortAbandonSeconds: 10 });
    }
  });

  it('scope and filters: a supervisor sees service A only; the channel filter', async () => {
    const sup = await pt(supA, q('abandonment'));
    expect(sup.body.rows.map((x: any) => x.service)).toEqual([svcA.name]);
    const wa = await pt(admin, q('abandonment', '&channel=whatsapp'));
    expect(wa.body.rows.every((x: any) => x.service !== svcA.name)).toBe(true);
  });

  it('a randomized day of queue traffic matches a plain fold over the rows', async () => {
    const team = await createTeam(admin);
    const svcs = [await createService(admin, { channel: 'telegram', teamIds: [team.id] }), await createService(admin, { channel: 'sms', teamIds: [team.id] })];
    const day = '2026-04-02';
    const start = Date.parse(`${day}T03:00:00Z`);
    const rnd = seeded(20260402);
    const raw: { service: string; queued: number; finished: number; abandoned: boolean }[] = [];
    for (let i = 0; i < 120; i++) {
      const s = rnd.pick(svcs);
      const queued = start + rnd.int(-3600, 86_400 + 1800) * 1000; // some the day before, some after
      const wait = rnd.pick([2, 9, 10, 11, 29, 30, 59, 60, 61, 119, 120, 299, 300, 599, 600, 601, 3000]) * 1000;
      const abandoned = rnd.next() < 0.6;
      raw.push({ service: s.id, queued, finished: queued + wait, abandoned });
      await insertConversation(t.db, {
        serviceId: s.id, channel: s.channel, state: abandoned ? rnd.pick(['abandoned', 'customer_gave_up']) : 'completed', createdAt: new Date(queued),
        firstQueuedAt: new Date(queued), firstAssignedAt: abandoned ? null : new Date(queued + wait), finishedAt: new Date(queued + wait + (abandoned ? 0 : 60_000)),
      });
    }
    const end = start + 86_400_000;
    const inDay = (x: number) => x >= start && x < end;
    const bounds = [[0, 30], [30, 60], [60, 120], [120, 300], [300, 600], [600, Infinity]];
    const r = await admin.get(`/api/reports/abandonment?from=${day}&to=${day}&teamId=${team.id}`);
    expect(r.status).toBe(200);
    for (const s of svcs) {
      const mine = raw.filter((x) => x.service === s.id);
      const gone = mine.filter((x) => x.abandoned && inDay(x.finished));
      const waits = gone.map((x) => (x.finished - x.queued) / 1000);
      const offered = mine.filter((x) => inDay(x.queued)).length;
      const expected = {
        service: s.name, offered, abandoned: gone.length, short: waits.filter((w) => w <= 10).length,
        ...Object.fromEntries(['w0_30', 'w30_60', 'w1_2', 'w2_5', 'w5_10', 'w10'].map((k, i) => [k, waits.filter((w) => w >= bounds[i][0] && w < bounds[i][1]).length])),
        rate: offered ? Math.round((gone.length * 10_000) / offered) / 100 : 0,
      };
      expect(rowsOf(r.body, s)).toEqual(gone.length || offered ? [expected] : []);
    }
    expect(r.body.total.abandoned).toBe(raw.filter((x) => x.abandoned && inDay(x.finished)).length);
  });
});

describe('the catalogue', () => {
  it('lists reports 4–9 in their order, with the filters that apply, in the language asked', async () => {
    const r = await pt(admin, '/api/reports');
    expect(r.status).toBe(200);
    const mine = r.body.filter((x: any) => ['classifications', 'abandonment', 'bot', 'email', 'sessions', 'outbound'].includes(x.id));
    expect(mine.map((x: any) => [x.id, x.title, x.usesInterval, x.filters])).toEqual([
      ['classifications', 'Classificações', false, ['serviceId', 'channel', 'teamId', 'agentId']],
      ['abandonment', 'Abandono', false, ['serviceId', 'channel', 'teamId']],
      ['bot', 'Pré-atendimento (bot)', false, ['serviceId', 'channel', 'teamId']],
      ['email', 'E-mail', false, ['serviceId', 'teamId', 'agentId']],
      ['sessions', 'Sessões de agentes', false, ['teamId', 'agentId']],
      ['outbound', 'Mensagens ativas', true, ['serviceId', 'channel', 'teamId', 'agentId']],
    ]);
    expect((await admin.get('/api/reports')).body.find((x: any) => x.id === 'sessions').title).toBe('Agent sessions');
  });
});

describe('bad filters answer 400 naming the field', () => {
  it.each([
    ['/api/reports/abandonment?from=2026-03-10&to=2026-03-01', 'to'],
    ['/api/reports/classifications?unknown=1', 'unknown'],
    ['/api/reports/abandonment?channel=fax', 'channel'],
    ['/api/reports/classifications?serviceId=nope', 'serviceId'],
    ['/api/reports/classifications?interval=2h', 'interval'],
  ])('%s', async (path, field) => {
    const r = await admin.get(path);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(field);
  });

  it('an unknown report does not exist (404)', async () => {
    const r = await admin.request('GET', '/api/reports/nope', undefined, { 'accept-language': 'pt-BR' });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not_found', message: 'Relatório nope não encontrado' });
  });
});
