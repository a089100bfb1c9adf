import { once } from 'node:events';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { RawData, WebSocket } from 'ws';
import { ClientMessage, type RealtimeEvent, type ServerMessage } from '../../contracts/events.js';
import type { Database } from '../../db/database.js';
import { findSession, liveSessions, type SessionUser } from '../../engine/auth/sessions.js';
import { AppError } from '../../engine/errors.js';
import { agentConnected, agentDisconnected, refreshConnectedAgents } from '../../engine/agents/presence.js';
import { eventJson, eventsAfter } from '../../engine/events.js';
import type { Runtime } from '../../engine/runtime.js';
import { SESSION_COOKIE } from '../auth/plugin.js';
import { isOwnOrigin } from '../origin.js';
import { findNul, NUL_SAID } from '../nul.js';
import { sameScopeIds as sameScope, scopeIds as monitorScope, type ScopeIds as Scope } from '../../engine/access.js';
import { agentFilter, scopeFilter } from './event-routing.js';
import type { FigureFilter } from '../../engine/monitor/monitor-service.js';
import { CallRelay, newCallSocketState, type CallSocketState } from './call-relay.js';

/** Beyond this many missed events a reconnecting client gets a fresh snapshot instead. */
const MAX_CATCH_UP = 5000;
/** How often every socket's session is checked again, should a node miss the bus's word (and for expiry). */
const SESSION_CHECK_MS = 30_000;

/**
 * Close codes the web client understands (src/web/realtime/client.ts): 4401, the session is gone
 * (signed out, ended, expired, user deactivated): sign in again; 4403, the user's role no longer
 * allows this stream: read who I am again. Neither is retried.
 */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_FORBIDDEN = 4403;

interface Subscription {
  stream: 'agent' | 'monitor';
  filter: (e: RealtimeEvent) => boolean;
  /** events are sent strictly above this seq: catch-up and live never double up */
  sentSeq: number;
  /** live events that arrive while catching up wait here */
  pending: RealtimeEvent[] | null;
  /** on the monitor stream: the scope its filter was made from */
  scope: Scope | null;
}

interface Connection {
  socket: WebSocket;
  /** the session the socket was opened with: it closes when that session ends */
  sessionId: string;
  /** the user as last read: role and teams are re-read when they change */
  user: SessionUser;
  /** subscriptions and re-scopes of this socket run one after the other */
  chain: Promise<void>;
  sub: Subscription | null;
  alive: boolean;
  /** on the monitor stream, after a monitor_filter: figures are pushed for this filter */
  monitor: { scope: Scope; filter: FigureFilter; key: string } | null;
  /** when this connection last relayed typing, by conversation (at most one signal a second) */
  typedAt: Map<string, number>;
  /** the calls this socket took part in, and its call-message rate */
  calls: CallSocketState;
}

/** Figures are recomputed at most this often when events arrive, and at least this often for the clock-driven ones. */
const FIGURES_MIN_INTERVAL_MS = 400;
const FIGURES_MAX_INTERVAL_MS = 5000;


function send(c: Connection, msg: ServerMessage): void {
  if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(msg));
}

/** What decides a socket's scope: when it changes, the socket is re-scoped. */
const accessOf = (u: SessionUser) => `${u.role}|${u.teamIds.join(',')}|${u.supervisedTeamIds.join(',')}`;

/**
 * The realtime gateway at /ws. A signed-in client subscribes to a stream ('agent': my own work;
 * 'monitor': what I supervise) and gets typed events with their seq. Reconnecting with `lastSeq`
 * gets exactly what was missed, or a snapshot when that is too much.
 */
export async function registerGateway(app: FastifyInstance, db: Database, runtime: Runtime, opts: { publicUrl?: string; calls?: CallRelay } = {}): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const connections = new Set<Connection>();
  const agentSockets = new Map<string, number>();
  runtime.engine.setLivenessProbe((agentId) => (agentSockets.get(agentId) ?? 0) > 0);
  const { projection, engine } = runtime;
  // presence writes a socket's opening or closing starts: a shutdown waits for them before the pool closes
  const presenceWrites = new Set<Promise<unknown>>();
  const presence = (write: Promise<unknown>) => {
    presenceWrites.add(write);
    const settled = () => void presenceWrites.delete(write);
    write.then(settled, settled);
    return write;
  };

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

  // calls: each change to the agent's sockets (with the ICE servers while ringing), the customer's
  // signals and media switches to the conversation's agent
  const calls = opts.calls ?? new CallRelay(runtime);
  const unsubscribeCalls = calls.onCall((call) => {
    if (!call.agentId) return;
    const msg = calls.callMessage(call);
    for (const c of connections) if (c.user.id === call.agentId) send(c, msg);
  });
  const unsubscribeSignals = calls.onSignal('agent', (m) => {
    if (!m.agentId) return;
    for (const c of connections) {
      if (c.user.id !== m.agentId) continue;
      if (m.signal) send(c, { type: 'call_signal', callId: m.callId, signal: m.signal });
      else if (m.video !== undefined) send(c, { type: 'call_media', callId: m.callId, video: m.video });
    }
  });

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
      sub.filter({ seq, type: 'conversation.updated', v: 1, reason: 'snapshot', at: '', serviceId: conv.serviceId, agentId: conv.agentId, conversation: conv }),
    );
    const agents = [...projection.agents.values()].filter((a) =>
      sub.stream === 'agent' ? a.id === c.user.id : sub.filter({ seq, type: 'agent.updated', v: 1, reason: 'snapshot', at: '', serviceId: null, agentId: a.id, agent: a }),
    );
    sub.sentSeq = seq;
    send(c, { type: 'snapshot', seq, conversations, agents });
  }

  async function subscribe(c: Connection, stream: 'agent' | 'monitor', lastSeq?: number) {
    if (stream === 'monitor' && c.user.role === 'agent') {
      send(c, { type: 'error', message: 'the monitor stream is for supervisors and admins' });
      return;
    }
    const scope = stream === 'monitor' ? await monitorScope(db, c.user) : null;
    const filter = scope
      ? scopeFilter(scope)
      : agentFilter(c.user.id, (await db.query<{ id: string }>(`SELECT id FROM conversations WHERE agent_id = $1 AND state = 'in_service'`, [c.user.id])).rows.map((r) => r.id));
    const sub: Subscription = { stream, filter, sentSeq: lastSeq ?? 0, pending: [], scope };
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

  const enqueue = (c: Connection, work: () => Promise<void>, what: string) => {
    c.chain = c.chain.then(work).catch((err) => {
      app.log.error({ err }, what);
      send(c, { type: 'error', message: 'subscription failed; reconnect' });
    });
  };

  const end = (c: Connection, code: number, reason: string) => {
    connections.delete(c);
    c.sub = null;
    c.monitor = null;
    c.socket.close(code, reason);
  };

  /**
   * The user's role or teams changed (or the services of their teams): a monitor socket gets the new
   * scope and, when it differs, a fresh snapshot of it, so nothing outside it stays on screen.
   */
  async function rescope(c: Connection) {
    if (!connections.has(c)) return;
    if (c.user.role === 'agent') {
      if (c.sub?.stream === 'monitor' || c.monitor) end(c, CLOSE_FORBIDDEN, 'access changed');
      return;
    }
    const sub = c.sub?.stream === 'monitor' ? c.sub : null;
    if (!sub && !c.monitor) return;
    const scope = await monitorScope(db, c.user);
    if (c.monitor) c.monitor = { ...c.monitor, scope, key: `${scope.all ? 'all' : c.user.id}|${JSON.stringify(c.monitor.filter)}` };
    if (!sub || (sub.scope && sameScope(sub.scope, scope))) return;
    sub.scope = scope;
    sub.filter = scopeFilter(scope);
    sub.pending = [];
    await snapshot(c, sub);
    const waiting = sub.pending;
    sub.pending = null;
    deliver(c, waiting);
    send(c, { type: 'caught_up', seq: sub.sentSeq });
    if (c.monitor) await pushFigures(c);
  }

  /** Checks sockets against the database: an ended session closes its sockets; a changed user is re-scoped. */
  async function recheck(targets: Connection[]) {
    if (!targets.length) return;
    const live = await liveSessions(db, [...new Set(targets.map((c) => c.sessionId))]);
    for (const c of targets) {
      if (!connections.has(c)) continue;
      const user = live.get(c.sessionId);
      if (!user) {
        end(c, CLOSE_SESSION_ENDED, 'session ended');
        continue;
      }
      const changed = accessOf(user) !== accessOf(c.user);
      c.user = user;
      if (changed) enqueue(c, () => rescope(c), 'rescope');
    }
  }

  // a session ended or a user changed, on any node: that user's sockets here are checked now
  const unsubscribeAccess = runtime.bus.subscribeEphemeral((m) => {
    if (m.kind !== 'access') return;
    const ids = new Set(m.userIds);
    void recheck([...connections].filter((c) => ids.has(c.user.id))).catch((err) => app.log.error({ err }, 'session check'));
  });
  // teams or services changed: what a supervisor watches may have changed with them
  const unsubscribeCatalog = projection.onCatalogUpdated(() => {
    for (const c of connections) if (c.sub?.stream === 'monitor' || c.monitor) enqueue(c, () => rescope(c), 'rescope');
  });
  // the safety net: a bus message lost between nodes, and sessions that simply expire
  const sessionCheck = setInterval(() => void recheck([...connections]).catch((err) => app.log.error({ err }, 'session check')), SESSION_CHECK_MS);
  sessionCheck.unref();

  const ownOrigin = async (req: FastifyRequest) => {
    // a page of another site may not open a socket with the user's cookie (cross-site WebSocket hijacking)
    if (!isOwnOrigin(req, opts.publicUrl)) {
      throw new AppError(403, 'forbidden_origin', { en: 'this origin may not open the realtime connection', pt: 'esta origem não pode abrir a conexão em tempo real' });
    }
  };

  app.get('/ws', { websocket: true, schema: { hide: true }, onRequest: ownOrigin }, async (socket, req) => {
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
    const session = token ? await findSession(db, token) : null;
    if (!session) {
      socket.close(CLOSE_SESSION_ENDED, 'sign in first');
      return;
    }
    if (closed) return;
    // `user` as it was at connection counts this socket as an agent's, until it closes
    const { user } = session;
    const c: Connection = { socket, sessionId: session.id, user, chain: Promise.resolve(), sub: null, alive: true, monitor: null, typedAt: new Map(), calls: newCallSocketState() };
    connections.add(c);
    if (user.agentEnabled) {
      const n = (agentSockets.get(user.id) ?? 0) + 1;
      agentSockets.set(user.id, n);
      if (n === 1) await presence(agentConnected(engine, user.id).catch((err) => req.log.warn({ err }, 'agent connected')));
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
      if (msg.data.type.startsWith('call_')) {
        // a supervisor never joins a call: only the conversation's agent is its agent side (the engine checks)
        const lang = req.headers['accept-language']?.startsWith('en') ? 'en' : 'pt-BR';
        const work = calls.handle({ side: 'agent', userId: c.user.id }, c.calls, msg.data as Parameters<CallRelay['handle']>[2], (m) => send(c, m), lang);
        void presence(work.catch((err) => req.log.error({ err }, 'call message')));
        return;
      }
      if (msg.data.type === 'monitor_filter') {
        if (c.user.role === 'agent') return send(c, { type: 'error', message: 'the monitor is for supervisors and admins' });
        const f = msg.data.filter;
        const filter: FigureFilter = { serviceId: f.serviceId, channel: f.channel, date: f.date, allQueued: f.allQueued === 'true' };
        void monitorScope(db, c.user)
          .then((scope) => {
            if (!connections.has(c)) return;
            c.monitor = { scope, filter, key: `${scope.all ? 'all' : c.user.id}|${JSON.stringify(filter)}` };
            return pushFigures(c);
          })
          .catch((err) => req.log.error({ err }, 'monitor filter'));
        return;
      }
      if (msg.data.type === 'subscribe') {
        const { stream, lastSeq } = msg.data;
        enqueue(c, () => (connections.has(c) ? subscribe(c, stream, lastSeq) : Promise.resolve()), 'subscribe');
      }
    };
    for (const raw of early.splice(0)) onMessage(raw);
    onClose = () => {
      connections.delete(c);
      // the desk that held a call is gone: the call failed on the agent's side
      if (c.calls.held.size) void presence(calls.dropped({ side: 'agent', userId: user.id }, c.calls).catch((err) => req.log.warn({ err }, 'calls of a closed desk')));
      if (user.agentEnabled) {
        const n = (agentSockets.get(user.id) ?? 1) - 1;
        if (n > 0) agentSockets.set(user.id, n);
        else {
          agentSockets.delete(user.id);
          void presence(agentDisconnected(engine, user.id).catch(() => undefined));
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
    if (ids.length) void presence(refreshConnectedAgents(engine, ids).catch(() => undefined));
  }, 20_000);
  keepAlive.unref();

  app.addHook('onClose', async () => {
    clearInterval(keepAlive);
    clearInterval(figuresTimer);
    clearInterval(sessionCheck);
    unsubscribe();
    unsubscribeTyping();
    unsubscribeCalls();
    unsubscribeSignals();
    unsubscribeAccess();
    unsubscribeCatalog();
    // (a shutdown closed them already, with "going away": these are the ones that did not answer)
    await Promise.all([...connections].map((c) => (c.socket.readyState === c.socket.CLOSED ? undefined : (c.socket.terminate(), once(c.socket, 'close')))));
    await Promise.allSettled(presenceWrites);
  });
}
