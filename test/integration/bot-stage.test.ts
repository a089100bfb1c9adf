import { describe, expect, it } from 'vitest';
import { SAMPLE_FLOW_PT_BR } from '../../src/core/bot-flow-sample.js';
import { appForFile, TWO_STEP, createApiService, createService, createTeam, unique, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';

// The bot stage in the engine serves every messaging channel: here through the API channel (text only:
// numbered menus) and WebChat, with the flow checks on saving a service.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function apiService(botFlow: unknown) {
  const api = await createApiService(t, admin, { botFlow });
  const send = (contact: string, text: string) => api.send({ contact: { externalId: contact }, externalId: unique('m'), text });
  return { service: api.service, send };
}

async function history(conversationId: string) {
  return (await admin.get(`/api/conversations/${conversationId}`)).body as { conversation: any; messages: any[] };
}

describe('flow validation on saving a service', () => {
  it('a flow with an unreachable or dead-end step is refused with 422 listing each problem', async () => {
    const broken = {
      version: 1,
      start: 'menu',
      steps: {
        menu: { kind: 'menu', text: 'Oi', options: [{ id: 'x', label: 'Loop', next: 'loop' }] },
        loop: { kind: 'answer', text: 'De novo.', next: 'menu' },
        orphan: { kind: 'end', text: 'Nunca.' },
      },
    };
    const r = await admin.post('/api/services', { name: unique('Fluxo Ruim'), channel: 'webchat', botFlow: broken });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('invalid_bot_flow');
    const byPath = r.body.error.issues.map((i: any) => `${i.path}: ${i.message}`);
    expect(byPath).toEqual(
      expect.arrayContaining([
        'botFlow.steps.menu: from step "menu" no transfer or end can be reached',
        'botFlow.steps.loop: from step "loop" no transfer or end can be reached',
        'botFlow.steps.orphan: step "orphan" cannot be reached from the start',
      ]),
    );
  });

  it('a missing step, an unknown service or a bad shape is refused; a valid flow is kept; PATCH is checked too', async () => {
    const missing = await admin.post('/api/services', {
      name: unique('Fluxo'), channel: 'webchat',
      botFlow: { ...TWO_STEP, steps: { ...TWO_STEP.steps, fila: { kind: 'transfer', serviceId: '00000000-0000-4000-8000-000000000000' } } },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toContain('unknown service');
    const shape = await admin.post('/api/services', { name: unique('Fluxo'), channel: 'webchat', botFlow: { version: 1, start: 'a', steps: { a: { kind: 'teleport' } } } });
    expect(shape.status).toBe(400);
    expect(shape.body.error.message).toContain('body.botFlow.steps.a');
    const ok = await admin.post('/api/services', { name: unique('Fluxo'), channel: 'webchat', botFlow: TWO_STEP });
    expect(ok.status).toBe(201);
    expect(ok.body.botFlow).toEqual(TWO_STEP);
    const patch = await admin.patch(`/api/services/${ok.body.id}`, { botFlow: { ...TWO_STEP, start: 'nowhere' } });
    expect(patch.status).toBe(422);
    expect(patch.body.error.message).toContain('the start step "nowhere" does not exist');
    expect((await admin.patch(`/api/services/${ok.body.id}`, { botFlow: SAMPLE_FLOW_PT_BR })).status).toBe(200);
  });
});

describe('the bot on a text-only channel (API)', () => {
  it('greets with the protocol and a numbered menu, takes the number, transfers to the queue', async () => {
    const { send } = await apiService(SAMPLE_FLOW_PT_BR);
    const first = await send('cli-num', 'Oi');
    expect(first.status).toBe(202);
    await t.settle();
    let h = await history(first.body.conversationId);
    expect(h.conversation.state).toBe('bot');
    expect(h.messages.map((m) => m.authorType)).toEqual(['system', 'customer', 'bot', 'bot']);
    const menu = h.messages[3];
    expect(menu.body).toBe('Como podemos ajudar? Escolha uma opção:\n1 - Financeiro\n2 - Suporte técnico\n3 - Horário de atendimento\n4 - Falar com atendente\n5 - Encerrar');
    expect(menu.payload.options).toHaveLength(5);

    // an answer that matches nothing: asked again
    await send('cli-num', 'quero pizza');
    h = await history(first.body.conversationId);
    expect(h.messages.at(-2).body).toBe('Não entendi. Por favor, escolha uma das opções abaixo.');
    expect(h.conversation.state).toBe('bot');

    const second = await send('cli-num', '2');
    expect(second.body.conversationId).toBe(first.body.conversationId);
    await t.settle();
    h = await history(first.body.conversationId);
    expect(h.conversation).toMatchObject({ state: 'queued', finishedAt: null });
    expect(h.conversation.firstQueuedAt).toBe(h.conversation.botEndedAt);
    expect(h.messages.at(-1)).toMatchObject({ authorType: 'bot', body: 'Vamos transferir você para o suporte técnico. Aguarde um instante.' });
    const { rows } = await t.db.query<{ kind: string }>('SELECT kind FROM timers WHERE conversation_id = $1', [first.body.conversationId]);
    expect(rows.map((r) => r.kind)).toEqual(['queue_timeout']);
  });

  it('a flow edited mid-conversation (the waiting step is gone) hands the customer to the service’s own queue', async () => {
    const { service, send } = await apiService(TWO_STEP);
    const first = await send('cli-edit', 'Olá');
    await t.settle();
    expect((await history(first.body.conversationId)).conversation.state).toBe('bot');
    const edited = { version: 1, start: 'inicio', steps: { inicio: { kind: 'transfer' } } };
    expect((await admin.patch(`/api/services/${service.id}`, { botFlow: edited })).status).toBe(200);
    await send('cli-edit', '1');
    await t.settle();
    const h = await history(first.body.conversationId);
    expect(h.conversation).toMatchObject({ state: 'queued', serviceId: service.id });
    const { rows } = await t.db.query<{ reason: string }>(
      `SELECT payload->>'reason' AS reason FROM events WHERE conversation_id = $1 AND type = 'conversation.updated' ORDER BY seq DESC LIMIT 1`,
      [first.body.conversationId],
    );
    expect(rows[0].reason).toBe('bot_error:unknown_step');
  });

  it('a transfer naming another service moves the conversation there; the customer keeps writing into it', async () => {
    const team = await createTeam(admin);
    const target = await createService(admin, { channel: 'api', teamIds: [team.id] });
    const flow = { ...TWO_STEP, steps: { ...TWO_STEP.steps, fila: { kind: 'transfer', serviceId: target.id } } };
    const { send } = await apiService(flow);
    const first = await send('cli-move', 'Olá');
    await send('cli-move', 'atendente');
    await t.settle();
    const h = await history(first.body.conversationId);
    expect(h.conversation).toMatchObject({ state: 'queued', serviceId: target.id });
    const next = await send('cli-move', 'ainda estou aqui');
    expect(next.body).toMatchObject({ conversationId: first.body.conversationId, duplicate: false });
  });

  it('the end step finishes in the bot: completed, finished by the bot, no platform closing on top of the flow’s own', async () => {
    const { service, send } = await apiService(TWO_STEP);
    const first = await send('cli-end', 'Olá');
    await send('cli-end', 'sair');
    await t.settle();
    const h = await history(first.body.conversationId);
    expect(h.conversation).toMatchObject({ state: 'completed', finishedBy: 'bot' });
    expect(h.conversation.botEndedAt).toBe(h.conversation.finishedAt);
    expect(h.messages.at(-1)).toMatchObject({ authorType: 'bot', body: 'Até logo.' });
    // the monitor's day counts it once, as completed, and never as offered to a queue
    let figures: any;
    for (let i = 0; i < 20 && !figures; i++) {
      figures = (await admin.get('/api/monitor/snapshot')).body.services.find((x: any) => x.serviceId === service.id);
      if (!figures) await new Promise((r) => setTimeout(r, 100));
    }
    expect(figures).toMatchObject({ completed: 1, offered: 0, bot: 0 });
  });
});

describe('the bot on WebChat', () => {
  it('menu options travel as buttons: the body is the text alone and the options are in the message', async () => {
    const service = await createService(admin, { botFlow: TWO_STEP });
    const id = await newVisitor(t.url, service.key);
    const { client } = await WidgetClient.connect(t.url, service.key, id);
    client.send({ type: 'start' });
    const menu = await client.next<any>((m) => m.type === 'message' && m.message.options !== null);
    expect(menu.message).toMatchObject({ from: 'bot', text: 'Escolha:', options: [{ id: 'a', label: 'Atendente' }, { id: 'b', label: 'Sair' }] });
    // a button is stored as its label
    client.press('a');
    await client.state('queued');
    const again = await WidgetClient.connect(t.url, service.key, id);
    expect(again.welcome.messages.find((m) => m.from === 'customer')).toMatchObject({ text: 'Atendente' });
    await client.close();
    await again.client.close();
  });
});
