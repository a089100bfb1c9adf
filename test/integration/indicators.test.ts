import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeByCustomer } from '../../src/engine/conversations/customer-actions.js';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { parseCsv, hms } from '../support/csv.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { foldIndicators, mediaOf, randomCalls, randomTraffic, type RawCall, type RawConversation } from '../support/indicators-fold.js';

// Indicadores through the HTTP API. The scripted traffic's figures are worked out by hand below
// (counts, handling times, means, longest); a randomized month of raw rows is checked against an
// independent TypeScript fold (test/support/indicators-fold.ts), not the route's SQL.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

// São Paulo is UTC−3 all year (no DST since 2019): 12:00Z is 09:00 there.
const D = '2026-03-10';
const NEXT = '2026-03-11';
const T0 = Date.parse(`${D}T12:00:00Z`);

interface World {
  chatA: any; waA: any; tgB: any; mailB: any; classA: any;
  a1: any; a2: any; b1: any; desks: Map<string, Client>; b1Desk: Client;
  supA: Client; agent: Client;
  /** who got c1 (and then c3), who got c2 */
  x: any; y: any;
  ids: Record<string, string>;
}
let w: World;

const arrive = (svc: any, mail?: { subject: string; email: string }) =>
  receiveInbound(t.runtime.engine, {
    serviceId: svc.id, channel: svc.channel, contact: { externalId: unique('c'), name: unique('Cliente'), email: mail?.email }, externalId: unique('m'),
    text: 'Olá, preciso de ajuda', subject: mail?.subject,
  }).then((r) => r.conversationId);

async function holder(id: string): Promise<string> {
  return (await t.db.query<{ agent_id: string }>(`SELECT agent_id FROM conversations WHERE id = $1`, [id])).rows[0].agent_id;
}

async function finish(id: string, outcome: 'completed' | 'cancelled', classificationId?: string) {
  const desk = w.desks.get(await holder(id))!;
  const r = await desk.post(`/api/conversations/${id}/finish`, { outcome, ...(classificationId ? { classificationId } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  await t.settle();
}

const at = (s: number) => t.clock.set(T0 + s * 1000);

beforeAll(async () => {
  t.clock.set(T0);
  const teamA = await createTeam(admin, { maxChat: 1 });
  const teamB = await createTeam(admin, { maxChat: 2, maxEmail: 2 });
  const chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  const waA = await createService(admin, { channel: 'whatsapp', teamIds: [teamA.id] });
  const tgB = await createService(admin, { channel: 'telegram', teamIds: [teamB.id] });
  const mailB = await createService(admin, { channel: 'email', teamIds: [teamB.id] });
  const classA = (await admin.post('/api/classifications', { code: unique('res'), name: 'Resolvido', serviceIds: [chatA.id] })).body;
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const supAUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const desks = new Map<string, Client>();
  for (const a of [a1, a2, b1]) desks.set(a.id, await t.login(a.email, a.password));
  w = {
    chatA, waA, tgB, mailB, classA, a1, a2, b1, desks, b1Desk: desks.get(b1.id)!,
    supA: await t.login(supAUser.email, supAUser.password), agent: desks.get(a1.id)!, x: null, y: null, ids: {},
  };
  await desks.get(a1.id)!.post('/api/agent/login');
  await desks.get(a2.id)!.post('/api/agent/login');
  // T0: c1 (WebChat) and c2 (WhatsApp) go to a1 and a2 (one each: team A takes one at a time);
  // c3 (WebChat) waits; c7 (WebChat) waits behind it and the customer leaves at T0+30
  const c1 = await arrive(chatA);
  await t.settle();
  const c2 = await arrive(waA);
  await t.settle();
  const c3 = await arrive(chatA);
  await t.settle();
  const c7 = await arrive(chatA);
  await t.settle();
  const xId = await holder(c1);
  const yId = await holder(c2);
  expect(new Set([xId, yId])).toEqual(new Set([a1.id, a2.id]));
  w.x = xId === a1.id ? a1 : a2;
  w.y = xId === a1.id ? a2 : a1;
  at(30);
  await closeByCustomer(t.runtime.engine, c7);
  await t.settle();
  // T0+60: c1 completed (60 s of service, classified); c3 goes to its agent at once
  at(60);
  await finish(c1, 'completed', classA.id);
  expect(await holder(c3)).toBe(xId);
  // T0+150: c2 completed (150 s)
  at(150);
  await finish(c2, 'completed');
  // T0+300: c3 cancelled (from T0+60: 240 s); c4 (Telegram) and c6 (e-mail) arrive for team B, nobody there
  at(300);
  await finish(c3, 'cancelled');
  const c4 = await arrive(tgB);
  const c6 = await arrive(mailB, { subject: 'Segunda via', email: 'ana@example.com' });
  await t.settle();
  // T0+400: b1 logs in and takes both; c4 ends at T0+1010 (610 s), c6 at T0+1100 (700 s)
  at(400);
  await w.b1Desk.post('/api/agent/login');
  await t.settle();
  expect(await holder(c4)).toBe(b1.id);
  expect(await holder(c6)).toBe(b1.id);
  at(1010);
  await finish(c4, 'completed');
  at(1100);
  await finish(c6, 'completed');
  // 23:55 in São Paulo: c5 (WebChat) starts on D and ends 10 minutes later, on the next day (600 s)
  t.clock.set(Date.parse(`${NEXT}T02:55:00Z`));
  const c5 = await arrive(chatA);
  await t.settle();
  t.clock.set(Date.parse(`${NEXT}T03:05:00Z`));
  await finish(c5, 'completed', classA.id);
  w.ids = { c1, c2, c3, c4, c5, c6, c7 };
});

const row = (table: any, key: string) => table.rows.find((r: any) => r.key === key);

/** A call row of a conversation as the calls engine leaves it once over (migration 0028), its agent the conversation's. */
async function insertCall(conversationId: string, c: { serviceId: string; agentId: string | null; assignedAt: Date | null; finishedAt: Date | null }, k: RawCall, ringAt?: Date) {
  const ring = ringAt ?? k.answeredAt ?? c.assignedAt!;
  await t.db.query(
    `INSERT INTO calls (id, conversation_id, service_id, kind, caller, agent_id, state, video, ring_at, answered_at, ended_at, ended_by, failure, audio_seconds, video_seconds)
     VALUES ($1, $2, $3, $4, 'agent', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [randomUUID(), conversationId, c.serviceId, k.videoSeconds > 0 ? 'video' : 'audio', c.agentId, k.state, k.videoSeconds > 0, ring, k.answeredAt,
      new Date(ring.getTime() + (k.audioSeconds + k.videoSeconds) * 1000), k.state === 'missed' ? 'system' : 'customer', k.state === 'failed' ? 'disconnected' : null,
      k.audioSeconds, k.videoSeconds],
  );
}

/** The stored conversations as the fold takes them, each with its stored calls (read back, not what the test meant to write). */
async function withCalls(conversations: any[]): Promise<RawConversation[]> {
  const calls = new Map<string, RawCall[]>();
  for (const k of (await t.db.query<any>('SELECT conversation_id, state, answered_at, audio_seconds, video_seconds FROM calls')).rows) {
    const list = calls.get(k.conversation_id) ?? [];
    list.push({ state: k.state, answeredAt: k.answered_at, audioSeconds: k.audio_seconds, videoSeconds: k.video_seconds });
    calls.set(k.conversation_id, list);
  }
  return conversations.map((r: any) => ({
    serviceId: r.service_id, channel: r.channel, direction: r.direction, state: r.state, agentId: r.agent_id, createdAt: r.created_at,
    botStartedAt: r.bot_started_at, firstQueuedAt: r.first_queued_at, firstAssignedAt: r.first_assigned_at, assignedAt: r.assigned_at,
    finishedAt: r.finished_at, classificationId: r.classification_id, calls: calls.get(r.id) ?? [],
  }));
}

describe('Indicadores over scripted traffic, worked out by hand', () => {
  it('sums handling time per service, channel and agent for the day, the midnight conversation on the day it ended', async () => {
    const r = await admin.get(`/api/indicators?from=${D}&to=${D}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: D, to: D, timezone: 'America/Sao_Paulo' });
    const { byService, byChannel, byAgent } = r.body;
    // handled on D: c1 60, c3 240 (WebChat A), c2 150 (WhatsApp A), c4 610 (Telegram B), c6 700 (e-mail B); c7 abandoned unhandled
    // no calls here: TMídia 0 (the calls' figures: the TMídia describe below)
    expect(byService.total).toEqual({ count: 5, totalSeconds: 1760, meanSeconds: 352, maxSeconds: 700, mediaSeconds: 0 });
    expect(row(byService, w.chatA.id)).toEqual({ key: w.chatA.id, name: w.chatA.name, count: 2, pct: 40, totalSeconds: 300, meanSeconds: 150, maxSeconds: 240, mediaSeconds: 0 });
    expect(row(byService, w.waA.id)).toMatchObject({ count: 1, pct: 20, totalSeconds: 150, meanSeconds: 150, maxSeconds: 150 });
    expect(row(byService, w.tgB.id)).toMatchObject({ count: 1, pct: 20, totalSeconds: 610, meanSeconds: 610, maxSeconds: 610 });
    expect(row(byService, w.mailB.id)).toMatchObject({ count: 1, pct: 20, totalSeconds: 700, meanSeconds: 700, maxSeconds: 700 });
    expect(byService.rows[0].key).toBe(w.chatA.id);
    expect(byChannel.rows.map((x: any) => [x.key, x.name, x.count, x.totalSeconds, x.meanSeconds, x.maxSeconds]).sort()).toEqual([
      ['email', 'E-mail', 1, 700, 700, 700],
      ['telegram', 'Telegram', 1, 610, 610, 610],
      ['webchat', 'WebChat', 2, 300, 150, 240],
      ['whatsapp', 'WhatsApp', 1, 150, 150, 150],
    ]);
    // the agent who took c1 then took c3; b1 took c4 and c6: mean (610 + 700) / 2 = 655
    expect(row(byAgent, w.x.id)).toMatchObject({ name: w.x.name, count: 2, pct: 40, totalSeconds: 300, meanSeconds: 150, maxSeconds: 240 });
    expect(row(byAgent, w.y.id)).toMatchObject({ count: 1, pct: 20, totalSeconds: 150, meanSeconds: 150, maxSeconds: 150 });
    expect(row(byAgent, w.b1.id)).toMatchObject({ count: 2, pct: 40, totalSeconds: 1310, meanSeconds: 655, maxSeconds: 700 });
    expect(byAgent.total).toEqual(byService.total);
  });

  it('counts every end state per channel in Resumo por Status, and groups Resumo do dia', async () => {
    const r = await admin.get(`/api/indicators?from=${D}&to=${D}`);
    const { byStatus, daySummary } = r.body;
    // ended on D: completed c1 (WebChat), c2 (WhatsApp), c4 (Telegram → Outros), c6 (e-mail); cancelled c3; abandoned c7
    expect(byStatus.total).toBe(6);
    const zero = { webchat: 0, email: 0, facebook: 0, instagram: 0, sms: 0, voice: 0, whatsapp: 0, other: 0 };
    expect(byStatus.rows).toEqual([
      { direction: 'inbound', state: 'completed', count: 4, pct: 66.67, channels: { ...zero, webchat: 1, whatsapp: 1, other: 1, email: 1 } },
      { direction: 'inbound', state: 'cancelled', count: 1, pct: 16.67, channels: { ...zero, webchat: 1 } },
      { direction: 'inbound', state: 'abandoned', count: 1, pct: 16.67, channels: { ...zero, webchat: 1 } },
    ]);
    const chat = daySummary.filter((x: any) => x.serviceId === w.chatA.id).map((x: any) => [x.state, x.classificationName, x.count, x.lastFinishedAt]);
    expect(chat).toEqual([
      ['completed', 'Resolvido', 1, new Date(T0 + 60_000).toISOString()],
      ['cancelled', null, 1, new Date(T0 + 300_000).toISOString()],
      ['abandoned', null, 1, new Date(T0 + 30_000).toISOString()],
    ]);
    expect(daySummary.reduce((a: number, x: any) => a + x.count, 0)).toBe(6);
    expect(daySummary.every((x: any) => x.direction === 'inbound')).toBe(true);
  });

  it('puts the conversation that crossed midnight on the next day only, and a two-day period counts it once', async () => {
    const next = (await admin.get(`/api/indicators?from=${NEXT}&to=${NEXT}`)).body;
    expect(next.byService.rows).toEqual([{ key: w.chatA.id, name: w.chatA.name, count: 1, pct: 100, totalSeconds: 600, meanSeconds: 600, maxSeconds: 600, mediaSeconds: 0 }]);
    expect(next.byStatus.total).toBe(1);
    const both = (await admin.get(`/api/indicators?from=${D}&to=${NEXT}`)).body;
    // c1 60, c3 240, c5 600: mean 300 — the weighted mean, not the mean of the days' means ((150 + 600) / 2)
    expect(row(both.byService, w.chatA.id)).toMatchObject({ count: 3, totalSeconds: 900, meanSeconds: 300, maxSeconds: 600 });
    expect(both.byService.total).toEqual({ count: 6, totalSeconds: 2360, meanSeconds: 393, maxSeconds: 700, mediaSeconds: 0 });
    expect(both.byStatus.total).toBe(7);
  });

  it('filters by service and by channel', async () => {
    const svc = (await admin.get(`/api/indicators?from=${D}&to=${NEXT}&serviceId=${w.tgB.id}`)).body;
    expect(svc.byService.rows.map((x: any) => x.key)).toEqual([w.tgB.id]);
    expect(svc.byAgent.rows).toEqual([expect.objectContaining({ key: w.b1.id, count: 1, totalSeconds: 610 })]);
    const ch = (await admin.get(`/api/indicators?from=${D}&to=${D}&channel=webchat`)).body;
    expect(ch.byChannel.rows).toEqual([expect.objectContaining({ key: 'webchat', count: 2, totalSeconds: 300 })]);
    expect(ch.byStatus.total).toBe(3);
  });

  it('lists Atendimentos OMNI latest first by keyset pages, with the CRM columns from the protocol and the wrap-up', async () => {
    const first = await admin.get(`/api/indicators/conversations?from=${D}&to=${D}&limit=4`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(6);
    expect(first.body.rows.map((x: any) => x.id)).toEqual([w.ids.c6, w.ids.c4, w.ids.c3, w.ids.c2]);
    const second = await admin.get(`/api/indicators/conversations?from=${D}&to=${D}&limit=4&after=${encodeURIComponent(first.body.next)}`);
    expect(second.body.rows.map((x: any) => x.id)).toEqual([w.ids.c1, w.ids.c7]);
    expect(second.body.next).toBeNull();
    const mail = first.body.rows[0];
    const { rows: [c6] } = await t.db.query<{ protocol: string; created_at: Date }>(`SELECT protocol, created_at FROM conversations WHERE id = $1`, [w.ids.c6]);
    expect(mail).toMatchObject({
      protocol: c6.protocol, protocolAt: c6.created_at.toISOString(), state: 'completed', channel: 'email', serviceName: w.mailB.name, direction: 'inbound',
      subject: 'Segunda via', description: 'Olá, preciso de ajuda', origin: 'ana@example.com', bot: false, human: true, agentName: w.b1.name,
      queuedAt: new Date(T0 + 300_000).toISOString(), humanStartedAt: new Date(T0 + 400_000).toISOString(),
      finishedAt: new Date(T0 + 1_100_000).toISOString(), closedAt: new Date(T0 + 1_100_000).toISOString(), classificationName: null,
    });
    expect(mail.version).toMatch(/^\d+\.\d+\.\d+/);
    const c1 = second.body.rows[0];
    expect(c1).toMatchObject({ classificationName: 'Resolvido', description: null, human: true });
    expect(second.body.rows[1]).toMatchObject({ state: 'abandoned', human: false, humanStartedAt: null, agentName: null });
  });
});

describe('scope and bad filters', () => {
  it('shows a supervisor only their services, and refuses an agent', async () => {
    const r = await w.supA.get(`/api/indicators?from=${D}&to=${D}`);
    expect(r.status).toBe(200);
    expect(r.body.byService.rows.map((x: any) => x.key).sort()).toEqual([w.chatA.id, w.waA.id].sort());
    expect(r.body.byAgent.rows.map((x: any) => x.key).sort()).toEqual([w.a1.id, w.a2.id].sort());
    expect(r.body.byStatus.rows.every((x: any) => x.channels.other === 0 && x.channels.email === 0)).toBe(true);
    expect(r.body.byStatus.total).toBe(4);
    // another team's service is empty, not an error
    const other = await w.supA.get(`/api/indicators?from=${D}&to=${D}&serviceId=${w.tgB.id}`);
    expect(other.body.byService.rows).toEqual([]);
    const list = await w.supA.get(`/api/indicators/conversations?from=${D}&to=${D}`);
    expect(list.body.total).toBe(4);
    expect((await w.agent.get('/api/indicators')).status).toBe(403);
    expect((await w.agent.get('/api/indicators/conversations')).status).toBe(403);
  });

  it('answers 400 naming the field for bad filters', async () => {
    const bad = async (q: string, field: string) => {
      const r = await admin.get(`/api/indicators${q}`);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body.error), q).toContain(field);
    };
    await bad(`?from=${D}`, 'to');
    await bad(`?from=${NEXT}&to=${D}`, 'to');
    await bad('?from=2025-01-01&to=2026-12-31', 'to');
    await bad('?from=10/03/2026&to=2026-03-10', 'from');
    await bad('?serviceId=nope', 'serviceId');
    await bad('?channel=fax', 'channel');
    await bad('?colour=red', 'colour');
    await bad('?format=csv', 'table');
    await bad('?format=pdf&table=byService', 'format');
    const r = await admin.get('/api/indicators/conversations?after=garbage');
    expect(r.status).toBe(400);
  });
});

// --- exports -----------------------------------------------------------------------------------------

async function download(path: string, lang: string) {
  return fetch(`${t.url}${path}`, { headers: { cookie: admin.cookie, 'accept-language': lang } });
}

async function csvOf(path: string, lang = 'pt-BR') {
  const res = await download(path, lang);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return { res, table: await parseCsv(text.slice(1)) };
}

async function xlsxOf(path: string, lang = 'en') {
  const res = await download(path, lang);
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  book.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return { res, rows, name: book.worksheets[0].name };
}

describe('each table as CSV and XLSX', () => {
  it('Resumo por Serviço as CSV with the seed columns, audited', async () => {
    const { res, table } = await csvOf(`/api/indicators?from=${D}&to=${D}&table=byService&format=csv`);
    expect(res.headers.get('content-disposition')).toContain(`resumo-por-servico_${D}.csv`);
    expect(res.headers.get('x-total-count')).toBe('4');
    expect(table[0]).toEqual(['Nome', 'QtdAtend', 'PctQtd', 'DurTotal', 'DurMedia', 'DurMaxim', 'TMídia']);
    expect(table.find((r) => r[0] === w.chatA.name)).toEqual([w.chatA.name, '2', '40', hms(300), hms(150), hms(240), hms(0)]);
    expect(table.find((r) => r[0] === w.mailB.name)).toEqual([w.mailB.name, '1', '20', hms(700), hms(700), hms(700), hms(0)]);
    let audit: any;
    for (let i = 0; i < 60 && !audit; i++) {
      audit = (await t.db.query(`SELECT after FROM audit_log WHERE action = 'export' AND entity = 'indicators' ORDER BY id DESC LIMIT 1`)).rows[0];
      if (!audit) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit.after).toMatchObject({ format: 'csv', rows: 4, complete: true, filters: { table: 'byService', from: D, to: D } });
  });

  it('Resumo por Status as XLSX, Voz always 0, Telegram under Outros', async () => {
    const { rows, name } = await xlsxOf(`/api/indicators?from=${D}&to=${D}&table=byStatus&format=xlsx`);
    expect(name).toBe('By status');
    expect(rows[0]).toEqual(['ES', 'Status', 'Pct', 'TotalSit', 'Webchat', 'Email', 'Facebook', 'Instagram', 'SMS', 'Voz', 'WhatsApp', 'Outros']);
    expect(rows[1]).toEqual(['Inbound', 'Completed', 66.67, 4, 1, 1, 0, 0, 0, 0, 1, 1]);
    expect(rows).toHaveLength(4);
  });

  it('Produtividade de Agentes as XLSX, durations as day fractions', async () => {
    const { rows } = await xlsxOf(`/api/indicators?from=${D}&to=${D}&table=byAgent&format=xlsx`);
    const b1 = rows.find((r) => r[0] === w.b1.name)!;
    expect(b1.slice(1, 3)).toEqual([2, 40]);
    // a duration cell is a day fraction shown [hh]:mm:ss, which ExcelJS reads back as a date from 1899-12-30
    const seconds = (v: unknown) => Math.round(((v instanceof Date ? v.getTime() - Date.UTC(1899, 11, 30) : (v as number) * 86_400_000)) / 1000);
    expect(b1.slice(3).map(seconds)).toEqual([1310, 655, 700, 0]);
  });

  it('Resumo do dia and Resumo por Canal as CSV', async () => {
    const day = (await csvOf(`/api/indicators?from=${D}&to=${D}&table=daySummary&format=csv`)).table;
    expect(day[0]).toEqual(['Tipo', 'CampanhaServico', 'Canal', 'SitOpe', 'Observacao', 'Ultimo', 'Qtd']);
    expect(day).toContainEqual(['Receptivo', w.chatA.name, 'WebChat', 'Concluído', 'Resolvido', '10/03/2026 09:01:00', '1']);
    expect(day.length - 1).toBe(6);
    // a Portuguese CSV writes the decimal comma (Brazilian Excel reads 66,67 as a number), an English one the point
    const status = (await csvOf(`/api/indicators?from=${D}&to=${D}&table=byStatus&format=csv`)).table;
    expect(status[1].slice(0, 4)).toEqual(['Entrada', 'Concluído', '66,67', '4']);
    expect((await csvOf(`/api/indicators?from=${D}&to=${D}&table=byStatus&format=csv`, 'en')).table[1].slice(0, 4)).toEqual(['Inbound', 'Completed', '66.67', '4']);
    const ch = (await csvOf(`/api/indicators?from=${D}&to=${D}&table=byChannel&format=csv`, 'en')).table;
    expect(ch).toContainEqual(['WhatsApp', '1', '20', hms(150), hms(150), hms(150), hms(0)]);
  });

  it('Atendimentos OMNI as CSV: every conversation of the period in São Paulo time', async () => {
    const { table } = await csvOf(`/api/indicators/conversations?from=${NEXT}&to=${NEXT}&format=csv`);
    expect(table[0]).toEqual([
      'Versão', 'NrAtend', 'EntradaFila', 'InicioAtd', 'TerminoAtd', 'SituacaoAtd', 'Canal', 'Serviço', 'ES', 'Assunto', 'Descrição', 'Origem',
      'AutoAtd', 'AtdHmn', 'Agente', 'OcorrCrm', 'DataOcorr', 'SituacaoOcorr', 'FimOcorr', 'T.Audio', 'T.Video',
    ]);
    expect(table).toHaveLength(2);
    const c5 = table[1];
    const { rows: [db] } = await t.db.query(`SELECT protocol FROM conversations WHERE id = $1`, [w.ids.c5]);
    expect(c5[1]).toBe(db.protocol);
    expect(c5[15]).toBe(db.protocol);
    // started 23:55 on the 10th, ended 00:05 on the 11th, São Paulo time
    expect(c5[3]).toBe('10/03/2026 23:55:00');
    expect(c5[4]).toBe('11/03/2026 00:05:00');
    expect(c5.slice(5, 9)).toEqual(['Concluído', 'WebChat', w.chatA.name, 'Entrada']);
    expect(c5.slice(12, 14)).toEqual(['Não', 'Sim']);
    expect(c5[17]).toBe('Resolvido');
    // no call answered: T.Audio and T.Video empty, as the API's null
    expect(c5.slice(19)).toEqual(['', '']);
    const x = await xlsxOf(`/api/indicators/conversations?from=${D}&to=${D}&format=xlsx`);
    expect(x.rows).toHaveLength(7);
  });
});

// --- randomized: the API against a fold over the raw rows ---------------------------------------------

describe('randomized traffic against an independent fold', () => {
  let raw: RawConversation[];
  const FROM = '2026-06-01';
  const TO = '2026-06-07';
  beforeAll(async () => {
    const contact = (await t.db.query<{ id: string }>(`SELECT id FROM contacts LIMIT 1`)).rows[0].id;
    raw = randomTraffic(20260601, 400, {
      services: [w.chatA, w.waA, w.tgB, w.mailB].map((s) => ({ id: s.id, channel: s.channel })),
      agents: [w.a1.id, w.a2.id, w.b1.id],
      classifications: [w.classA.id],
      start: Date.parse('2026-05-31T00:00:00Z'),
      days: 9,
    });
    // and calls for half the handled ones (TMídia): every end state, answered ones with random seconds
    const calls = randomCalls(20260602, raw);
    for (const [i, r] of raw.entries()) {
      const { rows: [{ id }] } = await t.db.query<{ id: string }>(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at, bot_started_at, first_queued_at,
           queued_at, first_assigned_at, assigned_at, finished_at, classification_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14) RETURNING id`,
        [unique('R'), r.serviceId, r.channel, contact, r.direction, r.state, r.agentId, r.createdAt, r.botStartedAt, r.firstQueuedAt, r.firstAssignedAt, r.assignedAt, r.finishedAt, r.classificationId],
      );
      for (const k of calls[i]) await insertCall(id, r, k);
    }
    expect(calls.flat().filter((k) => k.answeredAt).length).toBeGreaterThan(50);
  });

  it('every table of a week, for the admin and with each filter, equals the fold', async () => {
    const names = new Map<string, string>([
      ...[w.chatA, w.waA, w.tgB, w.mailB].map((s): [string, string] => [s.id, s.name]),
      ...[w.a1, w.a2, w.b1].map((a): [string, string] => [a.id, a.name]),
      [w.classA.id, 'Resolvido'],
    ]);
    const all = (await t.db.query(`SELECT c.*, FALSE AS scripted FROM conversations c WHERE c.finished_at IS NOT NULL`)).rows;
    const rows = await withCalls(all);
    expect(rows.length).toBeGreaterThan(raw.length);
    const cases: { serviceId?: string; channel?: string }[] = [{}, { serviceId: w.chatA.id }, { channel: 'whatsapp' }, { serviceId: w.tgB.id, channel: 'telegram' }];
    for (const q of cases) {
      const qs = new URLSearchParams({ from: FROM, to: TO, ...q } as Record<string, string>);
      const r = await admin.get(`/api/indicators?${qs}`);
      expect(r.status).toBe(200);
      const want = foldIndicators(rows, { from: FROM, to: TO, ...q }, names);
      expect(want.byStatus.total).toBeGreaterThan(Object.keys(q).length ? 5 : 200);
      const strip = (x: any) => ({ byService: x.byService, byChannel: x.byChannel, byAgent: x.byAgent, byStatus: x.byStatus, daySummary: x.daySummary });
      if (!Object.keys(q).length) expect(want.byService.total.mediaSeconds).toBeGreaterThan(0);
      expect(strip(r.body), JSON.stringify(q)).toEqual(want);
    }
  });
});

// --- TMídia and the calls of the ficha: calls of known durations --------------------------------------

describe('TMídia: calls of known durations across two teams, services, agents and channels', () => {
  const AUG = '2026-08-10';
  const AUG2 = '2026-08-11';
  let chatB: any;
  let supC: Client;
  const k: Record<string, { id: string; protocol: string }> = {};
  const Z = (s: string) => new Date(`${s}Z`);
  const answered = (audioSeconds: number, videoSeconds = 0, state: RawCall['state'] = 'ended', at?: Date) => ({ state, answeredAt: at ?? null, audioSeconds, videoSeconds });

  /** A conversation handled by `agent` from `assigned` to `finished` (UTC), with its calls (each rings at `ring` or at the assignment). */
  async function handled(name: string, svc: any, agent: any, created: string, assigned: string, finished: string, calls: (RawCall & { ring?: string })[]) {
    const contact = (await t.db.query<{ id: string }>(`SELECT id FROM contacts LIMIT 1`)).rows[0].id;
    const protocol = unique('K');
    const c = { serviceId: svc.id, agentId: agent.id, assignedAt: Z(assigned), finishedAt: Z(finished) };
    const { rows: [{ id }] } = await t.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at, first_queued_at, queued_at,
         first_assigned_at, assigned_at, finished_at)
       VALUES ($1, $2, $3, $4, 'inbound', 'completed', $5, $6, $6, $6, $7, $7, $8) RETURNING id`,
      [protocol, svc.id, svc.channel, contact, agent.id, Z(created), Z(assigned), Z(finished)],
    );
    for (const call of calls) {
      const ring = call.ring ? Z(call.ring) : c.assignedAt;
      await insertCall(id, c, { ...call, answeredAt: call.answeredAt ? ring : null }, ring);
    }
    k[name] = { id, protocol };
  }

  beforeAll(async () => {
    const teamB = (await t.db.query<{ team_id: string }>(`SELECT team_id FROM service_teams WHERE service_id = $1`, [w.tgB.id])).rows[0].team_id;
    chatB = await createService(admin, { channel: 'webchat', teamIds: [teamB] });
    const teamC = await createTeam(admin, {});
    const supCUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamC.id] });
    supC = await t.login(supCUser.email, supCUser.password);
    const yes = new Date(0);
    // São Paulo is UTC−3: 13:00Z is 10:00 there
    // k1 (WebChat A, a1): a video call (30 s video, then 15 s audio), an audio call of 20 s, a missed and a declined one: 65 s
    await handled('k1', w.chatA, w.a1, `${AUG}T12:58:00`, `${AUG}T13:00:00`, `${AUG}T13:30:00`, [
      { ...answered(15, 30, 'ended', yes), ring: `${AUG}T13:01:00` }, { ...answered(20, 0, 'ended', yes), ring: `${AUG}T13:10:00` },
      { ...answered(0, 0, 'missed'), ring: `${AUG}T13:20:00` }, { ...answered(0, 0, 'declined'), ring: `${AUG}T13:25:00` },
    ]);
    // k2 (WebChat B, b1): 42 s of audio, a call answered that failed after 7 s of video, one that failed unanswered: 49 s
    await handled('k2', chatB, w.b1, `${AUG}T13:58:00`, `${AUG}T14:00:00`, `${AUG}T14:20:00`, [
      answered(42, 0, 'ended', yes), answered(0, 7, 'failed', yes), answered(0, 0, 'failed'),
    ]);
    // k3 (WhatsApp A, a2): no call
    await handled('k3', w.waA, w.a2, `${AUG}T14:58:00`, `${AUG}T15:00:00`, `${AUG}T15:10:00`, []);
    // k4 (WebChat A, a1): its 100 s call rang on the 9th (23:50 there), it ended on the 10th (00:10): the 10th's, as the rollup puts it
    await handled('k4', w.chatA, w.a1, `${AUG}T02:40:00`, `${AUG}T02:45:00`, `${AUG}T03:10:00`, [{ ...answered(100, 0, 'ended', yes), ring: `${AUG}T02:50:00` }]);
    // k5 (WebChat A, a1): its 300 s call rang on the 10th (23:35 there), it ended on the 11th (00:20): the 11th's only
    await handled('k5', w.chatA, w.a1, `${AUG2}T02:30:00`, `${AUG2}T02:30:00`, `${AUG2}T03:20:00`, [{ ...answered(300, 0, 'ended', yes), ring: `${AUG2}T02:35:00` }]);
  });

  const media = (table: any) => Object.fromEntries(table.rows.map((r: any) => [r.key, r.mediaSeconds]));

  it('sums the answered seconds per service, channel and last agent on the day the conversation ended, as worked out by hand and as the fold over the call rows', async () => {
    const r = await admin.get(`/api/indicators?from=${AUG}&to=${AUG}`);
    expect(r.status).toBe(200);
    const { byService, byChannel, byAgent } = r.body;
    expect(media(byService)).toEqual({ [w.chatA.id]: 165, [chatB.id]: 49, [w.waA.id]: 0 });
    expect(media(byChannel)).toEqual({ webchat: 214, whatsapp: 0 });
    expect(media(byAgent)).toEqual({ [w.a1.id]: 165, [w.b1.id]: 49, [w.a2.id]: 0 });
    for (const table of [byService, byChannel, byAgent]) expect(table.total.mediaSeconds).toBe(214);
    // DurMedia stays the mean handling time: k1 30 min, k4 25 min on WebChat A
    expect(row(byService, w.chatA.id)).toMatchObject({ count: 2, meanSeconds: 1650 });

    const next = (await admin.get(`/api/indicators?from=${AUG2}&to=${AUG2}`)).body;
    expect(media(next.byService)).toEqual({ [w.chatA.id]: 300 });
    const both = (await admin.get(`/api/indicators?from=${AUG}&to=${AUG2}&channel=webchat`)).body;
    expect(media(both.byService)).toEqual({ [w.chatA.id]: 465, [chatB.id]: 49 });
    expect(both.byChannel.total.mediaSeconds).toBe(514);

    // the fold over the stored rows (its own day attribution and sums)
    const rows = await withCalls((await t.db.query(`SELECT * FROM conversations WHERE finished_at IS NOT NULL`)).rows);
    expect(rows.filter((c) => c.calls!.length).map(mediaOf).reduce((a, b) => a + b, 0)).toBeGreaterThan(514);
    const names = new Map<string, string>([
      ...[w.chatA, w.waA, w.tgB, w.mailB, chatB].map((s): [string, string] => [s.id, s.name]),
      ...[w.a1, w.a2, w.b1].map((a): [string, string] => [a.id, a.name]),
      [w.classA.id, 'Resolvido'],
    ]);
    for (const q of [{}, { channel: 'webchat' }, { serviceId: chatB.id }] as Record<string, string>[]) {
      for (const [from, to] of [[AUG, AUG], [AUG2, AUG2], [AUG, AUG2]]) {
        const got = (await admin.get(`/api/indicators?${new URLSearchParams({ from, to, ...q })}`)).body;
        const want = foldIndicators(rows, { from, to, ...q }, names);
        expect({ byService: got.byService, byChannel: got.byChannel, byAgent: got.byAgent }, JSON.stringify({ from, to, ...q }))
          .toEqual({ byService: want.byService, byChannel: want.byChannel, byAgent: want.byAgent });
      }
    }
  });

  it('counts only the calls of the conversations in the supervisor’s scope; a supervisor of another team sees none', async () => {
    const a = (await w.supA.get(`/api/indicators?from=${AUG}&to=${AUG}`)).body;
    expect(media(a.byService)).toEqual({ [w.chatA.id]: 165, [w.waA.id]: 0 });
    expect(media(a.byChannel)).toEqual({ webchat: 165, whatsapp: 0 });
    expect(media(a.byAgent)).toEqual({ [w.a1.id]: 165, [w.a2.id]: 0 });
    expect(a.byService.total.mediaSeconds).toBe(165);
    const c = await supC.get(`/api/indicators?from=${AUG}&to=${AUG2}`);
    expect(c.status).toBe(200);
    for (const table of [c.body.byService, c.body.byChannel, c.body.byAgent]) {
      expect(table.rows).toEqual([]);
      expect(table.total.mediaSeconds).toBe(0);
    }
    // the ficha's calls: the same scope (404 outside it, as the conversation)
    expect((await supC.get(`/api/conversations/${k.k1.id}/calls`)).status).toBe(404);
    expect((await w.supA.get(`/api/conversations/${k.k2.id}/calls`)).status).toBe(404);
    expect((await w.supA.get(`/api/conversations/${k.k1.id}/calls`)).status).toBe(200);
  });

  it('the ficha’s calls: each call with its agent, oldest first, and T.Audio / T.Video as Atendimentos OMNI gives them', async () => {
    const r = await admin.get(`/api/conversations/${k.k1.id}/calls`);
    expect(r.status).toBe(200);
    expect(r.body.calls.map((x: any) => [x.state, x.kind, x.agentName, x.audioSeconds, x.videoSeconds, x.answeredAt !== null])).toEqual([
      ['ended', 'video', w.a1.name, 15, 30, true], ['ended', 'audio', w.a1.name, 20, 0, true], ['missed', 'audio', w.a1.name, 0, 0, false], ['declined', 'audio', w.a1.name, 0, 0, false],
    ]);
    expect(r.body).toMatchObject({ audioSeconds: 35, videoSeconds: 30 });
    expect((await admin.get(`/api/conversations/${k.k3.id}/calls`)).body).toEqual({ calls: [], audioSeconds: null, videoSeconds: null });
    const omni = (await admin.get(`/api/indicators/conversations?from=${AUG}&to=${AUG}&limit=200`)).body.rows;
    for (const name of ['k1', 'k2', 'k3', 'k4']) {
      const ficha = (await admin.get(`/api/conversations/${k[name].id}/calls`)).body;
      expect(omni.find((x: any) => x.id === k[name].id), name).toMatchObject({ audioSeconds: ficha.audioSeconds, videoSeconds: ficha.videoSeconds });
    }
    expect((await admin.get(`/api/conversations/${randomUUID()}/calls`)).status).toBe(404);
    expect((await admin.get('/api/conversations/nope/calls')).status).toBe(400);
  });

  it('Atendimentos OMNI downloads carry T.Audio and T.Video as the API gives them; the summaries’ downloads TMídia', async () => {
    const api = (await admin.get(`/api/indicators/conversations?from=${AUG}&to=${AUG}&limit=200`)).body.rows;
    const byProtocol = new Map(api.map((x: any) => [x.protocol, x]));
    const want: Record<string, [number | null, number | null]> = { k1: [35, 30], k2: [42, 7], k3: [null, null], k4: [100, 0] };
    const { table } = await csvOf(`/api/indicators/conversations?from=${AUG}&to=${AUG}&format=csv`);
    const [ia, iv, ip] = [table[0].indexOf('T.Audio'), table[0].indexOf('T.Video'), table[0].indexOf('NrAtend')];
    expect(table.length - 1).toBe(api.length);
    for (const line of table.slice(1)) {
      const x: any = byProtocol.get(line[ip]);
      expect([line[ia], line[iv]], line[ip]).toEqual([x.audioSeconds === null ? '' : hms(x.audioSeconds), x.videoSeconds === null ? '' : hms(x.videoSeconds)]);
    }
    for (const [name, [audio, video]] of Object.entries(want)) {
      const line = table.find((l) => l[ip] === k[name].protocol)!;
      expect([line[ia], line[iv]], name).toEqual([audio === null ? '' : hms(audio), video === null ? '' : hms(video)]);
    }
    const x = await xlsxOf(`/api/indicators/conversations?from=${AUG}&to=${AUG}&format=xlsx`);
    const seconds = (v: unknown) => (v === undefined || v === null || v === '' ? null
      : Math.round(((v instanceof Date ? v.getTime() - Date.UTC(1899, 11, 30) : (v as number) * 86_400_000)) / 1000));
    const [xa, xv, xp] = [x.rows[0].indexOf('T.Audio'), x.rows[0].indexOf('T.Video'), x.rows[0].indexOf('NrAtend')];
    for (const [name, [audio, video]] of Object.entries(want)) {
      const line = x.rows.find((l) => l[xp] === k[name].protocol)!;
      expect([seconds(line[xa]), seconds(line[xv])], name).toEqual([audio, video]);
    }

    const svc = (await csvOf(`/api/indicators?from=${AUG}&to=${AUG}&table=byService&format=csv`)).table;
    expect(svc[0].at(-1)).toBe('TMídia');
    expect(svc.find((l) => l[0] === chatB.name)!.at(-1)).toBe(hms(49));
    expect(svc.find((l) => l[0] === w.chatA.name)!.at(-1)).toBe(hms(165));
    const agents = await xlsxOf(`/api/indicators?from=${AUG}&to=${AUG}&table=byAgent&format=xlsx`);
    expect(agents.rows[0].at(-1)).toBe('TMídia');
    expect(seconds(agents.rows.find((l) => l[0] === w.a1.name)!.at(-1))).toBe(165);
  });
});
