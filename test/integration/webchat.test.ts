import { describe, expect, it } from 'vitest';
import { SAMPLE_FLOW_PT_BR } from '../../src/core/bot-flow-sample.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, randomIp, WidgetClient } from '../support/widget-client.js';
import { WsClient } from '../support/ws-client.js';

// The WebChat widget's protocol end to end: HTTP + /webchat/ws on one side, the agent desk's HTTP and
// /ws on the other, with the sample bot flow of the core in front of the queue.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

/** A webchat service with the sample flow, served by a team with one agent (not logged in yet). */
async function operation(over: Record<string, unknown> = {}) {
  const team = await createTeam(admin, { maxChat: 3 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { teamIds: [team.id], botFlow: SAMPLE_FLOW_PT_BR, ...over });
  const desk = await t.login(agent.email, agent.password);
  return { team, agent, service, desk };
}

async function visitor(serviceKey: string, hello: Record<string, unknown> = {}) {
  const id = await newVisitor(t.url, serviceKey);
  const { client, welcome } = await WidgetClient.connect(t.url, serviceKey, id, hello);
  return { id, client, welcome };
}

const convOf = async (protocol: string) => (await admin.get(`/api/conversations?protocol=${protocol}&state=${'open'}`)).body.items[0];
async function conversationByProtocol(protocol: string) {
  const { rows } = await t.db.query<{ id: string; state: string; finished_by: string | null; service_id: string; wrapup: unknown }>(
    'SELECT id, state, finished_by, service_id, wrapup FROM conversations WHERE protocol = $1',
    [protocol],
  );
  return rows[0];
}

describe('a WebChat customer from the bot to an agent and back', () => {
  it('menu by button and by typed text → queued with position 1 and the protocol → agent answers and types → finished with the protocol', async () => {
    const { service, desk, agent } = await operation();
    const { client, welcome } = await visitor(service.key);
    expect(welcome.config).toMatchObject({ serviceKey: service.key, serviceName: service.name, open: true, prechat: [], maxAttachmentBytes: 10 * 1024 * 1024 });
    expect(welcome.state).toEqual({ phase: 'idle' });
    expect(welcome.messages).toEqual([]);

    client.send({ type: 'start' });
    const bot = await client.state('bot');
    expect(bot.protocol).toMatch(/^\d{14}$/);
    const menu = await client.next<any>((m) => m.type === 'message' && m.message.options?.length === 5);
    expect(menu.message).toMatchObject({ from: 'bot', text: 'Como podemos ajudar? Escolha uma opção:' });
    expect(menu.message.options.map((o: any) => o.id)).toEqual(['financeiro', 'suporte', 'horario', 'atendente', 'encerrar']);
    const chat = client.chat();
    expect(chat[0]).toMatchObject({ from: 'system', text: `Seu número de protocolo é ${bot.protocol}.` });
    expect(chat[1].text).toContain(bot.protocol); // the greeting tells the protocol too

    // a button
    const pressed = client.press('financeiro');
    await client.next((m) => m.type === 'ack' && m.clientId === pressed);
    const sub = await client.next<any>((m) => m.type === 'message' && m.message.text.startsWith('Financeiro:'));
    expect(sub.message.options.map((o: any) => o.label)).toContain('Outros assuntos financeiros');

    // typed text picks an option by its words
    const typed = client.say('outros');
    await client.next((m) => m.type === 'ack' && m.clientId === typed);
    const queued = await client.state('queued');
    expect(queued).toEqual({ phase: 'queued', protocol: bot.protocol, position: 1, estimatedWaitSeconds: null });
    expect(client.chat().some((m) => m.from === 'bot' && m.text.startsWith('Vamos transferir você para o financeiro'))).toBe(true);
    // the customer's own messages came back as acks, not as messages
    expect(client.chat().filter((m) => m.from === 'customer')).toEqual([]);

    // the agent logs in: assigned; the widget shows the agent's name
    const agentWs = await WsClient.open(t.url, desk.cookie);
    agentWs.send({ type: 'subscribe', stream: 'agent' });
    await agentWs.next((m) => m.type === 'caught_up');
    await desk.post('/api/agent/login');
    await t.settle();
    expect(await client.state('in_service')).toEqual({ phase: 'in_service', protocol: bot.protocol, agentName: agent.name });
    const conv = await convOf(bot.protocol);
    expect(conv).toMatchObject({ state: 'in_service', agentId: agent.id });
    expect(conv.botStartedAt).not.toBeNull();
    expect(conv.botEndedAt).not.toBeNull();

    // the agent answers: the customer receives it
    const reply = await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Olá! Sou do financeiro, como posso ajudar?' });
    expect(reply.status).toBe(201);
    const got = await client.next<any>((m) => m.type === 'message' && m.message.from === 'agent');
    expect(got.message).toMatchObject({ text: 'Olá! Sou do financeiro, como posso ajudar?', authorName: agent.name, options: null });

    // the agent types: the customer sees it (and the other way round)
    agentWs.send({ type: 'typing', conversationId: conv.id });
    expect(await client.next((m) => m.type === 'typing')).toEqual({ type: 'typing', from: 'agent', name: agent.name });
    client.send({ type: 'typing' });
    expect(await agentWs.next((m) => m.type === 'typing')).toEqual({ type: 'typing', conversationId: conv.id, from: 'customer' });

    // the customer writes: the agent's /ws receives it
    const sent = client.say('Preciso de uma segunda via');
    await client.next((m) => m.type === 'ack' && m.clientId === sent);
    const event = await agentWs.next<any>((m) => m.type === 'event' && m.event.type === 'message.created' && m.event.message?.body === 'Preciso de uma segunda via');
    expect(event.event.message.authorType).toBe('customer');

    // the agent finishes: closing message with the protocol, and the closed state
    const done = await desk.post(`/api/conversations/${conv.id}/finish`, { outcome: 'completed' });
    expect(done.status).toBe(200);
    const closing = await client.next<any>((m) => m.type === 'message' && m.message.from === 'system' && m.message.text.startsWith('Atendimento concluído'));
    expect(closing.message.text).toContain(bot.protocol);
    expect(await client.state('closed')).toMatchObject({ protocol: bot.protocol, reason: 'completed' });

    // what was pushed to the connected visitor is marked delivered
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await t.db.query<{ delivery_status: string }>(
      `SELECT delivery_status FROM messages WHERE conversation_id = $1 AND author_type = 'agent'`,
      [conv.id],
    );
    expect(rows.map((r) => r.delivery_status)).toEqual(['delivered']);
    await agentWs.close();
    await client.close();
  });

  it('a question collects the CPF (asked again on a bad one) and keeps it on the contact', async () => {
    const { service } = await operation();
    const { client } = await visitor(service.key);
    client.send({ type: 'start' });
    const { protocol } = await client.state('bot');
    client.press('financeiro');
    await client.next((m) => m.type === 'message' && m.message.text.startsWith('Financeiro:'));
    client.say('segunda via');
    await client.next((m) => m.type === 'message' && m.message.text.startsWith('Para localizar seus boletos'));
    client.say('123.456.789-00');
    await client.next((m) => m.type === 'message' && m.message.text.startsWith('Esse CPF não parece válido'));
    expect(await conversationByProtocol(protocol)).toMatchObject({ state: 'bot' });
    client.say('529.982.247-25');
    await client.state('queued');
    const { rows } = await t.db.query<{ cpf: string }>(
      'SELECT ct.cpf FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.protocol = $1',
      [protocol],
    );
    expect(rows[0].cpf).toBe('52998224725');
    await client.close();
  });

  it('the bot ends the conversation: completed by the bot', async () => {
    const { service } = await operation();
    const { client } = await visitor(service.key);
    client.send({ type: 'start' });
    const { protocol } = await client.state('bot');
    client.press('encerrar');
    expect(await client.state('closed')).toMatchObject({ protocol, reason: 'completed' });
    expect(await conversationByProtocol(protocol)).toMatchObject({ state: 'completed', finished_by: 'bot' });
    await client.close();
  });
});

describe('an agent replies with context', () => {
  it('the widget receives the quoted text with the reply, live and in the history after a reload, and nothing staff-only', async () => {
    const { service, desk } = await operation({ botFlow: null });
    const { id, client } = await visitor(service.key);
    const said = client.say('Qual o prazo de entrega?');
    await client.next((m) => m.type === 'ack' && m.clientId === said);
    await desk.post('/api/agent/login');
    await t.settle();
    await client.state('in_service');
    const conv = (await desk.get('/api/conversations?mine=true')).body.items.find((c: any) => c.serviceId === service.id);
    const quoted = (await desk.get(`/api/conversations/${conv.id}`)).body.messages.find((m: any) => m.body === 'Qual o prazo de entrega?');
    const reply = await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Cinco dias úteis', replyToMessageId: quoted.id });
    expect(reply.status).toBe(201);
    const got = await client.next<any>((m) => m.type === 'message' && m.message.from === 'agent');
    expect(got.message).toMatchObject({ text: 'Cinco dias úteis', replyTo: { text: 'Qual o prazo de entrega?' } });
    expect(Object.keys(got.message.replyTo)).toEqual(['text']);
    // a plain answer has no quote
    await desk.post(`/api/conversations/${conv.id}/messages`, { text: 'Algo mais?' });
    const plain = await client.next<any>((m) => m.type === 'message' && m.message.text === 'Algo mais?');
    expect(plain.message.replyTo).toBeNull();
    await client.close();

    const again = await WidgetClient.connect(t.url, service.key, id);
    expect(again.welcome.messages.find((m) => m.text === 'Cinco dias úteis')).toMatchObject({ replyTo: { text: 'Qual o prazo de entrega?' } });
    await again.client.close();
  });
});

describe('queue position and leaving', () => {
  it('the second customer waits at position 2 and moves to 1 when the first closes the chat (abandoned)', async () => {
    const { service } = await operation({ botFlow: null });
    const a = await visitor(service.key);
    const b = await visitor(service.key);
    a.client.send({ type: 'start' });
    expect((await a.client.state('queued')).position).toBe(1);
    // the test clock stands still unless moved: the second customer arrives a second later
    t.clock.advance(1000);
    b.client.send({ type: 'start' });
    const bQueued = await b.client.state('queued');
    expect(bQueued.position).toBe(2);
    expect(bQueued.protocol).not.toBe((await a.client.state('queued')).protocol);

    const seen = b.client.messages.length;
    a.client.send({ type: 'close' });
    const closed = await a.client.state('closed');
    expect(closed.reason).toBe('abandoned');
    expect(await conversationByProtocol(closed.protocol!)).toMatchObject({ state: 'abandoned', finished_by: 'customer' });
    // nobody writes to a customer who left
    expect(a.client.chat().filter((m) => m.from === 'system')).toHaveLength(1);
    expect((await b.client.state('queued', seen)).position).toBe(1);
    await a.client.close();
    await b.client.close();
  });

  it('closing in the bot is customer_gave_up by the customer', async () => {
    const { service } = await operation();
    const { client } = await visitor(service.key);
    client.send({ type: 'start' });
    const { protocol } = await client.state('bot');
    client.send({ type: 'close' });
    expect(await client.state('closed')).toMatchObject({ reason: 'customer_gave_up', message: `Você encerrou o atendimento. Seu protocolo é ${protocol}.` });
    expect(await conversationByProtocol(protocol)).toMatchObject({ state: 'customer_gave_up', finished_by: 'customer' });
    await client.close();
  });

  it('silence in the bot past the service’s bot timeout is customer_gave_up by the system', async () => {
    const { service } = await operation({ botTimeoutSeconds: 120 });
    const { client } = await visitor(service.key);
    client.send({ type: 'start' });
    const { protocol } = await client.state('bot');
    // an answer resets the clock
    t.clock.advance(100_000);
    client.press('financeiro');
    await client.next((m) => m.type === 'message' && m.message.text.startsWith('Financeiro:'));
    t.clock.advance(100_000);
    await t.runtime.scheduler.tick();
    expect(await conversationByProtocol(protocol)).toMatchObject({ state: 'bot' });
    t.clock.advance(21_000);
    await t.runtime.scheduler.tick();
    await t.settle();
    expect(await client.state('closed')).toMatchObject({ reason: 'customer_gave_up' });
    expect(await conversationByProtocol(protocol)).toMatchObject({ state: 'customer_gave_up', finished_by: 'system' });
    await client.close();
  });
});

describe('reloads and flaky networks', () => {
  it('a second connection with the same identity resumes with the history; lastMessageId gets only what is newer', async () => {
    const { service } = await operation();
    const { id, client } = await visitor(service.key);
    client.send({ type: 'start' });
    const { protocol } = await client.state('bot');
    client.press('horario');
    await client.next((m) => m.type === 'message' && m.message.text.startsWith('Atendemos de segunda'));
    await t.settle();
    const history = client.chat();
    await client.close();

    const again = await WidgetClient.connect(t.url, service.key, id);
    expect(again.welcome.state).toEqual({ phase: 'bot', protocol });
    const ids = again.welcome.messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(again.welcome.messages.map((m) => m.from)).toEqual(['system', 'bot', 'bot', 'customer', 'bot', 'bot']);
    expect(again.welcome.messages.find((m) => m.from === 'customer')).toMatchObject({ text: 'Horário de atendimento' });
    expect(again.welcome.messages.filter((m) => m.from !== 'customer').map((m) => m.id)).toEqual(history.map((m) => m.id));
    await again.client.close();

    const middle = history[2].id;
    const partial = await WidgetClient.connect(t.url, service.key, id, { lastMessageId: middle });
    expect(partial.welcome.messages.every((m) => m.id > middle)).toBe(true);
    expect(partial.welcome.messages).toHaveLength(3);
    await partial.client.close();
  });

  it('a message re-sent with the same clientId (after a reconnect) is stored once and acked with the same id', async () => {
    const { service } = await operation({ botFlow: null });
    const { id, client } = await visitor(service.key);
    client.send({ type: 'message', clientId: 'fixo-1', text: 'Olá, alguém aí?' });
    const first = await client.next<any>((m) => m.type === 'ack');
    expect(await client.state('queued')).toMatchObject({ position: 1 });
    await client.close();
    const again = await WidgetClient.connect(t.url, service.key, id);
    again.client.send({ type: 'message', clientId: 'fixo-1', text: 'Olá, alguém aí?' });
    const second = await again.client.next<any>((m) => m.type === 'ack');
    expect(second).toEqual({ type: 'ack', clientId: 'fixo-1', messageId: first.messageId });
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND external_id = $1`, [
      `${id.visitorId}:fixo-1`,
    ]);
    expect(rows[0].n).toBe(1);
    expect(again.welcome.messages.find((m) => m.from === 'customer')).toMatchObject({ clientId: 'fixo-1', text: 'Olá, alguém aí?' });
    await again.client.close();
  });

  it('another tab of the same visitor sees the customer’s messages too', async () => {
    const { service } = await operation({ botFlow: null });
    const { id, client } = await visitor(service.key);
    client.send({ type: 'start' });
    await client.state('queued');
    const tab2 = await WidgetClient.connect(t.url, service.key, id);
    const clientId = client.say('escrevi na primeira aba');
    const echoed = await tab2.client.next<any>((m) => m.type === 'message' && m.message.from === 'customer');
    expect(echoed.message).toMatchObject({ clientId, text: 'escrevi na primeira aba' });
    await client.close();
    await tab2.client.close();
  });

  it('HTML typed by the customer is stored and sent back as plain text', async () => {
    const { service, desk } = await operation({ botFlow: null });
    const { id, client } = await visitor(service.key);
    const html = '<img src=x onerror="alert(1)"><b>negrito</b>';
    client.say(html);
    const { protocol } = await client.state('queued');
    await desk.post('/api/agent/login');
    await t.settle();
    const conv = (await desk.get(`/api/conversations?protocol=${protocol}`)).body.items[0];
    const detail = (await desk.get(`/api/conversations/${conv.id}`)).body;
    expect(detail.messages.find((m: any) => m.authorType === 'customer').body).toBe(html);
    await client.close();
    const again = await WidgetClient.connect(t.url, service.key, id);
    expect(again.welcome.messages.find((m) => m.from === 'customer')!.text).toBe(html);
    await again.client.close();
  });
});

describe('bad input', () => {
  it('an unknown or inactive service key is a 404 (config, visitors, socket)', async () => {
    expect((await t.anonymous().get('/webchat/config/no-such-key')).status).toBe(404);
    const s = await createService(admin);
    await admin.del(`/api/services/${s.id}`);
    expect((await t.anonymous().get(`/webchat/config/${s.key}`)).status).toBe(404);
    const api = await createService(admin, { channel: 'api' });
    expect((await t.anonymous().get(`/webchat/config/${api.key}`)).status).toBe(404);
    const r = await t.anonymous().post('/webchat/visitors', { serviceKey: 'no-such-key' });
    expect(r.status).toBe(404);
    const live = await createService(admin);
    const id = await newVisitor(t.url, live.key);
    await expect(WidgetClient.open(t.url, 'no-such-key', id)).rejects.toThrow(/404/);
  });

  it('a wrong token, or a visitor of another service, is refused before the socket opens', async () => {
    const s1 = await createService(admin);
    const s2 = await createService(admin);
    const id = await newVisitor(t.url, s1.key);
    await expect(WidgetClient.open(t.url, s1.key, { ...id, token: 'x'.repeat(43) })).rejects.toThrow(/401/);
    await expect(WidgetClient.open(t.url, s1.key, { ...id, visitorId: 'not-a-uuid' })).rejects.toThrow(/401/);
    await expect(WidgetClient.open(t.url, s2.key, id)).rejects.toThrow(/401/);
    const ok = await WidgetClient.open(t.url, s1.key, id);
    await ok.close();
  });

  it('malformed messages get an error and the socket stays usable', async () => {
    const s = await createService(admin);
    const { client } = await visitor(s.key);
    client.socket.send('not json');
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'bad_message' });
    client.send({ type: 'message', text: 'sem clientId' });
    expect(await client.next((m) => m.type === 'error' && m.message.includes('clientId'))).toMatchObject({ code: 'bad_message' });
    client.send({ type: 'ping' });
    await client.next((m) => m.type === 'pong');
    // a button when no bot waits
    client.press('financeiro');
    expect(await client.next((m) => m.type === 'error' && m.code === 'not_in_bot')).toBeTruthy();
    await client.close();
  });

  it('a flood from one visitor is cut (rate_limited) while another visitor is unaffected', async () => {
    const { service } = await operation({ botFlow: null });
    const a = await visitor(service.key);
    const b = await visitor(service.key);
    for (let i = 0; i < 14; i++) a.client.say(`spam ${i}`);
    await a.client.next((m) => m.type === 'error' && m.code === 'rate_limited');
    await new Promise((r) => setTimeout(r, 300));
    const acks = a.client.messages.filter((m) => m.type === 'ack').length;
    expect(acks).toBe(10);
    const cid = b.client.say('olá, não sou eu');
    expect(await b.client.next((m) => m.type === 'ack' && m.clientId === cid)).toBeTruthy();
    expect(b.client.messages.some((m) => m.type === 'error')).toBe(false);
    await a.client.close();
    await b.client.close();
  });

  it('too many new visitors from one IP is a 429 for that IP only', async () => {
    const s = await createService(admin);
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await t.anonymous().request('POST', '/webchat/visitors', { serviceKey: s.key }, { 'x-forwarded-for': ip });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.body.error.code).toBe('rate_limited');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses.filter((x) => x === 201)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect((await t.anonymous().request('POST', '/webchat/visitors', { serviceKey: s.key }, { 'x-forwarded-for': randomIp() })).status).toBe(201);
  });

  it('the widget endpoints answer CORS preflights from any site', async () => {
    const r = await fetch(`${t.url}/webchat/visitors`, {
      method: 'OPTIONS',
      headers: { origin: 'https://loja.example.com.br', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-headers')).toContain('content-type');
    expect((await fetch(`${t.url}/webchat/config/nada`)).headers.get('access-control-allow-origin')).toBe('*');
  });
});
