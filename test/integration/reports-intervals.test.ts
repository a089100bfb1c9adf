import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, hms } from '../support/csv.js';
import { randomTraffic } from '../support/indicators-fold.js';
import { insertConversation, newContact, sp } from '../support/report-traffic.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Relatórios 1, Atendimentos por intervalo, through the HTTP API: a scripted day whose figures are
// worked out by hand below (15-minute buckets, a conversation crossing midnight in São Paulo, one
// from the evening before that UTC would put in the day), scope, filters, bad queries, CSV and XLSX
// read back, and a randomized week against a plain TypeScript fold of the raw rows.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-03-10';
const NEXT = '2026-03-11';
let chatA: any;
let waB: any;
let teamA: any;
let sup: Client;

beforeAll(async () => {
  teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  waB = await createService(admin, { channel: 'whatsapp', teamIds: [teamB.id] });
  const s = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  sup = await t.login(s.email, s.password);
  const contact = await newContact(t.db);
  const a = { serviceId: chatA.id, channel: 'webchat' };
  const add = (r: Parameters<typeof insertConversation>[2]) => insertConversation(t.db, contact, r);
  // c0: 22:00 on the 9th in São Paulo (01:00Z on the 10th): not the 10th's
  await add({ ...a, state: 'abandoned', firstQueuedAt: sp('2026-03-09 22:00:00'), finishedAt: sp('2026-03-09 22:00:30') });
  // c1: waits 30 s (within the 60 s target), first reply 20 s later, handled 600 s
  await add({ ...a, state: 'completed', firstQueuedAt: sp(`${D} 09:00:00`), firstAssignedAt: sp(`${D} 09:00:30`), firstAgentMessageAt: sp(`${D} 09:00:50`), finishedAt: sp(`${D} 09:10:30`) });
  // c2: waits 120 s (over the target), first reply at 09:16 (540 s), ends at 09:20 (780 s)
  await add({ ...a, state: 'completed', firstQueuedAt: sp(`${D} 09:05:00`), firstAssignedAt: sp(`${D} 09:07:00`), firstAgentMessageAt: sp(`${D} 09:16:00`), finishedAt: sp(`${D} 09:20:00`) });
  // c3: leaves after 5 s (a short abandon); c4: gives up after 120 s, in the next bucket
  await add({ ...a, state: 'abandoned', firstQueuedAt: sp(`${D} 09:08:00`), finishedAt: sp(`${D} 09:08:05`) });
  await add({ ...a, state: 'customer_gave_up', firstQueuedAt: sp(`${D} 09:14:00`), finishedAt: sp(`${D} 09:16:00`) });
  // c5 (WhatsApp): queued 23:50, answered in 40 s, replied in 20 s, ended 00:05 the next day (860 s)
  await add({ serviceId: waB.id, channel: 'whatsapp', state: 'completed', firstQueuedAt: sp(`${D} 23:50:00`), firstAssignedAt: sp(`${D} 23:50:40`),
    firstAgentMessageAt: sp(`${D} 23:51:00`), finishedAt: sp(`${NEXT} 00:05:00`) });
});

const get = (c: Client, qs: string) => c.get(`/api/reports/intervals?${qs}`);
const pick = (row: any) => ({
  offered: row.offered, answered: row.answered, abandoned: row.abandoned, short_abandoned: row.short_abandoned, service_level: row.service_level,
  tme: row.tme, tma: row.tma, tpr: row.tpr, longest_wait: row.longest_wait,
});
const find = (rows: any[], interval: string, service: any) => rows.find((r) => r.interval === interval && r.service === service.name);

describe('a scripted day, worked out by hand', () => {
  it('15-minute buckets: a row per bucket × service that had traffic, the figures of each, the totals from the raw rows; the chart every bucket', async () => {
    const r = await get(admin, `from=${D}&to=${D}&interval=15m`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.interval).toBe('15m');
    expect(r.body.columns.map((c: any) => c.key)).toEqual(['interval', 'service', 'channel', 'offered', 'answered', 'abandoned', 'short_abandoned', 'service_level', 'tme', 'tma', 'tpr', 'longest_wait']);
    // chatA at 09:00 and 09:15, waB at 23:45: the buckets and services with traffic only
    expect(r.body.rows.map((x: any) => `${x.interval} ${x.service}`)).toEqual([`${D} 09:00:00 ${chatA.name}`, `${D} 09:15:00 ${chatA.name}`, `${D} 23:45:00 ${waB.name}`]);
    expect(r.body.rowCount).toBe(3);
    expect(r.body.notes).toEqual([]);
    // 09:00: c1..c4 offered; c1, c2 answered (one within 60 s); c3 a short abandon; NS 1 ÷ (2 + 1 − 1); TME (30 + 120) ÷ 2; TMA c1's 600; TPR c1's 20; longest c2's 120
    expect(pick(find(r.body.rows, `${D} 09:00:00`, chatA))).toEqual({
      offered: 4, answered: 2, abandoned: 1, short_abandoned: 1, service_level: 50, tme: 75, tma: 600, tpr: 20, longest_wait: 120,
    });
    // 09:15: c4 gave up (120 s, not short): NS 0 ÷ 1; c2 ended (780 s) and got its first reply (540 s)
    expect(pick(find(r.body.rows, `${D} 09:15:00`, chatA))).toEqual({
      offered: 0, answered: 0, abandoned: 1, short_abandoned: 0, service_level: 0, tme: null, tma: 780, tpr: 540, longest_wait: 120,
    });
    // c5 before midnight: its end falls on the next day
    expect(pick(find(r.body.rows, `${D} 23:45:00`, waB))).toEqual({
      offered: 1, answered: 1, abandoned: 0, short_abandoned: 0, service_level: 100, tme: 40, tma: null, tpr: 20, longest_wait: 40,
    });
    expect(find(r.body.rows, `${D} 23:45:00`, waB).channel).toBe('WhatsApp');
    // c0 (the evening before) counts nowhere: 22:00 on the 10th is empty
    expect(find(r.body.rows, `${D} 22:00:00`, chatA)).toBeUndefined();
    // totals: 5 offered, 3 answered (c1, c5 within target), 2 abandoned (1 short): NS 2 ÷ 4; TME 190 ÷ 3; TMA 1380 ÷ 2; TPR 580 ÷ 3
    expect(r.body.total).toEqual({
      interval: null, service: null, channel: null,
      offered: 5, answered: 3, abandoned: 2, short_abandoned: 1, service_level: 50, tme: 63, tma: 690, tpr: 193, longest_wait: 120,
    });
    // the chart: every bucket of the day over the selection, the empty ones as zeros
    const { points, ...chart } = r.body.chart;
    expect(chart).toEqual({ type: 'line', category: 'interval', series: ['offered', 'answered', 'abandoned'] });
    expect(points).toHaveLength(96);
    expect(points[0]).toEqual({ interval: `${D} 00:00:00`, offered: 0, answered: 0, abandoned: 0 });
    expect(points.find((x: any) => x.interval === `${D} 09:00:00`)).toEqual({ interval: `${D} 09:00:00`, offered: 4, answered: 2, abandoned: 1 });
    expect(points.find((x: any) => x.interval === `${D} 23:45:00`)).toEqual({ interval: `${D} 23:45:00`, offered: 1, answered: 1, abandoned: 0 });
  });

  it('a service asked: every bucket of its channels, the empty ones as zeros', async () => {
    const r = await get(admin, `from=${D}&to=${D}&interval=15m&serviceId=${chatA.id}`);
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(96);
    expect(r.body.rows[0].interval).toBe(`${D} 00:00:00`);
    expect(pick(find(r.body.rows, `${D} 10:00:00`, chatA))).toEqual({
      offered: 0, answered: 0, abandoned: 0, short_abandoned: 0, service_level: null, tme: null, tma: null, tpr: null, longest_wait: null,
    });
    expect(find(r.body.rows, `${D} 22:00:00`, chatA).offered).toBe(0);
    expect(pick(find(r.body.rows, `${D} 09:00:00`, chatA))).toMatchObject({ offered: 4, answered: 2, abandoned: 1 });
    expect(r.body.chart.points).toHaveLength(96);
  });

  it('by hour and by day, the next day holds c5’s end', async () => {
    const h = await get(admin, `from=${D}&to=${D}&interval=hour`);
    expect(h.body.rows).toHaveLength(2);
    expect(h.body.chart.points).toHaveLength(24);
    expect(pick(find(h.body.rows, `${D} 09:00:00`, chatA))).toEqual({
      offered: 4, answered: 2, abandoned: 2, short_abandoned: 1, service_level: 33.33, tme: 75, tma: 690, tpr: 280, longest_wait: 120,
    });
    const d = await get(admin, `from=${D}&to=${NEXT}&interval=day`);
    expect(d.body.rows).toHaveLength(3);
    expect(find(d.body.rows, `${NEXT} 00:00:00`, chatA)).toBeUndefined();
    expect(pick(find(d.body.rows, `${NEXT} 00:00:00`, waB))).toMatchObject({ offered: 0, answered: 0, tma: 860 });
    expect(find(d.body.rows, `${D} 00:00:00`, chatA).offered).toBe(4);
    // the default for a longer period is a day
    expect((await get(admin, `from=${D}&to=${NEXT}`)).body.interval).toBe('day');
  });

  it('a supervisor sees only their teams’ services; filters narrow', async () => {
    const r = await get(sup, `from=${D}&to=${D}&interval=hour`);
    expect(r.status).toBe(200);
    expect(new Set(r.body.rows.map((x: any) => x.service))).toEqual(new Set([chatA.name]));
    expect(r.body.total.offered).toBe(4);
    // asking for a service outside the scope shows nothing of it
    const other = await get(sup, `from=${D}&to=${D}&serviceId=${waB.id}`);
    expect(other.body.rows).toHaveLength(0);
    expect(other.body.total.offered).toBe(0);
    const wa = await get(admin, `from=${D}&to=${D}&channel=whatsapp`);
    expect(new Set(wa.body.rows.map((x: any) => x.service))).toEqual(new Set([waB.name]));
    expect((await get(admin, `from=${D}&to=${D}&teamId=${teamA.id}`)).body.total.offered).toBe(4);
    expect((await get(admin, `from=${D}&to=${D}&serviceId=${waB.id}`)).body.total.answered).toBe(1);
  });

  it('bad queries are 400 naming the field; an unknown report is 404; an agent may not read reports', async () => {
    const unknown = await get(admin, `from=${D}&to=${D}&colour=red`);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('colour');
    const interval = await get(admin, `from=${D}&to=${D}&interval=7m`);
    expect(interval.status).toBe(400);
    expect(JSON.stringify(interval.body)).toContain('interval');
    const half = await get(admin, `from=${D}`);
    expect(half.status).toBe(400);
    expect(JSON.stringify(half.body)).toContain('to');
    expect((await get(admin, `from=${NEXT}&to=${D}`)).status).toBe(400);
    // a year of 15-minute intervals is too many (35,040): 400 naming the interval; a year by day is fine
    const year = await get(admin, 'from=2026-01-01&to=2026-12-31&interval=15m');
    expect(year.status).toBe(400);
    expect(JSON.stringify(year.body)).toContain('interval');
    expect((await get(admin, 'from=2026-01-01&to=2026-12-31&interval=day')).status).toBe(200);
    expect((await admin.get(`/api/reports/nope?from=${D}&to=${D}`)).status).toBe(404);
    const agent = await createUser(admin, { agentEnabled: true });
    expect((await (await t.login(agent.email, agent.password)).get(`/api/reports/intervals`)).status).toBe(403);
  });

  it('the catalogue lists the report with its filters', async () => {
    const r = await admin.request('GET', '/api/reports', undefined, { 'accept-language': 'pt-BR' });
    expect(r.status).toBe(200);
    expect(r.body.find((x: any) => x.id === 'intervals')).toMatchObject({ title: 'Atendimentos por intervalo', usesInterval: true, filters: ['serviceId', 'channel', 'teamId', 'agentId'] });
  });
});

describe('downloads', () => {
  const download = (path: string, lang: string) => fetch(`${t.url}${path}`, { headers: { cookie: admin.cookie, 'accept-language': lang } });

  it('CSV in Portuguese: local dates, durations HH:MM:SS, decimal comma, totals last, audited', async () => {
    const res = await download(`/api/reports/intervals?from=${D}&to=${D}&interval=hour&format=csv`, 'pt-BR');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`relatorio-intervals_${D}.csv`);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
    const table = await parseCsv(text.slice(1));
    expect(table[0]).toEqual(['Intervalo', 'Serviço', 'Canal', 'Ofertados', 'Atendidos', 'Abandonados', 'Abandono curto', 'NS (%)', 'TME', 'TMA', 'TPR', 'Maior espera']);
    expect(table).toContainEqual(['10/03/2026 09:00:00', chatA.name, 'WebChat', '4', '2', '2', '1', '33,33', hms(75), hms(690), hms(280), hms(120)]);
    expect(table.at(-1)).toEqual(['Total', '', '', '5', '3', '2', '1', '50', hms(63), hms(690), hms(193), hms(120)]);
    // the header, chatA's 09:00 and waB's 23:00, the totals
    expect(table).toHaveLength(1 + 2 + 1);
    let audit: any;
    for (let i = 0; i < 60 && !audit; i++) {
      audit = (await t.db.query(`SELECT after FROM audit_log WHERE action = 'export' AND entity = 'report' ORDER BY id DESC LIMIT 1`)).rows[0];
      if (!audit) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit.after).toMatchObject({ format: 'csv', rows: 3, complete: true, filters: { report: 'intervals', from: D, to: D, interval: 'hour' } });
  });

  it('XLSX in English: the interval a date cell, durations day fractions', async () => {
    const res = await download(`/api/reports/intervals?from=${D}&to=${D}&interval=hour&serviceId=${chatA.id}&format=xlsx`, 'en');
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    book.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0].slice(0, 5)).toEqual(['Interval', 'Service', 'Channel', 'Offered', 'Answered']);
    const nine = rows.find((r) => r[0] instanceof Date && (r[0] as Date).toISOString() === `${D}T09:00:00.000Z`)!;
    const secs = (v: unknown) => Math.round(((v instanceof Date ? v.getTime() - Date.UTC(1899, 11, 30) : (v as number) * 86_400_000)) / 1000);
    expect(nine.slice(1, 8)).toEqual([chatA.name, 'WebChat', 4, 2, 2, 1, 33.33]);
    expect(nine.slice(8).map(secs)).toEqual([75, 690, 280, 120]);
    expect(rows.at(-1)![0]).toBe('Total');
  });
});

// --- randomized: the API against a plain fold ------------------------------------------------------

const SP_MS = 3 * 3600_000;
const hourOf = (d: Date) => new Date(d.getTime() - SP_MS).toISOString().slice(0, 13).replace('T', ' ') + ':00:00';

interface Acc { offered: number; answered: number; inTarget: number; waits: number[]; abandoned: number; short: number; handles: number[]; firsts: number[]; longest: number | null }
const acc = (): Acc => ({ offered: 0, answered: 0, inTarget: 0, waits: [], abandoned: 0, short: 0, handles: [], firsts: [], longest: null });
const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, x) => a + x, 0) / xs.length) : null);
const out = (a: Acc) => {
  const base = a.answered + a.abandoned - a.short;
  return {
    offered: a.offered, answered: a.answered, abandoned: a.abandoned, short_abandoned: a.short,
    service_level: base > 0 ? Math.round((a.inTarget * 10_000) / base) / 100 : null,
    tme: mean(a.waits), tma: mean(a.handles), tpr: mean(a.firsts), longest_wait: a.longest,
  };
};

describe('a randomized week against a fold of the raw rows', () => {
  it('every bucket × service with traffic, the chart’s points and the totals equal the fold (admin, and one service)', async () => {
    const FROM = '2026-06-01';
    const TO = '2026-06-03';
    const contact = await newContact(t.db);
    const raw = randomTraffic(20260601, 300, {
      services: [chatA, waB].map((s) => ({ id: s.id, channel: s.channel })), agents: [], classifications: [],
      start: Date.parse('2026-05-31T12:00:00Z'), days: 4,
    });
    const rows = raw.map((r, i) => ({ ...r, firstAgentMessageAt: r.firstAssignedAt && i % 3 ? new Date(r.firstAssignedAt.getTime() + ((i * 37) % 400) * 1000) : null }));
    for (const r of rows) {
      await insertConversation(t.db, contact, {
        serviceId: r.serviceId, channel: r.channel, state: r.state, firstQueuedAt: r.firstQueuedAt, firstAssignedAt: r.firstAssignedAt,
        assignedAt: r.assignedAt, firstAgentMessageAt: r.firstAgentMessageAt, finishedAt: r.finishedAt,
      });
    }
    const start = sp(`${FROM} 00:00:00`).getTime();
    const end = sp('2026-06-04 00:00:00').getTime();
    const inP = (d: Date | null): d is Date => !!d && d.getTime() >= start && d.getTime() < end;
    for (const only of [undefined, waB.id]) {
      const cells = new Map<string, Acc>();
      const total = acc();
      const cell = (d: Date, s: string) => {
        const k = `${hourOf(d)}|${s}`;
        return cells.get(k) ?? cells.set(k, acc()).get(k)!;
      };
      for (const r of rows) {
        if (only && r.serviceId !== only) continue;
        const s = r.serviceId;
        if (inP(r.firstQueuedAt)) for (const a of [cell(r.firstQueuedAt, s), total]) a.offered++;
        if (inP(r.firstAssignedAt)) {
          const w = (r.firstAssignedAt.getTime() - (r.firstQueuedAt ?? r.firstAssignedAt).getTime()) / 1000;
          for (const a of [cell(r.firstAssignedAt, s), total]) {
            a.answered++;
            a.waits.push(w);
            if (w <= 60) a.inTarget++;
            a.longest = Math.max(a.longest ?? 0, w);
          }
        }
        if (inP(r.finishedAt)) {
          const gaveUp = ['abandoned', 'customer_gave_up'].includes(r.state) && r.firstQueuedAt && !r.firstAssignedAt;
          for (const a of [cell(r.finishedAt, s), total]) {
            if (r.firstAssignedAt) a.handles.push((r.finishedAt.getTime() - r.firstAssignedAt.getTime()) / 1000);
            if (gaveUp) {
              const w = (r.finishedAt.getTime() - r.firstQueuedAt!.getTime()) / 1000;
              a.abandoned++;
              if (w <= 10) a.short++;
              a.longest = Math.max(a.longest ?? 0, w);
            }
          }
        }
        if (inP(r.firstAgentMessageAt)) for (const a of [cell(r.firstAgentMessageAt, s), total]) a.firsts.push((r.firstAgentMessageAt.getTime() - r.firstAssignedAt!.getTime()) / 1000);
      }
      const r = await get(admin, `from=${FROM}&to=${TO}&interval=hour${only ? `&serviceId=${only}` : ''}`);
      expect(r.status).toBe(200);
      expect(total.offered).toBeGreaterThan(only ? 20 : 60);
      expect(pick(r.body.total)).toEqual(out(total));
      const names = new Map([[chatA.name, chatA.id], [waB.name, waB.id]]);
      for (const row of r.body.rows) {
        const want = cells.get(`${row.interval}|${names.get(row.service)}`);
        expect(pick(row), `${row.interval} ${row.service}`).toEqual(out(want ?? acc()));
      }
      // every cell of the fold that counts something is in the answer; with a service asked, every hour
      const empty = JSON.stringify(out(acc()));
      const counted = [...cells].filter(([, a]) => JSON.stringify(out(a)) !== empty).map(([k]) => k);
      const got = new Set(r.body.rows.map((x: any) => `${x.interval}|${names.get(x.service)}`));
      for (const k of counted) expect(got.has(k), k).toBe(true);
      expect(r.body.rows.length).toBe(only ? 72 : counted.length);
      // the chart: each hour's offered, answered and abandoned over the selection
      expect(r.body.chart.points).toHaveLength(72);
      for (const pt of r.body.chart.points) {
        const inHour = [...cells].filter(([k]) => k.startsWith(`${pt.interval}|`)).map(([, a]) => a);
        const sum = (f: (a: Acc) => number) => inHour.reduce((n, a) => n + f(a), 0);
        expect(pt, pt.interval).toEqual({ interval: pt.interval, offered: sum((a) => a.offered), answered: sum((a) => a.answered), abandoned: sum((a) => a.abandoned) });
      }
    }
  });
});
