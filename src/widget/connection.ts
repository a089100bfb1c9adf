// The widget's WebSocket: reconnects with exponential back-off and jitter, pings to notice a dead link
// (mobile networks drop silently), and reconnects at once when the browser says it is online again.
// What to send after a (re)connect — hello with lastMessageId, then the outbox — is the widget's call.

import type { WidgetClientMessage, WidgetServerMessage } from '../contracts/webchat';

export type LinkStatus = 'connecting' | 'online' | 'offline';

export interface ConnectionHandlers {
  /** the socket is open: send hello */
  open(): void;
  message(msg: WidgetServerMessage): void;
  status(status: LinkStatus): void;
  /** the server refused this visitor or service for good (close code 4xxx); no retry */
  rejected(code: number, reason: string): void;
  /**
   * the socket closed before it opened, `count` times in a row. The server refuses a bad token or an
   * unknown service at the upgrade (401/404), which a browser only sees as a failed connection.
   */
  failed(count: number): void;
}

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_DELAY_MS = 30_000;

export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly url: () => string,
    private readonly on: ConnectionHandlers,
  ) {}

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.retryTimer);
    this.drop();
  }

  /** Sends when the socket is open; false otherwise (the caller keeps the message for later). */
  send(msg: WidgetClientMessage): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** The server accepted us (welcome): the next failure starts the back-off from the beginning. */
  confirmed(): void {
    this.attempt = 0;
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    if (this.stopped || this.ws) return;
    this.on.status('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.failures = 0;
      this.on.status('online');
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
      this.on.open();
    };
    ws.onmessage = (e) => {
      clearTimeout(this.pongTimer);
      let msg: WidgetServerMessage;
      try {
        msg = JSON.parse(String(e.data)) as WidgetServerMessage;
      } catch {
        return;
      }
      if (msg && typeof msg.type === 'string') this.on.message(msg);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.drop();
      // 4000–4999: the server's own refusal (unknown service, bad token); retrying will not help
      if (e.code >= 4000 && e.code < 5000 && e.code !== 4408 && e.code !== 4429) {
        this.stopped = true;
        this.on.rejected(e.code, e.reason);
        return;
      }
      this.on.status('offline');
      this.scheduleRetry();
      if (!opened) this.on.failed(++this.failures);
    };
  }

  private ping(): void {
    if (!this.send({ type: 'ping' })) return;
    clearTimeout(this.pongTimer);
    // any message counts as a pong; silence means the link is dead even if the socket says open
    this.pongTimer = setTimeout(() => {
      const ws = this.ws;
      this.drop();
      ws?.close();
      this.on.status('offline');
      this.scheduleRetry();
    }, PONG_WITHIN_MS);
  }

  private drop(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.retryTimer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private readonly retryNow = (): void => {
    if (this.stopped || this.ws) return;
    this.attempt = 0;
    this.connect();
  };

  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') this.retryNow();
  };
}
