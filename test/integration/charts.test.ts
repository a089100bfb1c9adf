import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, hms } from '../support/csv.js';
import { foldChannels, foldMetrics, type ChartRaw } from '../support/charts-fold.js';
import { randomTraffic } from '../support/indicators-fold.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Gráficos through the HTTP API. The scripted day's figures are worked out by hand in the comments
// (São Paulo is UTC−3: 09:00 there is 12:00Z); a randomized week is checked against an independent
// TypeScript fold of the raw rows (test/support/charts-fold.ts).

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-03-10';
const NEXT = '2026-03-11';
/** a São Paulo wall-clock time on day D (or another day) as an instant */
const sp = (hms: string, day = D) => new Date(Date.parse(`${day}T${hms}Z`) + 3 * 3600_000);

let w: { chatA: any; waA: any; mailB: any; a1: any; a2: any; b1: any; supA: Client; contact: string };

interface Row { service: any; state: string; agent?: any; created: Date; queued?: Date; assigned?: Date; message?: Date; finished?: Date }

async function insert(r: Row) {
  await t.db.query(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_queued_at, queued_at,
       first_assigned_at, assigned_at, first_agent_message_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $9, $10, $11)`,
    [unique('G'), r.service.id, r.service.channel, w.contact, r.state, r.agent?.id ?? null, r.created, r.queued ?? null, r.assigned ?? null,
      r.message ?? null, r.finished ?? null],
  );
}

beforeAll(async () => {
  const teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  const chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id], serviceLevelSeconds: 60 });
  const waA = await createService(admin, { channel: 'whatsapp', teamIds: [teamA.id], serviceLevelSeconds: 60 });
  const mailB = await createService(admin, { channel: 'email', teamIds: [teamB.id], serviceLevelSeconds: 86_400 });
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id`)).rows[0].id;
  w = { chatA, waA, mailB, a1, a2, b1, supA: await t.login(sup.email, sup.password), contact };
  // c1: wait 30 s (in target), TPR 50 s, TMA 600 s, completed at 09:10
  await insert({ service: chatA, state: 'completed', agent: a1, created: sp('09:00:00'), queued: sp('09:00:10'), assigned: sp('09:00:40'), message: sp('09:01:00'), finished: sp('09:10:40') });
  // c2: wait 120 s (late), TPR 150 s, TMA 2400 s, cancelled at 10:02
  await insert({ service: chatA, state: 'cancelled', agent: a2, created: sp('09:20:00'), queued: sp('09:20:00'), assigned: sp('09:22:00'), message: sp('09:22:30'), finished: sp('10:02:00') });
  // c3: abandoned after 5 s (a short abandon); c4: gave up after 300 s in the queue
  await insert({ service: chatA, state: 'abandoned', created: sp('09:30:00'), queued: sp('09:30:00'), finished: sp('09:30:05') });
  await insert({ service: waA, state: 'customer_gave_up', created: sp('09:40:00'), queued: sp('09:40:00'), finished: sp('09:45:00') });
  // c5: wait 20 s, TPR 50 s, still in service
  await insert({ service: waA, state: 'in_service', agent: a1, created: sp('09:50:00'), queued: sp('09:50:00'), assigned: sp('09:50:20'), message: sp('09:50:50') });
  // c6 crosses midnight: received, answered (180 s, late) and first answered (TPR 240 s) on D, finished at 00:05 on the next day (TMA 420 s)
  await insert({ service: chatA, state: 'completed', agent: a1, created: sp('23:55:00'), queued: sp('23:55:00'), assigned: sp('23:58:00'), message: sp('23:59:00'), finished: sp('00:05:00', NEXT) });
  // c7 (e-mail, team B): wait 3 h (in the 24 h target), TPR 12600 s, TMA 3600 s
  await insert({ service: mailB, state: 'completed', agent: b1, created: sp('08:00:00'), queued: sp('08:00:00'), assigned: sp('11:00:00'), message: sp('11:30:00'), finished: sp('12:00:00') });
  // c8 began the day before: only its end (00:10, TMA 1140 s) is on D
  await insert({ service: chatA, state: 'completed', agent: a2, created: sp('23:50:00', '2026-03-09'), queued: sp('23:50:00', '2026-03-09'), assigned: sp('23:51:00', '2026-03-09'), message: sp('23:52:00', '2026-03-09'), finished: sp('00:10:00') });
  // c9: the bot solved it, no queue
  await insert({ service: chatA, state: 'completed', created: sp('10:30:00'), finished: sp('10:31:00') });
});

const zero = { completed: 0, cancelled: 0, abandoned: 0, customer_gave_up: 0, connection_lost: 0, inactive_in_service: 0, discarded: 0 };

describe('Atendimento por Canais – Detalhada', () => {
  it('counts each milestone in the São Paulo hour it happened in', async () => {
    const r = await admin.get(`/api/charts/channels?from=${D}&to=${D}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.interval).toBe('hour');
    expect(r.body.buckets).toHaveLength(24);
    expect(r.body.buckets[0]).toBe(`${D} 00:00:00`);
    expect(r.body.channels).toEqual(['email', 'webchat', 'whatsapp']);
    const row = (h: string, channel: string, received: number, handled: number, finished: Partial<typeof zero> = {}) =>
      ({ bucket: `${D} ${h}:00:00`, channel, received, handled, finished: { ...zero, ...finished } });
    expect(r.body.rows).toEqual([
      row('00', 'webchat', 0, 0, { completed: 1 }), // c8's end
      row('08', 'email', 1, 0), // c7 arrives
      row('09', 'webchat', 3, 2, { completed: 1, abandoned: 1 }), // c1 c2 c3; c1 c2 answered; c1 done, c3 left
      row('09', 'whatsapp', 2, 1, { customer_gave_up: 1 }), // c4 c5; c5 answered; c4 gave up
      row('10', 'webchat', 1, 0, { completed: 1, cancelled: 1 }), // c9 (arrives and ends); c2 cancelled
      row('11', 'email', 0, 1), // c7 answered
      row('12', 'email', 0, 0, { completed: 1 }),
      row('23', 'webchat', 1, 1), // c6
    ]);
  });

  it('by day over two days, and for a supervisor only their services', async () => {
    const r = await admin.get(`/api/charts/channels?from=${D}&to=${NEXT}&channel=webchat`);
    expect(r.body.interval).toBe('day');
    expect(r.body.buckets).toEqual([`${D} 00:00:00`, `${NEXT} 00:00:00`]);
    expect(r.body.rows).toEqual([
      { bucket: `${D} 00:00:00`, channel: 'webchat', received: 5, handled: 3, finished: { ...zero, completed: 3, cancelled: 1, abandoned: 1 } },
      { bucket: `${NEXT} 00:00:00`, channel: 'webchat', received: 0, handled: 0, finished: { ...zero, completed: 1 } },
    ]);
    const s = await w.supA.get(`/api/charts/channels?from=${D}&to=${D}&interval=day`);
    expect(s.body.channels).toEqual(['webchat', 'whatsapp']);
    const q = await admin.get(`/api/charts/channels?from=${D}&to=${D}&interval=15m`);
    expect(q.body.buckets).toHaveLength(96);
    expect(q.body.rows.find((x: any) => x.bucket === `${D} 09:30:00`)).toMatchObject({ channel: 'webchat', received: 1, finished: { abandoned: 1 } });
  });
});

describe('Métricas do Atendimento', () => {
  it('the whole and each agent asked, as worked out by hand', async () => {
    const r = await admin.get(`/api/charts/metrics?from=${D}&to=${D}&agentId=${w.a1.id},${w.a2.id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.series.map((s: any) => s.agentId)).toEqual([null, w.a1.id, w.a2.id]);
    expect(r.body.series[0].name).toBe('All');
    // offered c1–c7; answered c1 c2 c5 c6 c7 (in target c1 c5 c7; waits 30+120+20+180+10800); abandons c3 c4 (c3 short)
    // handled c1 c2 c7 c8 (600+2400+3600+1140); responded c1 c2 c5 c6 c7 (50+150+50+240+12600)
    expect(r.body.series[0].figures).toEqual({
      offered: 7, answered: 5, answeredInTarget: 3, abandoned: 2, shortAbandoned: 1, handled: 4, responded: 5,
      serviceLevel: 50, tmeSeconds: 2230, tmaSeconds: 1935, tprSeconds: 2618, abandonmentRate: 28.6,
    });
    // a1: c1 c5 c6 (waits 30 20 180; NS 2/3); c6 ends the next day: TMA of c1 only
    expect(r.body.series[1].figures).toEqual({
      offered: 3, answered: 3, answeredInTarget: 2, abandoned: 0, shortAbandoned: 0, handled: 1, responded: 3,
      serviceLevel: 66.7, tmeSeconds: 77, tmaSeconds: 600, tprSeconds: 113, abandonmentRate: null,
    });
    // a2: c2 (late) and c8's end
    expect(r.body.series[2].figures).toEqual({
      offered: 1, answered: 1, answeredInTarget: 0, abandoned: 0, shortAbandoned: 0, handled: 2, responded: 1,
      serviceLevel: 0, tmeSeconds: 120, tmaSeconds: 1770, tprSeconds: 150, abandonmentRate: null,
    });
    // the same agent twice is one series; repeated parameters work as the comma list
    const twice = await admin.get(`/api/charts/metrics?from=${D}&to=${D}&agentId=${w.a1.id}&agentId=${w.a1.id}`);
    expect(twice.body.series.map((s: any) => s.agentId)).toEqual([null, w.a1.id]);
  });

  it('a supervisor sees their services only, and another team’s agent is a 404', async () => {
    const r = await w.supA.get(`/api/charts/metrics?from=${D}&to=${D}&agentId=${w.a1.id}`);
    expect(r.status).toBe(200);
    // without c7: answered c1 c2 c5 c6 (waits 350), in target 2, abandons 2 (1 short): NS 2/5; handled c1 c2 c8 (4140); TPR 490/4
    expect(r.body.series[0].figures).toEqual({
      offered: 6, answered: 4, answeredInTarget: 2, abandoned: 2, shortAbandoned: 1, handled: 3, responded: 4,
      serviceLevel: 40, tmeSeconds: 88, tmaSeconds: 1380, tprSeconds: 123, abandonmentRate: 33.3,
    });
    const out = await w.supA.get(`/api/charts/metrics?from=${D}&to=${D}&agentId=${w.b1.id}`);
    expect(out.status).toBe(404);
    expect((await w.supA.get(`/api/charts/metrics/detailed?from=${D}&to=${D}&agentId=${w.b1.id}`)).status).toBe(404);
    expect((await admin.get(`/api/charts/metrics?agentId=${crypto.randomUUID()}`)).status).toBe(404);
    const agent = await t.login(w.a1.email, w.a1.password);
    expect((await agent.get(`/api/charts/metrics?from=${D}&to=${D}`)).status).toBe(403);
  });

  it('per hour, midnight crossing included', async () => {
    const r = await admin.get(`/api/charts/metrics/detailed?from=${D}&to=${D}&agentId=${w.a1.id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.buckets).toHaveLength(24);
    const [all, a1] = r.body.series;
    expect(all.points).toHaveLength(24);
    // 09h: offered c1–c5; answered c1 c2 c5 (30+120+20); abandons c3 c4; c1 ends; responded c1 c2 c5 (50+150+50)
    expect(all.points[9]).toEqual({
      offered: 5, answered: 3, answeredInTarget: 2, abandoned: 2, shortAbandoned: 1, handled: 1, responded: 3,
      serviceLevel: 50, tmeSeconds: 57, tmaSeconds: 600, tprSeconds: 83, abandonmentRate: 40,
    });
    expect(a1.points[23]).toMatchObject({ offered: 1, answered: 1, answeredInTarget: 0, serviceLevel: 0, tmeSeconds: 180, tprSeconds: 240, handled: 0, tmaSeconds: null });
    expect(all.points[3]).toMatchObject({ offered: 0, answered: 0, serviceLevel: null, tmeSeconds: null, abandonmentRate: null });
    const next = await admin.get(`/api/charts/metrics/detailed?from=${NEXT}&to=${NEXT}&interval=day&agentId=${w.a1.id}`);
    expect(next.body.series[1].points).toEqual([expect.objectContaining({ answered: 0, handled: 1, tmaSeconds: 420 })]);
  });
});

describe('bad filters', () => {
  it('answers 400 naming the field', async () => {
    const bad = async (path: string, field: string) => {
      const r = await admin.get(path);
      expect(r.status, path).toBe(400);
      expect(JSON.stringify(r.body), path).toContain(field);
    };
    await bad('/api/charts/metrics?agentId=joana', 'agentId');
    await bad(`/api/charts/metrics?agentId=${w.a1.id},nope`, 'agentId');
    await bad('/api/charts/channels?colour=red', 'colour');
    await bad(`/api/charts/channels?agentId=${w.a1.id}`, 'agentId');
    await bad('/api/charts/metrics?interval=hour', 'interval');
    await bad('/api/charts/metrics/detailed?interval=year', 'interval');
    await bad('/api/charts/channels?from=2026-03-10', 'to');
    await bad('/api/charts/channels?format=xlsx', 'format');
    await bad('/api/charts/channels?channel=fax', 'channel');
  });
});

async function csvOf(path: string, lang = 'pt-BR') {
  const res = await fetch(`${t.url}${path}`, { headers: { cookie: admin.cookie, 'accept-language': lang } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return { res, table: await parseCsv(text.slice(1)) };
}

describe('Salvar dados em CSV', () => {
  it('Métricas do Atendimento in Portuguese, audited', async () => {
    const { res, table } = await csvOf(`/api/charts/metrics?from=${D}&to=${D}&agentId=${w.a1.id}&format=csv`);
    expect(res.headers.get('content-disposition')).toContain(`metricas-do-atendimento_${D}.csv`);
    expect(table[0]).toEqual(['Agente', 'Ofertados', 'Atendidos', 'Atendidos no prazo', 'NS (%)', 'TME', 'TMA', 'TPR', 'Abandonos', 'Taxa de abandono (%)']);
    expect(table[1]).toEqual(['Todos', '7', '5', '3', '50', hms(2230), hms(1935), hms(2618), '2', '28,6']);
    expect(table[2]).toEqual([w.a1.name, '3', '3', '2', '66,7', hms(77), hms(600), hms(113), '0', '']);
    expect(table).toHaveLength(3);
    let audit: any;
    for (let i = 0; i < 60 && !audit; i++) {
      audit = (await t.db.query(`SELECT after FROM audit_log WHERE action = 'export' AND entity = 'charts' ORDER BY id DESC LIMIT 1`)).rows[0];
      if (!audit) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit.after).toMatchObject({ format: 'csv', rows: 2, complete: true, filters: { chart: 'metrics', from: D, to: D } });
  });

  it('the channels and the detailed metrics, back to the JSON’s figures', async () => {
    const { table } = await csvOf(`/api/charts/channels?from=${D}&to=${D}&format=csv`);
    expect(table[0]).toEqual(['Intervalo', 'Canal', 'Recebidos', 'Atendidos por agente', 'Concluído', 'Cancelado', 'Abandono',
      'Desistência/Inatividade', 'Perda de Conexão', 'Inativa PA', 'Descartado']);
    expect(table[3]).toEqual([`10/03/2026 09:00:00`, 'WebChat', '3', '2', '1', '0', '1', '0', '0', '0', '0']);
    expect(table).toHaveLength(9);
    const en = (await csvOf(`/api/charts/metrics/detailed?from=${D}&to=${NEXT}&format=csv`, 'en')).table;
    expect(en[0].slice(0, 3)).toEqual(['Interval', 'Agent', 'Offered']);
    expect(en.slice(1).map((r) => r.slice(0, 4))).toEqual([[`${D} 00:00:00`, 'All', '7', '5'], [`${NEXT} 00:00:00`, 'All', '0', '0']]);
  });
});

describe('a randomized week against the fold', () => {
  const FROM = '2026-06-01';
  const TO = '2026-06-07';
  it('every chart, for the admin and with filters, equals the fold of the raw rows', async () => {
    const services = [w.chatA, w.waA, w.mailB];
    const raw = randomTraffic(20260616, 300, {
      services: services.map((s) => ({ id: s.id, channel: s.channel })), agents: [w.a1.id, w.a2.id, w.b1.id], classifications: [],
      start: Date.parse('2026-05-31T00:00:00Z'), days: 9,
    });
    let i = 0;
    for (const r of raw) {
      // the first reply comes 0–600 s after the assignment (some never: 1 in 7)
      const message = r.firstAssignedAt && i++ % 7 ? new Date(r.firstAssignedAt.getTime() + ((i * 7919) % 601) * 1000) : undefined;
      await insert({ service: services.find((s) => s.id === r.serviceId), state: r.state, agent: r.agentId ? { id: r.agentId } : undefined,
        created: r.createdAt, queued: r.firstQueuedAt ?? undefined, assigned: r.firstAssignedAt ?? undefined, message, finished: r.finishedAt ?? undefined });
    }
    const target = new Map(services.map((s) => [s.id, s.serviceLevelSeconds as number]));
    const rows: ChartRaw[] = (await t.db.query(`SELECT * FROM conversations`)).rows.map((c: any) => ({
      serviceId: c.service_id, channel: c.channel, state: c.state, agentId: c.agent_id, createdAt: c.created_at, firstQueuedAt: c.first_queued_at,
      queuedAt: c.queued_at, firstAssignedAt: c.first_assigned_at, firstAgentMessageAt: c.first_agent_message_at, finishedAt: c.finished_at,
      targetSeconds: target.get(c.service_id)!,
    }));
    const cases: { serviceId?: string; channel?: string }[] = [{}, { serviceId: w.chatA.id }, { channel: 'whatsapp' }];
    for (const f of cases) {
      const mine = rows.filter((c) => (!f.serviceId || c.serviceId === f.serviceId) && (!f.channel || c.channel === f.channel));
      const qs = new URLSearchParams({ from: FROM, to: TO, ...f } as Record<string, string>).toString();
      const ch = await admin.get(`/api/charts/channels?${qs}`);
      expect(ch.body.rows, qs).toEqual(foldChannels(mine, FROM, TO));
      expect(ch.body.rows.length).toBeGreaterThan(5);
      const m = await admin.get(`/api/charts/metrics?${qs}&agentId=${w.a1.id},${w.b1.id}`);
      expect(m.body.series.map((s: any) => s.figures), qs).toEqual([
        foldMetrics(mine, FROM, TO, false),
        foldMetrics(mine.filter((c) => c.agentId === w.a1.id), FROM, TO, true),
        foldMetrics(mine.filter((c) => c.agentId === w.b1.id), FROM, TO, true),
      ]);
      const d = await admin.get(`/api/charts/metrics/detailed?${qs}&agentId=${w.a2.id}`);
      expect(d.body.buckets).toHaveLength(7);
      d.body.buckets.forEach((b: string, k: number) => {
        const day = b.slice(0, 10);
        expect(d.body.series[0].points[k], `${qs} ${day}`).toEqual(foldMetrics(mine, day, day, false));
        expect(d.body.series[1].points[k], `${qs} ${day}`).toEqual(foldMetrics(mine.filter((c) => c.agentId === w.a2.id), day, day, true));
      });
    }
    expect(foldMetrics(rows, FROM, TO, false).answered).toBeGreaterThan(100);
  });
});
