import type { CallKind, CallServerMessage, CallView, IceServer } from '../../contracts/calls';
import { CALL_RING_SECONDS } from '../../contracts/calls';
import { CallSession, callOutcome, ringTone, type CallDeps, type CallOutcome } from '../../shared/call-session';
import type { RealtimeClient } from '../realtime/client';

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
  /** bumps on every change (the session is mutable) */
  version: number;
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
  private state: DeskCallsState = { session: null, endings: new Map(), error: null, starting: null, version: 0 };
  private readonly listeners = new Set<() => void>();
  private stopRing: (() => void) | null = null;
  private audio: AudioContext | null = null;
  private sessionConversation: string | null = null;
  private readonly unsub: () => void;

  constructor(private readonly client: RealtimeClient) {
    this.unsub = client.onCall((m) => this.onMessage(m));
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getState = () => this.state;

  private changed(patch: Partial<DeskCallsState> = {}): void {
    this.state = { ...this.state, ...patch, version: this.state.version + 1 };
    this.ring(this.state.session !== null && !this.state.session.done && !this.state.session.outgoing && this.state.session.call.state === 'ringing' && !this.state.session.accepting);
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
    this.ring(false);
    void this.audio?.close();
    this.audio = null;
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

  /** The incoming ring: WebAudio's oscillator (no file), for as long as the server lets it ring. */
  private ring(on: boolean): void {
    if (!on) {
      this.stopRing?.();
      this.stopRing = null;
      return;
    }
    if (this.stopRing) return;
    try {
      this.audio ??= new AudioContext();
      void this.audio.resume();
      this.stopRing = ringTone(this.audio, CALL_RING_SECONDS);
    } catch {
      // no audio (a locked-down browser): the ring is seen, not heard
      this.stopRing = () => undefined;
    }
  }
}
