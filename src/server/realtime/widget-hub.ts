import type { WebSocket } from 'ws';
import type { ConversationView, MessageView } from '../../contracts/conversations.js';
import type { RealtimeEvent } from '../../contracts/events.js';
import { dispatchEvent, type EventHandlers } from '../../contracts/event-handlers.js';
import type { WidgetServerMessage, WidgetState } from '../../contracts/webchat.js';
import { queuePositions } from '../../core/queue-position.js';
import type { Database } from '../../db/database.js';
import type { EphemeralMessage } from '../../engine/bus.js';
import type { Runtime } from '../../engine/runtime.js';
import { markDelivered } from '../../engine/conversations/receipts.js';
import { prechatFields, type WebchatService } from '../../channels/webchat/service.js';
import { widgetMessage, widgetState, type WidgetLanguage } from '../../channels/webchat/present.js';
import type { Visitor } from '../../channels/webchat/visitors.js';
import type { CallSocketState } from './call-relay.js';

/** One widget socket. */
export interface WidgetConnection {
  socket: WebSocket;
  visitor: Visitor;
  service: WebchatService;
  ip: string;
  /** absolute base of attachment links (the widget runs on another site) */
  origin: string;
  token: string;
  language: WidgetLanguage;
  /** the conversation the widget shows: the open one, else the latest */
  conversation: ConversationView | null;
  /** clientIds this socket sent: their echo is its ack, not a message */
  ownClientIds: Set<string>;
  lastState: string;
  /** live pushes wait here until the welcome (with the history read from the database) is out */
  buffered: RealtimeEvent[] | null;
  lastMessageId: number;
  /** the calls this socket took part in, and its call-message rate */
  calls: CallSocketState;
}

const DELIVERY_FLUSH_MS = 200;
const POSITIONS_FLUSH_MS = 250;

/** What a visitor's widget takes from each event type: a conversation's new view, or a message; nothing else reaches it. */
type WidgetNews = { conversation: ConversationView; message?: undefined } | { message: MessageView; conversation?: undefined } | null;
const WIDGET_NEWS: EventHandlers<WidgetNews> = {
  'conversation.created': (e) => ({ conversation: e.conversation }),
  'conversation.updated': (e) => ({ conversation: e.conversation }),
  'message.created': (e) => ({ message: e.message }),
  // a receipt changes the agent's view of a message the visitor already has
  'message.updated': () => null,
  'whisper.created': () => null,
  'whisper.updated': () => null,
  'agent.updated': () => null,
  'catalog.updated': () => null,
  'alert.created': () => null,
  'alert.resolved': () => null,
  'whatsapp.wallet.updated': () => null,
  // the widget hears of its calls as 'call' messages (calls-relay.ts), not as events
  'call.updated': () => null,
};
const newsOf = (e: RealtimeEvent) => dispatchEvent(WIDGET_NEWS, e);

/**
 * Pushes what happens to visitors' conversations to their sockets on this node: new messages (agent,
 * bot, system; a customer's own from another tab), state changes with the queue position and the
 * estimated wait, the agent's typing. Every node gets every event (bus), so a visitor is served by
 * whichever node holds their socket; messages pushed to a socket are marked delivered.
 */
export class WidgetHub {
  private readonly byContact = new Map<string, Set<WidgetConnection>>();
  /** conversations of connected visitors → their contact */
  private readonly convContact = new Map<string, string>();
  private readonly deliveredIds: number[] = [];
  private readonly dirtyServices = new Set<string>();
  private positionsCache: Map<string, number> | null = null;
  private queueLengths = new Map<string, number>();
  private deliveryTimer: NodeJS.Timeout | null = null;
  private positionsTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly runtime: Runtime,
    private readonly onError: (err: unknown) => void,
  ) {
    this.unsubscribe.push(runtime.projection.onApplied((events) => this.applied(events)));
    this.unsubscribe.push(runtime.bus.subscribeEphemeral((m) => this.ephemeral(m)));
  }

  get connections(): number {
    let n = 0;
    for (const set of this.byContact.values()) n += set.size;
    return n;
  }

  /** From now on the connection gets its contact's pushes (buffered until `release`). */
  attach(conn: WidgetConnection): void {
    const contactId = conn.visitor.contactId;
    if (!contactId) return;
    let set = this.byContact.get(contactId);
    if (!set) this.byContact.set(contactId, (set = new Set()));
    if (set.has(conn)) return;
    set.add(conn);
    if (conn.conversation) this.convContact.set(conn.conversation.id, contactId);
  }

  detach(conn: WidgetConnection): void {
    const contactId = conn.visitor.contactId;
    const set = contactId ? this.byContact.get(contactId) : undefined;
    if (!set) return;
    set.delete(conn);
    if (set.size) return;
    this.byContact.delete(contactId!);
    for (const [conv, contact] of this.convContact) if (contact === contactId) this.convContact.delete(conv);
  }

  /** This node's sockets that show this conversation (its visitor's tabs). */
  showing(conversationId: string): WidgetConnection[] {
    const contactId = this.convContact.get(conversationId);
    if (!contactId) return [];
    return [...(this.byContact.get(contactId) ?? [])].filter((conn) => conn.conversation?.id === conversationId);
  }

  /** Sends what was buffered since `attach`, after the welcome. */
  release(conn: WidgetConnection): void {
    const waiting = conn.buffered ?? [];
    conn.buffered = null;
    if (waiting.length) this.deliver(conn, waiting);
  }

  send(conn: WidgetConnection, msg: WidgetServerMessage): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(msg));
  }

  /** The conversation the widget shows, without telling (the welcome carries its state). */
  track(conn: WidgetConnection, c: ConversationView | null): void {
    conn.conversation = c;
    if (c && conn.visitor.contactId) this.convContact.set(c.id, conn.visitor.contactId);
  }

  /** The conversation the widget shows changed (a command's result, or an event): tells its state once per change. */
  setConversation(conn: WidgetConnection, c: ConversationView | null, force = false): void {
    if (c && conn.conversation && c.id !== conn.conversation.id && isOpenState(conn.conversation.state) && !isOpenState(c.state)) return;
    conn.conversation = c;
    if (c && conn.visitor.contactId) this.convContact.set(c.id, conn.visitor.contactId);
    this.pushState(conn, force);
  }

  state(conn: WidgetConnection): WidgetState {
    return widgetState(conn.conversation, {
      prechat: prechatFields(conn.service),
      language: conn.language,
      position: (c) => this.position(c),
      estimatedWaitSeconds: (c) => this.runtime.monitor.meanWaitSeconds(c.serviceId),
      agentName: (id) => this.runtime.projection.agents.get(id)?.name ?? 'Atendente',
    });
  }

  pushState(conn: WidgetConnection, force = false): void {
    const state = this.state(conn);
    const json = JSON.stringify(state);
    if (!force && json === conn.lastState) return;
    conn.lastState = json;
    this.send(conn, { type: 'state', state });
  }

  present(conn: WidgetConnection, m: MessageView) {
    return widgetMessage(m, (id) => `${conn.origin}/webchat/attachments/${id}?token=${encodeURIComponent(conn.token)}`);
  }

  /** Outgoing messages the visitor has now received (pushed live, or in a welcome). */
  markDelivered(ids: number[]): void {
    if (!ids.length) return;
    this.deliveredIds.push(...ids);
    this.deliveryTimer ??= setTimeout(() => void this.flushDelivered(), DELIVERY_FLUSH_MS);
  }

  async flushDelivered(): Promise<void> {
    this.deliveryTimer = null;
    const ids = this.deliveredIds.splice(0);
    if (!ids.length) return;
    // through the engine: the desk's ticks follow (message.updated)
    await markDelivered(this.runtime.engine, ids).catch(this.onError);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    if (this.deliveryTimer) clearTimeout(this.deliveryTimer);
    if (this.positionsTimer) clearTimeout(this.positionsTimer);
    await this.flushDelivered();
  }

  // ---- events --------------------------------------------------------------------------------------

  private applied(events: RealtimeEvent[]): void {
    try {
      this.positionsCache = null;
      // a conversation's event may come after its first messages (a left message is born finished)
      const news = events.map(newsOf);
      for (const n of news) {
        const c = n?.conversation;
        if (c && this.byContact.has(c.contactId)) this.convContact.set(c.id, c.contactId);
      }
      const touched = new Map<WidgetConnection, RealtimeEvent[]>();
      events.forEach((e, i) => {
        const n = news[i];
        if (!n) return;
        if (n.conversation && (n.conversation.state === 'queued' || n.conversation.queuedAt)) this.markQueueChanged(n.conversation.serviceId);
        const convId = n.conversation ? n.conversation.id : n.message.conversationId;
        const contactId = this.convContact.get(convId);
        if (!contactId) return;
        for (const conn of this.byContact.get(contactId) ?? []) {
          const list = touched.get(conn);
          if (list) list.push(e);
          else touched.set(conn, [e]);
        }
      });
      for (const [conn, list] of touched) {
        if (conn.buffered) conn.buffered.push(...list);
        else this.deliver(conn, list);
      }
    } catch (err) {
      this.onError(err);
    }
  }

  private deliver(conn: WidgetConnection, events: RealtimeEvent[]): void {
    const delivered: number[] = [];
    for (const e of events) {
      const n = newsOf(e);
      if (n?.message) {
        const m = n.message;
        if (m.id <= conn.lastMessageId) continue;
        const clientId = typeof m.payload?.clientId === 'string' ? m.payload.clientId : null;
        if (m.authorType === 'customer' && clientId && conn.ownClientIds.delete(clientId)) continue;
        conn.lastMessageId = m.id;
        this.send(conn, { type: 'message', message: this.present(conn, m) });
        if (m.authorType !== 'customer') delivered.push(m.id);
      } else if (n?.conversation) {
        this.setConversation(conn, n.conversation);
      }
    }
    this.markDelivered(delivered);
  }

  private ephemeral(m: EphemeralMessage): void {
    if (m.kind !== 'typing' || m.from !== 'agent') return;
    const contactId = this.convContact.get(m.conversationId);
    if (!contactId) return;
    for (const conn of this.byContact.get(contactId) ?? []) {
      if (conn.conversation?.id === m.conversationId) this.send(conn, { type: 'typing', from: 'agent', name: m.name ?? '' });
    }
  }

  // ---- queue positions -----------------------------------------------------------------------------

  private position(c: ConversationView): number {
    if (!this.positionsCache) {
      const queued = [...this.runtime.projection.conversations.values()]
        .filter((x) => x.state === 'queued' && x.queuedAt)
        .map((x) => ({ id: x.id, serviceId: x.serviceId, channelKind: 'chat' as const, priority: x.priority, queuedAt: Date.parse(x.queuedAt!) }));
      this.positionsCache = queuePositions(queued);
      this.queueLengths = new Map();
      for (const q of queued) this.queueLengths.set(q.serviceId, (this.queueLengths.get(q.serviceId) ?? 0) + 1);
    }
    // not in the projection yet (this node applies its event a moment later): last in line
    return this.positionsCache.get(c.id) ?? (this.queueLengths.get(c.serviceId) ?? 0) + 1;
  }

  /** Someone entered or left a queue: the others waiting in it move; told at most four times a second. */
  private markQueueChanged(serviceId: string): void {
    this.dirtyServices.add(serviceId);
    this.positionsTimer ??= setTimeout(() => this.flushPositions(), POSITIONS_FLUSH_MS);
  }

  private flushPositions(): void {
    this.positionsTimer = null;
    const services = new Set(this.dirtyServices);
    this.dirtyServices.clear();
    this.positionsCache = null;
    for (const set of this.byContact.values()) {
      for (const conn of set) {
        if (!conn.buffered && conn.conversation?.state === 'queued' && services.has(conn.conversation.serviceId)) this.pushState(conn);
      }
    }
  }
}

const isOpenState = (s: string) => s === 'bot' || s === 'queued' || s === 'in_service' || s === 'triage';
