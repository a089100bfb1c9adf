import { hms, parseCsv } from '../support/csv.js';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// The exports of Atendentes, Fila, Mensagens ativas and Monitorar (format=csv|xlsx): each download
// parsed back (a CSV parser, exceljs) and its rows checked against plain selects over the tables
// folded here, the headers in pt-BR and English, the audit row, and the scope.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const TZ = 'America/Sao_Paulo';
const dayOf = (d: Date | number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(d));
/** pt-BR local time text as a CSV in Portuguese writes it. */
const ptLocal = (d: Date) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(d).map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
};

const arrive = (serviceId: string, channel: any) =>
  receiveInbound(t.runtime.engine, { serviceId, channel, contact: { externalId: unique('c'), name: unique('Cliente') }, externalId: unique('m'), text: 'oi' });


async function download(client: Client, path: string, lang: string) {
  await markAudit();
  return fetch(`${t.url}${path}`, { headers: { cookie: client.cookie, 'accept-language': lang } });
}

/** A CSV download as its table (the BOM checked and dropped). */
async function csvOf(client: Client, path: string, lang = 'pt-BR') {
  const res = await download(client, path, lang);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text).toContain('\r\n');
  return { res, table: await parseCsv(text.slice(1)) };
}

/** An XLSX download as rows of cell values (the header first). */
async function xlsxOf(client: Client, path: string, lang = 'en') {
  const res = await download(client, path, lang);
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { res, rows };
}

/** The audit log's last id: the exports after it are those a test made. */
let mark = 0;
async function markAudit() {
  mark = (await t.db.query<{ n: number }>(`SELECT coalesce(max(id), 0)::int AS n FROM audit_log`)).rows[0].n;
}

/** The newest audit row of an export of `entity` since the mark (written when the stream ends). */
async function lastAudit(entity: string) {
  for (let i = 0; i < 60; i++) {
    const { rows } = await t.db.query<{ actor_name: string; after: any }>(
      `SELECT actor_name, after FROM audit_log WHERE action = 'export' AND entity = $1 AND id > $2 ORDER BY id DESC LIMIT 1`, [entity, mark],
    );
    if (rows[0]) return rows[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no audit of ${entity}`);
}

let w: {
  teamA: any; teamB: any; chatA: any; svcB: any; a1: any; a2: any; supA: Client; supB: Client; supBName: string; agent: Client; today: string;
};

beforeAll(async () => {
  const teamA = await createTeam(admin, { maxChat: 1 });
  const teamB = await createTeam(admin, { maxChat: 3 });
  const chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  const svcB = await createService(admin, { channel: 'telegram', teamIds: [teamB.id] });
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const supAUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const supBUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamB.id] });
  const desk = await t.login(a1.email, a1.password);
  await desk.post('/api/agent/login');
  // a1 takes one (limit 1), two wait; a1 finishes after 95 s and takes the next
  for (let i = 0; i < 3; i++) await arrive(chatA.id, 'webchat');
  await t.settle();
  const mine = (await desk.get('/api/conversations?mine=true')).body.items;
  expect(mine).toHaveLength(1);
  t.clock.advance(95_000);
  expect((await desk.post(`/api/conversations/${mine[0].id}/finish`, { outcome: 'completed' })).status).toBe(200);
  await t.settle();
  // team B: nobody logged in, two wait
  await arrive(svcB.id, 'telegram');
  await arrive(svcB.id, 'telegram');
  await t.settle();
  t.clock.advance(30_000);
  // three outbound conversations (as the active-messages feature will write them), a minute apart
  const now = t.clock.now().getTime();
  for (const [i, [svc, agent]] of ([[chatA.id, a1.id], [svcB.id, null], [chatA.id, a1.id]] as const).entries()) {
    const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name, phone) VALUES ($1, $2) RETURNING id`, [`Ativo ${i}`, `+55119000000${i}`])).rows[0].id;
    const at = new Date(now - (3 - i) * 60_000);
    await t.db.query(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at, assigned_at, first_assigned_at, finished_at)
       VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, $8, $9)`,
      [`OUT-${i}-${Date.now()}`, svc, svc === chatA.id ? 'webchat' : 'telegram', contact, agent ? 'completed' : 'in_service', agent, at, agent ? at : null, agent ? new Date(at.getTime() + 20_000) : null],
    );
  }
  w = {
    teamA, teamB, chatA, svcB, a1, a2,
    supA: await t.login(supAUser.email, supAUser.password),
    supB: await t.login(supBUser.email, supBUser.password),
    supBName: supBUser.name,
    agent: desk,
    today: dayOf(t.clock.now()),
  };
});

/** Every conversation with its names, by plain selects. */
async function conversations() {
  const { rows } = await t.db.query<any>(
    `SELECT c.*, s.name AS service_name, ct.name AS contact_name, u.name AS agent_name
       FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id LEFT JOIN users u ON u.id = c.agent_id`,
  );
  return rows as any[];
}

describe('Atendentes export', () => {
  const path = () => `/api/analysis/agents?from=${w.today}&to=${w.today}`;

  it('CSV in pt-BR: one row per agent, its figures as a fold over the conversations, audited', async () => {
    const { res, table } = await csvOf(admin, `${path()}&format=csv`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="atendentes_${w.today}.csv"`);
    expect(table[0]).toEqual(['Agente', 'Estado', 'Motivo da pausa', 'Desde', 'Em atendimento', 'Concluídos', 'Cancelados', 'Outros finalizados', 'TMA']);
    const all = await conversations();
    const expected = [w.a1, w.a2].map((a) => {
      const mine = all.filter((c) => c.agent_id === a.id);
      const done = mine.filter((c) => c.finished_at && dayOf(c.finished_at) === w.today);
      const handled = done.filter((c) => c.assigned_at);
      const tma = handled.length ? Math.round(handled.reduce((s, c) => s + (c.finished_at - c.assigned_at) / 1000, 0) / handled.length) : null;
      return [a.name, String(mine.filter((c) => c.state === 'in_service').length), String(done.filter((c) => c.state === 'completed').length),
        String(done.filter((c) => c.state === 'cancelled').length), tma === null ? '' : hms(tma)];
    });
    const got = table.slice(1).map((r) => [r[0], r[4], r[5], r[6], r[8]]);
    for (const e of expected) expect(got).toContainEqual(e);
    expect(table.slice(1).find((r) => r[0] === w.a1.name)![1]).toBe('Em atendimento');
    expect(table.slice(1).find((r) => r[0] === w.a2.name)![1]).toBe('Offline');
    expect(res.headers.get('x-total-count')).toBe(String(table.length - 1));
    const audit = await lastAudit('analysis_agents');
    expect(audit.actor_name).toBeTruthy();
    expect(audit.after).toMatchObject({ format: 'csv', filters: { from: w.today, to: w.today }, rows: table.length - 1, complete: true });
  });

  it('XLSX in English, numbers as numbers; a supervisor of team B gets team B alone; an agent 403', async () => {
    const { rows } = await xlsxOf(admin, `${path()}&format=xlsx`);
    expect(rows[0]).toEqual(['Agent', 'State', 'Pause reason', 'Since', 'In service', 'Completed', 'Cancelled', 'Other finished', 'AHT']);
    const a1 = rows.find((r) => r[0] === w.a1.name)!;
    expect(a1[1]).toBe('In service');
    expect(typeof a1[4]).toBe('number');
    const b = await csvOf(w.supB, `${path()}&format=csv`);
    expect(b.table.slice(1).map((r) => r[0])).toEqual([w.a2.name]);
    expect((await download(w.agent, `${path()}&format=csv`, 'pt-BR')).status).toBe(403);
  });
});

describe('Fila export', () => {
  it('CSV: every waiting conversation under its department, with the reason, as plain SQL finds them; scope', async () => {
    const { table } = await csvOf(admin, '/api/analysis/queue?format=csv');
    expect(table[0]).toEqual(['Departamento', 'Motivo', 'Posição', 'Protocolo', 'Cliente', 'Canal', 'Serviço', 'Entrada na fila', 'Tempo em fila', 'Prioridade', 'Agente alocado', 'Fora do horário']);
    const { rows: plain } = await t.db.query<{ team: string; protocol: string; queued_at: Date }>(
      `SELECT t.name AS team, c.protocol, coalesce(c.queued_at, c.created_at) AS queued_at FROM conversations c
         JOIN service_teams st ON st.service_id = c.service_id JOIN teams t ON t.id = st.team_id WHERE c.state = 'queued'`,
    );
    expect(plain.length).toBe(3);
    const pairs = (rows: string[][]) => rows.map((r) => `${r[0]}|${r[3]}`).sort();
    expect(pairs(table.slice(1))).toEqual(plain.map((r) => `${r.team}|${r.protocol}`).sort());
    const b = table.slice(1).filter((r) => r[0] === w.teamB.name);
    expect(b.map((r) => r[1])).toEqual(['Nenhum agente logado.', 'Nenhum agente logado.']);
    expect(b.map((r) => r[2]).sort()).toEqual(['1', '2']);
    for (const r of table.slice(1)) {
      const p = plain.find((x) => x.protocol === r[3])!;
      expect(r[7]).toBe(ptLocal(p.queued_at));
      expect(r[8]).toBe(hms(Math.floor((t.clock.now().getTime() - p.queued_at.getTime()) / 1000)));
    }
    expect(table.slice(1).find((r) => r[0] === w.teamA.name)![1]).toBe('Todos os agentes no limite (1/1), máximo de 1 por agente.');
    expect((await lastAudit('analysis_queue')).after).toMatchObject({ format: 'csv', rows: 3, complete: true });
    // supervisor of team A: team A's wait alone
    const a = await csvOf(w.supA, '/api/analysis/queue?format=csv');
    expect(a.table.slice(1).map((r) => r[0])).toEqual([w.teamA.name]);
    expect((await download(w.agent, '/api/analysis/queue?format=csv', 'pt-BR')).status).toBe(403);
  });

  it('XLSX in English', async () => {
    const { rows } = await xlsxOf(admin, '/api/analysis/queue?format=xlsx');
    expect(rows[0][0]).toBe('Department');
    expect(rows[0][1]).toBe('Reason');
    expect(rows.slice(1).filter((r) => r[0] === w.teamB.name).map((r) => r[1])).toEqual(['No agent logged in.', 'No agent logged in.']);
    expect(rows.length - 1).toBe(3);
  });
});

describe('Mensagens ativas export', () => {
  it('CSV streams the outbound conversations newest first, as plain SQL lists them; audited with its filters', async () => {
    const { res, table } = await csvOf(admin, '/api/analysis/outbound?format=csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mensagens-ativas_todo-o-periodo.csv"');
    expect(table[0]).toEqual(['Data/Hora', 'Protocolo', 'Serviço', 'Canal', 'Cliente', 'Status', 'Agente', 'Assunto', 'Atribuído em', 'Finalizado em']);
    const { rows: plain } = await t.db.query<any>(
      `SELECT c.protocol, c.created_at, c.finished_at, s.name AS service FROM conversations c JOIN services s ON s.id = c.service_id
        WHERE c.direction = 'outbound' ORDER BY c.created_at DESC, c.id DESC`,
    );
    expect(plain).toHaveLength(3);
    expect(table.slice(1).map((r) => r[1])).toEqual(plain.map((r) => r.protocol));
    expect(table.slice(1).map((r) => r[0])).toEqual(plain.map((r) => ptLocal(r.created_at)));
    expect(table.slice(1).map((r) => r[9])).toEqual(plain.map((r) => (r.finished_at ? ptLocal(r.finished_at) : '')));
    expect(table.slice(1).map((r) => r[5])).toEqual(plain.map((r) => (r.finished_at ? 'Concluído' : 'Em andamento')));
    expect(res.headers.get('x-total-count')).toBe('3');
    // a filter narrows it and is audited
    const f = await csvOf(admin, `/api/analysis/outbound?format=csv&serviceIds=${w.svcB.id}`);
    expect(f.table.slice(1).map((r) => r[2])).toEqual([w.svcB.name]);
    expect((await lastAudit('analysis_outbound')).after).toMatchObject({ format: 'csv', filters: { serviceIds: [w.svcB.id] }, rows: 1, complete: true });
  });

  it('XLSX in English with date cells; scope', async () => {
    const { rows } = await xlsxOf(admin, '/api/analysis/outbound?format=xlsx');
    expect(rows[0]).toEqual(['Date/time', 'Protocol', 'Service', 'Channel', 'Customer', 'Status', 'Agent', 'Subject', 'Assigned at', 'Finished at']);
    expect(rows.length - 1).toBe(3);
    expect(rows[1][0]).toBeInstanceOf(Date);
    const b = await csvOf(w.supB, '/api/analysis/outbound?format=csv');
    expect(b.table.slice(1).map((r) => r[2])).toEqual([w.svcB.name]);
    expect((await lastAudit('analysis_outbound')).actor_name).toBe(w.supBName);
    expect((await download(w.agent, '/api/analysis/outbound?format=csv', 'pt-BR')).status).toBe(403);
  });
});

describe('Monitorar export', () => {
  const OPEN = new Set(['triage', 'bot', 'queued', 'in_service']);

  it('view=service, open: every row of every group, the group first, in the screen order (plain fold)', async () => {
    const { res, table } = await csvOf(admin, '/api/monitor/conversations?view=service&period=open&format=csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="monitorar-servico-em-aberto.csv"');
    expect(table[0]).toEqual(['Serviço', 'Código', 'Cliente', 'Serviço', 'Agente', 'Canal', 'Situação', 'Início', 'T.Fila', 'T.Atd', 'ÚltMsg', 'Assunto']);
    const all = (await conversations()).filter((c) => OPEN.has(c.state));
    const collator = new Intl.Collator('pt-BR');
    all.sort((a, b) => collator.compare(a.service_name, b.service_name) || a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    expect(table.slice(1).map((r) => [r[0], r[1]])).toEqual(all.map((c) => [c.service_name, c.protocol]));
    expect(res.headers.get('x-total-count')).toBe(String(all.length));
    // T.Atd of the conversation a1 holds: from its assignment to now
    const held = all.find((c) => c.agent_id === w.a1.id && c.direction === 'inbound')!;
    expect(table.find((r) => r[1] === held.protocol)![9]).toBe(hms(Math.floor((t.clock.now().getTime() - held.first_assigned_at.getTime()) / 1000)));
    expect((await lastAudit('monitorar')).after).toMatchObject({ format: 'csv', filters: { view: 'service', period: 'open' }, rows: all.length, complete: true });
  });

  it('view=status, today as XLSX in English: groups in state order, newest first; scope; group with format is a 400', async () => {
    const { rows } = await xlsxOf(admin, '/api/monitor/conversations?view=status&period=today&format=xlsx');
    expect(rows[0][0]).toBe('Status');
    expect(rows[0][1]).toBe('Code');
    const order = ['triage', 'bot', 'queued', 'in_service', 'completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded'];
    const english: Record<string, string> = { queued: 'Waiting in queue', in_service: 'In service', completed: 'Completed' };
    const all = (await conversations()).filter((c) => dayOf(c.created_at) === w.today);
    all.sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || b.created_at - a.created_at || (a.id < b.id ? 1 : -1));
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual(all.map((c) => [english[c.state], c.protocol]));
    // supervisor B: team B's service alone
    const b = await csvOf(w.supB, '/api/monitor/conversations?view=service&period=open&format=csv');
    expect(new Set(b.table.slice(1).map((r) => r[0]))).toEqual(new Set([w.svcB.name]));
    expect(b.table.length - 1).toBe((await conversations()).filter((c) => OPEN.has(c.state) && c.service_id === w.svcB.id).length);
    expect((await download(w.agent, '/api/monitor/conversations?view=service&period=open&format=csv', 'pt-BR')).status).toBe(403);
    const bad = await admin.get('/api/monitor/conversations?view=status&period=open&group=queued&format=csv');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path.replace(/^querystring\./, ''))).toContain('group');
  });
});
