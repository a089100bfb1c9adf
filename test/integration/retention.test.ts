import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { RetentionJob, runRetention } from '../../src/engine/retention/run.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Retention (LGPD) through the HTTP API and the job itself. Cutoffs are worked out by hand: São Paulo
// is UTC−3 all year, so its midnight of 2026-03-10 is 2026-03-10T03:00:00Z.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const SP_MIDNIGHT = Date.parse('2026-03-10T03:00:00Z');
const BEFORE = SP_MIDNIGHT - 1000; // 2026-03-09 23:59:59 in São Paulo
const AFTER = SP_MIDNIGHT + 1000; // 2026-03-10 00:00:01
const RUN_AT = Date.parse('2028-03-10T15:00:00Z'); // 2028-03-10 12:00 in São Paulo: 2 years cut at SP_MIDNIGHT

interface World {
  chat: any; mail: any; agent: any; desk: Client; sup: Client; outsiderSup: Client;
  /** finished one second before / after the cutoff, on WebChat and on e-mail */
  chatBefore: string; chatAfter: string; mailBefore: string; mailAfter: string;
}
let w: World;

const FULL_RETENTION = {
  messagesEnabled: true, messagesYears: 2, attachmentsEnabled: true, attachmentsYears: 2, emailBodiesEnabled: true, emailBodiesYears: 2,
  accessRecordsEnabled: false, accessRecordsMonths: 6, auditLogEnabled: false, auditLogMonths: 60,
};

async function setRetention(over: Record<string, unknown>) {
  const r = await admin.patch('/api/settings', { retention: { ...FULL_RETENTION, ...over } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** A demand that arrives two minutes before `finishAt`, gets two customer messages and a file, and is finished by its agent at `finishAt`. */
async function demand(svc: any, finishAt: number, text: string): Promise<string> {
  t.clock.set(finishAt - 120_000);
  const contact = { externalId: unique('c'), name: unique('Cliente'), email: `${randomUUID().slice(0, 8)}@example.com` };
  const send = (body: string) => receiveInbound(t.runtime.engine, { serviceId: svc.id, channel: svc.channel, contact, externalId: unique('m'), text: body, subject: svc.channel === 'email' ? 'Pedido' : undefined });
  const id = (await send(`${text} 1`)).conversationId;
  await send(`${text} 2`);
  await t.settle();
  const { rows } = await t.db.query<{ id: string }>('SELECT id::text FROM messages WHERE conversation_id = $1 ORDER BY id LIMIT 1', [id]);
  const file = await t.db.query<{ id: string }>(
    `INSERT INTO attachments (conversation_id, message_id, name, content_type, size, data) VALUES ($1, $2, 'rg.pdf', 'application/pdf', 3, '\\x010203') RETURNING id`,
    [id, rows[0].id],
  );
  await t.db.query(`UPDATE messages SET attachments = $2 WHERE id = $1`, [rows[0].id, JSON.stringify([{ id: file.rows[0].id, name: 'rg.pdf' }])]);
  t.clock.set(finishAt);
  const r = await w.desk.post(`/api/conversations/${id}/finish`, { outcome: 'completed' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  await t.settle();
  return id;
}

const contentOf = async (id: string) =>
  (await t.db.query<{ body: string; payload: unknown; attachments: unknown; purged: boolean }>(
    'SELECT body, payload, attachments, content_purged_at IS NOT NULL AS purged FROM messages WHERE conversation_id = $1 ORDER BY id', [id],
  )).rows;
const filesOf = async (id: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE conversation_id = $1', [id])).rows[0].n;

beforeAll(async () => {
  const team = await createTeam(admin, { maxChat: 10, maxEmail: 10 });
  const other = await createTeam(admin);
  const chat = await createService(admin, { channel: 'webchat', teamIds: [team.id] });
  const mail = await createService(admin, { channel: 'email', teamIds: [team.id] });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const supUser = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const outsider = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [other.id] });
  const desk = await t.login(agent.email, agent.password);
  w = { chat, mail, agent, desk, sup: await t.login(supUser.email, supUser.password), outsiderSup: await t.login(outsider.email, outsider.password) } as World;
  t.clock.set(BEFORE - 600_000);
  expect((await desk.post('/api/agent/login')).status).toBe(200);
  w.chatBefore = await demand(chat, BEFORE, 'Meu CPF é 123.456.789-09');
  w.mailBefore = await demand(mail, BEFORE, 'Corpo do e-mail antigo');
  w.chatAfter = await demand(chat, AFTER, 'Mensagem recente');
  w.mailAfter = await demand(mail, AFTER, 'Corpo do e-mail recente');
});

describe('retention settings', () => {
  it('refuses service records kept under 2 years and access records under 6 months, naming the field; a change is audited', async () => {
    const short = await admin.patch('/api/settings', { retention: { ...FULL_RETENTION, messagesYears: 1 } });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toContain('retention.messagesYears');
    const access = await admin.patch('/api/settings', { retention: { ...FULL_RETENTION, accessRecordsMonths: 5 } });
    expect(access.status).toBe(400);
    expect(JSON.stringify(access.body)).toContain('retention.accessRecordsMonths');
    expect((await admin.patch('/api/settings', { retention: { ...FULL_RETENTION, bogus: 1 } })).status).toBe(400);
    await setRetention({});
    const audit = (await admin.get('/api/audit?entity=setting&entityId=retention')).body.items;
    expect(audit[0]).toMatchObject({ action: 'update' });
  });
});

describe('the retention run', () => {
  it('at the cutoff in São Paulo time: one second before goes, one second after stays; the dry run counts what the run touches; figures unchanged', async () => {
    await setRetention({});
    t.clock.set(RUN_AT);
    const indicators = async () => (await admin.get('/api/indicators?from=2026-03-09&to=2026-03-10')).body;
    const figuresBefore = await indicators();
    expect(figuresBefore.byService.total.count).toBeGreaterThanOrEqual(4);
    const preview = (await admin.get('/api/retention/preview')).body;
    const rule = (name: string) => preview.rules.find((r: any) => r.rule === name);
    expect(rule('messages')).toMatchObject({ enabled: true, cutoff: new Date(SP_MIDNIGHT).toISOString() });
    // the old demands' rows, counted plainly (2 customer messages each, and what the platform wrote); 1 file each
    const nChat = (await contentOf(w.chatBefore)).length;
    const nMail = (await contentOf(w.mailBefore)).length;
    expect(nChat).toBeGreaterThanOrEqual(2);
    expect(rule('messages').counts).toEqual({ messages: nChat });
    expect(rule('emailBodies').counts).toEqual({ messages: nMail });
    expect(rule('attachments').counts).toEqual({ files: 2, messageAttachments: 2 });

    // a run cut short after its first batch (a node killed midway) leaves the rest for the next run
    let batches = 0;
    const cut = await runRetention(t.db, t.clock, { batchSize: 1, keepGoing: async () => batches++ < 1 });
    expect(cut.complete).toBe(false);
    expect(cut.touched.messages).toEqual({ messages: 1 });
    const rest = await runRetention(t.db, t.clock, { batchSize: 1 });
    expect(rest.complete).toBe(true);
    expect(rest.touched).toEqual({ messages: { messages: nChat - 1 }, emailBodies: { messages: nMail }, attachments: { files: 2, messageAttachments: 2 } });
    // idempotent: nothing left to touch
    const again = await runRetention(t.db, t.clock, { batchSize: 500 });
    expect(again.touched).toEqual({ messages: { messages: 0 }, emailBodies: { messages: 0 }, attachments: { files: 0, messageAttachments: 0 } });

    for (const id of [w.chatBefore, w.mailBefore]) {
      const rows = await contentOf(id);
      expect(rows.map((m) => [m.body, m.payload, m.attachments, m.purged])).toEqual(rows.map(() => ['', null, null, true]));
      expect(await filesOf(id)).toBe(0);
    }
    for (const id of [w.chatAfter, w.mailAfter]) {
      const bodies = (await contentOf(id)).map((m) => m.body);
      // (a second e-mail without a thread opens its own demand: the e-mail one holds the first)
      expect(bodies.filter((b) => / 1$/.test(b))).toHaveLength(1);
      expect((await contentOf(id)).some((m) => m.purged)).toBe(false);
      expect(await filesOf(id)).toBe(1);
    }
    // protocols, states, times stay
    const kept = await t.db.query<{ protocol: string; state: string; finished_at: Date }>('SELECT protocol, state, finished_at FROM conversations WHERE id = $1', [w.chatBefore]);
    expect(kept.rows[0]).toMatchObject({ state: 'completed', finished_at: new Date(BEFORE) });
    expect(kept.rows[0].protocol).toBeTruthy();
    expect(await indicators()).toEqual(figuresBefore);

    // each run wrote one audit row with what it touched
    const runs = (await t.db.query<{ after: any }>(`SELECT after FROM audit_log WHERE action = 'retention_run' ORDER BY id`)).rows;
    expect(runs.map((r) => r.after.touched)).toEqual([cut.touched, rest.touched, again.touched]);
  });

  it('a second before the next São Paulo midnight the cutoff holds; at that midnight the next day goes', async () => {
    await setRetention({});
    t.clock.set(Date.parse('2028-03-11T02:59:59Z')); // 2028-03-10 23:59:59 in São Paulo
    expect((await runRetention(t.db, t.clock)).touched.messages).toEqual({ messages: 0 });
    expect((await contentOf(w.chatAfter))[0].purged).toBe(false);
    t.clock.set(Date.parse('2028-03-11T03:00:00Z')); // 2028-03-11 00:00:00
    const preview = (await admin.get('/api/retention/preview')).body;
    const [nChat, nMail] = [(await contentOf(w.chatAfter)).length, (await contentOf(w.mailAfter)).length];
    expect(preview.rules.find((r: any) => r.rule === 'messages')).toMatchObject({ cutoff: '2026-03-11T03:00:00.000Z', counts: { messages: nChat } });
    const run = await runRetention(t.db, t.clock, { batchSize: 1 });
    expect(run.touched).toMatchObject({ messages: { messages: nChat }, emailBodies: { messages: nMail }, attachments: { files: 2, messageAttachments: 2 } });
    expect((await contentOf(w.chatAfter)).every((m) => m.purged && m.body === '')).toBe(true);
  });

  it('a rule turned off touches nothing, though the dry run still counts it', async () => {
    const id = await demand(w.chat, BEFORE - 86_400_000, 'Outra conversa antiga');
    await setRetention({ messagesEnabled: false, attachmentsEnabled: false, emailBodiesEnabled: false });
    t.clock.set(RUN_AT);
    const preview = (await admin.get('/api/retention/preview')).body;
    expect(preview.rules.find((r: any) => r.rule === 'messages')).toMatchObject({ enabled: false, total: (await contentOf(id)).length });
    expect((await runRetention(t.db, t.clock)).touched).toEqual({});
    expect((await contentOf(id)).every((m) => !m.purged)).toBe(true);
  });
});

describe('who saw what', () => {
  it('a supervisor reading the messages leaves an audit row with the contact, the IP and the browser; the agent of the conversation leaves none', async () => {
    const id = await demand(w.chat, Date.parse('2026-11-01T15:00:00Z'), 'Olá');
    const { rows } = await t.db.query<{ contact_id: string }>('SELECT contact_id FROM conversations WHERE id = $1', [id]);
    const contactId = rows[0].contact_id;
    const views = async () => (await t.db.query<any>(`SELECT actor_name, ip, user_agent, contact_id FROM audit_log WHERE action = 'view_messages' AND entity_id = $1`, [id])).rows;
    expect((await w.desk.get(`/api/conversations/${id}`)).status).toBe(200);
    expect(await views()).toEqual([]);
    const r = await w.sup.request('GET', `/api/conversations/${id}`, undefined, { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0' });
    expect(r.status).toBe(200);
    expect(await views()).toEqual([expect.objectContaining({ ip: '203.0.113.7', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', contact_id: contactId })]);
    // a supervisor of another team cannot read it, and leaves no trace of a read
    expect((await w.outsiderSup.get(`/api/conversations/${id}`)).status).toBe(404);
    expect(await views()).toHaveLength(1);
  });
});

describe('Acessos a dados (LGPD): the privacy officer', () => {
  it('is refused to supervisors and agents without the permission; a supervisor marked DPO and admins read any contact', async () => {
    const id = await demand(w.chat, Date.parse('2026-11-02T15:00:00Z'), 'Oi');
    const c = (await t.db.query<any>('SELECT c.protocol, ct.id, ct.name, ct.email FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = $1', [id])).rows[0];
    // stored as the app stores them (shared/fields.ts normalises): CPF digits, phone E.164
    await t.db.query(`UPDATE contacts SET cpf = '12345678909', phone = '+5511987654321' WHERE id = $1`, [c.id]);
    await w.sup.request('GET', `/api/conversations/${id}`, undefined, { 'x-forwarded-for': '198.51.100.9' });

    for (const who of [w.sup, w.desk]) {
      expect((await who.get(`/api/lgpd/contacts?q=${encodeURIComponent(c.protocol)}`)).status).toBe(403);
      expect((await who.get(`/api/lgpd/contacts/${c.id}/accesses`)).status).toBe(403);
      expect((await who.get('/api/retention/preview')).status).toBe(403);
    }
    expect((await admin.get('/api/auth/me')).body.privacyOfficer).toBe(true);
    // an outsider supervisor made DPO reads a contact of another team's service
    const dpo = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [], privacyOfficer: true });
    const dpoClient = await t.login(dpo.email, dpo.password);
    expect((await dpoClient.get('/api/auth/me')).body.privacyOfficer).toBe(true);
    for (const q of [c.protocol, c.name, c.email, '12345678909', '123.456.789-09', '98765-4321']) {
      const found = await dpoClient.get(`/api/lgpd/contacts?q=${encodeURIComponent(q)}`);
      expect(found.status, q).toBe(200);
      expect(found.body.items.map((x: any) => x.id), q).toContain(c.id);
    }
    const list = await dpoClient.get(`/api/lgpd/contacts/${c.id}/accesses`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => [x.action, x.ip, x.entityId])).toEqual([['view_messages', '198.51.100.9', id]]);
    // the period filter is in São Paulo days: the read was at the real time, today
    expect((await dpoClient.get(`/api/lgpd/contacts/${c.id}/accesses?from=2020-01-01&to=2020-01-31`)).body.items).toEqual([]);
    expect((await dpoClient.get(`/api/lgpd/contacts/${c.id}/accesses?from=2020-02-01&to=2020-01-31`)).status).toBe(400);
    // the CSV has the row, and the download itself is audited under the contact
    const csv = await dpoClient.request('GET', `/api/lgpd/contacts/${c.id}/accesses?format=csv`, undefined, { 'accept-language': 'pt-BR' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('198.51.100.9');
    expect(csv.body).toContain('Mensagens consultadas');
    await expect.poll(async () => (await dpoClient.get(`/api/lgpd/contacts/${c.id}/accesses`)).body.items.map((x: any) => x.action)).toEqual(['export', 'view_messages']);
    // the permission is kept on the user and shown to the admin; admins always hold it
    expect((await admin.get(`/api/users/${dpo.id}`)).body.privacyOfficer).toBe(true);
  });
});

describe('access records and the audit log', () => {
  it('the audit log refuses UPDATE, DELETE and TRUNCATE outside the retention job', async () => {
    const { rows } = await t.db.query<{ id: string }>('SELECT id::text FROM audit_log ORDER BY id LIMIT 1');
    await expect(t.db.query(`UPDATE audit_log SET actor_name = 'x' WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_log WHERE id = $1', [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    // a transaction that says it is the retention job's may
    await t.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('mirante.retention', 'on', true)`);
      await tx.query(`UPDATE audit_log SET actor_name = actor_name WHERE id = $1`, [rows[0].id]);
    });
    // …and the setting ends with it
    await expect(t.db.query(`UPDATE audit_log SET actor_name = actor_name WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
  });

  it('no route of the API deletes or changes the audit log', async () => {
    const spec = (await admin.get('/api/openapi.json')).body;
    const before = (await t.db.query<{ id: string }>('SELECT id::text FROM audit_log ORDER BY id')).rows.map((r) => r.id);
    const caller = await t.login();
    let calls = 0;
    for (const [path, ops] of Object.entries<any>(spec.paths)) {
      expect(path.includes('audit') ? Object.keys(ops) : []).not.toContain('delete');
      for (const method of Object.keys(ops)) {
        if (method === 'get' || /logout|sessions/.test(path)) continue;
        const url = path.replace(/\{[^}]+\}/g, randomUUID());
        await caller.request(method.toUpperCase(), url, method === 'delete' ? undefined : {});
        calls++;
      }
    }
    expect(calls).toBeGreaterThan(30);
    const after = new Set((await t.db.query<{ id: string }>('SELECT id::text FROM audit_log')).rows.map((r) => r.id));
    expect(before.filter((id) => !after.has(id))).toEqual([]);
  });

  it('sign-ins and failed attempts go at 6 months by the second; other audit rows at their own period', async () => {
    const now = Date.parse('2030-09-15T12:00:00Z');
    const sixMonths = Date.parse('2030-03-15T12:00:00Z');
    const fiveYears = Date.parse('2025-09-15T12:00:00Z');
    const tag = unique('lgpd');
    const audit = (action: string, at: number) =>
      t.db.query<{ id: string }>(`INSERT INTO audit_log (actor_name, action, entity, ip, at) VALUES ($1, $2, 'session', '192.0.2.1', $3) RETURNING id::text`, [tag, action, new Date(at)]);
    const oldLogin = (await audit('login', sixMonths - 1000)).rows[0].id;
    const newLogin = (await audit('login', sixMonths + 1000)).rows[0].id;
    const oldUpdate = (await audit('update', fiveYears - 1000)).rows[0].id;
    const newUpdate = (await audit('update', fiveYears + 1000)).rows[0].id;
    const fail = (at: number) => t.db.query<{ id: string }>(`INSERT INTO login_failures (email, ip, at) VALUES ($1, '192.0.2.1', $2) RETURNING id::text`, [`${tag}@x`, new Date(at)]);
    const oldFail = (await fail(sixMonths - 1000)).rows[0].id;
    const newFail = (await fail(sixMonths + 1000)).rows[0].id;
    await setRetention({ messagesEnabled: false, attachmentsEnabled: false, emailBodiesEnabled: false, accessRecordsEnabled: true, auditLogEnabled: true });
    t.clock.set(now);
    const preview = (await admin.get('/api/retention/preview')).body;
    const counts = Object.fromEntries(preview.rules.map((r: any) => [r.rule, r.counts]));
    const run = await runRetention(t.db, t.clock, { batchSize: 2 });
    // every sign-in and session of the test itself (at the real time, 2026) is older than 2030's cutoff too: the dry run counted them
    expect(run.touched.accessRecords).toEqual(counts.accessRecords);
    expect(run.touched.auditLog).toEqual(counts.auditLog);
    const left = new Set((await t.db.query<{ id: string }>('SELECT id::text FROM audit_log WHERE actor_name = $1', [tag])).rows.map((r) => r.id));
    expect([oldLogin, newLogin, oldUpdate, newUpdate].map((id) => left.has(id))).toEqual([false, true, false, true]);
    const fails = new Set((await t.db.query<{ id: string }>('SELECT id::text FROM login_failures WHERE email = $1', [`${tag}@x`])).rows.map((r) => r.id));
    expect([oldFail, newFail].map((id) => fails.has(id))).toEqual([false, true]);
  });

  it('the daily job runs on one node at a time, once a day', async () => {
    // the access-records run above (its clock in 2030) ended every session of today
    admin = await t.login();
    await setRetention({ messagesEnabled: false, attachmentsEnabled: false, emailBodiesEnabled: false });
    const nodes = [new RetentionJob(t.db, t.clock, undefined, { batchSize: 50 }), new RetentionJob(t.db, t.clock, undefined, { batchSize: 50 })];
    const runs = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'retention_run'`)).rows[0].n;
    const before = await runs();
    t.clock.set(Date.parse('2031-01-10T08:00:00Z'));
    const first = await Promise.all(nodes.map((n) => n.tick()));
    expect(first.filter((r) => r !== null)).toHaveLength(1);
    expect(await runs()).toBe(before + 1);
    // the same day: nobody runs again; a day later, one does
    t.clock.set(Date.parse('2031-01-10T20:00:00Z'));
    expect(await Promise.all(nodes.map((n) => n.tick()))).toEqual([null, null]);
    t.clock.set(Date.parse('2031-01-11T08:00:01Z'));
    expect((await Promise.all(nodes.map((n) => n.tick()))).filter((r) => r !== null)).toHaveLength(1);
    expect(await runs()).toBe(before + 2);
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('expired sessions are swept with the unsent uploads; live ones stay', async () => {
    const user = await createUser(admin);
    const hash = () => randomUUID();
    const [expired, live] = [hash(), hash()];
    await t.db.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $3, now() - interval '1 second'), ($2, $3, now() + interval '1 hour')`, [expired, live, user.id]);
    await t.runtime.uploadCleanup.sweep();
    const left = (await t.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions WHERE user_id = $1', [user.id])).rows.map((r) => r.token_hash);
    expect(left).toEqual([live]);
  });
});
