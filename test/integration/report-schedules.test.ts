import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportId } from '../../src/contracts/reports.js';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { REPORTS } from '../../src/engine/reports/catalogue.js';
import { conversationsWhere, SqlParams, type ReportDefinition } from '../../src/engine/reports/definition.js';
import { ReportMailer } from '../../src/engine/reports/schedule-mailer.js';
import { parseCsv } from '../support/csv.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Agendamentos of Relatórios through the HTTP API: CRUD, validation, each supervisor's own schedules,
// and the sending: a due schedule e-mails its report once (to a real SMTP server), in its owner's
// scope, over the relative period, and never again for that due time (another mailer, as after a
// restart or on a second node, finds nothing due). The report sent is a test report registered
// here (the real ones live beside it in the catalogue), counting conversations by channel; its
// figures are checked against what this file created.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const TEST_REPORT: ReportId = 'outbound';
const testReport: ReportDefinition = {
  id: TEST_REPORT,
  title: { pt: 'Teste de agendamento', en: 'Schedule test' },
  description: { pt: 'Conversas por canal', en: 'Conversations by channel' },
  usesInterval: false,
  filters: ['channel'],
  columns: [{ key: 'channel', label: { pt: 'Canal', en: 'Channel' }, kind: 'text' }, { key: 'n', label: { pt: 'Conversas', en: 'Conversations' }, kind: 'count' }],
  chart: null,
  async run(ctx) {
    const q = new SqlParams();
    const { rows } = await ctx.db.query<{ channel: string; n: number }>(
      `SELECT c.channel, count(*)::int AS n FROM conversations c WHERE ${conversationsWhere(ctx, q, 'c', 'created_at')} GROUP BY 1 ORDER BY 1`, q.list);
    return { rows, total: { channel: null, n: rows.reduce((s, r) => s + r.n, 0) } };
  },
};
const reports = REPORTS as Map<ReportId, ReportDefinition>;
const before = reports.get(TEST_REPORT);
beforeAll(() => void reports.set(TEST_REPORT, testReport));
afterAll(() => void (before ? reports.set(TEST_REPORT, before) : reports.delete(TEST_REPORT)));

// São Paulo is UTC−3 all year: 07:00 there is 10:00Z
const D = '2026-03-10';
const body = (over: Record<string, unknown> = {}) => ({
  reportId: TEST_REPORT, period: 'yesterday', format: 'csv', recipients: ['gestao@empresa.test'], frequency: 'daily', hour: 7, ...over,
});

let supA: Client;
let supB: Client;
let agent: Client;
let teamA: any;
let chatA: any;
let waA: any;
let chatB: any;
beforeAll(async () => {
  t.clock.set(Date.parse(`${D}T12:00:00Z`));
  teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
  waA = await createService(admin, { channel: 'whatsapp', teamIds: [teamA.id] });
  chatB = await createService(admin, { channel: 'webchat', teamIds: [teamB.id] });
  const a = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const b = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamB.id] });
  const ag = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  supA = await t.login(a.email, a.password);
  supB = await t.login(b.email, b.password);
  agent = await t.login(ag.email, ag.password);
});

describe('report schedules: CRUD, validation and scope', () => {
  it('creates one with the next sending at the hour of the next day in the contact center’s time zone, and audits it', async () => {
    const r = await supA.post('/api/report-schedules', body({ recipients: ['Gestao@Empresa.test', 'gestao@empresa.test', 'outro@empresa.test'] }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ reportId: TEST_REPORT, period: 'yesterday', format: 'csv', frequency: 'daily', hour: 7, active: true, lastRunAt: null, filters: {} });
    expect(r.body.recipients).toEqual(['gestao@empresa.test', 'outro@empresa.test']);
    // created at 09:00 local on the 10th: 07:00 has passed, so the 11th at 07:00 (10:00Z)
    expect(r.body.nextRunAt).toBe('2026-03-11T10:00:00.000Z');
    const weekly = await supA.post('/api/report-schedules', body({ frequency: 'weekly', hour: 8 }));
    // 2026-03-10 is a Tuesday: next Monday the 16th, 08:00 local
    expect(weekly.body.nextRunAt).toBe('2026-03-16T11:00:00.000Z');
    const monthly = await supA.post('/api/report-schedules', body({ frequency: 'monthly', hour: 6, period: 'last_month', format: 'xlsx' }));
    expect(monthly.body.nextRunAt).toBe('2026-04-01T09:00:00.000Z');
    const audit = await admin.get(`/api/audit?entity=report_schedule`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain(r.body.id);
    for (const s of [weekly, monthly]) expect((await supA.del(`/api/report-schedules/${s.body.id}`)).status).toBe(204);
  });

  it('answers 400 naming the field for a bad e-mail, no recipient, an hour out of range, an unknown field or report', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [body({ recipients: ['não é e-mail'] }), 'recipients'],
      [body({ recipients: [] }), 'recipients'],
      [body({ hour: 24 }), 'hour'],
      [body({ frequency: 'hourly' }), 'frequency'],
      [body({ reportId: 'nope' }), 'reportId'],
      [{ ...body(), extra: 1 }, 'extra'],
      [body({ filters: { channel: 'fax' } }), 'channel'],
    ];
    for (const [b, field] of cases) {
      const r = await supA.post('/api/report-schedules', b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    const [s] = (await supA.get('/api/report-schedules')).body.items;
    expect((await supA.patch(`/api/report-schedules/${s.id}`, { recipients: ['x@'] })).status).toBe(400);
    expect((await supA.patch(`/api/report-schedules/${s.id}`, { reportId: 'agents' })).status).toBe(400);
  });

  it('shows each supervisor only their own (another’s is 404), an admin all; an agent is refused', async () => {
    const mine = (await supA.get('/api/report-schedules')).body.items;
    expect(mine).toHaveLength(1);
    const id = mine[0].id;
    expect((await supB.get('/api/report-schedules')).body.items).toEqual([]);
    expect((await supB.get(`/api/report-schedules/${id}`)).status).toBe(404);
    expect((await supB.patch(`/api/report-schedules/${id}`, { hour: 9 })).status).toBe(404);
    expect((await supB.del(`/api/report-schedules/${id}`)).status).toBe(404);
    expect((await agent.get('/api/report-schedules')).status).toBe(403);
    expect((await agent.post('/api/report-schedules', body())).status).toBe(403);
    expect((await t.anonymous().get('/api/report-schedules')).status).toBe(401);
    const all = (await admin.get('/api/report-schedules')).body;
    expect(all.items.map((s: any) => s.id)).toContain(id);
    expect(all.mailConfigured).toBe(false);
    // an admin may edit it: pausing and resuming keep it, a new hour moves the next sending
    expect((await admin.patch(`/api/report-schedules/${id}`, { active: false })).body.active).toBe(false);
    const resumed = await supA.patch(`/api/report-schedules/${id}`, { active: true, hour: 7 });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ active: true, nextRunAt: '2026-03-11T10:00:00.000Z' });
  });

  it('refuses a supervisor’s filters outside their scope (404 naming the field); their own and an admin’s pass', async () => {
    const outside: [Record<string, unknown>, string][] = [
      [{ serviceId: chatB.id }, 'filters.serviceId'],
      [{ teamId: (await admin.get(`/api/services/${chatB.id}`)).body.teamIds[0] }, 'filters.teamId'],
    ];
    for (const [filters, field] of outside) {
      const r = await supA.post('/api/report-schedules', body({ filters }));
      expect(r.status, field).toBe(404);
      expect(JSON.stringify(r.body), field).toContain(field);
    }
    const own = await supA.post('/api/report-schedules', body({ filters: { serviceId: waA.id, teamId: teamA.id } }));
    expect(own.status).toBe(201);
    expect((await supA.patch(`/api/report-schedules/${own.body.id}`, { filters: { serviceId: chatB.id } })).status).toBe(404);
    expect((await supA.get(`/api/report-schedules/${own.body.id}`)).body.filters).toEqual({ serviceId: waA.id, teamId: teamA.id });
    const byAdmin = await admin.post('/api/report-schedules', body({ filters: { serviceId: chatB.id } }));
    expect(byAdmin.status).toBe(201);
    for (const id of [own.body.id, byAdmin.body.id]) expect((await admin.del(`/api/report-schedules/${id}`)).status).toBe(204);
  });
});

describe('report schedules: the sending', () => {
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(() => smtp.close());
  const mailer = () => new ReportMailer(t.runtime.engine, { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Mirante <mirante@empresa.test>' });

  it('e-mails the due report once, with its file, over yesterday, in its owner’s scope; not again after a restart', async () => {
    // on the 10th: 2 WebChat and 1 WhatsApp in team A, and 1 WebChat in team B (outside supA's scope)
    for (const svc of [chatA, chatA, waA, chatB]) {
      await receiveInbound(t.runtime.engine, { serviceId: svc.id, channel: svc.channel, contact: { externalId: unique('c'), name: 'Cliente' }, externalId: unique('m'), text: 'Olá' });
    }
    await t.settle();
    const [s] = (await supA.get('/api/report-schedules')).body.items;

    // before the due time, nothing
    t.clock.set(Date.parse('2026-03-11T09:59:00Z'));
    const first = mailer();
    expect(await first.runDue()).toBe(0);
    expect(smtp.received).toHaveLength(0);

    t.clock.set(Date.parse('2026-03-11T10:00:30Z'));
    expect(await first.runDue()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.envelope.to.sort()).toEqual(['gestao@empresa.test', 'outro@empresa.test']);
    expect(m.mail.subject).toContain('10/03/2026');
    expect(m.mail.attachments).toHaveLength(1);
    const file = m.mail.attachments[0]!;
    expect(file.filename).toBe(`relatorio-${TEST_REPORT}_${D}.csv`);
    const text = file.content.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = await parseCsv(text.slice(1));
    // supA sees team A only: webchat 2, whatsapp 1, total 3 (team B's chat left out)
    expect(rows).toEqual([['Canal', 'Conversas'], ['webchat', '2'], ['whatsapp', '1'], ['Total', '3']]);
    await first.stop();

    const after = (await supA.get(`/api/report-schedules/${s.id}`)).body;
    expect(after.lastRunAt).toBe('2026-03-11T10:00:30.000Z');
    expect(after.nextRunAt).toBe('2026-03-12T10:00:00.000Z');
    const audit = JSON.stringify((await admin.get('/api/audit?entity=report_schedule')).body);
    expect(audit).toContain('send_report');

    // a restart (a new mailer) at the same moment finds nothing due
    const restarted = mailer();
    expect(await restarted.runDue()).toBe(0);
    expect(smtp.received).toHaveLength(1);
    await restarted.stop();

    // the next due time, with two nodes' mailers at once: one e-mail between them
    t.clock.set(Date.parse('2026-03-12T10:01:00Z'));
    const [n1, n2] = [mailer(), mailer()];
    const sent = await Promise.all([n1.runDue(), n2.runDue()]);
    expect(sent[0] + sent[1]).toBe(1);
    expect(smtp.received).toHaveLength(2);
    // the 11th had no conversation: only the totals row
    const rows2 = await parseCsv(smtp.received[1]!.mail.attachments[0]!.content.toString('utf8').slice(1));
    expect(rows2).toEqual([['Canal', 'Conversas'], ['Total', '0']]);
    await Promise.all([n1.stop(), n2.stop()]);
  });

  it('a weekly XLSX over last week, with the report’s filter, in an admin’s (whole) scope', async () => {
    // the daily one paused, so only this one is due
    const [daily] = (await supA.get('/api/report-schedules')).body.items;
    expect((await supA.patch(`/api/report-schedules/${daily.id}`, { active: false })).body.active).toBe(false);
    const created = await admin.post('/api/report-schedules', body({ frequency: 'weekly', hour: 8, period: 'last_week', format: 'xlsx', filters: { channel: 'whatsapp' }, recipients: ['diretoria@empresa.test'] }));
    expect(created.status).toBe(201);
    // Monday the 16th, 08:00 local: the week of the 9th to the 15th
    expect(created.body.nextRunAt).toBe('2026-03-16T11:00:00.000Z');
    t.clock.set(Date.parse('2026-03-16T11:00:05Z'));
    const m = mailer();
    const sentBefore = smtp.received.length;
    expect(await m.runDue()).toBe(1);
    await m.stop();
    const mail = smtp.received[sentBefore]!;
    expect(mail.envelope.to).toEqual(['diretoria@empresa.test']);
    expect(mail.mail.subject).toContain('09/03/2026 a 15/03/2026');
    const file = mail.mail.attachments[0]!;
    expect(file.filename).toBe(`relatorio-${TEST_REPORT}_2026-03-09_a_2026-03-15.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.content as unknown as ArrayBuffer);
    const values = book.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    // the one WhatsApp conversation of the 10th; the chats left out by the filter
    expect(values).toEqual([['Canal', 'Conversas'], ['whatsapp', 1], ['Total', 1]]);
    expect((await admin.del(`/api/report-schedules/${created.body.id}`)).status).toBe(204);
  });

  it('sends nothing for a paused schedule, and nothing once it is deleted', async () => {
    const [s] = (await supA.get('/api/report-schedules')).body.items;
    await supA.patch(`/api/report-schedules/${s.id}`, { active: false });
    t.clock.set(Date.parse('2026-03-17T10:30:00Z'));
    const m = mailer();
    expect(await m.runDue()).toBe(0);
    expect((await supA.del(`/api/report-schedules/${s.id}`)).status).toBe(204);
    expect((await supA.get(`/api/report-schedules/${s.id}`)).status).toBe(404);
    expect(await m.runDue()).toBe(0);
    expect(smtp.received).toHaveLength(3);
    await m.stop();
  });
});
