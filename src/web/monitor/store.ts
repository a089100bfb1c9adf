import type { AgentView, ConversationView, MessageView, WhisperView } from '../../contracts/conversations';
import type { RealtimeEvent } from '../../contracts/events';
import { dispatchEvent, type EventHandlers } from '../../contracts/event-handlers';
import type { MonitorFilter, MonitorSnapshot } from '../../contracts/monitor';
import type { WhatsAppWallet } from '../../contracts/whatsapp';
import { isOpenState } from '../../shared/states';
import { call } from '../api';
import { RealtimeClient, type ConnectionStatus, type StreamMessage } from '../realtime/client';
import { mergeById, mergeMessages } from '../realtime/merge';
import { AlertInbox } from './alerts';
import type { LiveFilter } from './live';

/** Renders are batched: a burst of events repaints once. */
// a repaint at most every 250 ms: within the second the figures promise, and a busy operation's
// bursts cost one render, not twenty
const FLUSH_MS = 250;

export interface MonitorState {
  status: ConnectionStatus;
  /** the first snapshot arrived */
  ready: boolean;
  /** a Recarregar is waiting for its fresh snapshot */
  reloading: boolean;
  /** changes whenever a conversation or an agent changed: the key of derived figures */
  version: number;
  /** every open conversation in the supervisor's scope */
  conversations: ReadonlyMap<string, ConversationView>;
  /** every omnichannel agent in scope, offline ones too */
  agents: ReadonlyMap<string, AgentView>;
  /** grows when agents join or leave the picture (or a name changes): what sorting by name depends on */
  agentSet: number;
  /** the server's figures for the applied filter (null until the first push) */
  figures: MonitorSnapshot | null;
  /** false between a Recarregar and the server's answer to the new filter */
  figuresCurrent: boolean;
  filter: LiveFilter;
}

/** One conversation opened in a modal (history, supervisor chat), kept live from the stream. */
export interface ConversationDetail {
  view: ConversationView | null;
  messages: MessageView[];
  whispers: WhisperView[];
  status: 'loading' | 'loaded' | 'error';
}

export function toMonitorFilter(f: LiveFilter): MonitorFilter {
  return {
    ...(f.serviceId ? { serviceId: f.serviceId } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    date: f.date,
    allQueued: f.allQueued ? 'true' : 'false',
  };
}


/**
 * Everything Início shows, from the supervisor's /ws monitor stream: the open conversations and the
 * agents in scope (snapshot, then events that carry each subject's whole view), the server's figures
 * for the filter, and the conversations opened in a modal. No polling: a dropped connection
 * catches up by seq (the client) and the filter is sent again after each catch-up.
 */
export class MonitorStore {
  readonly client = new RealtimeClient({ stream: 'monitor' });
  readonly alerts = new AlertInbox();
  private readonly conversations = new Map<string, ConversationView>();
  private readonly agents = new Map<string, AgentView>();
  private agentSetVersion = 0;
  private readonly details = new Map<string, { detail: ConversationDetail; refs: number; rev: number }>();
  private state: MonitorState;
  private readonly listeners = new Set<() => void>();
  private readonly catalogListeners = new Set<() => void>();
  private readonly walletListeners = new Set<(w: WhatsAppWallet) => void>();
  private readonly conversationListeners = new Set<(c: ConversationView | null) => void>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubs: (() => void)[] = [];
  private refs = 0;
  private stopped = false;

  constructor(filter: LiveFilter) {
    this.state = {
      status: 'idle', ready: false, reloading: false, version: 0, conversations: this.conversations, agents: this.agents, agentSet: 0,
      figures: null, figuresCurrent: false, filter,
    };
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getState = () => this.state;

  /** Services, departments or parameters changed (a `catalog.updated` event). */
  onCatalogUpdated(l: () => void): () => void {
    this.catalogListeners.add(l);
    return () => this.catalogListeners.delete(l);
  }

  /** A WhatsApp service's wallet as each reading pushes it (Carteira WhatsApp). */
  onWallet(l: (w: WhatsAppWallet) => void): () => void {
    this.walletListeners.add(l);
    return () => this.walletListeners.delete(l);
  }

  /**
   * Each conversation change as it arrives (null: a fresh snapshot, anything may have changed): for
   * screens that read more than the open conversations (Monitorar's day periods).
   */
  onConversation(l: (c: ConversationView | null) => void): () => void {
    this.conversationListeners.add(l);
    return () => this.conversationListeners.delete(l);
  }

  private set(patch: Partial<MonitorState>): void {
    this.state = { ...this.state, ...patch };
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  /** Conversations and agents changed: repaint soon, once for a burst. */
  private changed(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.set({ version: this.state.version + 1, agentSet: this.agentSetVersion });
    }, FLUSH_MS);
  }

  // --- lifecycle --------------------------------------------------------------------------------

  start(): void {
    this.unsubs.push(
      this.client.onStatus((status) => this.set({ status })),
      this.client.subscribe((m) => this.onStream(m)),
      this.client.onFigures((figures) => this.set({ figures, figuresCurrent: true })),
    );
    this.alerts.start();
    this.client.start();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.client.stop();
    this.alerts.stop();
    for (const u of this.unsubs) u();
    this.unsubs = [];
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listeners.clear();
    this.catalogListeners.clear();
    this.walletListeners.clear();
    this.conversationListeners.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    this.refs = Math.max(0, this.refs - 1);
  }

  get retained(): boolean {
    return this.refs > 0;
  }

  // --- filters ------------------------------------------------------------------------------------

  /** Recarregar: the new filter goes to the server and a fresh snapshot is taken. */
  reload(filter: LiveFilter): void {
    this.set({ filter, figuresCurrent: false, reloading: this.state.ready });
    this.client.resync();
  }

  private sendFilter(): void {
    this.client.send({ type: 'monitor_filter', filter: toMonitorFilter(this.state.filter) });
  }

  // --- the stream ---------------------------------------------------------------------------------

  private onStream(m: StreamMessage): void {
    if (m.type === 'snapshot') {
      this.conversations.clear();
      for (const c of m.conversations) if (isOpenState(c.state)) this.conversations.set(c.id, c);
      this.agents.clear();
      for (const a of m.agents) if (a.enabled) this.agents.set(a.id, a);
      for (const c of m.conversations) this.patchDetailView(c);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      this.agentSetVersion++;
      this.set({ ready: true, version: this.state.version + 1, agentSet: this.agentSetVersion });
      for (const l of this.conversationListeners) l(null);
    } else if (m.type === 'event') {
      this.applyEvent(m.event);
    } else {
      // after every (re)subscription the server forgot the filter: send it again
      this.sendFilter();
      void this.alerts.load();
      if (this.state.reloading || !this.state.ready) this.set({ reloading: false, ready: true });
      // a catch-up by seq cannot tell about conversations opened in a modal that changed meanwhile
      if (!m.initial) for (const id of this.details.keys()) void this.loadDetail(id);
    }
  }

  private applyEvent(e: RealtimeEvent): void {
    dispatchEvent(this.handlers, e);
  }

  /** What each event changes in the monitor: its picture, the open modals, the alert inbox, the catalog's listeners. */
  private readonly handlers: EventHandlers = {
    'conversation.created': (e) => this.applyConversation(e.conversation),
    'conversation.updated': (e) => this.applyConversation(e.conversation),
    'message.created': (e) => this.applyMessage(e.message),
    'message.updated': (e) => this.applyMessage(e.message),
    'whisper.created': (e) => this.applyWhisper(e.whisper),
    'whisper.updated': (e) => this.applyWhisper(e.whisper),
    'agent.updated': ({ agent }) => {
      const before = this.agents.get(agent.id);
      if (agent.enabled) this.agents.set(agent.id, agent);
      else this.agents.delete(agent.id);
      if (!before || !agent.enabled || before.name !== agent.name) this.agentSetVersion++;
      this.changed();
    },
    'catalog.updated': () => {
      for (const l of this.catalogListeners) l();
    },
    'alert.created': (e) => this.alerts.created(e.alert),
    'alert.resolved': (e) => this.alerts.resolved(e.alert),
    'whatsapp.wallet.updated': (e) => {
      for (const l of this.walletListeners) l(e.wallet);
    },
    // "em chamada" is AgentView.inCall, carried by the agent.updated raised with each call change
    'call.updated': () => undefined,
  };

  private applyConversation(c: ConversationView): void {
    if (isOpenState(c.state)) this.conversations.set(c.id, c);
    else this.conversations.delete(c.id);
    this.patchDetailView(c);
    this.changed();
    for (const l of this.conversationListeners) l(c);
  }

  private applyMessage(m: MessageView): void {
    this.patchDetail(m.conversationId, (d) => ({ ...d, messages: mergeMessages(d.messages, [m]) }));
  }

  private applyWhisper(w: WhisperView): void {
    this.patchDetail(w.conversationId, (d) => ({ ...d, whispers: mergeById(d.whispers, [w]) }));
  }

  // --- conversations opened in a modal ---------------------------------------------------------------

  private patchDetail(id: string, fn: (d: ConversationDetail) => ConversationDetail): void {
    const entry = this.details.get(id);
    if (!entry) return;
    entry.detail = fn(entry.detail);
    entry.rev++;
    this.notify();
  }

  private patchDetailView(view: ConversationView): void {
    this.patchDetail(view.id, (d) => ({ ...d, view }));
  }

  readonly detail = (id: string): ConversationDetail | null => this.details.get(id)?.detail ?? null;

  /** Keeps a conversation's history and supervisor chat live while a modal shows it; returns the release. */
  watch(id: string): () => void {
    const entry = this.details.get(id);
    if (entry) entry.refs++;
    else {
      this.details.set(id, { detail: { view: this.conversations.get(id) ?? null, messages: [], whispers: [], status: 'loading' }, refs: 1, rev: 0 });
      void this.loadDetail(id);
    }
    return () => {
      const e = this.details.get(id);
      if (e && --e.refs <= 0) this.details.delete(id);
    };
  }

  async loadDetail(id: string): Promise<void> {
    const before = this.details.get(id)?.rev;
    try {
      const d = await call('getConversationsById', { params: { id } });
      const entry = this.details.get(id);
      if (!entry) return;
      entry.detail = {
        // an event newer than this answer already gave the view
        view: entry.rev === before || !entry.detail.view ? d.conversation : entry.detail.view,
        messages: mergeMessages(entry.detail.messages, d.messages),
        whispers: mergeById(entry.detail.whispers, d.whispers),
        status: 'loaded',
      };
      entry.rev++;
      this.notify();
    } catch {
      this.patchDetail(id, (x) => ({ ...x, status: x.status === 'loaded' ? 'loaded' : 'error' }));
    }
  }

  // --- actions (HTTP; the stream confirms them) ---------------------------------------------------

  async whisper(id: string, text: string): Promise<void> {
    const w = await call('postConversationsByIdWhispers', { params: { id }, body: { text } });
    this.patchDetail(id, (d) => ({ ...d, whispers: mergeById(d.whispers, [w]) }));
  }

  /** The supervisor saw the agent's answers: stamped here at once, and for the agent through the stream. */
  async markWhispersRead(id: string): Promise<void> {
    const now = new Date().toISOString();
    this.patchDetail(id, (d) => ({ ...d, whispers: d.whispers.map((w) => (w.authorId === w.agentId && !w.readAt ? { ...w, readAt: now } : w)) }));
    await call('postConversationsByIdWhispersRead', { params: { id } }).catch(() => undefined);
  }

  assign = (id: string, agentId: string) => call('postConversationsByIdAssign', { params: { id }, body: { agentId } });
  /** Alocar responsável for a selection: all or nothing. */
  assignMany = (conversationIds: string[], agentId: string) => call('postConversationsAssign', { body: { conversationIds, agentId } });
  /** Retornar para grupo do serviço for a selection: all or nothing. */
  returnManyToQueue = (conversationIds: string[]) => call('postConversationsReturnToQueue', { body: { conversationIds } });
  returnToQueue = (id: string) => call('postConversationsByIdReturnToQueue', { params: { id } });
}
