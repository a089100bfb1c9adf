// The widget's controller: the conversation as the server tells it (welcome, state, message, ack,
// typing), the customer's actions, and what survives a reload or a dead network (identity, outbox).

import type { WidgetClientMessage, WidgetMessage, WidgetServerMessage, WidgetState } from '../contracts/webchat';
import { Connection, type LinkStatus } from './connection';
import { HttpError, WidgetHttp } from './http';
import { translator, type Lang, type Translate } from './i18n';
import { prechatErrors } from './fields';
import { ConversationLog } from './log';
import type { Actions, Draft, Model } from './model';
import { newClientId, Outbox, WidgetStorage, type Pending } from './storage';
import { checkFile, refusal } from './uploads';
import { View } from './view';
import { WidgetCall } from './call';

const TYPING_SHOWN_MS = 6000;
const TYPING_SENT_EVERY_MS = 3000;
const LIVE: WidgetState['phase'][] = ['bot', 'queued', 'in_service'];

export interface WidgetOptions {
  host: string;
  serviceKey: string;
  lang: Lang;
  root: ShadowRoot;
  hostEl: HTMLElement;
}

export class Widget implements Actions {
  private readonly t: Translate;
  private readonly http: WidgetHttp;
  private readonly store: WidgetStorage;
  private readonly conn: Connection;
  private readonly view: View;
  private readonly call: WidgetCall;
  readonly m: Model;
  private readonly log: ConversationLog;
  /** what the customer sent and the server has not acknowledged, kept in storage too */
  private readonly outbox: Outbox;
  private lastMessageId = 0;
  private welcomed = false;
  /** a start the customer asked for while the link was down */
  private pendingStart: { prechat?: Record<string, string> } | null = null;
  private pendingClose = false;
  /** a start was sent and the server has not moved the conversation on yet */
  private starting = false;
  private creatingVisitor: Promise<void> | null = null;
  /** files chosen before the conversation runs: the server takes files only into an open one */
  private waitingFiles: { file: File; draft: Draft }[] = [];
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTypingSent = 0;
  private configRetry = 0;
  private probing = false;
  private identityReset = false;

  constructor(private readonly o: WidgetOptions) {
    this.t = translator(o.lang);
    this.http = new WidgetHttp(o.host, o.serviceKey, o.lang);
    this.store = new WidgetStorage(o.serviceKey);
    this.outbox = new Outbox(this.store);
    this.m = {
      lang: o.lang, config: null, unavailable: false, state: { phase: 'idle' }, link: 'idle', open: false, unread: 0,
      typingName: null, notice: null, confirmEnd: false, drafts: [], activeOptionsKey: null, form: null, prechatFields: [], canWrite: false,
      prechatValues: {}, prechatErrors: {},
    };
    this.conn = new Connection(() => this.http.socketUrl(this.store.identity!), {
      open: () => this.onOpen(),
      message: (msg) => this.onMessage(msg),
      status: (s) => this.onLink(s),
      rejected: (code) => this.onRejected(code),
      failed: (count) => {
        if (count === 2 || count % 6 === 0) void this.probe();
      },
    });
    this.call = new WidgetCall(this.t, (msg) => this.emit(msg), () => {
      if (!this.m.open) this.toggle(true, false);
    });
    this.view = new View(o.root, o.hostEl, o.host, this.t, this.m, this, this.store.draft, this.call.box);
    this.log = new ConversationLog((entry, before) => this.view.upsertEntry(entry, before));
    for (const p of this.outbox.all) this.log.upsert({ key: `c:${p.clientId}`, pending: p });
  }

  start(): void {
    this.loadConfig();
    // a returning visitor reconnects at once: the conversation may still be running
    if (this.store.identity) this.conn.start();
    if (this.store.open) this.toggle(true, false);
    this.refresh();
  }

  // ---- server ----------------------------------------------------------------------------------

  private loadConfig(): void {
    this.http.config().then(
      (config) => {
        this.m.config = config;
        this.refresh();
      },
      (e: HttpError) => {
        if (e.status === 404) {
          this.setUnavailable();
          return;
        }
        // network or server trouble: try again, slower each time
        setTimeout(() => this.loadConfig(), Math.min(30_000, 2000 * 2 ** this.configRetry++));
      },
    );
  }

  private setUnavailable(): void {
    this.m.unavailable = true;
    this.conn.stop();
    this.refresh();
  }

  private ensureVisitor(): Promise<void> {
    if (this.store.identity) return Promise.resolve();
    this.creatingVisitor ??= this.http.newVisitor().then(
      (id) => {
        this.store.identity = id;
        this.creatingVisitor = null;
      },
      (e: HttpError) => {
        this.creatingVisitor = null;
        if (e.status === 404) this.setUnavailable();
        else this.showNotice(e.status === 429 ? this.t('rateLimited') : this.t('error', { m: e.message }), true);
        throw e;
      },
    );
    return this.creatingVisitor;
  }

  private connect(): void {
    if (this.m.unavailable) return;
    this.ensureVisitor().then(() => this.conn.start(), () => undefined);
  }

  private onOpen(): void {
    this.welcomed = false;
    this.conn.send({ type: 'hello', lastMessageId: this.lastMessageId || undefined, language: this.o.lang });
  }

  private onLink(s: LinkStatus): void {
    const wasOffline = this.m.link === 'offline';
    this.m.link = s;
    if (s !== 'online') this.welcomed = false;
    if (wasOffline && s === 'online') this.showNotice(this.t('reconnected'), false, 3000);
    this.refresh();
  }

  /** The socket keeps failing before it opens: is the service gone, or our identity unknown? */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.http.config();
      const id = this.store.identity;
      if (id && !this.identityReset && !(await this.http.tokenValid(id.token))) {
        this.identityReset = true; // once per page: a proxy that blocks sockets must not mint identities
        this.onRejected(4401);
      }
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) this.setUnavailable();
    } finally {
      this.probing = false;
    }
  }

  private onRejected(code: number): void {
    if (code === 4404) {
      this.setUnavailable();
      return;
    }
    // the identity is no longer valid (the server's data was reset): start afresh with a new one
    this.conn.stop();
    this.store.identity = null;
    this.clearLog();
    this.m.state = { phase: 'idle' };
    this.connect();
    this.refresh();
  }

  private emit(msg: WidgetClientMessage): boolean {
    return this.welcomed && this.conn.send(msg);
  }

  /** Asks the server for a conversation now, or as soon as the link is back. */
  private startConversation(prechat?: Record<string, string>): void {
    this.starting = true;
    if (!this.emit({ type: 'start', prechat })) {
      this.pendingStart = { prechat };
      this.connect();
    }
  }

  private onMessage(msg: WidgetServerMessage): void {
    switch (msg.type) {
      case 'welcome':
        this.welcomed = true;
        this.conn.confirmed();
        this.m.config = msg.config;
        this.m.unavailable = false;
        for (const x of msg.messages) this.addMessage(x, false);
        this.setState(msg.state);
        this.afterWelcome();
        break;
      case 'state':
        this.setState(msg.state);
        break;
      case 'message':
        this.addMessage(msg.message, true);
        break;
      case 'ack':
        this.onAck(msg.clientId, msg.messageId);
        break;
      case 'typing':
        this.m.typingName = msg.name || this.t('agent');
        clearTimeout(this.typingTimer);
        this.typingTimer = setTimeout(() => {
          this.m.typingName = null;
          this.refresh();
        }, TYPING_SHOWN_MS);
        break;
      case 'error':
        if (msg.code === 'invalid_prechat') {
          // back to the form, with what the server found wrong next to each field
          this.starting = false;
          this.m.prechatErrors = prechatErrors(msg.message);
          this.showNotice(this.t('prechatFix'), true);
        } else if (msg.code !== 'no_open_conversation') {
          this.showNotice(msg.code === 'rate_limited' ? this.t('rateLimited') : this.t('error', { m: msg.message }), true);
        }
        break;
      case 'pong':
        break;
      case 'call':
      case 'call_signal':
      case 'call_media':
      case 'call_error':
        this.call.onMessage(msg);
        return;
    }
    this.refresh();
  }

  /** After (re)connecting: what the customer asked for while offline, then the unsent messages. */
  private afterWelcome(): void {
    const phase = this.m.state.phase;
    if (this.pendingClose) {
      this.pendingClose = false;
      if (LIVE.includes(phase)) this.emit({ type: 'close' });
    }
    const needsStart = !LIVE.includes(phase) && phase !== 'left_message';
    const start = this.pendingStart;
    this.pendingStart = null;
    if (needsStart && (start || this.outbox.all.length || (this.m.open && phase === 'idle' && this.autoStarts()))) this.startConversation(start?.prechat);
    for (const p of this.outbox.all) this.transmit(p);
  }

  /** Opening the panel starts the conversation at once unless a form comes first. */
  private autoStarts(): boolean {
    const c = this.m.config;
    if (!c || c.prechat.length > 0) return false;
    return c.open || c.outsideHours === 'queue';
  }

  private setState(state: WidgetState): void {
    const was = this.m.state.phase;
    this.m.state = state;
    if (state.phase !== 'idle') this.starting = false;
    if (state.phase !== 'in_service') this.m.typingName = null;
    if (!LIVE.includes(state.phase)) this.m.confirmEnd = false;
    if (state.phase === 'closed' && was !== 'closed') this.m.drafts = [];
    if (this.waitingFiles.length && LIVE.includes(state.phase)) {
      const waiting = this.waitingFiles;
      this.waitingFiles = [];
      for (const w of waiting) this.upload(w.file, w.draft);
    } else if (state.phase === 'closed' || state.phase === 'left_message') {
      this.waitingFiles = [];
    }
  }

  private addMessage(x: WidgetMessage, live: boolean): void {
    if (x.id > this.lastMessageId) this.lastMessageId = x.id;
    const key = x.from === 'customer' && x.clientId ? `c:${x.clientId}` : `m:${x.id}`;
    if (x.clientId) this.outbox.drop(x.clientId);
    if (x.from === 'agent') this.m.typingName = null;
    if (live && x.from !== 'customer' && !this.m.open) this.m.unread++;
    this.log.upsert({ key, msg: x });
  }

  /** Our message is stored. Its id does not move lastMessageId: a message stored just before it may not have reached us yet. */
  private onAck(clientId: string, messageId: number): void {
    const e = this.log.get(`c:${clientId}`);
    this.outbox.drop(clientId);
    if (e?.pending && !e.msg) {
      // the echo of our own message may not come: show it as sent with what we know
      const p = e.pending;
      this.log.upsert({
        key: e.key,
        msg: { id: messageId, clientId, from: 'customer', authorName: null, text: p.text, options: null, attachments: p.attachments ?? null, createdAt: new Date().toISOString() },
      });
    }
  }

  private transmit(p: Pending): void {
    if (p.optionId) this.emit({ type: 'option', clientId: p.clientId, optionId: p.optionId });
    else this.emit({ type: 'message', clientId: p.clientId, text: p.text, attachmentIds: p.attachments?.map((a) => a.id) });
  }

  /** Keeps the message until the server acknowledges it, shows it as pending, sends it if it can. */
  private enqueue(p: Pending): void {
    this.outbox.add(p);
    this.log.upsert({ key: `c:${p.clientId}`, pending: p });
    if (this.welcomed) {
      if (!LIVE.includes(this.m.state.phase) && this.m.state.phase !== 'left_message' && !this.starting) this.startConversation();
      this.transmit(p);
    } else {
      this.connect();
    }
  }

  private clearLog(): void {
    this.log.clear();
    this.lastMessageId = 0;
    this.view.clearLog();
    for (const p of this.outbox.all) this.log.upsert({ key: `c:${p.clientId}`, pending: p });
  }

  // ---- derived state and drawing -----------------------------------------------------------------

  private refresh(): void {
    const m = this.m;
    const c = m.config;
    const phase = m.state.phase;
    m.prechatFields = m.state.phase === 'prechat' ? m.state.fields : (c?.prechat ?? []);
    const leave = !!c && !c.open && c.outsideHours === 'leave_message';
    const idleWithForm = phase === 'idle' && !this.outbox.all.length && !this.pendingStart && !this.starting;
    m.form = m.unavailable
      ? 'unavailable'
      : phase === 'prechat' || (idleWithForm && leave)
        ? (leave ? 'leave' : 'prechat')
        : idleWithForm && c && c.prechat.length > 0
          ? 'prechat'
          : null;
    m.canWrite = !m.unavailable && (LIVE.includes(phase) || (phase === 'idle' && m.form === null));
    this.call.allow(!!c?.customerCalls && phase === 'in_service' && m.link === 'online');
    const last = this.log.last();
    m.activeOptionsKey = phase === 'bot' && last?.msg?.options?.length ? last.key : null;
    this.view.render();
  }

  private showNotice(text: string, error: boolean, ms = 8000): void {
    this.m.notice = { text, error };
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => {
      this.m.notice = null;
      this.refresh();
    }, ms);
    this.refresh();
  }

  // ---- the customer's actions (Actions) ------------------------------------------------------------

  toggle(open: boolean, focus = true): void {
    this.m.open = open;
    this.store.open = open;
    if (open) {
      this.m.unread = 0;
      this.connect();
      if (this.welcomed && this.m.state.phase === 'idle' && !this.starting && this.autoStarts()) this.startConversation();
    }
    this.refresh();
    if (focus) {
      if (open) this.view.focusFirst();
      else this.view.focusLauncher();
    }
  }

  send(typed: string): boolean {
    const text = typed.trim();
    const ready = this.m.drafts.filter((d) => d.attachment);
    if (!text && !ready.length) return false;
    if (this.m.drafts.some((d) => !d.attachment)) return false;
    this.m.drafts = [];
    this.enqueue({
      clientId: newClientId(),
      text,
      attachments: ready.length ? ready.map((d) => d.attachment!) : undefined,
    });
    this.refresh();
    return true;
  }

  pick(optionId: string, label: string): void {
    this.m.activeOptionsKey = null;
    this.enqueue({ clientId: newClientId(), text: label, optionId });
    this.refresh();
    this.view.focusInput();
  }

  typing(): void {
    const now = Date.now();
    if (this.m.state.phase !== 'in_service' || now - this.lastTypingSent < TYPING_SENT_EVERY_MS) return;
    this.lastTypingSent = now;
    this.emit({ type: 'typing' });
  }

  draftChanged(text: string): void {
    this.store.draft = text;
  }

  attach(files: FileList): void {
    const c = this.m.config;
    const identity = this.store.identity;
    for (const file of Array.from(files)) {
      const problem = checkFile(file, c, this.t) ?? (!identity || this.m.link !== 'online' ? this.t('uploadOffline') : null);
      if (problem) {
        this.showNotice(problem, true);
        continue;
      }
      const draft: Draft = { id: newClientId(), name: file.name, attachment: null };
      this.m.drafts = [...this.m.drafts, draft];
      if (LIVE.includes(this.m.state.phase)) this.upload(file, draft);
      else this.waitingFiles.push({ file, draft });
    }
    // a file as the first thing sent: the conversation opens first, the upload follows (setState)
    if (this.waitingFiles.length && this.m.state.phase === 'idle' && !this.starting) this.startConversation();
    this.refresh();
  }

  private upload(file: File, draft: Draft): void {
    const identity = this.store.identity;
    if (!identity) {
      this.m.drafts = this.m.drafts.filter((d) => d.id !== draft.id);
      this.showNotice(this.t('uploadOffline'), true);
      return;
    }
    this.http.upload(file, identity.token).then(
      (attachment) => {
        this.m.drafts = this.m.drafts.map((d) => (d.id === draft.id ? { ...d, attachment } : d));
        this.refresh();
      },
      (e: HttpError) => {
        this.m.drafts = this.m.drafts.filter((d) => d.id !== draft.id);
        this.showNotice(refusal(e, file, this.m.config, this.t), true);
      },
    );
  }

  removeDraft(id: string): void {
    this.m.drafts = this.m.drafts.filter((d) => d.id !== id);
    this.waitingFiles = this.waitingFiles.filter((w) => w.draft.id !== id);
    this.refresh();
  }

  askEnd(): void {
    this.m.confirmEnd = true;
    this.refresh();
    this.view.focusConfirm();
  }

  confirmEnd(yes: boolean): void {
    this.m.confirmEnd = false;
    if (yes && !this.emit({ type: 'close' })) this.pendingClose = true;
    this.refresh();
    if (!yes) this.view.focusInput();
  }

  submitPrechat(values: Record<string, string>): void {
    this.m.prechatValues = values;
    this.m.prechatErrors = {};
    // the form gives way to the conversation at once; the bot's greeting follows
    if (this.m.state.phase === 'prechat') this.m.state = { phase: 'idle' };
    this.startConversation(Object.keys(values).length ? values : undefined);
    this.refresh();
    this.view.focusInput();
  }

  leaveMessage(values: Record<string, string>, text: string): void {
    this.m.prechatValues = values;
    this.m.prechatErrors = {};
    this.startConversation(Object.keys(values).length ? values : undefined);
    this.enqueue({ clientId: newClientId(), text });
    this.refresh();
  }

  newChat(): void {
    this.clearLog();
    this.m.state = { phase: 'idle' };
    this.m.notice = null;
    if (this.autoStarts()) this.startConversation();
    this.refresh();
    this.view.focusFirst();
  }
}
