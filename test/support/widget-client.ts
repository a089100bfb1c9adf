import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { expectOutbound } from './outbound-guard.js';
import type { WidgetServerMessage, WidgetState } from '../../src/contracts/webchat.js';

/** A fresh address per visitor, so the per-IP limits of one test do not spill into another. */
export const randomIp = () => `10.${randomBytes(3).join('.')}`;

export interface Identity {
  visitorId: string;
  token: string;
}

/** Asks for a visitor identity as the widget does (from its own "IP"). */
export async function newVisitor(baseUrl: string, serviceKey: string, ip = randomIp()): Promise<Identity> {
  // the app the test started (outbound-guard.ts)
  expectOutbound(baseUrl);
  const res = await fetch(`${baseUrl}/webchat/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ serviceKey }),
  });
  if (res.status !== 201) throw new Error(`visitor: ${res.status} ${await res.text()}`);
  return (await res.json()) as Identity;
}

/** The widget's side of /webchat/ws for tests: collects every server message and waits for the ones asked for. */
export class WidgetClient {
  readonly messages: WidgetServerMessage[] = [];
  private waiters: { pred: (m: WidgetServerMessage) => boolean; resolve: (m: WidgetServerMessage) => void }[] = [];
  private seq = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as WidgetServerMessage;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
  }

  static url(baseUrl: string, serviceKey: string, id: Identity): string {
    const q = new URLSearchParams({ service: serviceKey, visitor: id.visitorId, token: id.token });
    return `${baseUrl.replace(/^http/, 'ws')}/webchat/ws?${q}`;
  }

  static open(baseUrl: string, serviceKey: string, id: Identity, ip = randomIp()): Promise<WidgetClient> {
    // a widget of the app the test started (outbound-guard.ts)
    expectOutbound(baseUrl);
    const socket = new WebSocket(WidgetClient.url(baseUrl, serviceKey, id), { headers: { 'x-forwarded-for': ip } });
    const client = new WidgetClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Opens and says hello; resolves with the welcome. */
  static async connect(baseUrl: string, serviceKey: string, id: Identity, hello: Record<string, unknown> = {}) {
    const client = await WidgetClient.open(baseUrl, serviceKey, id);
    client.send({ type: 'hello', ...hello });
    const welcome = await client.next<Extract<WidgetServerMessage, { type: 'welcome' }>>((m) => m.type === 'welcome');
    return { client, welcome };
  }

  send(msg: unknown): void {
    this.socket.send(JSON.stringify(msg));
  }

  /** Sends a message with a fresh clientId; returns the clientId. */
  say(text: string, extra: Record<string, unknown> = {}): string {
    const clientId = `c${++this.seq}-${randomBytes(3).toString('hex')}`;
    this.send({ type: 'message', clientId, text, ...extra });
    return clientId;
  }

  press(optionId: string): string {
    const clientId = `o${++this.seq}-${randomBytes(3).toString('hex')}`;
    this.send({ type: 'option', clientId, optionId });
    return clientId;
  }

  /** Waits for a message matching `pred`; with `after`, only among those received after that index. */
  next<T extends WidgetServerMessage>(pred: (m: WidgetServerMessage) => boolean, timeoutMs = 5000, after = 0): Promise<T> {
    const found = this.messages.slice(after).find(pred);
    if (found) return Promise.resolve(found as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching widget message in ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => (m.type === 'state' ? `state:${m.state.phase}` : m.type)))}`)),
        timeoutMs,
      );
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
    });
  }

  /** The next state in `phase` (among all received so far, or after index `after`). */
  state<P extends WidgetState['phase']>(phase: P, after = 0, timeoutMs = 5000): Promise<Extract<WidgetState, { phase: P }>> {
    return this.next<Extract<WidgetServerMessage, { type: 'state' }>>((m) => m.type === 'state' && m.state.phase === phase, timeoutMs, after).then(
      (m) => m.state as Extract<WidgetState, { phase: P }>,
    );
  }

  /** The chat messages received (pushed one by one). */
  chat() {
    return this.messages.flatMap((m) => (m.type === 'message' ? [m.message] : []));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      this.socket.once('close', () => r());
      this.socket.close();
    });
  }
}
