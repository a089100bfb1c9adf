import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, hms } from '../support/csv.js';
import { insertAgentState, insertConversation, insertHistory, insertMessage, newContact, sp } from '../support/report-traffic.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Relatórios 2 and 3, Produtividade por agente and Pausas, through the HTTP API, on a scripted day
// whose state history, messages and transfers are written with chosen instants; every figure below is
// worked out by hand from them (times cut to the day in São Paulo, a pause across midnight, a state
// still open "now").

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-03-10';
const NEXT = '2026-03-11';
const at = (hm: string, day = D) => sp(`${day} ${hm}`);
let a1: any;
let a2: any;
let b1: any;
let teamB: any;
let sup: Client;
let lunch: string;
let toilet: string;

beforeAll(async () => {
  t.clock.set(at('02:00:00', NEXT));
  const teamA = await createTeam(admin);
  teamB = await createTeam(admin);
  const chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  const chatB = await createService(admin, { channel: 'webchat', teamIds: [teamB.id] });
  a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id], name: 'Ana Teste' });
  a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id], name: 'Bruno Teste' });
  b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id], name: 'Carla Teste' });
  const s = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  sup = await t.login(s.email, s.password);
  const reasons = (await t.db.query<{ id: string; name: string }>(`SELECT id, name FROM pause_reasons`)).rows;
  lunch = reasons.find((r) => r.name === 'Almoço')!.id;
  toilet = reasons.find((r) => r.name === 'Banheiro')!.id;
  const db = t.db;

  // a1: available 23:00 (the 9th) → 00:30 (1800 s of the 10th), offline, available 08–09 (3600), in service 09–10 (3600),
  // lunch 10:00–10:30 (1800), toilet 10:30–10:40 (600), in service 10:40–12:00 (4800), then offline still
  await insertAgentState(db, a1.id, 'available', sp('2026-03-09 23:00:00'), at('00:30:00'));
  await insertAgentState(db, a1.id, 'offline', at('00:30:00'), at('08:00:00'));
  await insertAgentState(db, a1.id, 'available', at('08:00:00'), at('09:00:00'));
  await insertAgentState(db, a1.id, 'in_service', at('09:00:00'), at('10:00:00'));
  await insertAgentState(db, a1.id, 'paused', at('10:00:00'), at('10:30:00'), lunch);
  await insertAgentState(db, a1.id, 'paused', at('10:30:00'), at('10:40:00'), toilet);
  await insertAgentState(db, a1.id, 'in_service', at('10:40:00'), at('12:00:00'));
  await insertAgentState(db, a1.id, 'offline', at('12:00:00'), null);
  // a2: lunch 20–21 (3600), available 21–23 (7200), in service from 23:00, still open now (3600 of the 10th)
  await insertAgentState(db, a2.id, 'paused', at('20:00:00'), at('21:00:00'), lunch);
  await insertAgentState(db, a2.id, 'available', at('21:00:00'), at('23:00:00'));
  await insertAgentState(db, a2.id, 'in_service', at('23:00:00'), null);
  // b1: available 09–10 (3600), toilet 10:00–10:15 (900), lunch 23:30 → 00:30 the next day (1800 of each day)
  await insertAgentState(db, b1.id, 'available', at('09:00:00'), at('10:00:00'));
  await insertAgentState(db, b1.id, 'paused', at('10:00:00'), at('10:15:00'), toilet);
  await insertAgentState(db, b1.id, 'paused', at('23:30:00'), at('00:30:00', NEXT), lunch);

  const contact = await newContact(db);
  const A = { serviceId: chatA.id, channel: 'webchat' };
  // k1 (a1, 09:00–09:20, 1200 s): replies 40 s (the customer wrote in the queue: timed from the assignment), 60 s, 20 s
  const k1 = await insertConversation(db, contact, { ...A, state: 'completed', agentId: a1.id, firstQueuedAt: at('08:58:00'), firstAssignedAt: at('09:00:00'), finishedAt: at('09:20:00') });
  await insertMessage(db, k1, 'customer', at('08:59:00'));
  await insertMessage(db, k1, 'agent', at('09:00:40'), a1.id);
  await insertMessage(db, k1, 'customer', at('09:05:00'));
  await insertMessage(db, k1, 'customer', at('09:05:30'));
  await insertMessage(db, k1, 'agent', at('09:06:00'), a1.id);
  await insertMessage(db, k1, 'agent', at('09:06:10'), a1.id);
  await insertMessage(db, k1, 'customer', at('09:10:00'));
  await insertMessage(db, k1, 'agent', at('09:10:20'), a1.id);
  // k2: a1 from 09:30, transferred to a2 at 09:40, a2 ends it at 10:00 (a2's 1200 s); a1 replied in 30 s, a2 in 60 s
  const k2 = await insertConversation(db, contact, {
    ...A, state: 'completed', agentId: a2.id, firstQueuedAt: at('09:29:00'), firstAssignedAt: at('09:30:00'), assignedAt: at('09:40:00'), finishedAt: at('10:00:00'),
  });
  await insertHistory(db, k2, chatA.id, 'in_service', a1.id, 'assigned', at('09:30:00'), at('09:40:00'));
  await insertHistory(db, k2, chatA.id, 'in_service', a2.id, 'transferred', at('09:40:00'), at('10:00:00'));
  await insertMessage(db, k2, 'customer', at('09:31:00'));
  await insertMessage(db, k2, 'agent', at('09:31:30'), a1.id);
  await insertMessage(db, k2, 'customer', at('09:41:00'));
  await insertMessage(db, k2, 'agent', at('09:42:00'), a2.id);
  // k3: a1 from 10:45 sends it back to the queue at 11:00 (a transfer made, received by nobody); it is abandoned at 11:05
  const k3 = await insertConversation(db, contact, { ...A, state: 'abandoned', firstQueuedAt: at('10:44:00'), firstAssignedAt: at('10:45:00'), queuedAt: at('11:00:00'), finishedAt: at('11:05:00') });
  await insertHistory(db, k3, chatA.id, 'in_service', a1.id, 'assigned', at('10:45:00'), at('11:00:00'));
  await insertHistory(db, k3, chatA.id, 'queued', null, 'transferred', at('11:00:00'), at('11:05:00'));
  // k4 (b1 on chatB, 09:10–09:40, 1800 s): one reply in 120 s
  const k4 = await insertConversation(db, contact, { serviceId: chatB.id, channel: 'webchat', state: 'completed', agentId: b1.id, firstQueuedAt: at('09:09:00'), firstAssignedAt: at('09:10:00'), finishedAt: at('09:40:00') });
  await insertMessage(db, k4, 'customer', at('09:10:00'));
  await insertMessage(db, k4, 'agent', at('09:12:00'), b1.id);
  // k5 (a1) ends the next day: not the 10th's
  await insertConversation(db, contact, { ...A, state: 'completed', agentId: a1.id, firstQueuedAt: at('23:50:00'), firstAssignedAt: at('23:55:00'), finishedAt: at('00:10:00', NEXT) });
});

const report = (c: Client, id: string, qs: string, lang = 'en') => c.request('GET', `/api/reports/${id}?${qs}`, undefined, { 'accept-language': lang });
const FIXED = ['answered', 'tma', 'tmr', 'occupancy', 'logged', 'in_service', 'paused'] as const;
const figures = (row: any) => ({
  ...Object.fromEntries(FIXED.map((k) => [k, row[k]])), lunch: row[`pause_${lunch}`], toilet: row[`pause_${toilet}`], made: row.transfers_made, received: row.transfers_received,
});

describe('Produtividade por agente', () => {
  it('the figures of each agent and the totals, worked out by hand', async () => {
    const r = await report(admin, 'agents', `from=${D}&to=${D}`, 'pt-BR');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const keys = r.body.columns.map((c: any) => c.key);
    expect(keys.slice(0, 8)).toEqual(['agent', 'answered', 'tma', 'tmr', 'occupancy', 'logged', 'in_service', 'paused']);
    expect(keys.slice(-2)).toEqual(['transfers_made', 'transfers_received']);
    // one column per active pause reason (the six of the seed), named in the request's language
    expect(r.body.columns.find((c: any) => c.key === `pause_${lunch}`).label).toBe('Pausa: Almoço');
    expect(keys.filter((k: string) => k.startsWith('pause_'))).toHaveLength(6);
    expect(r.body.rows.map((x: any) => x.agent)).toEqual(['Ana Teste', 'Bruno Teste', 'Carla Teste']);
    const [ra1, ra2, rb1] = r.body.rows;
    // a1: k1 (1200 s); replies 40, 60, 20 (k1) and 30 (k2): 37.5 → 38; in service 8400 ÷ (8400 + 5400 available); made k2 and k3
    expect(figures(ra1)).toEqual({ answered: 1, tma: 1200, tmr: 38, occupancy: 60.87, logged: 16200, in_service: 8400, paused: 2400, lunch: 1800, toilet: 600, made: 2, received: 0 });
    // a2: k2 from its transfer (1200 s), one reply of 60 s; 3600 ÷ (3600 + 7200); the open row cut at midnight
    expect(figures(ra2)).toEqual({ answered: 1, tma: 1200, tmr: 60, occupancy: 33.33, logged: 14400, in_service: 3600, paused: 3600, lunch: 3600, toilet: 0, made: 0, received: 1 });
    // b1: k4 (1800 s), a reply of 120 s; never in service (the conversations written here have no state rows of b1's)
    expect(figures(rb1)).toEqual({ answered: 1, tma: 1800, tmr: 120, occupancy: 0, logged: 6300, in_service: 0, paused: 2700, lunch: 1800, toilet: 900, made: 0, received: 0 });
    // totals from the raw rows: TMA 4200 ÷ 3, TMR 330 ÷ 6, occupancy 12000 ÷ (12000 + 16200)
    expect(figures(r.body.total)).toEqual({ answered: 3, tma: 1400, tmr: 55, occupancy: 42.55, logged: 36900, in_service: 12000, paused: 8700, lunch: 7200, toilet: 1500, made: 2, received: 1 });
    expect(r.body.total.agent).toBeNull();
  });

  it('a supervisor sees only their teams’ agents; team and agent filters choose agents', async () => {
    const r = await report(sup, 'agents', `from=${D}&to=${D}`);
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x: any) => x.agent)).toEqual(['Ana Teste', 'Bruno Teste']);
    expect(r.body.total.answered).toBe(2);
    expect(r.body.total.logged).toBe(30600);
    const only = await report(admin, 'agents', `from=${D}&to=${D}&agentId=${a2.id}`);
    expect(only.body.rows.map((x: any) => x.agent)).toEqual(['Bruno Teste']);
    // a1's transfer to a2 is a2's received; a1 is not in the report, so no transfer made counts
    expect(figures(only.body.total)).toMatchObject({ answered: 1, made: 0, received: 1 });
    const team = await report(admin, 'agents', `from=${D}&to=${D}&teamId=${teamB.id}`);
    expect(team.body.rows.map((x: any) => x.agent)).toEqual(['Carla Teste']);
    // a supervisor asking for an agent outside their teams gets nothing
    expect((await report(sup, 'agents', `from=${D}&to=${D}&agentId=${b1.id}`)).body.rows).toHaveLength(0);
  });

  it('as CSV, the pause columns named, durations HH:MM:SS, the totals row', async () => {
    const res = await fetch(`${t.url}/api/reports/agents?from=${D}&to=${D}&format=csv`, { headers: { cookie: admin.cookie, 'accept-language': 'pt-BR' } });
    expect(res.status).toBe(200);
    const table = await parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer())).slice(1));
    const lunchAt = table[0].indexOf('Pausa: Almoço');
    expect(lunchAt).toBeGreaterThan(7);
    expect(table[1][0]).toBe('Ana Teste');
    expect(table[1].slice(1, 5)).toEqual(['1', hms(1200), hms(38), '60,87']);
    expect(table[1][lunchAt]).toBe(hms(1800));
    expect(table.at(-1)![0]).toBe('Total');
    expect(table.at(-1)!.slice(-2)).toEqual(['2', '1']);
  });
});

describe('Pausas', () => {
  it('per agent and reason, cut to the period; the totals; the next day holds the rest of the pause across midnight', async () => {
    const r = await report(admin, 'pauses', `from=${D}&to=${D}`, 'pt-BR');
    expect(r.status).toBe(200);
    expect(r.body.columns.map((c: any) => c.label)).toEqual(['Agente', 'Motivo', 'Quantidade', 'Duração total', 'Duração média']);
    expect(r.body.rows).toEqual([
      { agent: 'Ana Teste', reason: 'Almoço', count: 1, duration: 1800, mean: 1800 },
      { agent: 'Ana Teste', reason: 'Banheiro', count: 1, duration: 600, mean: 600 },
      { agent: 'Bruno Teste', reason: 'Almoço', count: 1, duration: 3600, mean: 3600 },
      { agent: 'Carla Teste', reason: 'Almoço', count: 1, duration: 1800, mean: 1800 },
      { agent: 'Carla Teste', reason: 'Banheiro', count: 1, duration: 900, mean: 900 },
    ]);
    expect(r.body.total).toEqual({ agent: null, reason: null, count: 5, duration: 8700, mean: 1740 });
    const next = await report(admin, 'pauses', `from=${NEXT}&to=${NEXT}`);
    expect(next.body.rows).toEqual([{ agent: 'Carla Teste', reason: 'Almoço', count: 1, duration: 1800, mean: 1800 }]);
    const supR = await report(sup, 'pauses', `from=${D}&to=${D}`);
    expect(new Set(supR.body.rows.map((x: any) => x.agent))).toEqual(new Set(['Ana Teste', 'Bruno Teste']));
    expect(supR.body.total).toMatchObject({ count: 3, duration: 6000, mean: 2000 });
    const none = await report(admin, 'pauses', `from=2026-01-01&to=2026-01-01`);
    expect(none.body.rows).toEqual([]);
    expect(none.body.total).toEqual({ agent: null, reason: null, count: 0, duration: 0, mean: null });
  });
});

// --- randomized: agents' time and pauses against a plain fold of the state rows ---------------------

describe('randomized state history against a fold', () => {
  it('logged, in service, paused, ocupação and each pause row equal the fold over two days', async () => {
    const team = await createTeam(admin);
    const agents = [];
    for (const name of ['Rand A', 'Rand B', 'Rand C']) agents.push(await createUser(admin, { agentEnabled: true, teamIds: [team.id], name }));
    const reasons = [lunch, toilet];
    let seed = 160601;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows: { user: string; state: string; reason: string | null; start: number; end: number }[] = [];
    for (const a of agents) {
      let at = sp('2026-06-01 18:00:00').getTime();
      while (at < sp('2026-06-04 06:00:00').getTime()) {
        const end = at + (1 + Math.floor(rnd() * 180)) * 60_000 + Math.floor(rnd() * 60) * 1000;
        const state = ['available', 'in_service', 'paused', 'offline'][Math.floor(rnd() * 4)];
        const reason = state === 'paused' ? reasons[Math.floor(rnd() * 2)] : null;
        rows.push({ user: a.id, state, reason, start: at, end });
        await insertAgentState(t.db, a.id, state, new Date(at), new Date(end), reason);
        at = end;
      }
    }
    const s = sp('2026-06-02 00:00:00').getTime();
    const e = sp('2026-06-04 00:00:00').getTime();
    const cut = (r: { start: number; end: number }) => Math.max(0, Math.min(r.end, e) - Math.max(r.start, s)) / 1000;
    const sumOf = (xs: typeof rows) => xs.reduce((n, r) => n + cut(r), 0);
    const r = await report(admin, 'agents', `from=2026-06-02&to=2026-06-03&teamId=${team.id}`);
    expect(r.status).toBe(200);
    for (const a of agents) {
      const mine = rows.filter((x) => x.user === a.id);
      const ins = sumOf(mine.filter((x) => x.state === 'in_service'));
      const avail = sumOf(mine.filter((x) => x.state === 'available'));
      const paused = sumOf(mine.filter((x) => x.state === 'paused'));
      const row = r.body.rows.find((x: any) => x.agent === a.name);
      expect(row, a.name).toMatchObject({
        logged: Math.round(ins + avail + paused), in_service: Math.round(ins), paused: Math.round(paused),
        occupancy: ins + avail > 0 ? Math.round((ins * 10_000) / (ins + avail)) / 100 : null,
        [`pause_${lunch}`]: Math.round(sumOf(mine.filter((x) => x.reason === lunch))),
      });
    }
    const p = await report(admin, 'pauses', `from=2026-06-02&to=2026-06-03&teamId=${team.id}`);
    const want = new Map<string, { count: number; secs: number }>();
    for (const x of rows) {
      if (x.state !== 'paused' || cut(x) <= 0) continue;
      const k = `${agents.find((a) => a.id === x.user)!.name}|${x.reason === lunch ? 'Almoço' : 'Banheiro'}`;
      const w = want.get(k) ?? { count: 0, secs: 0 };
      want.set(k, { count: w.count + 1, secs: w.secs + cut(x) });
    }
    expect(want.size).toBeGreaterThan(3);
    expect(p.body.rows).toHaveLength(want.size);
    for (const row of p.body.rows) {
      const w = want.get(`${row.agent}|${row.reason}`)!;
      expect(row, `${row.agent} ${row.reason}`).toEqual({ agent: row.agent, reason: row.reason, count: w.count, duration: Math.round(w.secs), mean: Math.round(w.secs / w.count) });
    }
    const all = [...want.values()];
    expect(p.body.total.count).toBe(all.reduce((n, w) => n + w.count, 0));
  });
});
