import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundBatchCount, receiveInbound, receiveInboundAlone, type InboundMessage, type InboundResult } from '../../src/engine/conversations/inbound.js';
import { createApiService, createTeam, createUser, startTestApp, TWO_STEP, type TestApp } from '../support/test-app.js';

// The same scripted traffic through the one-message path (each message its own transaction) and
// through the group-committed batch path (each step one transaction, its common cases set-based), on
// two fresh databases with the same clock: the stored conversations, messages, timers, state history
// and events must
// be the same, field by field. Only what must differ (ids, protocol numbers) is named instead.

interface Side {
  t: TestApp;
  serviceId: string;
  botServiceId: string;
  labels: Map<string, string>;
}

const T0 = Date.parse('2026-03-02T13:00:00.000Z'); // a Monday, 10:00 in São Paulo
let single: Side;
let batch: Side;

async function setUp(): Promise<Side> {
  const t = await startTestApp();
  t.clock.set(T0);
  const admin = await t.login();
  // one agent with one slot: the first customer is taken, the others wait
  const team = await createTeam(admin, { name: 'Equipe', maxChat: 1 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const { service } = await createApiService(t, admin, { name: 'Fila', teamIds: [team.id] });
  const bot = await createApiService(t, admin, { name: 'Robô', botFlow: TWO_STEP, teamIds: [team.id] });
  const desk = await t.login(agent.email, agent.password);
  expect((await desk.post('/api/agent/login')).status).toBe(200);
  await t.settle();
  const labels = new Map<string, string>([
    [service.id, '<service>'],
    [bot.service.id, '<bot-service>'],
    [agent.id, '<agent>'],
    [team.id, '<team>'],
  ]);
  return { t, serviceId: service.id, botServiceId: bot.service.id, labels };
}

beforeAll(async () => {
  [single, batch] = [await setUp(), await setUp()];
});
afterAll(async () => {
  await single?.t.close();
  await batch?.t.close();
});

type Step = { advance: number; messages: (s: Side) => InboundMessage[] };
const msg = (serviceId: string, customer: string, n: number, over: Partial<InboundMessage> = {}): InboundMessage => ({
  serviceId,
  channel: 'api',
  contact: { externalId: customer },
  externalId: `${customer}-m${n}`,
  text: `mensagem ${n} de ${customer}`,
  ...over,
});

const SCRIPT: Step[] = [
  // a new customer's first message: queued, then routed to the free agent
  { advance: 0, messages: (s) => [msg(s.serviceId, 'ana', 1, { contact: { externalId: 'ana', name: 'Ana', email: 'ana@example.com' } })] },
  // two new customers (the agent is full: they wait), a message to the conversation in service
  { advance: 1500, messages: (s) => [msg(s.serviceId, 'bia', 1, { contact: { externalId: 'bia', name: 'Bia' } }), msg(s.serviceId, 'ana', 2), msg(s.serviceId, 'caio', 1)] },
  // messages to queued conversations; a new customer writing twice in the same instant; a message
  // without an external id
  {
    advance: 2000,
    messages: (s) => [
      msg(s.serviceId, 'bia', 2),
      msg(s.serviceId, 'davi', 1, { contact: { externalId: 'davi', phone: '+5511999990000' }, subject: 'Segunda via' }),
      msg(s.serviceId, 'davi', 2),
      msg(s.serviceId, 'ana', 3),
      msg(s.serviceId, 'caio', 2, { externalId: null }),
    ],
  },
  // a repeated delivery (stored once), a name learnt later, the bot's service, a subject
  {
    advance: 30_000,
    messages: (s) => [
      msg(s.serviceId, 'bia', 2),
      msg(s.serviceId, 'caio', 3, { contact: { externalId: 'caio', name: 'Caio' } }),
      msg(s.botServiceId, 'eva', 1),
      msg(s.serviceId, 'davi', 3, { subject: 'ignored: the conversation is open' }),
      msg(s.serviceId, 'ana', 4),
    ],
  },
];

async function play(side: Side, send: (ms: InboundMessage[]) => Promise<InboundResult[]>): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const step of SCRIPT) {
    side.t.clock.advance(step.advance);
    answers.push(await send(step.messages(side)));
    await side.t.settle();
  }
  return answers;
}

/** Everything a conversation left in the database, with its ids and protocol named by its customer. */
async function stored(side: Side) {
  const { db } = side.t;
  const { rows: conversations } = await db.query<Record<string, any>>(
    `SELECT c.*, ci.external_id AS customer FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id ORDER BY ci.external_id`,
  );
  const labels = new Map(side.labels);
  for (const c of conversations) {
    labels.set(c.id, `<conversation ${c.customer}>`);
    labels.set(c.contact_id, `<contact ${c.customer}>`);
    labels.set(c.protocol, `<protocol ${c.customer}>`);
  }
  const { rows: messages } = await db.query<Record<string, any>>('SELECT * FROM messages ORDER BY conversation_id, id');
  const messageLabel = new Map<number, string>();
  for (const m of messages) {
    const conv = labels.get(m.conversation_id)!;
    const n = [...messageLabel.values()].filter((l) => l.startsWith(conv)).length;
    messageLabel.set(Number(m.id), `${conv}#${n}`);
  }
  const norm = (v: unknown, key = ''): unknown => {
    if (v instanceof Date) return `T0+${v.getTime() - T0}ms`;
    if (typeof v === 'string') {
      if (/At$|_at$/.test(key) && !Number.isNaN(Date.parse(v)) && /^\d{4}-/.test(v)) return `T0+${Date.parse(v) - T0}ms`;
      let out = v;
      for (const [id, label] of labels) out = out.replaceAll(id, label);
      return out;
    }
    if (Array.isArray(v)) return v.map((x) => norm(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x, k)]));
    return v;
  };
  const message = (m: Record<string, any>) => ({ ...(norm(m) as object), id: messageLabel.get(Number(m.id)) });
  const { rows: timers } = await db.query<Record<string, any>>('SELECT kind, conversation_id, user_id, due_at, payload FROM timers ORDER BY kind, conversation_id');
  const { rows: history } = await db.query<Record<string, any>>(
    'SELECT conversation_id, state, service_id, agent_id, actor, reason, started_at, ended_at FROM conversation_state_history ORDER BY conversation_id, started_at, id',
  );
  const { rows: events } = await db.query<{ type: string; conversation_id: string; payload: Record<string, any> }>(
    'SELECT type, conversation_id, payload FROM events WHERE conversation_id IS NOT NULL ORDER BY seq',
  );
  const { rows: contacts } = await db.query<Record<string, any>>(
    'SELECT ct.*, ci.channel, ci.external_id, ci.display_name FROM contacts ct JOIN contact_identities ci ON ci.contact_id = ct.id ORDER BY ci.external_id',
  );
  const byConversation = conversations.map((c) => ({
    conversation: norm(c),
    messages: messages.filter((m) => m.conversation_id === c.id).map(message),
    timers: timers.filter((x) => x.conversation_id === c.id).map((x) => norm(x)),
    history: history.filter((x) => x.conversation_id === c.id).map((x) => norm(x)),
    // the events of one conversation, in order (several conversations' events may interleave)
    events: events
      .filter((e) => e.conversation_id === c.id)
      .map((e) => {
        const p = norm(e.payload) as Record<string, any>;
        return e.payload.message ? { ...p, message: { ...p.message, id: messageLabel.get(Number(e.payload.message.id)) } } : p;
      }),
  }));
  return { byConversation, contacts: contacts.map((c) => norm(c)), norm, messageLabel };
}

describe('the single-message path and the batch path store the same thing', () => {
  it('same traffic, same rows, same messages, same timers, same state history, same events', async () => {
    const singleAnswers = await play(single, async (ms) => {
      const out: InboundResult[] = [];
      for (const m of ms) out.push(await receiveInboundAlone(single.t.runtime.engine, m));
      return out;
    });
    const batchAnswers = await play(batch, async (ms) => {
      const before = inboundBatchCount(batch.t.runtime.engine);
      const out = await Promise.all(ms.map((m) => receiveInbound(batch.t.runtime.engine, m)));
      // the comparison means something only if each step really was one batch
      expect(inboundBatchCount(batch.t.runtime.engine) - before).toBe(1);
      return out;
    });

    const a = await stored(single);
    const b = await stored(batch);
    // what each caller was answered
    const answer = (s: Awaited<ReturnType<typeof stored>>) => (r: unknown) => {
      const x = r as InboundResult;
      return { ...(s.norm(x) as object), messageId: x.messageId === null ? null : s.messageLabel.get(Number(x.messageId)) };
    };
    expect(batchAnswers.map((step) => (step as InboundResult[]).map(answer(b)))).toEqual(singleAnswers.map((step) => (step as InboundResult[]).map(answer(a))));

    expect(b.contacts).toEqual(a.contacts);
    expect(b.byConversation.map((c) => (c.conversation as { customer: string }).customer)).toEqual(['ana', 'bia', 'caio', 'davi', 'eva']);
    for (const [i, conv] of a.byConversation.entries()) {
      const other = b.byConversation[i];
      expect(other.conversation, 'conversations row').toEqual(conv.conversation);
      expect(other.messages, 'messages').toEqual(conv.messages);
      expect(other.timers, 'timers').toEqual(conv.timers);
      expect(other.history, 'state history').toEqual(conv.history);
      expect(other.events, 'events').toEqual(conv.events);
    }
    const ana = a.byConversation[0].history as Record<string, unknown>[];
    expect(ana.map((h) => [h.state, h.actor, h.reason, h.started_at, h.ended_at])).toEqual([
      ['queued', 'customer', 'created', 'T0+0ms', 'T0+0ms'],
      ['in_service', 'system', 'assigned', 'T0+0ms', null],
    ]);
    // the script covered what it means to: in service, waiting, in the bot
    expect(Object.fromEntries(a.byConversation.map((c) => [(c.conversation as any).customer, (c.conversation as any).state]))).toEqual({
      ana: 'in_service',
      bia: 'queued',
      caio: 'queued',
      davi: 'queued',
      eva: 'bot',
    });
  });
});
