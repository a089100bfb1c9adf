import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { RawData, WebSocket } from 'ws';
import { ClientMessage, type RealtimeEvent, type ServerMessage } from '../../contracts/events.js';
import type { Database } from '../../db/database.js';
import { sessionUser, type SessionUser } from '../../engine/auth/sessions.js';
import { agentConnected, agentDisconnected, refreshConnectedAgents } from '../../engine/agents/presence.js';
import { eventsAfter } from '../../engine/events.js';
import type { Runtime } from '../../engine/runtime.js';
import { SESSION_COOKIE } from '../auth/plugin.js';
import { findNul, NUL_SAID } from '../nul.js';
import { monitorScope, type Scope } from './scope.js';
import type { FigureFilter } from '../../engine/monitor/monitor-service.js';

/** Beyond this many missed events a reconnecting client gets a fresh snapshot instead. */
const MAX_CATCH_UP = 5000;

interface Subscription {
  stream: 'agent' | 'monitor';
  filter: (e: RealtimeEvent) => boolean;
  /** events are sent strictly above this seq: catch-up and live never double up */
  sentSeq: number;
  /** live events that arrive while catching up wait here */
  pending: RealtimeEvent[] | null;
}

interface Connection {
  socket: WebSocket;
  user: SessionUser;
  sub: Subscription | null;
  alive: boolean;
  /** on the monitor stream, after a monitor_filter: figures are pushed for this filter */
  monitor: { scope: Scope; filter: FigureFilter; key: string } | null;
  /** when this connection last relayed typing, by conversation (at most one signal a second) */
  typedAt: Map<string, number>;
}

/** Figures are recomputed at most this often when events arrive, and at least this often for the clock-driven ones. */
const FIGURES_MIN_INTERVAL_MS = 400;
const FIGURES_MAX_INTERVAL_MS = 5000;

// Every connection that receives an event gets the same bytes: serialize it once, not per socket.
const serialized = new WeakMap<RealtimeEvent, string>();
function eventJson(e: RealtimeEvent): string {
  let text = serialized.get(e);
  if (text === undefined) {
    text = JSON.stringify(e);
    serialized.set(e, text);
  }
  return text;
}

function send(c: Connection, msg: ServerMessage): void {
  if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(msg));
}

function agentFilter(userId: string, open: string[]): (e: RealtimeEvent) => boolean {
  // a conversation once mine stays followed, so a transfer away reaches me too; a reconnecting desk
  // starts from the conversations it holds now
  const mine = new Set<string>(open);
  return (e) => {
    const cid = e.conversation?.id ?? e.message?.conversationId ?? e.whisper?.conversationId;
    const isMine = e.agentId === userId || e.conversation?.agentId === userId || e.whisper?.agentId === userId || e.agent?.id === userId;
    if (isMine && cid) mine.add(cid);
    return isMine || (cid !== undefined && mine.has(cid));
  };
}

function scopeFilter(scope: Scope): (e: RealtimeEvent) => boolean {
  return (e) => {
    if (scope.all || e.type === 'catalog.updated') return true;
    if (e.agent) return scope.agentIds.has(e.agent.id);
    if (e.alert?.subjectType === 'agent') return scope.agentIds.has(e.alert.subjectId);
    return e.serviceId !== null && scope.serviceIds.has(e.serviceId);
  };
}

/**
 * The realtime gateway at /ws. A signed-in client subscribes to a stream ('agent': my own work;
 * 'monitor': what I supervise) and gets typed events with their seq. Reconnecting with `lastSeq`
 * gets exactly what was missed, or a snapshot when that is too much.
 */
export async function registerGateway(app: FastifyInstance, db: Database, runtime: Runtime): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const connections = new Set<Connection>();
  const agentSockets = new Map<string, number>();
  runtime.engine.setLivenessProbe((agentId) => (agentSockets.get(agentId) ?? 0) > 0);
  const { projection, engine } = runtime;

  const deliver = (c: Connection, events: RealtimeEvent[]) => {
    const sub = c.sub;
    if (!sub) return;
    if (sub.pending) {
      sub.pending.push(...events);
      return;
    }
    const texts: string[] = [];
    for (const e of events) {
      if (e.seq <= sub.sentSeq) continue;
      sub.sentSeq = e.seq;
      if (sub.filter(e)) texts.push(eventJson(e));
    }
    if (!texts.length || c.socket.readyState !== c.socket.OPEN) return;
    // one frame per batch: at a thousand events a second, frames, not bytes, are the cost
    c.socket.send(texts.length === 1 ? `{"type":"event","event":${texts[0]}}` : `{"type":"events","events":[${texts.join(',')}]}`);
  };
  // the customer types (WebChat, through the bus from whichever node holds the widget): to the conversation's agent
  const unsubscribeTyping = runtime.bus.subscribeEphemeral((m) => {
    if (m.kind !== 'typing' || m.from !== 'customer' || !m.agentId) return;
    for (const c of connections) if (c.user.id === m.agentId) send(c, { type: 'typing', conversationId: m.conversationId, from: 'customer' });
  });
  /** The agent types: relayed to the customer only by the conversation's own agent, at most once a second. */
  const relayTyping = (c: Connection, conversationId: string) => {
    const conv = projection.conversations.get(conversationId);
    if (!conv || conv.agentId !== c.user.id) return;
    const now = Date.now();
    if (now - (c.typedAt.get(conversationId) ?? 0) < 1000) return;
    c.typedAt.set(conversationId, now);
    runtime.bus.publishEphemeral({ kind: 'typing', conversationId, from: 'agent', agentId: c.user.id, name: c.user.name });
  };

  let figuresDirty = false;
  const unsubscribe = projection.onApplied((events) => {
    for (const c of connections) deliver(c, events);
    figuresDirty = true;
  });

  // Every monitor screen with the same scope and filter shares one computation, done in memory.
  let lastFigures = 0;
  let computing = false;
  async function pushFigures(only?: Connection) {
    const targets = only ? [only] : [...connections].filter((c) => c.monitor);
    const groups = new Map<string, Connection[]>();
    for (const c of targets) groups.set(c.monitor!.key, [...(groups.get(c.monitor!.key) ?? []), c]);
    for (const group of groups.values()) {
      const { scope, filter } = group[0].monitor!;
      const figures = await runtime.monitor.figures(scope, filter);
      for (const c of group) send(c, { type: 'monitor', figures });
    }
  }
  const figuresTimer = setInterval(() => {
    const now = Date.now();
    const due = (figuresDirty && now - lastFigures >= FIGURES_MIN_INTERVAL_MS) || now - lastFigures >= FIGURES_MAX_INTERVAL_MS;
    if (!due || computing) return;
    figuresDirty = false;
    lastFigures = now;
    computing = true;
    pushFigures()
      .catch((err) => app.log.error({ err }, 'monitor figures'))
      .finally(() => (computing = false));
  }, 100);
  figuresTimer.unref();

  async function snapshot(c: Connection, sub: Subscription) {
    await projection.settled();
    const seq = projection.seq;
    const conversations = [...projection.conversations.values()].filter((conv) =>
      sub.filter({ seq, type: 'conversation.updated', at: '', serviceId: conv.serviceId, agentId: conv.agentId, conversation: conv }),
    );
    const agents = [...projection.agents.values()].filter((a) =>
      sub.stream === 'agent' ? a.id === c.user.id : sub.filter({ seq, type: 'agent.updated', at: '', serviceId: null, agentId: a.id, agent: a }),
    );
    sub.sentSeq = seq;
    send(c, { type: 'snapshot', seq, conversations, agents });
  }

  async function subscribe(c: Connection, stream: 'agent' | 'monitor', lastSeq?: number) {
    if (stream === 'monitor' && c.user.role === 'agent') {
      send(c, { type: 'error', message: 'the monitor stream is for supervisors and admins' });
      return;
    }
    const filter =
      stream === 'agent'
        ? agentFilter(c.user.id, (await db.query<{ id: string }>(`SELECT id FROM conversations WHERE agent_id = $1 AND state = 'in_service'`, [c.user.id])).rows.map((r) => r.id))
        : scopeFilter(await monitorScope(db, c.user));
    const sub: Subscription = { stream, filter, sentSeq: lastSeq ?? 0, pending: [] };
    c.sub = sub;
    if (lastSeq === undefined) {
      await snapshot(c, sub);
    } else {
      const missed = await eventsAfter(db, lastSeq, MAX_CATCH_UP + 1);
      if (missed.length > MAX_CATCH_UP) {
        await snapshot(c, sub);
      } else {
        for (const e of missed) {
          sub.sentSeq = e.seq;
          if (filter(e)) send(c, { type: 'event', event: e });
        }
      }
    }
    const waiting = sub.pending ?? [];
    sub.pending = null;
    deliver(c, waiting);
    send(c, { type: 'caught_up', seq: sub.sentSeq });
  }

  app.get('/ws', { websocket: true, schema: { hide: true } }, async (socket, req) => {
    // listen before the first await: a client's first message (its subscribe) can arrive while the
    // session is looked up, and ws drops messages nobody listens to (@fastify/websocket README)
    const early: RawData[] = [];
    let onMessage: ((raw: RawData) => void) | null = null;
    socket.on('message', (raw) => (onMessage ? onMessage(raw) : early.push(raw)));
    // the same for a close during the session lookup: without this the agent would look connected forever
    let closed = false;
    let onClose: (() => void) | null = null;
    socket.on('close', () => {
      closed = true;
      onClose?.();
    });
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await sessionUser(db, token) : null;
    if (!user) {
      socket.close(4401, 'sign in first');
      return;
    }
    if (closed) return;
    const c: Connection = { socket, user, sub: null, alive: true, monitor: null, typedAt: new Map() };
    connections.add(c);
    if (user.agentEnabled) {
      const n = (agentSockets.get(user.id) ?? 0) + 1;
      agentSockets.set(user.id, n);
      if (n === 1) await agentConnected(engine, user.id).catch((err) => req.log.warn({ err }, 'agent connected'));
    }
    socket.on('pong', () => (c.alive = true));
    onMessage = (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(raw));
      } catch {
        return send(c, { type: 'error', message: 'not JSON' });
      }
      const nulAt = findNul(parsed, 'message');
      if (nulAt) return send(c, { type: 'error', message: `${nulAt}: ${NUL_SAID.en}` });
      const msg = ClientMessage.safeParse(parsed);
      if (!msg.success) return send(c, { type: 'error', message: `bad message: ${msg.error.issues[0]?.message}` });
      if (msg.data.type === 'ping') return send(c, { type: 'pong' });
      if (msg.data.type === 'typing') return relayTyping(c, msg.data.conversationId);
      if (msg.data.type === 'monitor_filter') {
        if (user.role === 'agent') return send(c, { type: 'error', message: 'the monitor is for supervisors and admins' });
        const f = msg.data.filter;
        const filter: FigureFilter = { serviceId: f.serviceId, channel: f.channel, date: f.date, allQueued: f.allQueued === 'true' };
        void monitorScope(db, user)
          .then((scope) => {
            c.monitor = { scope, filter, key: `${scope.all ? 'all' : user.id}|${JSON.stringify(filter)}` };
            return pushFigures(c);
          })
          .catch((err) => req.log.error({ err }, 'monitor filter'));
        return;
      }
      if (msg.data.type === 'subscribe') {
        subscribe(c, msg.data.stream, msg.data.lastSeq).catch((err) => {
          req.log.error({ err }, 'subscribe');
          send(c, { type: 'error', message: 'subscription failed; reconnect' });
        });
      }
    };
    for (const raw of early.splice(0)) onMessage(raw);
    onClose = () => {
      connections.delete(c);
      if (user.agentEnabled) {
        const n = (agentSockets.get(user.id) ?? 1) - 1;
        if (n > 0) agentSockets.set(user.id, n);
        else {
          agentSockets.delete(user.id);
          void agentDisconnected(engine, user.id).catch(() => undefined);
        }
      }
    };
    // closed while we were busy connecting the agent: clean up now
    if (closed) onClose();
  });

  // Dead connections (a laptop lid closed) are found by ping; connected agents' sockets also count
  // as a heartbeat, so an agent connected to another node is never timed out by this one.
  const keepAlive = setInterval(() => {
    for (const c of connections) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
    const ids = [...agentSockets.keys()];
    if (ids.length) void refreshConnectedAgents(engine, ids).catch(() => undefined);
  }, 20_000);
  keepAlive.unref();

  app.addHook('onClose', async () => {
    clearInterval(keepAlive);
    clearInterval(figuresTimer);
    unsubscribe();
    unsubscribeTyping();
    for (const c of connections) c.socket.terminate();
  });
}
