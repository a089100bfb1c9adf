import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Titulares (LGPD) through the HTTP API: search, correction, scope, the history (JSON checked against
// the rows written, PDF read back with poppler) and anonymisation (every text, jsonb and bytea column
// of every table searched for the person's values; Indicadores unchanged).

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-03-10';
const T0 = Date.parse(`${D}T12:00:00Z`); // 09:00 in São Paulo
const at = (s: number) => t.clock.set(T0 + s * 1000);

const PERSON = { name: 'Joana Conceição Araújo', email: 'joana.araujo@example.com.br', phone: '+5511987654321' };
const CPF = '52998224725';
const VISITOR = `visitante-joana-${process.pid}`;
const TEXT = 'Meu pedido não chegou, preciso de ação já';
const REPLY = 'Olá, já verifiquei: o pedido sai amanhã às 10h';
const FILE_NAME = 'comprovante-joana.pdf';
const FILE_MARK = 'BYTES-DO-COMPROVANTE-7781';

interface World {
  chatA: any; mailB: any; a1: any; b1: any; deskA: Client; deskB: Client; supA: Client; supB: Client; agent: Client;
  c1: string; c2: string; other: string; contactId: string; otherContactId: string;
}
let w: World;

async function finish(desk: Client, id: string) {
  const r = await desk.post(`/api/conversations/${id}/finish`, { outcome: 'completed' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  await t.settle();
}

beforeAll(async () => {
  t.clock.set(T0);
  expect((await admin.patch('/api/settings', { companyName: 'Lojas Exemplo Comércio Ltda.' })).status).toBe(200);
  const teamA = await createTeam(admin, { maxChat: 3 });
  const teamB = await createTeam(admin, { maxChat: 3, maxEmail: 3 });
  const chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  const mailB = await createService(admin, { channel: 'email', teamIds: [teamB.id] });
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const supAUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const supBUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamB.id] });
  const deskA = await t.login(a1.email, a1.password);
  const deskB = await t.login(b1.email, b1.password);
  await deskA.post('/api/agent/login');
  await deskB.post('/api/agent/login');

  // c1: WebChat, the customer writes, a1 answers with a file and a text, then concludes
  const c1 = (await receiveInbound(t.runtime.engine, { serviceId: chatA.id, channel: 'webchat', contact: { externalId: VISITOR, ...PERSON }, externalId: unique('m'), text: TEXT })).conversationId;
  await t.settle();
  at(20);
  const file = Buffer.from(`%PDF-1.4\n% ${FILE_MARK} ${PERSON.name} ${CPF}\n%%EOF\n`);
  const up = await fetch(`${t.url}/api/conversations/${c1}/attachments`, {
    method: 'POST', headers: { 'content-type': 'application/pdf', cookie: deskA.cookie, 'x-filename': encodeURIComponent(FILE_NAME) }, body: new Uint8Array(file),
  });
  expect(up.status, await up.clone().text()).toBe(201);
  const sentFile = await deskA.post(`/api/conversations/${c1}/messages`, { attachmentIds: [(await up.json()).id] });
  expect(sentFile.status, JSON.stringify(sentFile.body)).toBe(201);
  at(30);
  expect((await deskA.post(`/api/conversations/${c1}/messages`, { text: REPLY })).status).toBe(201);
  at(60);
  await finish(deskA, c1);

  // c2: e-mail from the same person (found by the phone), b1 concludes it
  at(120);
  const c2 = (await receiveInbound(t.runtime.engine, {
    serviceId: mailB.id, channel: 'email', contact: { externalId: PERSON.email, ...PERSON }, externalId: `<${unique('id').replace(/\s/g, '')}@example.com.br>`,
    text: 'Segue o comprovante do pedido', subject: `Pedido 4471 — ${PERSON.name}`,
  })).conversationId;
  await t.settle();
  at(300);
  await finish(deskB, c2);

  // somebody else, only on the e-mail service
  const other = (await receiveInbound(t.runtime.engine, {
    serviceId: mailB.id, channel: 'email', contact: { externalId: 'outro@example.org', name: 'Outro Cliente', email: 'outro@example.org' },
    externalId: `<${unique('o').replace(/\s/g, '')}@example.org>`, text: 'Oi', subject: 'Dúvida',
  })).conversationId;
  await t.settle();
  at(400);
  await finish(deskB, other);

  const contactOf = async (id: string) => (await t.db.query<{ contact_id: string }>('SELECT contact_id FROM conversations WHERE id = $1', [id])).rows[0].contact_id;
  const contactId = await contactOf(c1);
  expect(await contactOf(c2)).toBe(contactId);
  w = {
    chatA, mailB, a1, b1, deskA, deskB, supA: await t.login(supAUser.email, supAUser.password), supB: await t.login(supBUser.email, supBUser.password), agent: deskA,
    c1, c2, other, contactId, otherContactId: await contactOf(other),
  };
});

const protocolOf = async (id: string) => (await t.db.query<{ protocol: string }>('SELECT protocol FROM conversations WHERE id = $1', [id])).rows[0].protocol;

describe('Titulares: search and correction', () => {
  it('finds the person by name, e-mail, phone, CPF, channel handle and protocol', async () => {
    expect((await admin.patch(`/api/contacts/${w.contactId}`, { cpf: '529.982.247-25' })).status).toBe(200);
    const ids = async (q: string, who = admin) => {
      const r = await who.get(`/api/contacts?q=${encodeURIComponent(q)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((i: { id: string }) => i.id);
    };
    expect(await ids('conceição ara')).toEqual([w.contactId]);
    expect(await ids('JOANA.ARAUJO@example')).toEqual([w.contactId]);
    expect(await ids('(11) 98765-4321')).toEqual([w.contactId]);
    expect(await ids('529.982.247-25')).toEqual([w.contactId]);
    expect(await ids(CPF)).toEqual([w.contactId]);
    expect(await ids(VISITOR)).toEqual([w.contactId]);
    expect(await ids(await protocolOf(w.c2))).toEqual([w.contactId]);
    expect(await ids('ninguém-com-este-nome')).toEqual([]);
    // a supervisor of A does not find B's customer; the agent may not search at all
    expect(await ids('outro@example.org', w.supA)).toEqual([]);
    expect(await ids('outro@example.org', w.supB)).toEqual([w.otherContactId]);
    expect((await w.agent.get('/api/contacts?q=joana')).status).toBe(403);
    expect((await admin.get('/api/contacts?q=a')).status).toBe(400);
  });

  it('shows what Mirante holds: data, identities per channel, conversations', async () => {
    const r = await admin.get(`/api/contacts/${w.contactId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: PERSON.name, email: PERSON.email, phone: PERSON.phone, cpf: CPF, conversations: 2, anonymizedAt: null });
    expect(r.body.identities.map((i: any) => [i.channel, i.externalId]).sort()).toEqual([['email', PERSON.email], ['webchat', VISITOR]]);
    expect(r.body.recentConversations.map((c: any) => c.protocol).sort()).toEqual([await protocolOf(w.c1), await protocolOf(w.c2)].sort());
    expect(r.body.firstContactAt).toBe(new Date(T0).toISOString());
  });

  it('refuses invalid corrections with a 400 naming the field, and audits a valid one before/after', async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await admin.patch(`/api/contacts/${w.contactId}`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    };
    await bad({ cpf: '529.982.247-24' }, 'cpf');
    await bad({ cpf: '111.111.111-11' }, 'cpf');
    await bad({ phone: '+55 (00) 91234-5678' }, 'phone');
    await bad({ email: 'joana@' }, 'email');
    await bad({ nickname: 'Jô' }, 'nickname');
    expect((await w.agent.patch(`/api/contacts/${w.contactId}`, { name: 'X' })).status).toBe(403);
    expect((await w.supB.patch(`/api/contacts/${w.otherContactId}`, { phone: '(21) 3333-4444' })).status).toBe(200);
    const ok = await admin.patch(`/api/contacts/${w.otherContactId}`, { phone: '(21) 2555-0101', name: 'Outro Cliente da Silva' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ phone: '+552125550101', name: 'Outro Cliente da Silva' });
    const { rows } = await t.db.query<{ before: any; after: any }>(
      `SELECT before, after FROM audit_log WHERE action = 'update' AND entity = 'contact' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [w.otherContactId]);
    expect(rows[0]).toEqual({ before: { name: 'Outro Cliente', phone: '+552133334444' }, after: { name: 'Outro Cliente da Silva', phone: '+552125550101' } });
  });
});

describe('the history (SAC decree art. 13)', () => {
  it('is scoped: a supervisor exports only contacts of their services, an agent not at all', async () => {
    expect((await w.supA.get(`/api/contacts/${w.otherContactId}/history?format=json`)).status).toBe(404);
    expect((await w.supA.get(`/api/contacts/${w.otherContactId}`)).status).toBe(404);
    expect((await w.agent.get(`/api/contacts/${w.contactId}/history?format=json`)).status).toBe(403);
    const a = await w.supA.get(`/api/contacts/${w.contactId}/history?format=json`);
    expect(a.status).toBe(200);
    expect(a.body.conversations.map((c: any) => c.protocol)).toEqual([await protocolOf(w.c1)]);
    expect((await w.supB.get(`/api/contacts/${w.contactId}/history`)).body.conversations.map((c: any) => c.protocol)).toEqual([await protocolOf(w.c2)]);
    expect((await admin.get(`/api/contacts/00000000-0000-4000-8000-000000000000/history`)).status).toBe(404);
  });

  it('JSON: every conversation and message as written, times in São Paulo', async () => {
    const r = await admin.get(`/api/contacts/${w.contactId}/history?format=json`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="historico-titular_.*\.json"/);
    const h = r.body;
    expect(h).toMatchObject({ schema: 'mirante.contact-history/1', company: 'Lojas Exemplo Comércio Ltda.', timeZone: 'America/Sao_Paulo', conversationCount: 2 });
    expect(h.contact).toMatchObject({ id: w.contactId, name: PERSON.name, cpf: CPF });
    expect(h.period.from).toBe(`${D}T09:00:00-03:00`);
    // independently: the rows as stored
    const convs = (await t.db.query<{ id: string; protocol: string }>('SELECT id, protocol FROM conversations WHERE contact_id = $1 ORDER BY created_at', [w.contactId])).rows;
    expect(h.conversations.map((c: any) => c.protocol)).toEqual(convs.map((c) => c.protocol));
    for (const [i, c] of convs.entries()) {
      const msgs = (await t.db.query<{ author_type: string; body: string; created_at: Date }>('SELECT author_type, body, created_at FROM messages WHERE conversation_id = $1 ORDER BY id', [c.id])).rows;
      const got = h.conversations[i].messages;
      expect(got.map((m: any) => [m.from, m.text])).toEqual(msgs.map((m) => [m.author_type, m.body]));
      expect(got.map((m: any) => Date.parse(m.at))).toEqual(msgs.map((m) => m.created_at.getTime()));
      const states = (await t.db.query<{ state: string }>('SELECT state FROM conversation_state_history WHERE conversation_id = $1 ORDER BY started_at, id', [c.id])).rows;
      expect(h.conversations[i].states.map((s: any) => s.state)).toEqual(states.map((s) => s.state));
    }
    const c1 = h.conversations[0];
    expect(c1.messages.find((m: any) => m.from === 'customer')).toEqual({ at: `${D}T09:00:00-03:00`, from: 'customer', author: null, subject: null, text: TEXT, attachments: [] });
    expect(c1.messages.find((m: any) => m.attachments.length)).toMatchObject({ from: 'agent', author: w.a1.name, attachments: [FILE_NAME], at: `${D}T09:00:20-03:00` });
    expect(c1.answeredBy).toEqual([w.a1.name]);
    expect(c1.states.at(-1)).toMatchObject({ state: 'completed', at: `${D}T09:01:00-03:00` });
    expect(h.conversations[1]).toMatchObject({ channel: 'email', subject: `Pedido 4471 — ${PERSON.name}`, answeredBy: [w.b1.name] });
    const audit = await t.db.query(`SELECT after FROM audit_log WHERE action = 'export_history' AND entity = 'contact' AND entity_id = $1`, [w.contactId]);
    expect(audit.rows.length).toBeGreaterThan(0);
  });

  it('PDF: opens, and reads with the company, the protocols, the messages and their accents', async (ctx) => {
    const have = (bin: string) => spawnSync(bin, ['-v']).error === undefined;
    if (!have('pdftotext') || !have('pdftoppm')) {
      ctx.skip(true, 'poppler-utils (pdftotext, pdftoppm) is not installed');
      return;
    }
    const res = await fetch(`${t.url}/api/contacts/${w.contactId}/history?format=pdf`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'lgpd-pdf-'));
    const file = join(dir, 'historico.pdf');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const s of ['Lojas Exemplo Comércio Ltda.', 'Histórico de atendimentos', PERSON.name, await protocolOf(w.c1), await protocolOf(w.c2), TEXT, REPLY, FILE_NAME, 'Concluído', 'Página 1', '10/03/2026 09:00:00', 'CPF: 529.982.247-25']) {
      expect(text).toContain(s);
    }
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', file, join(dir, 'p')]);
    const png = readdirSync(dir).find((f) => f.endsWith('.png'));
    expect(png).toBeDefined();
    expect(readFileSync(join(dir, png!)).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('a long history', () => {
  it('streams thousands of messages in order, in JSON and over many PDF pages', async () => {
    const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente Assíduo') RETURNING id`)).rows[0].id;
    const day = Date.parse('2026-02-01T12:00:00Z');
    const per = [1300, 0, 700];
    for (const [i, n] of per.entries()) {
      const start = new Date(day + i * 86_400_000);
      const conv = (await t.db.query<{ id: string }>(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, finished_at, finished_by)
         VALUES ($1, $2, 'webchat', $3, 'completed', $4, $5, 'customer') RETURNING id`,
        [`2026020${i + 1}99000${i}`, w.chatA.id, contact, start, new Date(start.getTime() + 3_600_000)])).rows[0].id;
      await t.db.query(
        `INSERT INTO messages (conversation_id, channel, author_type, body, created_at)
         SELECT $1, 'webchat', CASE WHEN g % 2 = 0 THEN 'customer' ELSE 'bot' END, 'mensagem nº ' || g, $2::timestamptz + g * interval '1 second'
           FROM generate_series(1, $3::int) g`,
        [conv, start, n]);
    }
    const h = (await admin.get(`/api/contacts/${contact}/history`)).body;
    expect(h.conversations.map((c: any) => c.messages.length)).toEqual(per);
    for (const [i, c] of h.conversations.entries()) expect(c.messages.map((m: any) => m.text)).toEqual(Array.from({ length: per[i] }, (_, g) => `mensagem nº ${g + 1}`));
    const res = await fetch(`${t.url}/api/contacts/${contact}/history?format=pdf`, { headers: { cookie: admin.cookie } });
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (spawnSync('pdftotext', ['-v']).error === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'lgpd-long-'));
      writeFileSync(join(dir, 'h.pdf'), pdf);
      const text = execFileSync('pdftotext', [join(dir, 'h.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(text).toContain('mensagem nº 1300');
      expect(text).toContain('mensagem nº 700');
      expect(text).toContain('Nenhuma mensagem.');
      expect(text).toContain('Página 2');
    }
  });
});

/** Every text-like column of every table, and the rows where one holds `needle`. */
async function whereItLives(needle: string): Promise<string[]> {
  const { rows: cols } = await t.db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
      WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE' AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const c of cols) {
    const value = c.data_type === 'bytea' ? `encode("${c.column_name}", 'escape')` : `"${c.column_name}"::text`;
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE position(lower($1) IN lower(${value})) > 0`, [needle]);
    if (rows[0].n > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

describe('anonymisation', () => {
  it('is for admins, with the confirmation typed; refused while a conversation is open', async () => {
    expect((await w.supA.post(`/api/contacts/${w.contactId}/anonymize`, { reason: 'pedido do titular', confirm: w.contactId })).status).toBe(403);
    const wrong = await admin.post(`/api/contacts/${w.contactId}/anonymize`, { reason: 'pedido do titular', confirm: 'Outra Pessoa' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('confirm');
    expect((await admin.post(`/api/contacts/${w.contactId}/anonymize`, { confirm: PERSON.name })).status).toBe(400);
    const openOne = (await receiveInbound(t.runtime.engine, { serviceId: w.mailB.id, channel: 'email', contact: { externalId: 'aberto@example.org', name: 'Aberto' }, externalId: '<aberto-1@example.org>', text: 'oi', subject: 's' })).conversationId;
    await t.settle();
    const openContact = (await t.db.query<{ contact_id: string }>('SELECT contact_id FROM conversations WHERE id = $1', [openOne])).rows[0].contact_id;
    const r = await admin.post(`/api/contacts/${openContact}/anonymize`, { reason: 'pedido', confirm: 'aberto' });
    expect(r.status).toBe(409);
  });

  it('leaves no personal value anywhere while Indicadores do not change; irreversible', async () => {
    // present before: the search finds each one (so the search below cannot pass by being blind)
    const stored = [PERSON.name, PERSON.email, PERSON.phone, '11987654321', CPF, VISITOR, TEXT, REPLY, FILE_NAME, FILE_MARK, 'Pedido 4471'];
    for (const n of stored) expect(await whereItLives(n), n).not.toEqual([]);
    const needles = [...stored, '529.982.247-25'];
    const indicators = async () => {
      const r = await admin.get(`/api/indicators?from=${D}&to=${D}`);
      expect(r.status).toBe(200);
      return r.body;
    };
    const before = await indicators();
    const reason = `Pedido de ${PERSON.name} em 01/03/2026 (protocolo de solicitação 55)`;
    const r = await admin.post(`/api/contacts/${w.contactId}/anonymize`, { reason, confirm: PERSON.name.toUpperCase() });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: w.contactId, conversations: 2, attachments: 1 });
    for (const n of needles) expect(await whereItLives(n), n).toEqual([]);
    expect(await indicators()).toEqual(before);
    // protocols and states stay; the record says who and why, without the values
    const kept = (await t.db.query<{ protocol: string; state: string }>('SELECT protocol, state FROM conversations WHERE contact_id = $1 ORDER BY created_at', [w.contactId])).rows;
    expect(kept.map((c) => c.state)).toEqual(['completed', 'completed']);
    const audit = (await t.db.query<{ after: any }>(`SELECT after FROM audit_log WHERE action = 'anonymize' AND entity = 'contact' AND entity_id = $1`, [w.contactId])).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ conversations: 2, attachments: 1 });
    const detail = (await admin.get(`/api/contacts/${w.contactId}`)).body;
    expect(detail).toMatchObject({ name: null, email: null, phone: null, cpf: null, data: {} });
    expect(detail.anonymizedAt).not.toBeNull();
    expect((await admin.post(`/api/contacts/${w.contactId}/anonymize`, { reason: 'de novo', confirm: w.contactId })).status).toBe(409);
    expect((await admin.patch(`/api/contacts/${w.contactId}`, { name: 'Joana' })).status).toBe(409);
    // somebody else's record is untouched
    expect((await admin.get(`/api/contacts/${w.otherContactId}`)).body).toMatchObject({ name: 'Outro Cliente da Silva', email: 'outro@example.org' });
    expect((await t.db.query<{ body: string }>(`SELECT body FROM messages WHERE conversation_id = $1 AND author_type = 'customer'`, [w.other])).rows.map((m) => m.body)).toEqual(['Oi']);
    // the history still lists the protocols, without the words
    const h = (await admin.get(`/api/contacts/${w.contactId}/history`)).body;
    expect(h.conversations.map((c: any) => c.protocol)).toEqual(kept.map((c) => c.protocol));
    expect(JSON.stringify(h)).not.toContain(TEXT);
  });

  it('a later message from the same address opens a new contact', async () => {
    at(3600);
    const next = await receiveInbound(t.runtime.engine, { serviceId: w.chatA.id, channel: 'webchat', contact: { externalId: VISITOR, name: 'Joana' }, externalId: unique('m'), text: 'voltei' });
    const contact = (await t.db.query<{ contact_id: string }>('SELECT contact_id FROM conversations WHERE id = $1', [next.conversationId])).rows[0].contact_id;
    expect(contact).not.toBe(w.contactId);
    const mail = await receiveInbound(t.runtime.engine, {
      serviceId: w.mailB.id, channel: 'email', contact: { externalId: PERSON.email, email: PERSON.email, phone: PERSON.phone }, externalId: '<voltei-2@example.com.br>', text: 'voltei', subject: 'Novo',
    });
    const mailContact = (await t.db.query<{ contact_id: string }>('SELECT contact_id FROM conversations WHERE id = $1', [mail.conversationId])).rows[0].contact_id;
    expect(mailContact).not.toBe(w.contactId);
  });
});
