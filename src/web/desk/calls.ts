import type { CallKind, CallServerMessage, CallView, IceServer } from '../../contracts/calls';
import { CALL_RING_SECONDS } from '../../contracts/calls';
import { CallSession, callOutcome, type CallDeps, type CallOutcome } from '../../shared/call-session';
import { CallTones, toneFor, type CallTone } from '../../shared/call-ringing';
import type { RealtimeClient } from '../realtime/client';
import { deskAlerts } from './alerts';

const START_ANSWER_MS = 10_000;

/** How a call that is over is told on its conversation (until the agent closes it or calls again). */
export interface CallEnding {
  callId: string;
  outcome: CallOutcome | null;
  /** answered time, seconds (the server's record) */
  seconds: number;
  video: boolean;
}

export interface DeskCallsState {
  /** the agent's one live call (ringing or active), whatever the conversation */
  session: CallSession | null;
  /** by conversation: how its last call ended */
  endings: ReadonlyMap<string, CallEnding>;
  /** a call message the server refused, by conversation (or '' when it named none) */
  error: { conversationId: string; message: string } | null;
  /** Ligar was pressed here and the server has not answered yet */
  starting: string | null;
  /** what the agent hears now: a customer's ring, the ringback of the agent's own call, nothing */
  tone: CallTone;
  /** a tone is due but the browser holds the sound back (no click on the page yet) */
  soundBlocked: boolean;
  /** bumps on every change (the session is mutable) */
  version: number;
}

/** What the desk asks the page about a call: the customer's name, and opening the conversation. */
export interface DeskCallHooks {
  nameOf(conversationId: string): string;
  open(conversationId: string): void;
}

/** The browser's side of a call: RTCPeerConnection, getUserMedia, the real clock. */
export function browserCallDeps(send: CallDeps['send'], changed: () => void): CallDeps {
  return {
    peer: (iceServers) => new RTCPeerConnection({ iceServers }),
    media: (c) => (navigator.mediaDevices?.getUserMedia ? navigator.mediaDevices.getUserMedia(c) : Promise.reject(new TypeError('getUserMedia'))),
    stream: (tracks) => new MediaStream(tracks),
    send,
    later: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    now: () => Date.now(),
    changed,
  };
}

/**
 * The desk's calls (issue 19): the server's `call` messages on the agent's /ws make a session (the
 * agent's own call, or the customer's ringing), signals go to it, and each ending is kept on its
 * conversation to be told. One call at a time: a customer ringing while the agent is in a call is
 * answered "busy".
 */
export class DeskCalls {
  private state: DeskCallsState = { session: null, endings: new Map(), error: null, starting: null, tone: 'none', soundBlocked: false, version: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly tones = new CallTones(() => new AudioContext(), () => this.changed(), window, CALL_RING_SECONDS);
  /** the notification and the title flash of the customer's ring */
  private stopAlert: (() => void) | null = null;
  private sessionConversation: string | null = null;
  private readonly unsub: () => void;

  constructor(private readonly client: RealtimeClient, private readonly hooks: DeskCallHooks) {
    this.unsub = client.onCall((m) => this.onMessage(m));
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getState = () => this.state;

  private changed(patch: Partial<DeskCallsState> = {}): void {
    const session = patch.session === undefined ? this.state.session : patch.session;
    this.tones.set(toneFor(session));
    this.alert(this.tones.tone === 'ring' ? session : null);
    this.state = { ...this.state, ...patch, tone: this.tones.tone, soundBlocked: this.tones.blocked, version: this.state.version + 1 };
    for (const l of this.listeners) l();
  }

  /** The conversation of the live call. */
  get conversationId(): string | null {
    return this.state.session && !this.state.session.done ? this.sessionConversation : null;
  }

  /** Ligar (áudio) / Ligar (vídeo). */
  start(conversationId: string, kind: CallKind): boolean {
    if (this.conversationId || this.state.starting) return false;
    const endings = new Map(this.state.endings);
    endings.delete(conversationId);
    const sent = this.client.send({ type: 'call_start', conversationId, kind });
    this.changed({ endings, starting: sent ? conversationId : null, error: sent ? null : { conversationId, message: '' } });
    // no answer at all (the link dropped meanwhile): the button comes back with a message
    if (sent) setTimeout(() => {
      if (this.state.starting === conversationId) this.changed({ starting: null, error: { conversationId, message: '' } });
    }, START_ANSWER_MS);
    return sent;
  }

  dismiss(conversationId: string): void {
    const endings = new Map(this.state.endings);
    endings.delete(conversationId);
    this.changed({ endings, error: this.state.error?.conversationId === conversationId ? null : this.state.error });
  }

  stop(): void {
    this.unsub();
    this.state.session?.hangup();
    this.alert(null);
    this.tones.close();
  }

  private onMessage(m: CallServerMessage): void {
    const s = this.state.session;
    switch (m.type) {
      case 'call':
        this.onCall(m.call, m.iceServers);
        return;
      case 'call_signal':
        if (s && s.call.id === m.callId) void s.signal(m.signal);
        return;
      case 'call_media':
        if (s && s.call.id === m.callId) s.otherSwitched(m.video);
        return;
      case 'call_error': {
        // a refused start names no call: it is the conversation being called
        const conversationId = m.callId === null ? (this.state.starting ?? '') : s && s.call.id === m.callId ? (this.sessionConversation ?? '') : '';
        this.changed({ error: { conversationId, message: m.message }, starting: m.callId === null ? null : this.state.starting });
        return;
      }
    }
  }

  private onCall(call: CallView, iceServers?: IceServer[]): void {
    const s = this.state.session;
    if (s && s.call.id === call.id) {
      // the session tells its own change (onSessionChange), its ending included
      s.update(call, iceServers);
      return;
    }
    const live = call.state === 'ringing' || call.state === 'active';
    if (!live) {
      // an ending of a call this desk did not hold (another tab, after a reload): told all the same
      this.keepEnding(call.conversationId, call, callOutcome(call, 'agent'));
      return;
    }
    if (this.conversationId && s && !s.done) {
      // in a call already: the customer's ring is answered "busy"
      if (call.caller === 'customer' && call.state === 'ringing') this.client.send({ type: 'call_failed', callId: call.id, failure: 'busy' });
      return;
    }
    this.sessionConversation = call.conversationId;
    let session: CallSession | null = null;
    session = new CallSession(call, 'agent', browserCallDeps((msg) => this.client.send(msg), () => {
      if (session) this.onSessionChange(session);
    }), iceServers);
    this.changed({ session, error: null, starting: null });
  }

  private onSessionChange(session: CallSession): void {
    if (session !== this.state.session) return;
    if (session.done && this.sessionConversation) this.end(this.sessionConversation, session);
    else this.changed();
  }

  /** The live call is over here: its ending is kept on the conversation, the desk is free for another. */
  private end(conversationId: string, s: CallSession): void {
    const view = s.call as CallView;
    this.keepEnding(conversationId, view, s.failure ?? callOutcome(view, 'agent'), { session: null });
  }

  private keepEnding(conversationId: string, call: CallView, outcome: CallOutcome | null, extra: Partial<DeskCallsState> = {}): void {
    const endings = new Map(this.state.endings);
    endings.set(conversationId, { callId: call.id, outcome, seconds: call.audioSeconds + call.videoSeconds, video: call.video || call.kind === 'video' });
    this.changed({ endings, ...extra });
  }

  /** The customer's ring, for an agent not looking at the desk: a notification and the tab title flashing. */
  private alert(ringing: CallSession | null): void {
    if (!ringing) {
      this.stopAlert?.();
      this.stopAlert = null;
    } else if (!this.stopAlert && this.sessionConversation) {
      const id = this.sessionConversation;
      this.stopAlert = deskAlerts.incomingCall(ringing.call.id, this.hooks.nameOf(id), ringing.call.video, () => this.hooks.open(id));
    }
  }
}
