import type { AgentView, ConversationView } from '../../contracts/conversations';
import type { CallClientMessage, CallServerMessage } from '../../contracts/calls';
import type { ClientMessage, RealtimeEvent, ServerMessage } from '../../contracts/events';
import type { MonitorSnapshot } from '../../contracts/monitor';
import { checkSession } from '../api';

/**
 * connecting: first connection; connected: subscribed and caught up; reconnecting: the socket dropped
 * (or is catching up again); unauthorized: the server refused the session (sign in again); closed: stopped.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed';

/** What a subscriber receives, in the server's order. */
export type StreamMessage =
  | { type: 'snapshot'; seq: number; conversations: ConversationView[]; agents: AgentView[] }
  | { type: 'event'; event: RealtimeEvent }
  /** `initial`: the first sync of this client; false after a reconnect (catch-up or snapshot) */
  | { type: 'caught_up'; seq: number; initial: boolean };

export interface RealtimeOptions {
  stream: 'agent' | 'monitor';
  /** default: /ws on this page's origin (ws: or wss:) */
  url?: string;
  pingIntervalMs?: number;
  /** no message at all this long after a ping: the socket is dead (a sleeping laptop, a dropped NAT) */
  pongTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  createSocket?: (url: string) => WebSocket;
}

/**
 * The server closes with 4401 when the session is missing, ended or expired, and with 4403 when the
 * user's role no longer allows the stream: no retry, and the app asks who is signed in now.
 */
const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;

export function defaultSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * A client of the /ws gateway for one stream. It keeps the last seq it saw and, after a drop,
 * reconnects with back-off asking for exactly what it missed (`lastSeq`); the server answers with
 * the missed events or, when too many, a fresh snapshot. Subscribers get snapshots and events
 * (never one twice) and the status. Holds no growing state: only the last seq and its listeners.
 */
export class RealtimeClient {
  private socket: WebSocket | null = null;
  private running = false;
  private synced = false;
  private lastSeq: number | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(m: StreamMessage) => void>();
  private readonly typingListeners = new Set<(conversationId: string) => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly figureListeners = new Set<(f: MonitorSnapshot) => void>();
  private readonly callListeners = new Set<(m: CallServerMessage) => void>();
  private readonly opts: Required<Omit<RealtimeOptions, 'url' | 'createSocket'>> & Pick<RealtimeOptions, 'url' | 'createSocket'>;
  status: ConnectionStatus = 'idle';

  constructor(options: RealtimeOptions) {
    this.opts = { pingIntervalMs: 25_000, pongTimeoutMs: 10_000, initialBackoffMs: 500, maxBackoffMs: 15_000, ...options };
  }

  /** The seq of the last event or snapshot received (null before the first). */
  get seq(): number | null {
    return this.lastSeq;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.clearTimers();
    this.dropSocket(1000);
    this.setStatus('closed');
  }

  /** Snapshots, events and caught-up marks; returns the unsubscribe. */
  /** The customer is typing in a conversation of mine (not stored, not caught up after a reconnect). */
  onTyping(listener: (conversationId: string) => void): () => void {
    this.typingListeners.add(listener);
    return () => this.typingListeners.delete(listener);
  }

  subscribe(listener: (m: StreamMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Monitor stream: the figures pushed for the filter sent with `send({ type: 'monitor_filter' })`. */
  onFigures(listener: (f: MonitorSnapshot) => void): () => void {
    this.figureListeners.add(listener);
    return () => this.figureListeners.delete(listener);
  }

  /** Agent stream: a call's record, signal, media switch or refusal (issue 19; not stored, not caught up). */
  onCall(listener: (m: CallServerMessage) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Sends on the open socket (e.g. monitor_filter, a call's messages); false when not connected. */
  send(msg: ClientMessage | CallClientMessage): boolean {
    const ws = this.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  /** Forgets the last seq and subscribes again: a fresh snapshot, then caught_up (Recarregar). */
  resync(): void {
    this.lastSeq = null;
    const ws = this.socket;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'subscribe', stream: this.opts.stream }));
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(s: ConnectionStatus): void {
    if (s === this.status) return;
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  private emit(m: StreamMessage): void {
    for (const l of this.listeners) {
      try {
        l(m);
      } catch (err) {
        console.error('realtime listener failed', err);
      }
    }
  }

  private connect(): void {
    if (!this.running) return;
    this.setStatus(this.synced ? 'reconnecting' : this.attempt > 0 ? 'reconnecting' : 'connecting');
    const url = this.opts.url ?? defaultSocketUrl();
    let ws: WebSocket;
    try {
      ws = this.opts.createSocket ? this.opts.createSocket(url) : new WebSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      if (this.socket !== ws) return;
      ws.send(JSON.stringify(this.lastSeq === null ? { type: 'subscribe', stream: this.opts.stream } : { type: 'subscribe', stream: this.opts.stream, lastSeq: this.lastSeq }));
      this.startPing(ws);
    };
    ws.onmessage = (ev) => {
      if (this.socket !== ws) return;
      this.alive();
      let msg: ServerMessage | CallServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage | CallServerMessage;
      } catch {
        return;
      }
      this.handle(ws, msg);
    };
    ws.onclose = (ev) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.stopPing();
      if (ev.code === UNAUTHORIZED || ev.code === FORBIDDEN) {
        this.running = false;
        this.setStatus('unauthorized');
        checkSession();
        return;
      }
      this.scheduleReconnect();
    };
    // an error is always followed by close, where reconnection happens
    ws.onerror = () => undefined;
  }

  private handle(ws: WebSocket, msg: ServerMessage | CallServerMessage): void {
    switch (msg.type) {
      case 'call':
      case 'call_signal':
      case 'call_media':
      case 'call_error':
        for (const l of this.callListeners) l(msg);
        return;
      case 'snapshot':
        this.lastSeq = msg.seq;
        this.emit(msg);
        return;
      case 'event':
        if (this.lastSeq !== null && msg.event.seq <= this.lastSeq) return;
        this.lastSeq = msg.event.seq;
        this.emit(msg);
        return;
      case 'events':
        // several events in one frame (busy moments): the same as one 'event' each, in order
        for (const event of msg.events) this.handle(ws, { type: 'event', event });
        return;
      case 'caught_up': {
        // the server also skipped the events this stream does not show: start after them next time
        this.lastSeq = Math.max(this.lastSeq ?? 0, msg.seq);
        const initial = !this.synced;
        this.synced = true;
        this.attempt = 0;
        this.setStatus('connected');
        this.emit({ type: 'caught_up', seq: msg.seq, initial });
        return;
      }
      case 'monitor':
        for (const l of this.figureListeners) l(msg.figures);
        return;
      case 'error':
        console.warn('realtime:', msg.message);
        // a failed subscription leaves this socket useless: start over
        if (/subscri/i.test(msg.message)) ws.close(4000, 'resubscribe');
        return;
      case 'typing':
        for (const l of this.typingListeners) l(msg.conversationId);
        return;
      case 'pong':
        return;
    }
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    this.setStatus('reconnecting');
    const base = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 16);
    // jitter, so a node restart does not bring every desk back in the same millisecond
    const delay = base / 2 + Math.random() * (base / 2);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** The network came back or the tab became visible: do not wait for the back-off. */
  private readonly retryNow = () => {
    if (!this.running || this.socket || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  };

  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.retryNow();
  };

  private startPing(ws: WebSocket): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify({ type: 'ping' }));
      if (!this.pongTimer) {
        this.pongTimer = setTimeout(() => {
          this.pongTimer = null;
          // browsers may take long to fire close on a dead socket: drop it and move on now
          if (this.socket === ws) {
            this.dropSocket(4000);
            this.scheduleReconnect();
          }
        }, this.opts.pongTimeoutMs);
      }
    }, this.opts.pingIntervalMs);
  }

  private alive(): void {
    if (this.pongTimer) {
      clearTimeout(this.pongTimer);
      this.pongTimer = null;
    }
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.alive();
  }

  private dropSocket(code: number): void {
    const ws = this.socket;
    this.socket = null;
    this.stopPing();
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
      try {
        ws.close(code);
      } catch {
        /* already closing */
      }
    }
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopPing();
  }
}
