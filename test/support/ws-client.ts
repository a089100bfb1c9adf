import WebSocket from 'ws';
import { expectOutbound } from './outbound-guard.js';
import type { RealtimeEvent, ServerMessage } from '../../src/contracts/events.js';

/** A /ws client for tests: collects every server message and waits for the ones asked for. */
export class WsClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const parsed = JSON.parse(String(raw)) as ServerMessage;
      // a batch frame is the same as its events one by one
      const list: ServerMessage[] = parsed.type === 'events' ? parsed.events.map((event) => ({ type: 'event', event })) : [parsed];
      for (const m of list) {
        this.messages.push(m);
        this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
      }
    });
  }

  static open(baseUrl: string, cookie: string): Promise<WsClient> {
    // a socket to the app the test started is expected (outbound-guard.ts)
    expectOutbound(baseUrl);
    const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/ws', { headers: { cookie } });
    const client = new WsClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.socket.send(JSON.stringify(msg));
  }

  next<T extends ServerMessage>(pred: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<T> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
    });
  }

  events(): RealtimeEvent[] {
    return this.messages.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      this.socket.once('close', () => r());
      this.socket.close();
    });
  }
}
