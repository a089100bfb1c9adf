import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiService, createService, createTeam, createUser, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';

// Who may call what: every route of the OpenAPI, called by each kind of caller with ids from inside
// and outside their scope, against the table below. A route the table lacks fails the test: a new
// route is added here, with what each caller must get.
//
// The world: teams A ("the team") and B ("another team"), each with an agent, a supervisor, a WebChat
// service holding a conversation in service (with a file) and a finished one, an API service with
// a queue long enough to raise an alert. The callers: anonymous, A's agent, B's supervisor ("the
// supervisor of another team"), A's supervisor, an admin. "in" ids are team A's, "out" ids team B's:
// for B's supervisor the halves are mirrored (A's ids are outside their scope, B's inside).
//
// A line: `kind | cells` (one call per caller; the kind's team A id when it has one), or
// `kind | in cells | out cells`, or `skip: why`. Cells, in caller order anon, agent, other-sup, sup,
// admin:
//   401, 403, 404: exactly that status (404 is also what an unknown id answers)
//   ok: past authorization and scope: 2xx, or a refusal of the input or of the state (400, 409, 413,
//       415, 422), never 401/403/404
// Commands that would change the fixture run on the finished conversation ("done": 409 when in
// scope), destructive admin routes on spare records.

type Cell = '401' | '403' | '404' | 'ok';
const CALLERS = ['anon', 'agent', 'otherSup', 'sup', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

const TABLE: Record<string, string> = {
  // WebChat (public; the visitor's token, not the session, decides)
  'GET /webchat/config/{serviceKey}':                 'serviceKey | ok ok ok ok ok | ok ok ok ok ok',
  'POST /webchat/visitors':                           '-          | ok ok ok ok ok',
  'GET /webchat/attachments/{id}':                    'attachment | 401 401 401 401 401 | 401 401 401 401 401',
  'POST /webchat/attachments':                        '-          | 401 401 401 401 401',
  'GET /api/attachments/{id}':                        'attachment | 401 ok 404 ok ok | 401 404 ok 404 ok',
  // the load balancer's probe (public)
  'GET /healthz':                                     '-          | ok ok ok ok ok',
  'GET /api/version':                                 '-          | ok ok ok ok ok',
  // auth and my sessions
  'POST /api/auth/login':                             '-          | ok ok ok ok ok',
  'POST /api/auth/logout':                            'fresh      | 401 ok ok ok ok',
  'GET /api/auth/me':                                 '-          | 401 ok ok ok ok',
  'PATCH /api/auth/me':                               '-          | 401 ok ok ok ok',
  'GET /api/auth/sessions':                           '-          | 401 ok ok ok ok',
  'DELETE /api/auth/sessions/{id}':                   'session    | 401 ok ok ok ok | 401 404 404 404 404',
  'POST /api/auth/sessions/end-others':               '-          | 401 ok ok ok ok',
  'POST /api/users/{id}/end-sessions':                'spareUser  | 401 403 403 403 ok | 401 403 403 403 ok',
  // settings
  'GET /api/settings':                                '-          | 401 ok ok ok ok',
  'PATCH /api/settings':                              '-          | 401 403 403 403 ok',
  'GET /api/settings/{key}':                          'setting    | 401 ok ok ok ok',
  'PUT /api/settings/{key}':                          'setting    | 401 403 403 403 ok',
  'DELETE /api/settings/{key}':                       'setting    | 401 403 403 403 ok',
  // the agent's presence (a user not linked as an agent is refused by the engine: 403)
  'GET /api/agent/presence':                          '-          | 401 ok ok ok ok',
  'POST /api/agent/login':                            '-          | 401 ok 403 403 403',
  'POST /api/agent/logout':                           '-          | 401 ok 403 403 403',
  'POST /api/agent/pause':                            '-          | 401 ok ok ok ok',
  'POST /api/agent/resume':                           '-          | 401 ok 403 403 403',
  'POST /api/agent/heartbeat':                        '-          | 401 ok 403 403 403',
  // conversations: its agent, a supervisor of its service, admins; anyone else 404
  'GET /api/conversations':                           '-          | 401 ok ok ok ok',
  'GET /api/conversations/{id}':                      'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'POST /api/conversations/{id}/messages':            'done       | 401 ok 404 403 403 | 401 404 403 404 403',
  'POST /api/conversations/{id}/attachments':         'done       | 401 ok 404 403 403 | 401 404 403 404 403',
  'POST /api/conversations/{id}/finish':              'done       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'POST /api/conversations/{id}/transfer':            'done       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'GET /api/conversations/{id}/transfer-targets':     'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'GET /api/conversations/{id}/calls':                'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'POST /api/conversations/{id}/assign':              'done       | 401 403 404 ok ok | 401 403 ok 404 ok',
  'POST /api/conversations/{id}/return-to-queue':     'done       | 401 403 404 ok ok | 401 403 ok 404 ok',
  // many at once: the ids travel in the body (team A's finished conversation: 409 in scope, 404 outside)
  'POST /api/conversations/assign':                   '-          | 401 403 404 ok ok',
  'POST /api/conversations/return-to-queue':          '-          | 401 403 404 ok ok',
  // Filtro de E-mail (its scope in detail: email-triage.test.ts)
  'GET /api/email-triage':                            '-          | 401 403 ok ok ok',
  'POST /api/email-triage/accept':                    '-          | 401 403 404 ok ok',
  'POST /api/email-triage/discard':                   '-          | 401 403 404 ok ok',
  'POST /api/conversations/{id}/whispers':            'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'POST /api/conversations/{id}/whispers/read':       'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  // the API channel: its own bearer token, whoever calls
  'POST /api/channels/api/{serviceId}/messages':      'apiService | 401 401 401 401 401 | 401 401 401 401 401',
  'POST /api/services/{id}/api-credentials':          'apiService | 401 403 403 403 ok | 401 403 403 403 ok',
  // providers' webhooks (public: the provider's signature decides; an unknown account is no address)
  'GET /webhooks/{channel}/{accountId}':              'webhook    | 404 404 404 404 404',
  // a file's signed link for a provider (public: the signature decides; called here without one, 400)
  'GET /media/{attachmentId}':                        'attachment | ok ok ok ok ok | ok ok ok ok ok',
  'POST /webhooks/{channel}/{accountId}':             'webhook    | 404 404 404 404 404',
  // the monitor and its alerts
  'GET /api/monitor/snapshot':                        '-          | 401 403 ok ok ok',
  'GET /api/monitor/conversations':                   '-          | 401 403 ok ok ok',
  'GET /api/alerts':                                  '-          | 401 403 ok ok ok',
  'GET /api/lookback/conversations':                  '-          | 401 403 ok ok ok',
  'POST /api/alerts/{id}/read':                       'alert      | 401 403 404 ok ok | 401 403 ok 404 ok',
  'POST /api/alerts/read-all':                        '-          | 401 403 ok ok ok',
  // Carteira WhatsApp (its scope: whatsapp-wallet.test.ts, by serviceId in the query)
  'GET /api/whatsapp/wallet':                         '-          | 401 403 ok ok ok',
  // Análise da Operação: Atendentes, Fila, Mensagens ativas (an agent outside the scope is unknown)
  'GET /api/analysis/agents':                         '-          | 401 403 ok ok ok',
  'GET /api/analysis/agents/{id}/conversations':      'user       | 401 403 404 ok ok | 401 403 ok 404 ok',
  'GET /api/analysis/queue':                          '-          | 401 403 ok ok ok',
  'GET /api/analysis/outbound':                       '-          | 401 403 ok ok ok',
  'GET /api/indicators':                              '-          | 401 403 ok ok ok',
  'GET /api/indicators/conversations':                '-          | 401 403 ok ok ok',
  'GET /api/reports':                                 '-          | 401 403 ok ok ok',
  'GET /api/reports/{id}':                            'report     | 401 403 ok ok ok',
  // Agendamentos: each supervisor their own schedules (another's is 404), admins all
  'GET /api/report-schedules':                        '-          | 401 403 ok ok ok',
  'POST /api/report-schedules':                       '-          | 401 403 ok ok ok',
  'GET /api/report-schedules/{id}':                   'schedule   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'PATCH /api/report-schedules/{id}':                 'schedule   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'DELETE /api/report-schedules/{id}':                'schedule   | 401 403 404 ok ok | 401 403 ok 404 ok',
  // Gráficos
  'GET /api/charts/channels':                         '-          | 401 403 ok ok ok',
  'GET /api/charts/metrics':                          '-          | 401 403 ok ok ok',
  'GET /api/charts/metrics/detailed':                 '-          | 401 403 ok ok ok',
  'GET /api/services/{id}/wrapup-fields':             'service    | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'PUT /api/services/{id}/wrapup-fields':             'service    | 401 403 403 403 ok | 401 403 403 403 ok',
  // users: an agent sees themself; a supervisor themself and the agents of their teams
  'GET /api/users':                                   '-          | 401 ok ok ok ok',
  'POST /api/users':                                  '-          | 401 403 403 403 ok',
  'GET /api/users/{id}':                              'user       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'PATCH /api/users/{id}':                            'spareUser  | 401 403 403 403 ok | 401 403 403 403 ok',
  'DELETE /api/users/{id}':                           'spareUser  | 401 403 403 403 ok | 401 403 403 403 ok',
  // teams: an agent's own, a supervisor's supervised
  'GET /api/teams':                                   '-          | 401 ok ok ok ok',
  'POST /api/teams':                                  '-          | 401 403 403 403 ok',
  'GET /api/teams/{id}':                              'team       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'PATCH /api/teams/{id}':                            'spareTeam  | 401 403 403 403 ok | 401 403 403 403 ok',
  'DELETE /api/teams/{id}':                           'spareTeam  | 401 403 403 403 ok | 401 403 403 403 ok',
  // channel accounts: admins only
  'GET /api/channel-accounts':                        '-          | 401 403 403 403 ok',
  'POST /api/channel-accounts':                       '-          | 401 403 403 403 ok',
  'GET /api/channel-accounts/{id}':                   'account    | 401 403 403 403 ok',
  'PATCH /api/channel-accounts/{id}':                 'account    | 401 403 403 403 ok',
  'DELETE /api/channel-accounts/{id}':                'account    | 401 403 403 403 ok',
  'POST /api/channel-accounts/{id}/test':             'account    | 401 403 403 403 ok',
  // services: those of the caller's teams (supervised teams for a supervisor)
  'GET /api/services':                                '-          | 401 ok ok ok ok',
  'POST /api/services':                               '-          | 401 403 403 403 ok',
  'GET /api/services/{id}':                           'service    | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'PATCH /api/services/{id}':                         'spareService | 401 403 403 403 ok | 401 403 403 403 ok',
  'DELETE /api/services/{id}':                        'spareService | 401 403 403 403 ok | 401 403 403 403 ok',
  // the catalog every desk reads
  'GET /api/pause-reasons':                           '-          | 401 ok ok ok ok',
  'POST /api/pause-reasons':                          '-          | 401 403 403 403 ok',
  'GET /api/pause-reasons/{id}':                      'pauseReason | 401 ok ok ok ok',
  'PATCH /api/pause-reasons/{id}':                    'pauseReason | 401 403 403 403 ok',
  'DELETE /api/pause-reasons/{id}':                   'pauseReason | 401 403 403 403 ok',
  'GET /api/classifications':                         '-          | 401 ok ok ok ok',
  'POST /api/classifications':                        '-          | 401 403 403 403 ok',
  'GET /api/classifications/{id}':                    'classification | 401 ok ok ok ok',
  'PATCH /api/classifications/{id}':                  'classification | 401 403 403 403 ok',
  'DELETE /api/classifications/{id}':                 'classification | 401 403 403 403 ok',
  'GET /api/template-categories':                     '-          | 401 ok ok ok ok',
  'POST /api/template-categories':                    '-          | 401 403 403 403 ok',
  'GET /api/template-categories/{id}':                'category   | 401 ok ok ok ok',
  'PATCH /api/template-categories/{id}':              'category   | 401 403 403 403 ok',
  'DELETE /api/template-categories/{id}':             'category   | 401 403 403 403 ok',
  'GET /api/templates':                               '-          | 401 ok ok ok ok',
  'POST /api/templates':                              '-          | 401 403 403 403 ok',
  'GET /api/templates/{id}':                          'template   | 401 ok ok ok ok',
  'PATCH /api/templates/{id}':                        'template   | 401 403 403 403 ok',
  'DELETE /api/templates/{id}':                       'template   | 401 403 403 403 ok',
  'POST /api/templates/{id}/submit':                  'template   | 401 403 403 403 ok',
  'POST /api/templates/{id}/sync':                    'template   | 401 403 403 403 ok',
  // opt-out: the conversation's agent, its supervisors and admins
  'GET /api/conversations/{id}/contact/opt-out':      'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  'PUT /api/conversations/{id}/contact/opt-out':      'live       | 401 ok 404 ok ok | 401 404 ok 404 ok',
  // outbound conversations from the desk: anyone searches their own scope; only an omnichannel agent starts one (the engine's 403)
  'GET /api/agent/contacts':                          '-          | 401 ok ok ok ok',
  'POST /api/conversations/outbound':                 '-          | 401 ok 403 403 403',
  'GET /api/audit':                                   '-          | 401 403 403 403 ok',
  // LGPD: admins and the privacy officer (none of the other callers holds the permission)
  'GET /api/lgpd/contacts':                            '-          | 401 403 403 403 ok',
  'GET /api/lgpd/contacts/{id}/accesses':              'contact    | 401 403 403 403 ok',
  'GET /api/retention/preview':                        '-          | 401 403 403 403 ok',
  // Titulares (LGPD): a contact is in a supervisor's scope through a conversation of their services
  'GET /api/contacts':                                '-          | 401 403 ok ok ok',
  'GET /api/contacts/{id}':                           'contact    | 401 403 404 ok ok | 401 403 ok 404 ok',
  'PATCH /api/contacts/{id}':                         'contact    | 401 403 404 ok ok | 401 403 ok 404 ok',
  'GET /api/contacts/{id}/history':                   'contact    | 401 403 404 ok ok | 401 403 ok 404 ok',
  // campaigns (Mensagens ativas): supervisors of the campaign's service and admins; agents never
  'GET /api/campaigns':                               '-          | 401 403 ok ok ok',
  'POST /api/campaigns/validate':                     '-          | 401 403 ok ok ok',
  'POST /api/campaigns':                              '-          | 401 403 ok ok ok',
  'GET /api/campaigns/{id}':                          'campaign   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'GET /api/campaigns/{id}/recipients':               'campaign   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'POST /api/campaigns/{id}/pause':                   'campaign   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'POST /api/campaigns/{id}/resume':                  'campaign   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'POST /api/campaigns/{id}/cancel':                  'campaign   | 401 403 404 ok ok | 401 403 ok 404 ok',
  'POST /api/contacts/{id}/anonymize':                'contact    | 401 403 403 403 ok | 401 403 403 403 ok',
};

/** Bodies that get a call past its input check to the scope check (most routes take `{}`). */
const BODIES: Record<string, () => unknown> = {
  'PUT /api/conversations/{id}/contact/opt-out': () => ({ optedOut: false }),
  'POST /api/conversations/{id}/messages': () => ({ text: 'matriz de acesso' }),
  // team A's WebChat service: the agent gets past the checks of who to the channel's refusal (422)
  'POST /api/conversations/outbound': () => ({ phone: '+5511988887777', serviceId: A.web.id, templateId: randomUUID(), parameters: [] }),
  'POST /api/conversations/{id}/finish': () => ({ outcome: 'completed' }),
  // a confirmation that does not match: past the scope check, and nothing is erased
  'POST /api/contacts/{id}/anonymize': () => ({ reason: 'matriz de acesso', confirm: 'não confere' }),
  'POST /api/conversations/{id}/transfer': () => ({ toServiceId: randomUUID() }),
  'POST /api/conversations/{id}/assign': () => ({ agentId: randomUUID() }),
  'POST /api/conversations/{id}/whispers': () => ({ text: 'matriz de acesso' }),
  'POST /api/conversations/assign': () => ({ conversationIds: [A.done], agentId: A.agent.id }),
  'POST /api/conversations/return-to-queue': () => ({ conversationIds: [A.done] }),
  'POST /api/email-triage/accept': () => ({ conversationIds: [A.done] }),
  'POST /api/email-triage/discard': () => ({ conversationIds: [A.done] }),
  // a customer message without the service's bearer token
  'POST /api/channels/api/{serviceId}/messages': () => ({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'oi' }),
};

interface Line {
  kind: string;
  cells: { in: Cell[]; out: Cell[] | null };
}

function parse(route: string, text: string): Line | { skip: string } {
  if (text.startsWith('skip:')) return { skip: text.slice(5).trim() };
  const [kind, ...halves] = text.split('|').map((s) => s.trim());
  const cells = halves.map((h) => {
    const cs = h.split(/\s+/);
    if (cs.length !== CALLERS.length || cs.some((c) => !['401', '403', '404', 'ok'].includes(c))) throw new Error(`${route}: bad cells "${h}"`);
    return cs as Cell[];
  });
  if (cells.length < 1 || cells.length > 2) throw new Error(`${route}: one or two halves of cells`);
  return { kind, cells: { in: cells[0], out: cells[1] ?? null } };
}

const matches = (cell: Cell, status: number) => (cell === 'ok' ? status < 500 && ![401, 403, 404].includes(status) : status === Number(cell));

let t: TestApp;
let admin: Client;
const widgets: WidgetClient[] = [];

interface TeamWorld {
  team: { id: string };
  agent: { id: string; email: string; password: string };
  sup: { id: string; email: string; password: string };
  web: { id: string; key: string };
  api: { id: string };
  live: string;
  done: string;
  attachment: string;
  alert: number;
  spareUser: string;
  spareTeam: string;
  spareService: string;
  desk: Client;
  /** a campaign on the team's WebChat service, written straight to the table (its sending is not what this file tests) */
  campaign: string;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** A WebChat visitor's conversation on `serviceKey`; its id, found by protocol. */
async function visit(serviceKey: string, file = false): Promise<{ id: string; attachment?: string }> {
  const visitor = await newVisitor(t.url, serviceKey);
  const { client } = await WidgetClient.connect(t.url, serviceKey, visitor);
  widgets.push(client);
  client.send({ type: 'start' });
  const { protocol } = await client.state('queued');
  let attachment: string | undefined;
  if (file) {
    const up = await fetch(`${t.url}/webchat/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-visitor-token': visitor.token, 'x-filename': 'fatura.pdf' },
      body: new Uint8Array(PDF),
    });
    expect(up.status).toBe(201);
    attachment = ((await up.json()) as { id: string }).id;
    const cid = client.say('segue a fatura', { attachmentIds: [attachment] });
    await client.next((m) => m.type === 'ack' && m.clientId === cid);
  }
  await t.settle();
  const found = (await admin.get(`/api/conversations?protocol=${protocol}`)).body.items[0];
  return { id: found.id, attachment };
}

async function teamWorld(): Promise<TeamWorld> {
  // one chat at a time: the API service's customers stay queued behind the conversation in service
  const team = await createTeam(admin, { maxChat: 1 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const web = await createService(admin, { teamIds: [team.id] });
  const api = await createApiService(t, admin, { teamIds: [team.id] });
  const desk = await t.login(agent.email, agent.password);
  expect((await desk.post('/api/agent/login')).status).toBe(200);
  const done = await visit(web.key);
  expect((await desk.post(`/api/conversations/${done.id}/finish`, { outcome: 'completed' })).status).toBe(200);
  const live = await visit(web.key, true);
  expect((await admin.get(`/api/conversations/${live.id}`)).body.conversation).toMatchObject({ state: 'in_service', agentId: agent.id });
  for (let i = 0; i < 2; i++) {
    expect((await api.send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'na fila' })).status).toBe(202);
  }
  return {
    team, agent, sup, web, api: api.service, desk,
    live: live.id, done: done.id, attachment: live.attachment!, alert: 0, campaign: '',
    spareUser: (await createUser(admin, { agentEnabled: true, teamIds: [team.id] })).id,
    spareTeam: (await createTeam(admin)).id,
    spareService: (await createService(admin, { teamIds: [team.id] })).id,
  };
}

let A: TeamWorld;
let B: TeamWorld;
let callers: Record<Caller, Client>;
const catalog: Record<string, string> = {};
let bystanderSession: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
  A = await teamWorld();
  B = await teamWorld();
  // two customers queued on each API service: over a limit of one, an alert per service
  const alerts = { pauseMinutes: 15, queueWaitOverTarget: false, noInteractionMinutes: 10, longServiceMinutes: 30, queueLength: 1, serviceLevelPercent: 1 };
  expect((await admin.put('/api/settings/alerts', { value: alerts })).status).toBe(200);
  await t.settle();
  await t.runtime.alerts.evaluate();
  const inbox = (await admin.get('/api/alerts')).body.items as { id: number; serviceId: string | null; rule: string }[];
  for (const w of [A, B]) w.alert = inbox.find((a) => a.serviceId === w.api.id && a.rule === 'queue_too_long')!.id;

  catalog.account = (await admin.post('/api/channel-accounts', { channel: 'sms', name: unique('Conta') })).body.id;
  catalog.pauseReason = (await admin.post('/api/pause-reasons', { name: unique('Pausa') })).body.id;
  catalog.classification = (await admin.post('/api/classifications', { code: unique('C').replace(/\W/g, '').slice(-30), name: unique('Classe'), serviceIds: [A.api.id] })).body.id;
  catalog.category = (await admin.post('/api/template-categories', { code: randomInt(1, 999_999), title: unique('Categoria'), type: 'protocol_update' })).body.id;
  catalog.template = (await admin.post('/api/templates', { categoryId: catalog.category, name: unique('Modelo'), body: 'Olá' })).body.id;
  for (const [k, v] of Object.entries(catalog)) if (!v) throw new Error(`fixture: no ${k}`);
  const { rows: [me] } = await t.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@test.local'`);
  for (const w of [A, B]) {
    w.campaign = (await t.db.query<{ id: string }>(
      `INSERT INTO campaigns (name, template_id, service_id, channel_account_id, window_from, window_to, start_at, status, created_by, created_at, updated_at)
       VALUES ('matriz', $1, $2, $3, '00:00', '23:59', now(), 'running', $4, now(), now()) RETURNING id`,
      [catalog.template, w.web.id, catalog.account, me.id],
    )).rows[0].id;
  }

  const bystander = await createUser(admin);
  const bc = await t.login(bystander.email, bystander.password);
  bystanderSession = (await bc.get('/api/auth/sessions')).body.items[0].id;

  callers = {
    anon: t.anonymous(),
    agent: A.desk,
    otherSup: await t.login(B.sup.email, B.sup.password),
    sup: await t.login(A.sup.email, A.sup.password),
    admin: await t.login(),
  };
}, 120_000);

afterAll(async () => {
  await Promise.all(widgets.map((w) => w.close()));
  await t?.close();
});

const LOGINS: Record<Exclude<Caller, 'anon'>, () => { email: string; password: string }> = {
  agent: () => A.agent,
  otherSup: () => B.sup,
  sup: () => A.sup,
  admin: () => ({ email: 'admin@test.local', password: 'admin-password-1' }),
};

/** A client of this caller on a session of its own (for routes that end the session they run on). */
async function freshClient(caller: Caller): Promise<Client> {
  if (caller === 'anon') return t.anonymous();
  const { email, password } = LOGINS[caller]();
  return t.login(email, password);
}

/**
 * What the path parameters take, for this caller: the kind's team A ("in") or team B ("out") record
 * (a string for a route's one parameter, or a value per parameter name).
 */
async function idFor(kind: string, side: 'in' | 'out', caller: Caller): Promise<string | Record<string, string>> {
  const w = side === 'in' ? A : B;
  switch (kind) {
    case 'webhook': return { channel: 'whatsapp', accountId: randomUUID() };
    case 'live': return w.live;
    case 'campaign': return w.campaign;
    case 'done': return w.done;
    case 'attachment': return w.attachment;
    case 'alert': return String(w.alert);
    case 'user': return w.agent.id;
    case 'spareUser': return w.spareUser;
    case 'team': return w.team.id;
    case 'spareTeam': return w.spareTeam;
    case 'service': return w.web.id;
    case 'spareService': return w.spareService;
    case 'serviceKey': return w.web.key;
    case 'apiService': return w.api.id;
    case 'setting': return 'timezone';
    case 'contact': return (await t.db.query<{ contact_id: string }>('SELECT contact_id FROM conversations WHERE id = $1', [w.live])).rows[0].contact_id;
    case 'report': return 'intervals';
    case 'schedule': {
      // a fresh one each call (DELETE removes it), owned by the team's supervisor
      const owner = await t.login((side === 'in' ? A : B).sup.email, (side === 'in' ? A : B).sup.password);
      const r = await owner.post('/api/report-schedules', { reportId: 'intervals', period: 'yesterday', format: 'csv', recipients: ['gestao@empresa.test'], frequency: 'daily', hour: 7 });
      if (r.status !== 201) throw new Error(`fixture: schedule ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    }
    case 'session': {
      // in: another session of the caller's own; out: a session of someone else
      if (side === 'out' || caller === 'anon') return bystanderSession;
      const c = await freshClient(caller);
      const mine = (await c.get('/api/auth/sessions')).body.items as { id: string; current: boolean }[];
      return mine.find((s) => s.current)!.id;
    }
    default:
      if (catalog[kind]) return catalog[kind];
      throw new Error(`no ids of kind ${kind}`);
  }
}

describe('the access matrix', () => {
  it('lists every route of the OpenAPI, and only those', async () => {
    const spec = (await admin.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !(r in TABLE)), 'routes missing from the table').toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r)), 'table lines for no route').toEqual([]);
  });

  it('answers each caller, in and out of scope, as the table says', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const [route, text] of Object.entries(TABLE)) {
      const line = parse(route, text);
      if ('skip' in line) continue;
      const [method, template] = route.split(' ');
      const halves = line.cells.out ? (['in', 'out'] as const) : (['in'] as const);
      for (const side of halves) {
        const cells = side === 'in' ? line.cells.in : line.cells.out!;
        for (const [i, caller] of CALLERS.entries()) {
          let path = template;
          if (line.kind !== '-' && line.kind !== 'fresh') {
            const ids = await idFor(line.kind, side, caller);
            path = template.replace(/\{([^}]+)\}/g, (whole, name: string) => (typeof ids === 'string' ? encodeURIComponent(ids) : name in ids ? encodeURIComponent(ids[name]) : whole));
          }
          if (/\{/.test(path)) throw new Error(`${route}: a parameter left without an id`);
          const client = line.kind === 'fresh' ? await freshClient(caller) : callers[caller];
          const body = method === 'GET' || method === 'DELETE' ? undefined : (BODIES[route]?.() ?? {});
          const r = await client.request(method, path, body);
          calls++;
          if (!matches(cells[i], r.status)) {
            wrong.push(`${route} [${side}] ${caller}: expected ${cells[i]}, got ${r.status} ${JSON.stringify(r.body?.error?.message ?? r.body ?? '').slice(0, 120)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  });

  it('answers an out-of-scope id exactly as an unknown one: same code, same message shape', async () => {
    const agent = callers.agent;
    const unknown = randomUUID();
    for (const [path, outOfScope] of [
      ['/api/conversations/%s', B.live],
      ['/api/users/%s', B.agent.id],
      ['/api/services/%s', B.web.id],
    ] as const) {
      const hidden = await agent.get(path.replace('%s', outOfScope));
      const none = await agent.get(path.replace('%s', unknown));
      expect(hidden.status).toBe(404);
      expect(none.status).toBe(404);
      expect(hidden.body.error.code).toBe(none.body.error.code);
      expect(hidden.body.error.message.replace(outOfScope, 'ID')).toBe(none.body.error.message.replace(unknown, 'ID'));
    }
  });
});
