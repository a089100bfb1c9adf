// The load generator of bench/webchat.ts, in its own process (so the server's memory is measured
// alone): N WebChat customers on /webchat/ws and the agents' desks (HTTP + /ws), all on loopback.
// Each customer writes (opening the conversation), waits for the agent's greeting, then writes twice
// more, each after the previous one was acknowledged: three messages per customer, one per agent.
import WebSocket from 'ws';
import type { ServerMessage } from '../src/contracts/events.js';
import type { WidgetServerMessage } from '../src/contracts/webchat.js';

export interface LoadSetup {
  base: string;
  serviceKey: string;
  customers: number;
  messagesPerCustomer: number;
  agents: { email: string; password: string }[];
}

export type LoadReport =
  | { phase: 'identities'; ms: number }
  | { phase: 'connected'; connectMs: number; connections: number }
  | {
      phase: 'done';
      seconds: number;
      customerMessages: number;
      agentMessages: number;
      /** ms from the customer's send to the agent's /ws receiving message.created */
      deliveries: number[];
      finishedCustomers: number;
      errors: string[];
    };

const now = () => performance.timeOrigin + performance.now();
/** The conversation phase stops here, so the whole benchmark stays around two minutes. */
const RUN_LIMIT_MS = 75_000;

async function pool(count: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await fn(next++);
  }));
}

async function post(base: string, path: string, body: unknown, cookie = ''): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, cookie: res.headers.getSetCookie()[0]?.split(';')[0] ?? cookie };
}

interface Customer {
  socket: WebSocket;
  sent: number;
  answered: number;
  say(): void;
}

async function main(setup: LoadSetup): Promise<void> {
  const send = (r: LoadReport) => process.send!(r);
  const errors: string[] = [];
  const deliveries: number[] = [];
  let customerMessages = 0;
  let agentMessages = 0;
  let finished = 0;
  let onAllDone: () => void = () => undefined;
  const allDone = new Promise<void>((r) => (onAllDone = r));

  // the agents: signed in, desk open on /ws, logged in to the queues; they greet each conversation
  // assigned to them (an HTTP reply) and read the rest as it arrives
  for (const a of setup.agents) {
    const desk = await post(setup.base, '/api/auth/login', a);
    if (desk.status !== 200) throw new Error(`agent login ${desk.status}`);
    const ws = new WebSocket(setup.base.replace('http', 'ws') + '/ws', { headers: { cookie: desk.cookie } });
    const replies: string[] = [];
    let replying = 0;
    const reply = (conversationId: string) => {
      replies.push(conversationId);
      // two replies in flight per agent, as a person with several chats open
      while (replying < 2 && replies.length) {
        const id = replies.shift()!;
        replying++;
        void post(setup.base, `/api/conversations/${id}/messages`, { text: 'Certo, um momento por favor.' }, desk.cookie)
          .then((r) => {
            if (r.status !== 201) errors.push(`reply ${r.status} ${JSON.stringify(r.body)}`);
            else agentMessages++;
          })
          .finally(() => {
            replying--;
            if (replies.length) reply(replies.shift()!);
          });
      }
    };
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as ServerMessage;
        if (m.type === 'caught_up') resolve();
        const events = m.type === 'event' ? [m.event] : m.type === 'events' ? m.events : [];
        for (const e of events) {
          if (e.type === 'conversation.updated' && e.reason === 'assigned') reply(e.conversation!.id);
          if (e.type === 'message.created' && e.message?.authorType === 'customer') {
            const sentAt = /t=(\d+(?:\.\d+)?)/.exec(e.message.body)?.[1];
            if (sentAt) deliveries.push(now() - Number(sentAt));
          }
        }
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', stream: 'agent' })));
      ws.once('error', reject);
    });
    const login = await post(setup.base, '/api/agent/login', {}, desk.cookie);
    if (login.status !== 200) throw new Error(`agent queue login ${login.status}`);
  }

  // a visitor identity each (stored rows: done before the server's memory baseline is taken)
  const identities: { visitorId: string; token: string }[] = [];
  const tIds = now();
  await pool(setup.customers, 50, async (i) => {
    const v = await post(setup.base, '/webchat/visitors', { serviceKey: setup.serviceKey });
    if (v.status !== 201) throw new Error(`visitor ${v.status} ${JSON.stringify(v.body)}`);
    identities[i] = v.body;
  });
  send({ phase: 'identities', ms: Math.round(now() - tIds) });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  // the customers connect: the socket, hello → welcome
  const customers: Customer[] = [];
  const t0 = now();
  await pool(setup.customers, 50, async (i) => {
    const q = new URLSearchParams({ service: setup.serviceKey, visitor: identities[i].visitorId, token: identities[i].token });
    const socket = new WebSocket(`${setup.base.replace('http', 'ws')}/webchat/ws?${q}`);
    const c: Customer = { socket, sent: 0, answered: 0, say: () => undefined };
    c.say = () => {
      c.sent++;
      // the first message opens the conversation (it reaches the agent with the assignment); the
      // next ones carry their send time, read back on the agent's side
      const text = c.sent === 1 ? `Olá, sou o cliente ${i}` : `Mensagem ${c.sent} do cliente ${i} t=${now()}`;
      socket.send(JSON.stringify({ type: 'message', clientId: `m${c.sent}`, text }));
    };
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as WidgetServerMessage;
        if (m.type === 'welcome') resolve();
        else if (m.type === 'ack') {
          customerMessages++;
          if (c.sent === 1) return;
          if (c.sent < setup.messagesPerCustomer) c.say();
          else if (++finished === setup.customers) onAllDone();
        } else if (m.type === 'error') errors.push(`customer ${i}: ${m.code} ${m.message}`);
        else if (m.type === 'message' && m.message.from === 'agent' && ++c.answered === 1) c.say();
      });
      socket.once('open', () => socket.send(JSON.stringify({ type: 'hello' })));
      socket.once('error', reject);
    });
    customers.push(c);
  });
  send({ phase: 'connected', connectMs: Math.round(now() - t0), connections: customers.length });

  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const start = now();
  for (const c of customers) c.say();
  // bounded: whatever is done by then is reported (complete: false)
  const limit = setTimeout(onAllDone, RUN_LIMIT_MS);
  await allDone;
  clearTimeout(limit);
  const seconds = (now() - start) / 1000;
  // the last messages' arrival on the agents' sockets
  const expected = finished * (setup.messagesPerCustomer - 1);
  for (let waited = 0; deliveries.length < expected && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  send({ phase: 'done', seconds, customerMessages, agentMessages, deliveries, finishedCustomers: finished, errors: errors.slice(0, 20) });
  for (const c of customers) c.socket.terminate();
}

process.once('message', (setup: LoadSetup) => {
  main(setup).catch((err) => {
    process.send!({ phase: 'done', seconds: 0, customerMessages: 0, agentMessages: 0, deliveries: [], finishedCustomers: 0, errors: [String(err?.stack ?? err)] });
  });
});
