import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/channels/api/signature.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { allowPrivateWebhookTargets, createService, createTeam, createUser, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Client;
let hook: Server;
let hookUrl: string;
const received: { body: string; headers: IncomingHttpHeaders }[] = [];
const hookStatus = 200;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
  // the webhook receiver below listens on loopback
  await allowPrivateWebhookTargets(admin);
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      res.writeHead(hookStatus).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const addr = hook.address();
  hookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  expectOutbound(hookUrl);
});
afterAll(async () => {
  hook.close();
  await t.close();
});

/** A team with one logged-in agent and an API-channel service with credentials. */
async function operation(maxChat = 2) {
  const team = await createTeam(admin, { maxChat });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'api', teamIds: [team.id], outboundWebhookUrl: hookUrl });
  const creds = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
  const desk = await t.login(agent.email, agent.password);
  return { team, agent, service, creds, desk };
}

/** Moves the clock in 30 s steps, the desk beating its heart at each step as a real one does. */
async function passTime(ms: number, ...desks: Client[]) {
  for (let left = ms; left > 0; left -= 30_000) {
    t.clock.advance(Math.min(30_000, left));
    for (const d of desks) await d.post('/api/agent/heartbeat');
    await t.runtime.scheduler.tick();
  }
}

function inbound(serviceId: string, token: string, body: Record<string, unknown>) {
  return t.anonymous().request('POST', `/api/channels/api/${serviceId}/messages`, body, { authorization: `Bearer ${token}` });
}

describe('a conversation’s whole life through the API channel', () => {
  it('inbound → queued → assigned → replies → finished with wrap-up, with every event logged', async () => {
    const { service, creds, desk, agent } = await operation();
    const classification = (await admin.post('/api/classifications', { code: unique('C').replace(/\s/g, ''), name: 'Dúvida resolvida', serviceIds: [service.id] })).body;

    // no agent logged in yet: the conversation waits in the queue
    const first = await inbound(service.id, creds.token, { contact: { externalId: 'cli-1', name: 'Maria Souza' }, externalId: 'm-1', text: 'Olá, preciso de ajuda' });
    expect(first.status).toBe(202);
    expect(first.body.protocol).toMatch(/^\d{8}\d{6}$/);
    await t.settle();
    let c = (await admin.get(`/api/conversations/${first.body.conversationId}`)).body;
    expect(c.conversation.state).toBe('queued');
    expect(c.messages.map((m: any) => m.authorType)).toEqual(['system', 'customer']);
    expect(c.messages[0].body).toContain(first.body.protocol);

    // the agent logs in: routing assigns it
    expect((await desk.post('/api/agent/login')).body.state).toBe('available');
    await t.settle();
    c = (await desk.get(`/api/conversations/${first.body.conversationId}`)).body;
    expect(c.conversation).toMatchObject({ state: 'in_service', agentId: agent.id });
    expect((await desk.get('/api/agent/presence')).body).toMatchObject({ state: 'in_service', openChat: 1 });
    expect((await desk.get('/api/conversations')).body.items.map((x: any) => x.id)).toEqual([first.body.conversationId]);

    // the same delivery again is accepted and ignored
    const again = await inbound(service.id, creds.token, { contact: { externalId: 'cli-1' }, externalId: 'm-1', text: 'Olá, preciso de ajuda' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ duplicate: true, conversationId: first.body.conversationId });

    // the agent answers; the webhook receives it signed
    const reply = await desk.post(`/api/conversations/${first.body.conversationId}/messages`, { text: 'Bom dia! Como posso ajudar?' });
    expect(reply.status).toBe(201);
    await t.runtime.outbox.tick();
    const delivered = received.map((r) => ({ ...r, json: JSON.parse(r.body) })).filter((r) => r.json.conversation.id === first.body.conversationId);
    expect(delivered.map((d) => d.json.message.text)).toContain('Bom dia! Como posso ajudar?');
    for (const d of delivered) expect(verifyWebhook(creds.webhookSecret, d.headers, d.body)).toBe(true);
    expect(delivered.find((d) => d.json.message.authorType === 'agent')!.json.contact.externalId).toBe('cli-1');

    // the customer answers in the same conversation
    await inbound(service.id, creds.token, { contact: { externalId: 'cli-1' }, externalId: 'm-2', text: 'Quero a segunda via do boleto' });

    // finish with the wrap-up
    const done = await desk.post(`/api/conversations/${first.body.conversationId}/finish`, { outcome: 'completed', classificationId: classification.id, notes: 'Enviada por e-mail' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'completed', finishedBy: 'agent', classificationId: classification.id, notes: 'Enviada por e-mail' });
    const ts = done.body;
    expect(new Date(ts.createdAt) <= new Date(ts.queuedAt)).toBe(true);
    expect(new Date(ts.queuedAt) <= new Date(ts.assignedAt)).toBe(true);
    expect(new Date(ts.assignedAt) <= new Date(ts.firstAgentMessageAt)).toBe(true);
    expect(new Date(ts.firstAgentMessageAt) <= new Date(ts.finishedAt)).toBe(true);
    await t.settle();
    expect((await desk.get('/api/agent/presence')).body).toMatchObject({ state: 'available', openChat: 0 });

    const detail = (await desk.get(`/api/conversations/${first.body.conversationId}`)).body;
    expect(detail.messages.map((m: any) => m.authorType)).toEqual(['system', 'customer', 'agent', 'customer', 'system']);
    expect(detail.messages.at(-1).body).toContain(first.body.protocol);

    // the event log tells the whole story, in order
    const { rows } = await t.db.query<{ type: string; reason: string | null }>(
      `SELECT type, payload->>'reason' AS reason FROM events WHERE conversation_id = $1 ORDER BY seq`,
      [first.body.conversationId],
    );
    const story = rows.map((r) => (r.reason ? `${r.type}:${r.reason}` : r.type));
    expect(story[0]).toBe('conversation.created:created');
    expect(story).toContain('conversation.updated:assigned');
    expect(story.filter((s) => s === 'message.created')).toHaveLength(5);
    expect(story.at(-1)).toBe('conversation.updated:finished:completed');
  });

  it('refuses what may not be done, with the right status', async () => {
    const { service, creds, desk, agent } = await operation();
    const other = await operation();
    await desk.post('/api/agent/login');
    const r = await inbound(service.id, creds.token, { contact: { externalId: 'cli-x' }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    const id = r.body.conversationId;

    // to another agent it does not exist: 404, as an unknown id (engine/access.ts)
    expect((await other.desk.post(`/api/conversations/${id}/messages`, { text: 'intruso' })).status).toBe(404);
    expect((await other.desk.post(`/api/conversations/${id}/finish`, { outcome: 'completed' })).status).toBe(404);
    expect((await other.desk.get(`/api/conversations/${id}`)).status).toBe(404);
    // logout with an open conversation is refused
    const out = await desk.post('/api/agent/logout');
    expect(out.status).toBe(409);
    // a missing or bad token
    expect((await inbound(service.id, 'wrong', { contact: { externalId: 'a' }, externalId: 'b', text: 'c' })).status).toBe(401);
    expect((await t.anonymous().post(`/api/channels/api/${service.id}/messages`, { contact: { externalId: 'a' }, externalId: 'b', text: 'c' })).status).toBe(401);
    expect((await inbound('00000000-0000-4000-8000-000000000000', creds.token, { contact: { externalId: 'a' }, externalId: 'b', text: 'c' })).status).toBe(404);
    expect((await inbound(service.id, creds.token, { contact: { externalId: 'a' }, text: 'no external id' })).body.error.message).toContain('body.externalId');

    await desk.post(`/api/conversations/${id}/finish`, { outcome: 'cancelled' });
    // finished: a message or a second finish is a 409 that tells the current state
    const late = await desk.post(`/api/conversations/${id}/messages`, { text: 'ainda está aí?' });
    expect(late.status).toBe(409);
    expect(late.body.error.currentState).toBe('cancelled');
    const twice = await desk.post(`/api/conversations/${id}/finish`, { outcome: 'completed' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.currentState).toBe('cancelled');
    expect((await desk.get('/api/agent/presence')).body.id).toBe(agent.id);
  });

  it('a pending pause starts when the last conversation ends, and no new work arrives meanwhile', async () => {
    const { service, creds, desk } = await operation(3);
    const reasons = (await desk.get('/api/pause-reasons')).body.items;
    const lunch = reasons.find((r: any) => r.name === 'Almoço');
    await desk.post('/api/agent/login');
    const a = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'um' });
    await t.settle();
    const paused = await desk.post('/api/agent/pause', { reasonId: lunch.id });
    expect(paused.body).toMatchObject({ state: 'in_service', pendingPauseReasonId: lunch.id });
    const b = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'dois' });
    await t.settle();
    expect((await admin.get(`/api/conversations/${b.body.conversationId}`)).body.conversation.state).toBe('queued');
    expect((await desk.post(`/api/conversations/${a.body.conversationId}/finish`, { outcome: 'completed' })).status).toBe(200);
    await t.settle();
    expect((await desk.get('/api/agent/presence')).body).toMatchObject({ state: 'paused', pauseReasonId: lunch.id });
    expect((await admin.get(`/api/conversations/${b.body.conversationId}`)).body.conversation.state).toBe('queued');
    await desk.post('/api/agent/resume');
    await t.settle();
    expect((await admin.get(`/api/conversations/${b.body.conversationId}`)).body.conversation).toMatchObject({ state: 'in_service' });
  });

  it('an agent whose desk goes silent past the grace period loses the conversation back to the queue', async () => {
    const { service, creds, desk } = await operation();
    await desk.post('/api/agent/login');
    const r = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    t.clock.advance(61_000);
    await t.runtime.scheduler.tick();
    expect((await admin.get(`/api/conversations/${r.body.conversationId}`)).body.conversation).toMatchObject({ state: 'queued', priority: 'returned', agentId: null });
    expect((await desk.get('/api/agent/presence')).body).toMatchObject({ state: 'offline', openChat: 0 });
  });

  it('timers: a silent customer in the queue gives up; a silent one in service ends as Inativa PA', async () => {
    const { service, creds, desk } = await operation();
    const q = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'alguém?' });
    t.clock.advance(service.queueTimeoutSeconds * 1000 + 1000);
    await t.runtime.scheduler.tick();
    expect((await admin.get(`/api/conversations/${q.body.conversationId}`)).body.conversation).toMatchObject({ state: 'customer_gave_up', finishedBy: 'system' });

    await desk.post('/api/agent/login');
    const s = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    await passTime(service.inactivityTimeoutSeconds * 1000 - 5000, desk);
    expect((await admin.get(`/api/conversations/${s.body.conversationId}`)).body.conversation.state).toBe('in_service');
    await passTime(10_000, desk);
    expect((await admin.get(`/api/conversations/${s.body.conversationId}`)).body.conversation.state).toBe('inactive_in_service');
    expect((await desk.get('/api/agent/presence')).body.openChat).toBe(0);
  });

  it('transfer to another agent and to another service; supervisor allocation and return to the queue', async () => {
    const { team, service, creds, desk } = await operation(1);
    const second = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const desk2 = await t.login(second.email, second.password);
    const other = await createService(admin, { channel: 'api', teamIds: [team.id] });
    await desk.post('/api/agent/login');
    const r = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    const id = r.body.conversationId;

    // the second agent is offline: the transfer is refused
    expect((await desk.post(`/api/conversations/${id}/transfer`, { toAgentId: second.id })).status).toBe(409);
    await desk2.post('/api/agent/login');
    const moved = await desk.post(`/api/conversations/${id}/transfer`, { toAgentId: second.id });
    expect(moved.body).toMatchObject({ agentId: second.id, transferCount: 1, state: 'in_service' });
    expect((await desk.get('/api/agent/presence')).body.openChat).toBe(0);

    // to another service's queue; then a supervisor allocates it to the first agent
    const queued = await desk2.post(`/api/conversations/${id}/transfer`, { toServiceId: other.id });
    expect(queued.body).toMatchObject({ state: 'queued', serviceId: other.id, priority: 'returned' });
    await t.settle();
    const now = (await admin.get(`/api/conversations/${id}`)).body.conversation;
    expect(now.state).toBe('in_service'); // routed again at once: both agents had a free slot
    // both agents ask for a pause (pending for the one holding it); the supervisor takes it back
    const reasonId = (await desk.get('/api/pause-reasons')).body.items[0].id;
    await desk.post('/api/agent/pause', { reasonId });
    await desk2.post('/api/agent/pause', { reasonId });
    const back = await admin.post(`/api/conversations/${id}/return-to-queue`);
    expect(back.body).toMatchObject({ state: 'queued', priority: 'returned', agentId: null });
    await t.settle();
    expect((await desk.get('/api/agent/presence')).body.state).toBe('paused');
    expect((await desk2.get('/api/agent/presence')).body.state).toBe('paused');
    const alloc = await admin.post(`/api/conversations/${id}/assign`, { agentId: second.id });
    expect(alloc.body).toMatchObject({ priority: 'manual', preferredAgentId: second.id, state: 'queued' });
    await desk.post('/api/agent/resume');
    await t.settle();
    // the first agent is free, but the conversation waits for the one it was allocated to
    expect((await admin.get(`/api/conversations/${id}`)).body.conversation.state).toBe('queued');
    await desk2.post('/api/agent/resume');
    await t.settle();
    expect((await admin.get(`/api/conversations/${id}`)).body.conversation).toMatchObject({ state: 'in_service', agentId: second.id });
  });

  it('supervisor chat: the supervisor writes about a conversation, the agent answers, the customer never sees it', async () => {
    const { team, service, creds, desk } = await operation();
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    const supervisor = await t.login(sup.email, sup.password);
    const outsider = await t.login((await createUser(admin, { role: 'supervisor' })).email, 'password-123');
    await desk.post('/api/agent/login');
    const r = await inbound(service.id, creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    const id = r.body.conversationId;
    expect((await supervisor.post(`/api/conversations/${id}/whispers`, { text: 'Ofereça o desconto de fidelidade' })).status).toBe(201);
    expect((await desk.post(`/api/conversations/${id}/whispers`, { text: 'Ok, vou oferecer' })).status).toBe(201);
    expect((await outsider.post(`/api/conversations/${id}/whispers`, { text: 'oi' })).status).toBe(404);
    // the agent reads: the supervisor's message is stamped once, and the watchers are told
    t.clock.advance(5_000);
    expect((await desk.post(`/api/conversations/${id}/whispers/read`)).status).toBe(204);
    expect((await desk.post(`/api/conversations/${id}/whispers/read`)).status).toBe(204);
    const agentRead = t.clock.now().toISOString();
    // the supervisor reads the agent's answer (to a supervisor of another team it does not exist); no such conversation: 404
    t.clock.advance(5_000);
    expect((await outsider.post(`/api/conversations/${id}/whispers/read`)).status).toBe(404);
    expect((await supervisor.post(`/api/conversations/${id}/whispers/read`)).status).toBe(204);
    expect((await supervisor.post(`/api/conversations/${id}/whispers/read`)).status).toBe(204);
    expect((await desk.post(`/api/conversations/${randomUUID()}/whispers/read`)).status).toBe(404);
    const supervisorRead = t.clock.now().toISOString();
    // both marks reach the agent's stream (agentId) and the service's watchers (serviceId)
    const d = (await supervisor.get(`/api/conversations/${id}`)).body;
    const { rows: reads } = await t.db.query<{ payload: any }>(`SELECT payload FROM events WHERE type = 'whisper.updated' AND conversation_id = $1 ORDER BY seq`, [id]);
    expect(reads.map((r) => [r.payload.reason, r.payload.whisper.body, r.payload.whisper.readAt, r.payload.serviceId, r.payload.agentId])).toEqual([
      ['read', 'Ofereça o desconto de fidelidade', agentRead, service.id, d.conversation.agentId],
      ['read', 'Ok, vou oferecer', supervisorRead, service.id, d.conversation.agentId],
    ]);
    expect(d.whispers.map((w: any) => [w.body, w.readAt])).toEqual([['Ofereça o desconto de fidelidade', agentRead], ['Ok, vou oferecer', supervisorRead]]);
    expect(d.messages.map((m: any) => m.body)).not.toContain('Ofereça o desconto de fidelidade');
    const audit = (await admin.get(`/api/audit?entity=conversation&entityId=${id}`)).body.items.map((a: any) => a.action);
    expect(audit).toContain('supervisor_chat');
    expect(audit).toContain('view_messages');
    // once finished, the chat is closed for both (the screens offer it by the same rule, shared/supervisor-chat.ts)
    expect((await desk.post(`/api/conversations/${id}/finish`, { outcome: 'completed' })).status).toBe(200);
    const late = await supervisor.post(`/api/conversations/${id}/whispers`, { text: 'Ainda aí?' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'conflict', currentState: 'completed' });
    expect(late.body.error.message).toMatch(/não está em andamento|not in service/);
    expect((await desk.post(`/api/conversations/${id}/whispers`, { text: 'Já encerrei' })).status).toBe(409);
    expect((await supervisor.get(`/api/conversations/${id}`)).body.whispers).toHaveLength(2);
  });

  it('signing out leaves the queues when nothing is open; with a conversation open the grace period decides', async () => {
    const free = await operation();
    await free.desk.post('/api/agent/login');
    const watcher = await t.login(free.agent.email, free.agent.password);
    expect((await free.desk.post('/api/auth/logout')).status).toBe(204);
    expect((await watcher.get('/api/agent/presence')).body.state).toBe('offline');

    const busy = await operation();
    await busy.desk.post('/api/agent/login');
    await inbound(busy.service.id, busy.creds.token, { contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' });
    await t.settle();
    const other = await t.login(busy.agent.email, busy.agent.password);
    expect((await busy.desk.post('/api/auth/logout')).status).toBe(204);
    expect((await other.get('/api/agent/presence')).body).toMatchObject({ state: 'in_service', openChat: 1 });
  });
});

