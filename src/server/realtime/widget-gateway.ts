import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { WidgetClientMessage } from '../../contracts/webchat.js';
import { AppError, at, type Said } from '../../engine/errors.js';
import { findNul, NUL_SAID } from '../nul.js';
import { isOpenState } from '../../shared/states.js';
import { loadConversation } from '../../engine/conversations/present.js';
import type { Runtime } from '../../engine/runtime.js';
import { closeChat, currentConversation, messagesOf, pressOption, sendMessage, startChat } from '../../channels/webchat/chat.js';
import { webchatConfig, type WebchatServices, type WebchatService } from '../../channels/webchat/service.js';
import { ensureContact, verifyVisitor, type Visitor } from '../../channels/webchat/visitors.js';
import type { WebchatRateLimits } from '../rate-limit.js';
import { WidgetHub, type WidgetConnection } from './widget-hub.js';
import { CallRelay, newCallSocketState } from './call-relay.js';
import type { CallClientMessage } from '../../contracts/calls.js';

/** A finished conversation is shown again on reconnect (with its closing) for this long. */
const SHOW_FINISHED_MS = 24 * 3600_000;
const KEEPALIVE_MS = 30_000;

export interface WidgetGatewayDeps {
  runtime: Runtime;
  services: WebchatServices;
  limits: WebchatRateLimits;
  /** the call relay the desk's gateway shares (one per node) */
  calls?: CallRelay;
}

/**
 * The widget's WebSocket at /webchat/ws?service=KEY&visitor=ID&token=TOKEN: the visitor is checked
 * before the upgrade (a wrong token is refused with 401, an unknown service with 404), then speaks
 * the protocol of contracts/webchat.ts. Each socket's messages are handled one after another.
 */
export async function registerWidgetGateway(app: FastifyInstance, deps: WidgetGatewayDeps): Promise<WidgetHub> {
  const { runtime, services, limits } = deps;
  const { engine } = runtime;
  const db = engine.db;
  const hub = new WidgetHub(db, runtime, (err) => app.log.error({ err }, 'widget hub'));
  // calls: each change to the visitor's tabs that show the conversation (with the ICE servers while
  // ringing), the agent's signals and media switches to them
  const calls = deps.calls ?? new CallRelay(runtime);
  const unsubscribeCalls = calls.onCall((call) => {
    const msg = calls.callMessage(call);
    for (const conn of hub.showing(call.conversationId)) hub.send(conn, msg);
  });
  const unsubscribeSignals = calls.onSignal('customer', (m) => {
    for (const conn of hub.showing(m.conversationId)) {
      if (m.signal) hub.send(conn, { type: 'call_signal', callId: m.callId, signal: m.signal });
      else if (m.video !== undefined) hub.send(conn, { type: 'call_media', callId: m.callId, video: m.video });
    }
  });
  const verified = new WeakMap<FastifyRequest, { visitor: Visitor; service: WebchatService; token: string }>();
  const sockets = new Set<{ socket: WebSocket; alive: boolean }>();
  /** each socket's messages still being handled, closed or not: a shutdown lets them finish */
  const handling = new Set<Promise<void>>();

  app.get('/webchat/ws', {
    websocket: true,
    schema: { hide: true },
    preValidation: async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const service = await services.byKey(q.service);
      if (!service) return reply.code(404).send({ error: { code: 'not_found', message: 'no active WebChat service with this key' } });
      const visitor = await verifyVisitor(db, service.id, q.visitor, q.token);
      if (!visitor) return reply.code(401).send({ error: { code: 'unauthenticated', message: 'unknown visitor or wrong token' } });
      verified.set(req, { visitor, service, token: q.token! });
    },
  }, (socket, req) => {
    const v = verified.get(req)!;
    const conn: WidgetConnection = {
      socket,
      visitor: v.visitor,
      service: v.service,
      ip: req.ip,
      origin: `${req.protocol}://${req.host}`,
      token: v.token,
      language: 'pt-BR',
      conversation: null,
      ownClientIds: new Set(),
      lastState: '',
      buffered: null,
      lastMessageId: 0,
      calls: newCallSocketState(),
    };
    const alive = { socket, alive: true };
    sockets.add(alive);
    socket.on('pong', () => (alive.alive = true));
    let chain = Promise.resolve();
    let typedAt = 0;

    /** Makes sure the visitor has a contact, and this socket hears about it, before a command opens anything. */
    const attach = async () => {
      await ensureContact(engine, conn.visitor);
      hub.attach(conn);
    };

    const handle = async (msg: WidgetClientMessage): Promise<void> => {
      switch (msg.type) {
        case 'ping':
          return hub.send(conn, { type: 'pong' });
        case 'hello': {
          if (msg.language) conn.language = msg.language;
          conn.buffered = [];
          hub.attach(conn);
          const c = await currentConversation(db, conn.visitor.contactId);
          const recent = c && !isOpenState(c.state) && msg.lastMessageId !== undefined && c.finishedAt && engine.clock.now().getTime() - Date.parse(c.finishedAt) < SHOW_FINISHED_MS;
          const shown = c && (isOpenState(c.state) || recent) ? c : null;
          const messages = shown ? await messagesOf(db, shown.id, msg.lastMessageId) : [];
          hub.track(conn, shown);
          conn.lastMessageId = Math.max(msg.lastMessageId ?? 0, ...messages.map((m) => m.id));
          const state = hub.state(conn);
          conn.lastState = JSON.stringify(state);
          hub.send(conn, { type: 'welcome', config: webchatConfig(conn.service, engine.clock.now()), state, messages: messages.map((m) => hub.present(conn, m)) });
          hub.markDelivered(messages.filter((m) => m.authorType !== 'customer' && m.deliveryStatus !== 'delivered').map((m) => m.id));
          return hub.release(conn);
        }
        case 'start': {
          await attach();
          const r = await startChat(engine, conn.visitor, conn.service, msg.prechat);
          if (!r) {
            // outside hours, taking messages: the conversation opens with the customer's message
            conn.conversation = null;
            conn.lastState = JSON.stringify({ phase: 'idle' });
            return hub.send(conn, { type: 'state', state: { phase: 'idle' } });
          }
          return hub.setConversation(conn, await loadConversation(db, r.conversationId));
        }
        case 'message':
        case 'option': {
          if (!limits.message(conn.visitor.id, conn.ip)) {
            const said = { en: 'too many messages: wait a few seconds and send again', pt: 'mensagens demais: espere alguns segundos e envie de novo' };
            return hub.send(conn, { type: 'error', code: 'rate_limited', message: inLanguage(said) });
          }
          await attach();
          conn.ownClientIds.add(msg.clientId);
          const r =
            msg.type === 'message'
              ? await sendMessage(engine, conn.visitor, { clientId: msg.clientId, text: msg.text, attachmentIds: msg.attachmentIds })
              : await pressOption(engine, conn.visitor, msg.clientId, msg.optionId);
          if (r.duplicate) conn.ownClientIds.delete(msg.clientId);
          hub.send(conn, { type: 'ack', clientId: msg.clientId, messageId: r.messageId! });
          if (r.created) hub.setConversation(conn, await loadConversation(db, r.conversationId));
          return;
        }
        case 'typing': {
          const c = conn.conversation;
          const now = Date.now();
          if (c?.state !== 'in_service' || !c.agentId || now - typedAt < 1000) return;
          typedAt = now;
          return engine.bus.publishEphemeral({ kind: 'typing', conversationId: c.id, from: 'customer', agentId: c.agentId, name: null });
        }
        case 'close':
          return hub.setConversation(conn, await closeChat(engine, conn.visitor));
        default:
          return callMessage(msg);
      }
    };

    /** A call message: about the widget's conversation, as the visitor's contact (no contact yet: no conversation, nothing to call in). */
    const callMessage = (msg: CallClientMessage) => {
      const who = { side: 'customer' as const, contactId: conn.visitor.contactId ?? '', conversationId: conn.visitor.contactId ? (conn.conversation?.id ?? null) : null };
      return calls.handle(who, conn.calls, msg, (m) => hub.send(conn, m), conn.language);
    };

    /** the widget's language (its hello says which) */
    const inLanguage = (said: Said) => (conn.language === 'en' ? said.en : said.pt);

    socket.on('message', (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(raw));
      } catch {
        return hub.send(conn, { type: 'error', code: 'bad_message', message: 'not JSON' });
      }
      const nulAt = findNul(parsed, 'message');
      if (nulAt) return hub.send(conn, { type: 'error', code: 'bad_message', message: inLanguage(at(nulAt, NUL_SAID)) });
      const msg = WidgetClientMessage.safeParse(parsed);
      if (!msg.success) {
        const issue = msg.error.issues[0];
        return hub.send(conn, { type: 'error', code: 'bad_message', message: `${issue?.path.join('.') || 'message'}: ${issue?.message}` });
      }
      // call messages have their own order and rate (the relay's), not behind the chat's
      if (msg.data.type.startsWith('call_')) {
        const work = callMessage(msg.data as CallClientMessage).catch((err) => req.log.error({ err }, 'widget call message'));
        handling.add(work);
        void work.then(() => handling.delete(work));
        return;
      }
      chain = chain.then(() =>
        handle(msg.data).catch((err) => {
          if (conn.buffered) hub.release(conn);
          if (err instanceof AppError) return hub.send(conn, { type: 'error', code: err.code, message: inLanguage(err.said) });
          req.log.error({ err }, 'widget message');
          const said = { en: 'something went wrong on our side; try again', pt: 'algo deu errado do nosso lado; tente de novo' };
          hub.send(conn, { type: 'error', code: 'internal_error', message: inLanguage(said) });
        }),
      );
      const current = chain;
      handling.add(current);
      const settled = () => void handling.delete(current);
      current.then(settled, settled);
    });
    socket.on('close', () => {
      sockets.delete(alive);
      hub.detach(conn);
      // the widget that held a call is gone: the call failed on the customer's side
      if (conn.calls.held.size && conn.visitor.contactId) {
        const work = calls.dropped({ side: 'customer', contactId: conn.visitor.contactId }, conn.calls).catch((err) => req.log.warn({ err }, 'calls of a closed widget'));
        handling.add(work);
        void work.then(() => handling.delete(work));
      }
    });
  });

  // phones drop connections without a word: found by ping and closed, so the hub forgets them
  const keepAlive = setInterval(() => {
    for (const s of sockets) {
      if (!s.alive) {
        s.socket.terminate();
        continue;
      }
      s.alive = false;
      s.socket.ping();
    }
  }, KEEPALIVE_MS);
  keepAlive.unref();

  app.addHook('onClose', async () => {
    clearInterval(keepAlive);
    for (const s of sockets) s.socket.terminate();
    await Promise.allSettled(handling);
    unsubscribeCalls();
    unsubscribeSignals();
    await hub.close();
  });
  return hub;
}
