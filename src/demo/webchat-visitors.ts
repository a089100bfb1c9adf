import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { WidgetServerMessage } from '../contracts/webchat.js';
import { hear, type DemoEnv, type Person } from './people.js';
import type { Arrivals } from './provider-customers.js';

// WebChat's simulated visitors, through the widget's own protocol (contracts/webchat.ts): a visitor
// identity from POST /webchat/visitors, then the widget's WebSocket (hello, message, option). Each
// visitor comes from an address of its own (X-Forwarded-For: believed when Mirante trusts the loopback
// proxy, TRUST_PROXY=loopback, as `npm run demo` sets; else they all share the per-address limits).

const visitorIp = () => `10.${[...randomBytes(3)].join('.')}`;

export function webchatVisitors(env: DemoEnv, miranteUrl: string, service: { name: string; key: string }): Arrivals & { stop(): void } {
  const sockets = new Set<WebSocket>();
  let seq = 0;
  const clientId = () => `demo-${++seq}-${randomBytes(3).toString('hex')}`;
  return {
    serviceName: service.name,
    channel: 'webchat',
    async arrive(_name, text) {
      const ip = visitorIp();
      env.tally.requests++;
      const res = await fetch(`${miranteUrl}/webchat/visitors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ serviceKey: service.key }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 201) return env.tally.refuse('POST /webchat/visitors', res.status, await res.text());
      const id = (await res.json()) as { visitorId: string; token: string };
      const q = new URLSearchParams({ service: service.key, visitor: id.visitorId, token: id.token });
      const socket = new WebSocket(`${miranteUrl.replace(/^http/, 'ws')}/webchat/ws?${q}`, { headers: { 'x-forwarded-for': ip } });
      sockets.add(socket);
      const send = (msg: unknown) => {
        if (socket.readyState !== WebSocket.OPEN) return Promise.resolve();
        env.tally.requests++;
        socket.send(JSON.stringify(msg));
        return Promise.resolve();
      };
      const person: Person = {
        chat: {},
        replies: 0,
        say: (t) => send({ type: 'message', clientId: clientId(), text: t }),
        pick: (o) => send({ type: 'option', clientId: clientId(), optionId: o.id }),
      };
      socket.on('message', (raw) => {
        let m: WidgetServerMessage;
        try {
          m = JSON.parse(String(raw)) as WidgetServerMessage;
        } catch {
          return;
        }
        if (m.type === 'welcome') void person.say(text);
        else if (m.type === 'error') env.tally.refuse(`webchat ${m.code}`, 0, m.message);
        else if (m.type === 'message' && (m.message.from === 'bot' || m.message.from === 'agent')) {
          hear(env, person, 'webchat', m.message.text, m.message.options?.map((o) => ({ id: o.id, title: o.label })) ?? null);
        } else if (m.type === 'state' && m.state.phase === 'closed') {
          // the chat ended (finished by the agent, the bot or a timeout): the visitor leaves the page
          env.later(5000, 'webchat: visitor leaves', async () => void socket.close());
        }
      });
      socket.on('open', () => void send({ type: 'hello', language: 'pt-BR' }));
      socket.on('error', (err) => env.tally.refuse('webchat socket', 0, err.message));
      socket.on('close', () => sockets.delete(socket));
    },
    stop() {
      for (const s of sockets) s.terminate();
      sockets.clear();
    },
  };
}
