import type { AgentView, ConversationView, MessageView, WhisperView } from '../../contracts/conversations';
import type { RealtimeEvent } from '../../contracts/events';
import { dispatchEvent, type EventHandlers } from '../../contracts/event-handlers';
import { call, upload } from '../api';
import { RealtimeClient, type StreamMessage } from '../realtime/client';
import { mergeById, mergeMessages } from '../realtime/merge';
import { deskAlerts } from './alerts';
import i18n from '../i18n';
import { DeskCalls } from './calls';
import {
  isOpen, lastCustomerId, OPEN_STATES, openConversations, unreadMessages, unreadWhispers, type DeskConversation, type DeskState,
} from './desk-state';
import { loadSeen, saveSeen } from './seen';

/** A conversation that left the agent (finished, transferred) stays readable this long, then goes. */
const KEEP_LEFT_MS = 10 * 60_000;
const HOUSEKEEPING_MS = 60_000;

export interface DeskUser {
  id: string;
  name: string;
}

export interface FinishInput {
  outcome: 'completed' | 'cancelled';
  classificationId?: string;
  /** the service's wrap-up fields, by key */
  fields?: Record<string, string | number | boolean>;
  notes?: string;
}

export type TransferInput = { toAgentId: string } | { toServiceId: string };

/**
 * Everything the agent desk shows, kept current from the agent's /ws stream: the agent's presence,
 * their open conversations with the history loaded once per conversation, the supervisor chat, and
 * what is unread. HTTP is used for actions and for the first load of a conversation's history.
 * State lives in maps keyed by id; conversations that left are dropped after a while, so a whole
 * shift never grows it.
 */
export class DeskStore {
  readonly client = new RealtimeClient({ stream: 'agent' });
  /** the agent's calls on WebChat conversations (issue 19), over the same socket */
  readonly calls = new DeskCalls(this.client, {
    nameOf: (id) => this.state.conversations.get(id)?.view.contactName || i18n.t('desk.list.unknownCustomer', { ns: 'desk' }),
    open: (id) => this.openFromNotification(id),
  });
  private state: DeskState = { status: 'idle', ready: false, agent: null, conversations: new Map(), selectedId: null, whisperPanelOpen: false };
  private readonly listeners = new Set<() => void>();
  private readonly drafts = new Map<string, string>();
  private readonly typedAt = new Map<string, number>();
  private readonly seen: Map<string, number>;
  private unsubs: (() => void)[] = [];
  private housekeeping: ReturnType<typeof setInterval> | null = null;
  /** counts events, so an HTTP answer that raced a newer event is not applied over it */
  private eventCount = 0;
  private agentRev = 0;
  private refs = 0;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** names for notifications (the page fills it from GET /api/services) */
  serviceNames = new Map<string, string>();
  /** called when the store stops for good (signed out, left the desk while offline) */
  onStop: (() => void) | null = null;

  constructor(readonly me: DeskUser) {
    this.seen = loadSeen(me.id);
  }

  // --- external store plumbing (useSyncExternalStore) ---

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getState = () => this.state;

  private set(patch: Partial<DeskState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
    deskAlerts.updateTitle(this.unreadConversationCount());
    deskAlerts.guardUnload(this.state.agent !== null && this.state.agent.state !== 'offline' && this.openCount() > 0);
  }

  private updateConversations(fn: (m: Map<string, DeskConversation>) => void, extra: Partial<DeskState> = {}): void {
    const m = new Map(this.state.conversations);
    fn(m);
    this.set({ conversations: m, ...extra });
  }

  private patchConversation(id: string, fn: (c: DeskConversation) => DeskConversation): void {
    const c = this.state.conversations.get(id);
    if (!c) return;
    this.updateConversations((m) => m.set(id, fn(c)));
  }

  unreadConversationCount(): number {
    let n = 0;
    for (const c of this.state.conversations.values()) if (isOpen(c) && unreadMessages(c) > 0) n++;
    return n;
  }

  private openCount(): number {
    let n = 0;
    for (const c of this.state.conversations.values()) if (isOpen(c)) n++;
    return n;
  }

  // --- lifecycle ---

  start(): void {
    this.unsubs.push(
      this.client.onStatus((status) => this.set({ status })),
      this.client.subscribe((m) => this.onStream(m)),
      this.client.onTyping((id) => this.patchConversation(id, (c) => ({ ...c, customerTypingAt: Date.now() }))),
    );
    const onVisible = () => {
      if (document.visibilityState === 'visible' && this.state.selectedId) this.markSeen(this.state.selectedId);
    };
    document.addEventListener('visibilitychange', onVisible);
    this.unsubs.push(() => document.removeEventListener('visibilitychange', onVisible));
    this.housekeeping = setInterval(() => this.sweep(), HOUSEKEEPING_MS);
    this.client.start();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    // no screen re-renders from a store that is going away
    this.listeners.clear();
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.calls.stop();
    this.client.stop();
    if (this.housekeeping) clearInterval(this.housekeeping);
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    deskAlerts.updateTitle(0);
    deskAlerts.guardUnload(false);
    this.onStop?.();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The desk screen is showing this store. */
  retain(): void {
    this.refs++;
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
  }

  /**
   * The desk screen closed. A logged-in agent keeps the connection (it is their heartbeat: without
   * it the server takes their conversations back after the grace period), so the agent can visit
   * another screen; an offline one lets it go.
   */
  release(): void {
    this.refs = Math.max(0, this.refs - 1);
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => this.stopIfIdle(), 1000);
  }

  private stopIfIdle(): void {
    if (this.refs === 0 && (!this.state.agent || this.state.agent.state === 'offline') && this.openCount() === 0) this.stop();
  }

  private sweep(): void {
    const now = Date.now();
    const gone = [...this.state.conversations.values()].filter((c) => c.leftAt !== null && now - c.leftAt > KEEP_LEFT_MS && c.view.id !== this.state.selectedId);
    if (gone.length) {
      this.updateConversations((m) => {
        for (const c of gone) {
          m.delete(c.view.id);
          this.drafts.delete(c.view.id);
        }
      });
    }
    this.persistSeen();
  }

  // --- the stream ---

  private onStream(m: StreamMessage): void {
    if (m.type === 'snapshot') this.applySnapshot(m.conversations, m.agents);
    else if (m.type === 'event') {
      this.eventCount++;
      this.applyEvent(m.event);
    } else {
      if (!this.state.ready) this.set({ ready: true });
      // a catch-up by seq cannot tell about a conversation taken away while we were gone
      if (!m.initial) void this.reconcile();
    }
  }

  private applySnapshot(conversations: ConversationView[], agents: AgentView[]): void {
    const initial = !this.state.ready;
    const agent = agents.find((a) => a.id === this.me.id) ?? null;
    const fresh = new Set<string>();
    const arrived: ConversationView[] = [];
    this.updateConversations((m) => {
      const now = Date.now();
      for (const view of conversations) {
        if (view.agentId !== this.me.id || !OPEN_STATES.has(view.state)) continue;
        fresh.add(view.id);
        const old = m.get(view.id);
        if (old) m.set(view.id, { ...old, view, leftAt: null, history: old.history === 'loaded' ? 'none' : old.history });
        else {
          m.set(view.id, this.newEntry(view));
          if (!initial) arrived.push(view);
        }
      }
      for (const [id, c] of m) if (!fresh.has(id) && c.leftAt === null) m.set(id, { ...c, leftAt: now });
    }, { agent, ready: true });
    for (const v of arrived) deskAlerts.newConversation(v, this.serviceNames.get(v.serviceId), () => this.openFromNotification(v.id));
    for (const id of fresh) void this.loadHistory(id);
  }

  private newEntry(view: ConversationView): DeskConversation {
    return { view, messages: [], whispers: [], history: 'none', seenMessageId: this.seen.get(view.id) ?? 0, leftAt: null, rev: this.eventCount };
  }

  private applyEvent(e: RealtimeEvent): void {
    dispatchEvent(this.handlers, e);
  }

  /** What each event changes on the desk (alerts and the catalog: nothing). */
  private readonly handlers: EventHandlers = {
    'conversation.created': (e) => this.applyConversation(e.conversation),
    'conversation.updated': (e) => this.applyConversation(e.conversation),
    'message.created': (e) => this.applyMessage(e.message),
    // its delivery changed (sent, delivered, read, failed): the new view replaces the old
    'message.updated': (e) => this.applyMessage(e.message),
    'whisper.created': (e) => this.applyWhisper(e.whisper, true),
    'whisper.updated': (e) => this.applyWhisper(e.whisper, false),
    'agent.updated': (e) => this.applyAgent(e.agent),
    'catalog.updated': () => undefined,
    'alert.created': () => undefined,
    'alert.resolved': () => undefined,
    'whatsapp.wallet.updated': () => undefined,
    'campaign.updated': () => undefined,
    // calls reach the desk as 'call' messages too (contracts/calls.ts); the call UI keeps them
    'call.updated': () => undefined,
  };

  private applyAgent(a: AgentView): void {
    if (a.id !== this.me.id) return;
    this.agentRev = this.eventCount;
    this.set({ agent: a });
    if (a.state === 'offline' && this.refs === 0) this.stopIfIdle();
  }

  private applyConversation(view: ConversationView): void {
    const mine = view.agentId === this.me.id && OPEN_STATES.has(view.state);
    const old = this.state.conversations.get(view.id);
    if (mine) {
      const isNew = !old || old.leftAt !== null;
      this.updateConversations((m) => m.set(view.id, old ? { ...old, view, leftAt: null, rev: this.eventCount } : this.newEntry(view)));
      if (isNew) {
        deskAlerts.newConversation(view, this.serviceNames.get(view.serviceId), () => this.openFromNotification(view.id));
        void this.loadHistory(view.id);
      }
    } else if (old) {
      this.updateConversations((m) => m.set(view.id, { ...old, view, leftAt: old.leftAt ?? Date.now(), rev: this.eventCount }));
    }
  }

  private applyMessage(msg: MessageView): void {
    const c = this.state.conversations.get(msg.conversationId);
    if (!c) return;
    const mineOrLooking = (msg.authorType === 'agent' && msg.authorId === this.me.id) || this.isLooking(msg.conversationId);
    // the customer's message ends their typing
    const typing = msg.authorType === 'customer' ? null : c.customerTypingAt;
    this.updateConversations((m) =>
      m.set(msg.conversationId, { ...c, customerTypingAt: typing, messages: mergeMessages(c.messages, [msg]), seenMessageId: mineOrLooking ? Math.max(c.seenMessageId, msg.id) : c.seenMessageId }),
    );
    if (mineOrLooking) this.rememberSeen(msg.conversationId);
  }

  private applyWhisper(w: WhisperView, created: boolean): void {
    const c = this.state.conversations.get(w.conversationId);
    if (!c) return;
    this.updateConversations((m) => m.set(w.conversationId, { ...c, whispers: mergeById(c.whispers, [w]) }));
    // a read mark (whisper.updated) is news to nobody here: only a new message from a supervisor alerts
    if (w.authorId === this.me.id || !created) return;
    if (this.state.whisperPanelOpen && this.isLooking(w.conversationId)) void this.markWhispersRead(w.conversationId);
    else deskAlerts.whisper();
  }

  private isLooking(id: string): boolean {
    return this.state.selectedId === id && document.visibilityState === 'visible';
  }

  /**
   * After a reconnect: the server's list of my open conversations is the truth (a catch-up by seq
   * does not tell about a conversation taken away while this desk was gone). Only conversations no
   * event touched meanwhile are corrected.
   */
  private async reconcile(): Promise<void> {
    const before = this.eventCount;
    let items: ConversationView[];
    try {
      items = (await call('getConversations', { query: { mine: 'true', state: 'open' } })).items;
    } catch {
      return;
    }
    const ids = new Set(items.map((c) => c.id));
    for (const v of items) {
      const c = this.state.conversations.get(v.id);
      if (v.agentId === this.me.id && (!c || (c.leftAt !== null && c.rev <= before))) this.applyConversation(v);
    }
    for (const c of this.state.conversations.values()) {
      if (c.leftAt === null && c.rev <= before && !ids.has(c.view.id)) {
        this.patchConversation(c.view.id, (x) => ({ ...x, leftAt: Date.now() }));
        // its final state (finished by a timer, taken by a supervisor) for the screen that shows it
        void this.loadHistory(c.view.id, true);
      }
    }
  }

  // --- history, selection, what is read ---

  private readonly loading = new Map<string, Promise<void>>();

  /** The conversation's whole history and supervisor chat, once (or again with `force`). */
  loadHistory(id: string, force = false): Promise<void> {
    const c = this.state.conversations.get(id);
    if (!c || (!force && c.history === 'loaded')) return Promise.resolve();
    const running = this.loading.get(id);
    if (running) return running;
    this.patchConversation(id, (x) => ({ ...x, history: x.history === 'loaded' ? 'loaded' : 'loading' }));
    const before = c.rev;
    const p = call('getConversationsById', { params: { id } })
      .then((d) => {
        this.patchConversation(id, (x) => {
          const looking = this.isLooking(id);
          const messages = mergeMessages(x.messages, d.messages);
          // a newer event already told more than this answer: keep its view
          const view = x.rev === before ? d.conversation : x.view;
          return {
            ...x,
            view,
            messages,
            whispers: mergeById(x.whispers, d.whispers),
            history: 'loaded',
            seenMessageId: looking ? Math.max(x.seenMessageId, lastCustomerId(messages)) : x.seenMessageId,
          };
        });
        if (this.isLooking(id)) this.rememberSeen(id);
      })
      .catch(() => this.patchConversation(id, (x) => ({ ...x, history: x.history === 'loaded' ? 'loaded' : 'error' })))
      .finally(() => this.loading.delete(id));
    this.loading.set(id, p);
    return p;
  }

  select(id: string | null): void {
    if (id === this.state.selectedId) return;
    this.set({ selectedId: id });
    if (!id) return;
    this.markSeen(id);
    const c = this.state.conversations.get(id);
    if (c && c.history !== 'loaded') void this.loadHistory(id);
    if (this.state.whisperPanelOpen && c && unreadWhispers(c, this.me.id) > 0) void this.markWhispersRead(id);
  }

  /** An outbound conversation the agent just started (its event follows on the stream): on the desk and open at once. */
  openStarted(view: ConversationView): void {
    this.applyConversation(view);
    this.select(view.id);
  }

  /** Moves the selection up or down the list (Alt+↑ / Alt+↓). */
  selectRelative(step: 1 | -1): void {
    const list = openConversations(this.state);
    if (!list.length) return;
    const i = list.findIndex((c) => c.view.id === this.state.selectedId);
    const next = i === -1 ? (step === 1 ? 0 : list.length - 1) : (i + step + list.length) % list.length;
    this.select(list[next].view.id);
  }

  private markSeen(id: string): void {
    const c = this.state.conversations.get(id);
    if (!c || document.visibilityState !== 'visible') return;
    const last = c.messages.length ? c.messages[c.messages.length - 1].id : 0;
    if (last > c.seenMessageId || (c.history !== 'loaded' && c.seenMessageId === 0)) {
      this.patchConversation(id, (x) => ({ ...x, seenMessageId: Math.max(x.seenMessageId, last) }));
      this.rememberSeen(id);
    }
  }

  private rememberSeen(id: string): void {
    const c = this.state.conversations.get(id);
    if (c && c.seenMessageId > 0) this.seen.set(id, c.seenMessageId);
    this.persistSeen();
  }

  private persistSeen(): void {
    for (const id of [...this.seen.keys()]) if (!this.state.conversations.has(id)) this.seen.delete(id);
    saveSeen(this.me.id, this.seen);
  }

  setWhisperPanel(open: boolean): void {
    this.set({ whisperPanelOpen: open });
    const id = this.state.selectedId;
    const c = id ? this.state.conversations.get(id) : null;
    if (open && id && c && unreadWhispers(c, this.me.id) > 0) void this.markWhispersRead(id);
  }

  async markWhispersRead(id: string): Promise<void> {
    const now = new Date().toISOString();
    this.patchConversation(id, (c) => ({ ...c, whispers: c.whispers.map((w) => (w.authorId !== this.me.id && !w.readAt ? { ...w, readAt: now } : w)) }));
    await call('postConversationsByIdWhispersRead', { params: { id } }).catch(() => undefined);
  }

  draft(id: string): string {
    return this.drafts.get(id) ?? '';
  }

  setDraft(id: string, text: string): void {
    if (text) this.drafts.set(id, text);
    else this.drafts.delete(id);
    // the customer sees "digitando…": at most one signal every 2 s while the agent types
    const now = Date.now();
    if (text && now - (this.typedAt.get(id) ?? 0) > 2000) {
      this.typedAt.set(id, now);
      this.client.send({ type: 'typing', conversationId: id });
    }
  }

  private openFromNotification(id: string): void {
    window.focus();
    if (!location.pathname.startsWith('/desk')) {
      // react-router follows popstate: back to the desk without reloading the app
      history.pushState(null, '', '/desk');
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
    this.select(id);
  }

  // --- actions (HTTP); the stream confirms them, the answers just make the screen quicker ---

  private async agentAction(action: () => Promise<AgentView>): Promise<AgentView> {
    const before = this.agentRev;
    const a = await action();
    if (before === this.agentRev) this.set({ agent: a });
    return a;
  }

  login = () => {
    deskAlerts.prepare();
    return this.agentAction(() => call('postAgentLogin'));
  };
  logout = () => this.agentAction(() => call('postAgentLogout'));
  pause = (reasonId: string) => this.agentAction(() => call('postAgentPause', { body: { reasonId } }));
  resume = () => this.agentAction(() => call('postAgentResume'));

  /** Text to the customer; `replyTo`: the message it answers (the desk's "Responder"). */
  async send(id: string, text: string, replyTo?: number): Promise<void> {
    const m = await call('postConversationsByIdMessages', { params: { id }, body: { text, ...(replyTo !== undefined && { replyToMessageId: replyTo }) } });
    this.applyMessage(m);
  }

  /**
   * Files with the text: one message per file (channels carry one file per message with one
   * caption), the text as the first file's caption. Each file is uploaded, then sent, in order. The
   * first carries the reply's quote, as it carries the text.
   */
  async sendFiles(id: string, text: string, files: readonly File[], onSent?: (file: File) => void, replyTo?: number): Promise<void> {
    for (const [i, file] of files.entries()) {
      const up = await upload('postConversationsByIdAttachments', { params: { id } }, file);
      const body: { attachmentIds: string[]; text?: string; replyToMessageId?: number } = { attachmentIds: [up.id] };
      if (i === 0 && text) body.text = text;
      if (i === 0 && replyTo !== undefined) body.replyToMessageId = replyTo;
      this.applyMessage(await call('postConversationsByIdMessages', { params: { id }, body }));
      // a failure further on leaves only the files not sent yet in the composer
      onSent?.(file);
    }
  }

  /** An e-mail: its files uploaded, then one message with the text, the files and how it goes. */
  async sendEmail(id: string, text: string, files: readonly File[], email: { mode: 'reply' | 'replyAll' | 'forward'; to: string[]; cc: string[]; bcc: string[]; subject?: string }): Promise<void> {
    const attachmentIds: string[] = [];
    for (const file of files) attachmentIds.push((await upload('postConversationsByIdAttachments', { params: { id } }, file)).id);
    this.applyMessage(await call('postConversationsByIdMessages', { params: { id }, body: { text, attachmentIds, email } }));
  }

  /** An approved template (outside the customer-service window, the only thing that goes). */
  async sendTemplate(id: string, templateId: string, parameters: string[]): Promise<void> {
    this.applyMessage(await call('postConversationsByIdMessages', { params: { id }, body: { template: { id: templateId, parameters } } }));
  }

  async whisper(id: string, text: string): Promise<void> {
    const w = await call('postConversationsByIdWhispers', { params: { id }, body: { text } });
    const c = this.state.conversations.get(id);
    if (c) this.updateConversations((m) => m.set(id, { ...c, whispers: mergeById(c.whispers, [w]) }));
  }

  async finish(id: string, input: FinishInput): Promise<void> {
    await this.leaveBy(id, () => call('postConversationsByIdFinish', { params: { id }, body: input }));
  }

  async transfer(id: string, to: TransferInput): Promise<void> {
    await this.leaveBy(id, () => call('postConversationsByIdTransfer', { params: { id }, body: to }));
  }

  /** The agent ended or handed over this conversation: it leaves the list, the next one opens. */
  private async leaveBy(id: string, action: () => Promise<ConversationView>): Promise<void> {
    const before = this.state.conversations.get(id)?.rev;
    const view = await action();
    const c = this.state.conversations.get(id);
    if (c) this.updateConversations((m) => m.set(id, { ...c, view: c.rev === before ? view : c.view, leftAt: c.leftAt ?? Date.now() }));
    if (this.state.selectedId === id) {
      const next = openConversations(this.state)[0];
      this.select(next ? next.view.id : null);
    }
    this.drafts.delete(id);
  }
}

let current: DeskStore | null = null;

/** The one desk store of this tab, for the signed-in user (a new user gets a new one). */
export function deskStoreFor(me: DeskUser): DeskStore {
  if (current && (current.me.id !== me.id || current.isStopped)) {
    current.stop();
    current = null;
  }
  if (!current) {
    const store = new DeskStore({ id: me.id, name: me.name });
    store.onStop = () => {
      if (current === store) current = null;
    };
    store.start();
    current = store;
  }
  return current;
}

/** Signed out: the connection goes with the session. */
export function stopDeskStore(): void {
  current?.stop();
  current = null;
}
