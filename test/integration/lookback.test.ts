import { randomUUID } from 'node:crypto';
import { hms, parseCsv } from '../support/csv.js';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Consultas and Histórico through the real API. The conversations are written straight into the
// database with known times, states and texts; every page, order and count is checked against a
// plain TypeScript computation over what this file wrote, or a simple SQL of its own.

let t: TestApp;
let admin: Client;
appForFile((a) => ({ t, admin } = a));

interface Seeded {
  id: string;
  protocol: string;
  serviceId: string;
  serviceName: string;
  channel: string;
  state: string;
  agentId: string | null;
  agentName: string | null;
  classificationId: string | null;
  contactName: string;
  createdAt: Date;
  queuedAt: Date | null;
  assignedAt: Date | null;
  finishedAt: Date | null;
  bodies: string[];
}

const rows: Seeded[] = [];
let team: { id: string };
let sup: { email: string; password: string };
let otherSup: { email: string; password: string };
let agent: { email: string; password: string };
const services: { id: string; name: string; channel: string }[] = [];
const agents: { id: string; name: string }[] = [];
let classificationId: string;
const STATES = ['completed', 'in_service', 'queued', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'bot'];
const NAMES = ['Beatriz Rocha', 'ana lima', 'Carlos Dias', 'Zé Mello', 'Álvaro Nunes'];
const CHAT = ['webchat', 'api'];
const MESSAGING = ['whatsapp', 'instagram', 'facebook', 'telegram', 'sms'];

/** The local day in São Paulo (UTC−3 all year since 2019). */
const spDay = (d: Date) => new Date(d.getTime() - 3 * 3600_000).toISOString().slice(0, 10);
const q = (o: Record<string, string | number | undefined>) =>
  `/api/lookback/conversations?${new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))}`;

beforeAll(async () => {
  team = await createTeam(admin);
  const otherTeam = await createTeam(admin);
  for (let i = 0; i < 2; i++) {
    const u = await createUser(admin, { teamIds: [team.id] });
    agents.push({ id: u.id, name: u.name });
  }
  agent = await createUser(admin, { teamIds: [team.id] });
  sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  otherSup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [otherTeam.id] });
  for (const channel of ['webchat', 'email', 'whatsapp']) {
    const s = await createService(admin, { channel, teamIds: [team.id] });
    services.push({ id: s.id, name: s.name, channel });
  }
  classificationId = (await admin.post('/api/classifications', { code: randomUUID().slice(0, 8), name: unique('Classe') })).body.id;
  const contactIds: string[] = [];
  for (const name of NAMES) {
    const r = await t.db.query<{ id: string }>(`INSERT INTO contacts (name, phone, email) VALUES ($1, $2, $3) RETURNING id`, [name, `+55119${randomUUID().replace(/\D/g, '').slice(0, 8)}`, `${name.split(' ')[0].toLowerCase()}@exemplo.com`]);
    contactIds.push(r.rows[0].id);
  }
  // 45 conversations, one every 67 minutes from 2024-05-09 22:00 UTC (19:00 in São Paulo): about two
  // local days, a local midnight that is not UTC's
  for (let k = 0; k < 45; k++) {
    const service = services[k % 3];
    const state = STATES[k % STATES.length];
    const createdAt = new Date(Date.UTC(2024, 4, 9, 22) + k * 67 * 60_000);
    const handled = ['completed', 'in_service', 'cancelled', 'connection_lost', 'inactive_in_service'].includes(state);
    const queuedAt = state === 'bot' ? null : new Date(createdAt.getTime() + 20_000);
    const assignedAt = handled ? new Date(createdAt.getTime() + 20_000 + (k % 7) * 13_000) : null;
    const finishedAt = state === 'in_service' || state === 'queued' || state === 'bot' ? null : new Date(createdAt.getTime() + 600_000 + k * 1000);
    const a = handled ? agents[k % 2] : null;
    const cls = state === 'completed' && k % 2 === 0 ? classificationId : null;
    const protocol = `2024${String(900000 + k)}${randomUUID().slice(0, 4)}`;
    const bodies = [`Olá, pedido ${k}`, k % 5 === 0 ? 'Quero a segunda via do BOLETO' : 'Bom dia'];
    const r = await t.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, classification_id, created_at, first_queued_at, queued_at, first_assigned_at, assigned_at, finished_at, subject)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10, $11, $12) RETURNING id`,
      [protocol, service.id, service.channel, contactIds[k % NAMES.length], state, a?.id ?? null, cls, createdAt, queuedAt, assignedAt, finishedAt, service.channel === 'email' ? `Assunto ${k}` : null],
    );
    for (const b of bodies) await t.db.query(`INSERT INTO messages (conversation_id, channel, author_type, body) VALUES ($1, $2, 'customer', $3)`, [r.rows[0].id, service.channel, b]);
    await t.db.query(`INSERT INTO messages (conversation_id, channel, author_type, body) VALUES ($1, $2, 'system', 'boleto: aviso do sistema')`, [r.rows[0].id, service.channel]);
    rows.push({ id: r.rows[0].id, protocol, serviceId: service.id, serviceName: service.name, channel: service.channel, state, agentId: a?.id ?? null, agentName: a?.name ?? null, classificationId: cls, contactName: NAMES[k % NAMES.length], createdAt, queuedAt, assignedAt, finishedAt, bodies });
  }
});

/** Every page of a query, following `next`. */
async function allPages(c: Client, params: Record<string, string | number | undefined>) {
  const seen: { id: string; [k: string]: unknown }[] = [];
  let after: string | undefined;
  let total = -1;
  for (let guard = 0; guard < 100; guard++) {
    const r = await c.get(q({ ...params, after }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (total === -1) total = r.body.total;
    expect(r.body.total).toBe(total);
    seen.push(...r.body.rows);
    if (!r.body.next) break;
    after = r.body.next;
  }
  return { rows: seen, total };
}

const newestFirst = (a: Seeded, b: Seeded) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);
const inPeriod = (from: string, to: string) => (r: Seeded) => spDay(r.createdAt) >= from && spDay(r.createdAt) <= to;
const family = (f: string) => (r: Seeded) => (f === 'chat' ? CHAT : f === 'email' ? ['email'] : MESSAGING).includes(r.channel);

describe('GET /api/lookback/conversations', () => {
  it('pages a tab by keyset, newest first, with the total an independent count gives', async () => {
    const period = { from: '2024-05-10', to: '2024-05-10' };
    for (const f of ['chat', 'email', 'messaging']) {
      const got = await allPages(admin, { ...period, family: f, limit: 4 });
      const expected = rows.filter(inPeriod(period.from, period.to)).filter(family(f)).sort(newestFirst);
      expect(expected.length).toBeGreaterThan(3);
      expect(got.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      const sqlCount = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM conversations WHERE service_id = ANY($1::uuid[]) AND channel = ANY($2::text[])
           AND (created_at AT TIME ZONE 'America/Sao_Paulo')::date = $3::date`,
        [services.map((s) => s.id), f === 'chat' ? CHAT : f === 'email' ? ['email'] : MESSAGING, period.from],
      );
      expect(got.total).toBe(sqlCount.rows[0].n);
    }
  });

  it('gives every seed column’s data on a row', async () => {
    const r = await admin.get(q({ protocol: rows[9].protocol }));
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(1);
    const s = rows[9];
    expect(r.body.rows[0]).toMatchObject({
      id: s.id, protocol: s.protocol, channel: s.channel, state: s.state, serviceName: s.serviceName, agentName: s.agentName, contactName: s.contactName,
      startedAt: s.createdAt.toISOString(), queuedAt: s.queuedAt?.toISOString() ?? null, humanStartedAt: s.assignedAt?.toISOString() ?? null,
      queueSeconds: s.queuedAt && s.assignedAt ? (s.assignedAt.getTime() - s.queuedAt.getTime()) / 1000 : null,
      handleSeconds: s.assignedAt && s.finishedAt ? (s.finishedAt.getTime() - s.assignedAt.getTime()) / 1000 : null,
      audioSeconds: null, videoSeconds: null,
    });
  });

  it('sorts by any column, both ways, across pages', async () => {
    const cmp = (get: (r: Seeded) => string | number | null, dir: 1 | -1) => (a: Seeded, b: Seeded) => {
      const x = get(a);
      const y = get(b);
      if (x === null || y === null) return x === y ? (a.id < b.id ? -dir : dir) : x === null ? 1 : -1; // NULLs last
      return (x < y ? -dir : x > y ? dir : 0) || (a.id < b.id ? -dir : dir);
    };
    const cases: [string, (r: Seeded) => string | number | null][] = [
      ['protocol', (r) => r.protocol],
      ['queueTime', (r) => (r.queuedAt && (r.assignedAt ?? r.finishedAt) ? Math.floor(((r.assignedAt ?? r.finishedAt)!.getTime() - r.queuedAt.getTime()) / 1000) : null)],
      ['handleTime', (r) => (r.assignedAt && r.finishedAt ? Math.floor((r.finishedAt.getTime() - r.assignedAt.getTime()) / 1000) : null)],
      ['state', (r) => r.state],
      ['humanStart', (r) => r.assignedAt?.getTime() ?? null],
    ];
    for (const [sort, get] of cases) {
      for (const dir of ['asc', 'desc'] as const) {
        const got = await allPages(admin, { family: 'chat', sort, dir, limit: 3 });
        const expected = rows.filter(family('chat')).sort(cmp(get, dir === 'asc' ? 1 : -1));
        expect(got.rows.map((r) => r.id), `${sort} ${dir}`).toEqual(expected.map((r) => r.id));
      }
    }
    // by a name: the order PostgreSQL's collation gives, checked by a query of its own
    const byAgent = await allPages(admin, { sort: 'agent', limit: 5 });
    const sqlOrder = await t.db.query<{ id: string }>(
      `SELECT c.id FROM conversations c LEFT JOIN users u ON u.id = c.agent_id WHERE c.service_id = ANY($1::uuid[]) ORDER BY u.name ASC NULLS LAST, c.id ASC`,
      [services.map((s) => s.id)],
    );
    expect(byAgent.rows.map((r) => r.id)).toEqual(sqlOrder.rows.map((r) => r.id));
  });

  it('filters by status, agent, service, classification, origin and the messages’ text', async () => {
    const cases: [Record<string, string>, (r: Seeded) => boolean][] = [
      [{ states: 'completed,abandoned' }, (r) => r.state === 'completed' || r.state === 'abandoned'],
      [{ agentIds: agents[1].id }, (r) => r.agentId === agents[1].id],
      [{ serviceIds: services[2].id }, (r) => r.serviceId === services[2].id],
      [{ classificationIds: classificationId }, (r) => r.classificationId === classificationId],
      [{ origin: 'LIMA' }, (r) => r.contactName.toLowerCase().includes('lima')],
      // system notices are not searched
      [{ text: 'boleto' }, (r) => r.bodies.some((b) => b.toLowerCase().includes('boleto'))],
      [{ family: 'email', states: 'completed', agentIds: agents[0].id }, (r) => r.channel === 'email' && r.state === 'completed' && r.agentId === agents[0].id],
    ];
    for (const [filter, keep] of cases) {
      const got = await allPages(admin, { ...filter, limit: 10 });
      const expected = rows.filter(keep).sort(newestFirst);
      expect(got.rows.map((r) => r.id), JSON.stringify(filter)).toEqual(expected.map((r) => r.id));
      expect(got.total).toBe(expected.length);
    }
  });

  it('shows a supervisor their teams’ conversations, another team’s supervisor none, and refuses agents', async () => {
    const mine = await t.login(sup.email, sup.password);
    expect((await allPages(mine, { limit: 50 })).total).toBe(rows.length);
    const other = await t.login(otherSup.email, otherSup.password);
    const none = await other.get(q({}));
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ rows: [], total: 0, next: null });
    expect((await other.get(q({ protocol: rows[0].protocol }))).body.total).toBe(0);
    const csv = await other.get(q({ format: 'csv' }));
    expect(csv.status).toBe(200);
    expect(await parseCsv(csv.body)).toHaveLength(1); // the header alone
    const ag = await t.login(agent.email, agent.password);
    expect((await ag.get(q({}))).status).toBe(403);
  });

  it('answers 400 naming the field for bad filters', async () => {
    const bad: [Record<string, string>, string][] = [
      [{ from: '2024-05-10', to: '2024-05-01' }, 'to'],
      [{ from: '2023-01-01', to: '2024-05-01' }, 'to'],
      [{ states: 'completed,closed' }, 'states.1'],
      [{ family: 'fax' }, 'family'],
      [{ sort: 'colour' }, 'sort'],
      [{ limit: '500' }, 'limit'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ from: '2024-05-10' }, 'to'],
    ];
    for (const [params, field] of bad) {
      const r = await admin.get(q(params));
      expect(r.status, JSON.stringify(params)).toBe(400);
      const paths: string[] = r.body.error.issues.map((i: { path: string }) => i.path);
      expect(paths.some((p) => p === field || p.endsWith(`.${field}`)), `${JSON.stringify(params)}: ${paths}`).toBe(true);
    }
    // a cursor of another sort is not this list's
    const first = await admin.get(q({ sort: 'protocol', limit: 2 }));
    const r = await admin.get(q({ sort: 'state', limit: 2, after: first.body.next }));
    expect(r.status).toBe(400);
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain('after');
  });
});


describe('exports', () => {
  it('streams the selection as CSV (BOM, ;) in pt-BR with local times and HH:MM:SS, and audits it', async () => {
    const period = { from: '2024-05-10', to: '2024-05-11' };
    const res = await fetch(`${t.url}${q({ ...period, family: 'chat', format: 'csv' })}`, { headers: { cookie: admin.cookie, 'accept-language': 'pt-BR' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="atendimentos-chat_2024-05-10_a_2024-05-11.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const table = await parseCsv(text.slice(1));
    expect(table[0]).toEqual(['Dt.Ini.Atd.Bot', 'Dt.Fim.Atd.Bot', 'Data Fila', 'Dt.Ini.Atd.Hum', 'Dt.Fim.Atd.Hum', 'Nr.Ocorr', 'Tempo de Fila', 'T.Atend', 'T.Audio', 'T.Video', 'Contato', 'Status', 'Agente', 'Tipo']);
    const expected = rows.filter(inPeriod(period.from, period.to)).filter(family('chat')).sort(newestFirst);
    expect(res.headers.get('x-total-count')).toBe(String(expected.length));
    expect(table.slice(1).map((r) => r[5])).toEqual(expected.map((r) => r.protocol));
    const local = (d: Date) => {
      const x = new Date(d.getTime() - 3 * 3600_000).toISOString();
      return `${x.slice(8, 10)}/${x.slice(5, 7)}/${x.slice(0, 4)} ${x.slice(11, 19)}`;
    };
    for (const [i, s] of expected.entries()) {
      const line = table[i + 1];
      expect(line[2]).toBe(s.queuedAt ? local(s.queuedAt) : '');
      expect(line[6]).toBe(s.queuedAt && s.assignedAt ? hms((s.assignedAt.getTime() - s.queuedAt.getTime()) / 1000) : s.queuedAt && s.finishedAt ? hms(Math.floor((s.finishedAt.getTime() - s.queuedAt.getTime()) / 1000)) : '');
      expect(line[10]).toBe(s.contactName);
      expect(line[12]).toBe(s.agentName ?? '');
    }
    const completed = expected.findIndex((s) => s.state === 'completed');
    expect(table[completed + 1][11]).toBe('Concluído');
    // the audit: who, what filters, how many rows (written when the stream ends)
    await new Promise((r) => setTimeout(r, 100));
    const audit = await t.db.query<{ actor_name: string; after: { format: string; filters: Record<string, unknown>; rows: number; complete: boolean } }>(
      `SELECT actor_name, after FROM audit_log WHERE action = 'export' AND entity = 'conversations' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0].after).toMatchObject({ format: 'csv', filters: { ...period, family: 'chat' }, rows: expected.length, complete: true });
  });

  it('streams XLSX that exceljs reads back, with English headers for an English screen', async () => {
    const res = await fetch(`${t.url}${q({ family: 'email', format: 'xlsx', sort: 'protocol', dir: 'asc' })}`, { headers: { cookie: admin.cookie, 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('atendimentos-e-mail_todo-o-periodo.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Date/time', 'Protocol', 'Queue time', 'Handle time', 'Service', 'Origin', 'Subject', 'Status', 'Assignee']);
    const expected = rows.filter(family('email')).sort((a, b) => (a.protocol < b.protocol ? -1 : 1));
    expect(sheet.rowCount - 1).toBe(expected.length);
    expected.forEach((s, i) => {
      const v = sheet.getRow(i + 2).values as unknown[];
      expect(v[2]).toBe(s.protocol);
      // the local wall-clock time as the cell's date
      expect((v[1] as Date).toISOString()).toBe(new Date(s.createdAt.getTime() - 3 * 3600_000).toISOString());
      expect(v[7]).toBe(`Assunto ${rows.indexOf(s)}`);
    });
  });
});

describe('the messages’ text: a common phrase is searched conversation by conversation, a rare one from its messages', () => {
  it('picks the plan by the planner’s estimate, and both plans give the same rows and totals', async () => {
    // 25,000 messages of one phrase in the first conversation: "segunda via" becomes common
    await t.db.query(
      `INSERT INTO messages (conversation_id, channel, author_type, body)
       SELECT $1, $2, 'customer', 'preciso da segunda via, por favor' FROM generate_series(1, 25000)`,
      [rows[0].id, rows[0].channel],
    );
    await t.db.query('ANALYZE messages');
    const { textPlanFor, lookbackSql, COMMON_TEXT_MESSAGES } = await import('../../src/engine/queries/lookback.js');
    expect(COMMON_TEXT_MESSAGES).toBeLessThan(25_000);
    expect(await textPlanFor(t.db, 'segunda via')).toBe('each');
    expect(await textPlanFor(t.db, 'boleto')).toBe('matches');
    const system = { id: null, role: 'system' } as const;
    for (const text of ['segunda via', 'boleto', 'pedido 1', 'nada disso']) {
      const has = (r: Seeded) => r.bodies.some((b) => b.toLowerCase().includes(text)) || (text === 'segunda via' && r.id === rows[0].id);
      const expected = rows.filter(has).sort(newestFirst).map((r) => r.id);
      for (const textPlan of ['each', 'matches'] as const) {
        const sql = lookbackSql({ text }, system, 'America/Sao_Paulo', { own: true, textPlan });
        const got = await t.db.query<{ id: string }>(`${sql.sql} ORDER BY c.created_at DESC, c.id DESC`, sql.params);
        expect(got.rows.map((r) => r.id), `${text} ${textPlan}`).toEqual(expected);
      }
      // and through the API, whichever plan it took
      const api = await allPages(admin, { text, limit: 10 });
      expect(api.rows.map((r) => r.id), text).toEqual(expected);
      expect(api.total, text).toBe(expected.length);
    }
  });

  it('counts a common phrase up to a thousand conversations and says "more than" past it', async () => {
    const { COMMON_TEXT_COUNT_CAP } = await import('../../src/engine/queries/lookback.js');
    const n = COMMON_TEXT_COUNT_CAP + 5;
    // that many conversations of one day in 2023, each with the (now common) phrase
    await t.db.query(
      `WITH c AS (
         INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, finished_at)
         SELECT '2023' || lpad(g::text, 10, '0'), $1, $2, $3, 'abandoned', '2023-03-15 13:00:00+00'::timestamptz + g * interval '1 second', '2023-03-15 14:00:00+00'
           FROM generate_series(1, ${n}) g RETURNING id)
       INSERT INTO messages (conversation_id, channel, author_type, body) SELECT id, $2, 'customer', 'a segunda via, por favor' FROM c`,
      [services[0].id, services[0].channel, (await t.db.query<{ id: string }>('SELECT contact_id AS id FROM conversations WHERE id = $1', [rows[0].id])).rows[0].id],
    );
    const day = { from: '2023-03-15', to: '2023-03-15' };
    const first = await admin.get(q({ ...day, text: 'segunda via', limit: 50 }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: COMMON_TEXT_COUNT_CAP, totalExact: false });
    expect(first.body.rows).toHaveLength(50);
    // without the text the day's count is exact
    expect((await admin.get(q({ ...day, limit: 1 }))).body).toMatchObject({ total: n, totalExact: true });
  });
});

describe('the origin: a few contacts are read by contact, thousands as a set, a common surname conversation by conversation', () => {
  it('gives the same rows with every plan, for names, e-mails, phones and channel identities', async () => {
    // a contact known only by its WhatsApp identity's display name, with one conversation of the period
    const bare = await t.db.query<{ id: string }>(`INSERT INTO contacts DEFAULT VALUES RETURNING id`);
    await t.db.query(`INSERT INTO contact_identities (contact_id, channel, external_id, display_name) VALUES ($1, 'whatsapp', '5511987654321', 'Dona Cotinha')`, [bare.rows[0].id]);
    const extraProtocol = `2024${randomUUID().slice(0, 8)}`;
    const extra = await t.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, finished_at)
       VALUES ($1, $2, $3, $4, 'abandoned', '2024-05-10 15:00:00+00', '2024-05-10 15:10:00+00') RETURNING id`,
      [extraProtocol, services[0].id, services[0].channel, bare.rows[0].id],
    );
    const { lookbackSql, countSql } = await import('../../src/engine/queries/lookback.js');
    const system = { id: null, role: 'system' } as const;
    // the period of the file's conversations (other tests add some elsewhere)
    const period = { from: '2024-05-09', to: '2024-05-12' };
    const cases: [string, (r: Seeded) => boolean, boolean][] = [
      ['lima', (r) => r.contactName.toLowerCase().includes('lima'), false],
      ['ÁLVARO', (r) => r.contactName === 'Álvaro Nunes', false],
      ['carlos@exemplo', (r) => r.contactName === 'Carlos Dias', false], // the e-mail
      ['cotinha', () => false, true], // the identity's display name only
      ['98765432', () => false, true], // the identity's number
      ['ninguém assim', () => false, false],
    ];
    for (const [origin, keep, theBare] of cases) {
      const expected = [...rows.filter(keep), ...(theBare ? [{ id: extra.rows[0].id, createdAt: new Date('2024-05-10T15:00:00Z') } as Seeded] : [])]
        .sort(newestFirst).map((r) => r.id);
      for (const originPlan of ['contacts', 'set', 'each'] as const) {
        const list = lookbackSql({ origin, ...period }, system, 'America/Sao_Paulo', { own: true, originPlan });
        const got = await t.db.query<{ id: string }>(`${list.sql} ORDER BY c.created_at DESC, c.id DESC`, list.params);
        expect(got.rows.map((r) => r.id), `${origin} ${originPlan}`).toEqual(expected);
        const count = countSql({ origin, ...period }, system, 'America/Sao_Paulo', undefined, { originPlan });
        const n = await t.db.query<{ n: string }>(count.sql, count.params);
        expect(Number(n.rows[0].n), `${origin} ${originPlan} count`).toBe(expected.length);
      }
      // and through the API, whichever plan it took
      const api = await allPages(admin, { origin, ...period, limit: 4 });
      expect(api.rows.map((r) => r.id), origin).toEqual(expected);
      expect(api.total, origin).toBe(expected.length);
      // the export (a few contacts: read by contact) writes the same conversations
      const csv = await admin.get(q({ origin, ...period, format: 'csv' }));
      expect(csv.status).toBe(200);
      const protocols = new Set([...rows, { id: extra.rows[0].id, protocol: extraProtocol } as Seeded].filter((r) => expected.includes(r.id)).map((r) => r.protocol));
      expect(new Set((await parseCsv(csv.body)).slice(1).map((line) => line.find((cell) => protocols.has(cell)) ?? line.join('|'))), origin).toEqual(protocols);
    }
    await t.db.query('DELETE FROM conversations WHERE id = $1', [extra.rows[0].id]);
  });

  it('picks the plan by the planner’s estimate, and counts a common surname up to a thousand, saying "more than"', async () => {
    const { originPlanFor, ORIGIN_FEW_CONTACTS, ORIGIN_COMMON_CONTACTS, COMMON_ORIGIN_COUNT_CAP } = await import('../../src/engine/queries/lookback.js');
    expect(ORIGIN_FEW_CONTACTS).toBeLessThan(ORIGIN_COMMON_CONTACTS);
    expect(ORIGIN_COMMON_CONTACTS).toBeLessThan(25_000);
    // 25,000 customers of one surname: a common one
    await t.db.query(`INSERT INTO contacts (name) SELECT 'Cliente ' || g || ' Pereirinha' FROM generate_series(1, 25000) g`);
    await t.db.query('ANALYZE contacts');
    expect(await originPlanFor(t.db, 'pereirinha')).toBe('each');
    expect(await originPlanFor(t.db, 'Zé Mello')).toBe('contacts');
    expect(await originPlanFor(t.db, undefined)).toBeUndefined();
    // 1,005 conversations on one day in 2023, each of a different Pereirinha
    const n = COMMON_ORIGIN_COUNT_CAP + 5;
    await t.db.query(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, finished_at)
       SELECT '2023O' || lpad(k::text, 9, '0'), $1, $2, ct.id, 'abandoned', '2023-04-20 13:00:00+00'::timestamptz + k * interval '1 second', '2023-04-20 14:00:00+00'
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM contacts WHERE name LIKE '% Pereirinha') ct WHERE ct.k <= ${n}`,
      [services[0].id, services[0].channel],
    );
    const day = { from: '2023-04-20', to: '2023-04-20' };
    const first = await admin.get(q({ ...day, origin: 'pereirinha', limit: 50 }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: COMMON_ORIGIN_COUNT_CAP, totalExact: false });
    // the newest 50, in order: the day's conversations are one a second
    const newest = await t.db.query<{ id: string }>(
      `SELECT id FROM conversations WHERE protocol LIKE '2023O%' ORDER BY created_at DESC, id DESC LIMIT 50`,
    );
    expect(first.body.rows.map((r: { id: string }) => r.id)).toEqual(newest.rows.map((r) => r.id));
    // a name of no one: an exact zero; the day without the origin: exact
    expect((await admin.get(q({ ...day, origin: 'Meirelinho', limit: 50 }))).body).toMatchObject({ rows: [], total: 0, totalExact: true });
    expect((await admin.get(q({ ...day, limit: 1 }))).body).toMatchObject({ total: n, totalExact: true });
  });
});

describe('the CSV export written by PostgreSQL (COPY) and by the server', () => {
  it('gives the same bytes for cells that need quotes, formulas, empty text, long durations, both languages and every tab', async () => {
    const { openExport } = await import('../../src/engine/queries/lookback-export.js');
    const { SYSTEM_ACTOR } = await import('../../src/engine/actor.js');
    const awkward = ['Ana; "a Boa"', 'linha\num', 'cr\rsó', '=HYPERLINK("x")', '+55 11', '-menos', '@arroba', '\tcom tab', '', 'Zoë ção'];
    const start = Date.UTC(2023, 0, 15, 12);
    for (const [k, name] of awkward.entries()) {
      const c = await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ($1) RETURNING id`, [name]);
      const s = services[k % 3];
      const created = new Date(start + k * 60_000);
      // one conversation 123 hours in service, one with its queue time below a second, the rest plain
      const assigned = new Date(created.getTime() + (k === 1 ? 400 : 5_000));
      const finished = new Date(assigned.getTime() + (k === 0 ? 123 * 3600_000 + 61_000 : 90_000));
      await t.db.query(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_queued_at, queued_at, first_assigned_at, assigned_at, finished_at, subject)
         VALUES ($1, $2, $3, $4, 'completed', $5, $6, $6, $6, $7, $7, $8, $9)`,
        [`2023${String(700000 + k)}${randomUUID().slice(0, 4)}`, s.id, s.channel, c.rows[0].id, agents[k % 2].id, created, assigned, finished, s.channel === 'email' ? name || null : null],
      );
    }
    const read = async (body: NodeJS.ReadableStream) => {
      const parts: Buffer[] = [];
      for await (const b of body) parts.push(Buffer.from(b as Buffer));
      return Buffer.concat(parts);
    };
    // PostgreSQL writes the rows there (on PGlite both are the server's own formatting)
    expect(typeof t.db.copyCsv).toBe(t.db.kind === 'postgres' ? 'function' : 'undefined');
    const serverSide = { ...t.db, copyCsv: undefined };
    for (const family of [undefined, 'chat', 'email', 'messaging'] as const) {
      for (const lang of ['pt', 'en'] as const) {
        const query = { from: '2023-01-15', to: '2023-01-15', format: 'csv' as const, ...(family ? { family } : {}) };
        const written = await read((await openExport(t.db, SYSTEM_ACTOR, query, lang)).body);
        const formatted = await read((await openExport(serverSide, SYSTEM_ACTOR, query, lang)).body);
        expect(written.toString('utf8'), `${family} ${lang}`).toBe(formatted.toString('utf8'));
        const table = await parseCsv(formatted.toString('utf8').slice(1));
        expect(table.length - 1).toBe(family === 'chat' ? 4 : family === 'email' || family === 'messaging' ? 3 : 10);
      }
    }
    // what the server writes for them (and PostgreSQL, equal above)
    const all = await parseCsv((await read((await openExport(serverSide, SYSTEM_ACTOR, { from: '2023-01-15', to: '2023-01-15', format: 'csv' }, 'pt')).body)).toString('utf8').slice(1));
    const byContact = new Map(all.slice(1).map((r) => [r[4], r]));
    expect([...byContact.keys()].sort()).toEqual(['', "'+55 11", "'-menos", "'=HYPERLINK(\"x\")", "'@arroba", "'\tcom tab", 'Ana; "a Boa"', 'Zoë ção', 'cr\rsó', 'linha\num'].sort());
    expect(byContact.get('Ana; "a Boa"')![11]).toBe('123:01:01');
    expect(byContact.get('linha\num')![10]).toBe('00:00:00');;
  });
});
