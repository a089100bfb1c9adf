import { describe, expect, it } from 'vitest';
import { CONNECT_MS, DISCONNECTED_MS, CallSession, callOutcome, mediaFailure, type CallDeps, type CallOut, type CallRecord } from './call-session';

// Fakes of the browser's objects, as much of them as a call touches.

class FakeTrack {
  enabled = true;
  stopped = false;
  constructor(readonly kind: 'audio' | 'video') {}
  stop() {
    this.stopped = true;
  }
}

class FakeStream {
  constructor(public tracks: FakeTrack[]) {}
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(t: FakeTrack) {
    this.tracks.push(t);
  }
  removeTrack(t: FakeTrack) {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
}

class FakeTransceiver {
  direction = 'recvonly';
  sender: { track: FakeTrack | null; replaceTrack(t: FakeTrack | null): Promise<void> };
  receiver: { track: FakeTrack };
  constructor(kind: 'audio' | 'video', track: FakeTrack | null) {
    const sender = {
      track,
      replaceTrack: async (t: FakeTrack | null) => {
        sender.track = t;
      },
    };
    this.sender = sender;
    this.receiver = { track: new FakeTrack(kind) };
  }
}

class FakePeer {
  transceivers: FakeTransceiver[] = [];
  remoteDescription: { type: string; sdp: string } | null = null;
  localDescription: { type: string; sdp: string } | null = null;
  candidates: unknown[] = [];
  connectionState = 'new';
  closed = false;
  onicecandidate: ((e: { candidate: unknown }) => void) | null = null;
  ontrack: ((e: { track: FakeTrack }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  constructor(readonly ice: unknown) {}
  addTransceiver(trackOrKind: FakeTrack | 'audio' | 'video') {
    const t = typeof trackOrKind === 'string' ? new FakeTransceiver(trackOrKind, null) : new FakeTransceiver(trackOrKind.kind, trackOrKind);
    t.direction = 'sendrecv';
    this.transceivers.push(t);
    return t;
  }
  getTransceivers() {
    return this.transceivers;
  }
  async createOffer() {
    return { type: 'offer', sdp: `offer:${this.transceivers.map((t) => t.receiver.track.kind).join(',')}` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(d: { type: string; sdp: string }) {
    this.localDescription = d;
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remoteDescription = d;
    // an offer makes the answerer's transceivers, one per kind in it
    if (d.type === 'offer') for (const kind of d.sdp.replace('offer:', '').split(',')) this.transceivers.push(new FakeTransceiver(kind as 'audio' | 'video', null));
  }
  async addIceCandidate(c: unknown) {
    this.candidates.push(c);
  }
  close() {
    this.closed = true;
  }
  setState(s: string) {
    this.connectionState = s;
    this.onconnectionstatechange?.();
  }
}

function harness(opts: { refuse?: string } = {}) {
  const sent: CallOut[] = [];
  const peers: FakePeer[] = [];
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  let now = 1_000;
  let changes = 0;
  const asked: { audio: boolean; video: boolean }[] = [];
  const deps: CallDeps = {
    peer: (ice) => {
      const p = new FakePeer(ice);
      peers.push(p);
      return p as unknown as RTCPeerConnection;
    },
    media: async (c) => {
      asked.push(c);
      if (opts.refuse) throw Object.assign(new Error('refused'), { name: opts.refuse });
      const tracks = [...(c.audio ? [new FakeTrack('audio')] : []), ...(c.video ? [new FakeTrack('video')] : [])];
      return new FakeStream(tracks) as unknown as MediaStream;
    },
    stream: (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    send: (m) => sent.push(m),
    later: (fn, ms) => {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    now: () => now,
    changed: () => {
      changes++;
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers) if (!t.cancelled && t.at <= now) {
      t.cancelled = true;
      t.fn();
    }
  };
  return { deps, sent, peers, asked, advance, changes: () => changes };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

const call = (over: Partial<CallRecord> = {}): CallRecord => ({
  id: 'c1', kind: 'audio', video: false, state: 'ringing', caller: 'agent', answeredAt: null, endedBy: null, failure: null, ...over,
});

describe('CallSession', () => {
  it('the caller takes its media while it rings, offers once answered with audio and video transceivers, and trickles ICE', async () => {
    const h = harness();
    const s = new CallSession(call(), 'agent', h.deps, [{ urls: 'stun:x' }]);
    await flush();
    expect(h.asked).toEqual([{ audio: true, video: false }]);
    expect(s.local?.getAudioTracks()).toHaveLength(1);
    expect(h.peers).toHaveLength(0);
    s.update(call({ state: 'active', answeredAt: '2026-12-06T10:00:00Z' }));
    await flush();
    expect(h.peers).toHaveLength(1);
    const pc = h.peers[0];
    expect(pc.ice).toEqual([{ urls: 'stun:x' }]);
    expect(pc.transceivers.map((t) => [t.receiver.track.kind, t.sender.track?.kind ?? null])).toEqual([['audio', 'audio'], ['video', null]]);
    expect(h.sent).toEqual([{ type: 'call_signal', callId: 'c1', signal: { type: 'offer', sdp: 'offer:audio,video' } }]);
    expect(s.activeSince).toBe(1_000);
    pc.onicecandidate?.({ candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } });
    expect(h.sent[1]).toEqual({ type: 'call_signal', callId: 'c1', signal: { type: 'ice', candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } } });
    // a candidate before the answer waits for it
    await s.signal({ type: 'ice', candidate: { candidate: 'candidate:remote' } });
    expect(pc.candidates).toEqual([]);
    await s.signal({ type: 'answer', sdp: 'answer' });
    expect(pc.remoteDescription).toEqual({ type: 'answer', sdp: 'answer' });
    expect(pc.candidates).toEqual([{ candidate: 'candidate:remote' }]);
  });

  it('the callee asks for media on Atender, accepts, answers the offer with its tracks', async () => {
    const h = harness();
    const s = new CallSession(call({ caller: 'customer', kind: 'video', video: true }), 'agent', h.deps);
    await flush();
    expect(h.asked).toEqual([]);
    await s.accept();
    expect(h.asked).toEqual([{ audio: true, video: true }]);
    expect(h.sent).toEqual([{ type: 'call_accept', callId: 'c1' }]);
    s.update(call({ caller: 'customer', kind: 'video', video: true, state: 'active' }));
    await s.signal({ type: 'offer', sdp: 'offer:audio,video' });
    const pc = h.peers[0];
    expect(pc.transceivers.map((t) => [t.direction, t.sender.track?.kind])).toEqual([['sendrecv', 'audio'], ['sendrecv', 'video']]);
    expect(h.sent.at(-1)).toEqual({ type: 'call_signal', callId: 'c1', signal: { type: 'answer', sdp: 'answer' } });
  });

  it('a refused permission fails the call with why, instead of accepting it', async () => {
    const h = harness({ refuse: 'NotAllowedError' });
    const s = new CallSession(call({ caller: 'customer' }), 'agent', h.deps);
    await s.accept();
    expect(h.sent).toEqual([{ type: 'call_failed', callId: 'c1', failure: 'permission_denied' }]);
    expect(s.failure).toBe('permission_denied');
    expect(s.done).toBe(true);
  });

  it('ICE that never connects, a lost link and a failed one end the call as failed (never frozen)', async () => {
    let h = harness();
    let s = new CallSession(call(), 'agent', h.deps);
    s.update(call({ state: 'active' }));
    await flush();
    h.advance(CONNECT_MS - 1);
    expect(s.done).toBe(false);
    h.advance(1);
    expect(h.sent.at(-1)).toEqual({ type: 'call_failed', callId: 'c1', failure: 'connection_failed' });
    expect(h.peers[0].closed).toBe(true);

    h = harness();
    s = new CallSession(call(), 'agent', h.deps);
    s.update(call({ state: 'active' }));
    await flush();
    h.peers[0].setState('connected');
    h.advance(CONNECT_MS);
    expect(s.done).toBe(false);
    h.peers[0].setState('disconnected');
    h.advance(DISCONNECTED_MS - 1);
    h.peers[0].setState('connected');
    h.advance(10);
    expect(s.done).toBe(false);
    h.peers[0].setState('disconnected');
    h.advance(DISCONNECTED_MS);
    expect(h.sent.at(-1)).toEqual({ type: 'call_failed', callId: 'c1', failure: 'disconnected' });

    h = harness();
    s = new CallSession(call(), 'agent', h.deps);
    s.update(call({ state: 'active' }));
    await flush();
    h.peers[0].setState('failed');
    expect(h.sent.at(-1)).toEqual({ type: 'call_failed', callId: 'c1', failure: 'connection_failed' });
  });

  it('mute and camera off switch the tracks; audio → video puts a camera track in the video sender and tells the other side', async () => {
    const h = harness();
    const s = new CallSession(call(), 'agent', h.deps);
    s.update(call({ state: 'active' }));
    await flush();
    s.toggleMute();
    expect(s.local?.getAudioTracks()[0].enabled).toBe(false);
    s.switchVideo(true);
    await flush();
    await flush();
    expect(h.sent.at(-1)).toEqual({ type: 'call_media', callId: 'c1', video: true });
    const sender = h.peers[0].transceivers[1].sender;
    expect(sender.track?.kind).toBe('video');
    expect(s.local?.getVideoTracks()).toHaveLength(1);
    s.toggleCamera();
    expect(s.local?.getVideoTracks()[0].enabled).toBe(false);
    s.otherSwitched(false);
    await flush();
    expect(sender.track).toBeNull();
    expect(s.local?.getVideoTracks()).toHaveLength(0);
  });

  it('hang-up tells the server and stops the media; the server ending it closes the peer', async () => {
    const h = harness();
    const s = new CallSession(call(), 'agent', h.deps);
    s.update(call({ state: 'active' }));
    await flush();
    const track = s.local!.getTracks()[0] as unknown as FakeTrack;
    s.hangup();
    expect(h.sent.at(-1)).toEqual({ type: 'call_hangup', callId: 'c1' });
    expect(track.stopped).toBe(true);
    expect(h.peers[0].closed).toBe(true);

    const h2 = harness();
    const s2 = new CallSession(call(), 'agent', h2.deps);
    s2.update(call({ state: 'active' }));
    await flush();
    s2.update(call({ state: 'ended', endedBy: 'customer' }));
    expect(h2.peers[0].closed).toBe(true);
    expect(h2.sent.filter((m) => m.type === 'call_hangup')).toEqual([]);
  });
});

describe('callOutcome', () => {
  it('words each ending from where the person stands', () => {
    expect(callOutcome(call({ state: 'declined' }), 'agent')).toBe('declined');
    expect(callOutcome(call({ state: 'declined' }), 'customer')).toBe('youDeclined');
    expect(callOutcome(call({ state: 'missed' }), 'agent')).toBe('missed');
    expect(callOutcome(call({ state: 'missed' }), 'customer')).toBe('youMissed');
    expect(callOutcome(call({ state: 'missed', endedBy: 'agent' }), 'agent')).toBeNull();
    expect(callOutcome(call({ state: 'missed', endedBy: 'agent' }), 'customer')).toBe('youMissed');
    expect(callOutcome(call({ state: 'ended', endedBy: 'customer' }), 'agent')).toBe('hungUp');
    expect(callOutcome(call({ state: 'ended', endedBy: 'agent' }), 'agent')).toBeNull();
    expect(callOutcome(call({ state: 'ended', endedBy: 'system' }), 'customer')).toBe('ended');
    expect(callOutcome(call({ state: 'failed', failure: 'permission_denied', endedBy: 'customer' }), 'customer')).toBe('permission_denied');
    expect(callOutcome(call({ state: 'failed', failure: 'permission_denied', endedBy: 'customer' }), 'agent')).toBe('otherPermission');
    expect(callOutcome(call({ state: 'failed', failure: 'no_device', endedBy: 'agent' }), 'customer')).toBe('otherNoDevice');
    // the agent's page went away: the customer is told it was the agent's connection
    expect(callOutcome(call({ state: 'failed', failure: 'disconnected', endedBy: 'agent' }), 'customer')).toBe('otherDisconnected');
    expect(callOutcome(call({ state: 'failed', failure: 'disconnected', endedBy: 'customer' }), 'agent')).toBe('otherDisconnected');
    // this side's own link (or the server's word without a side): no blame on the other
    expect(callOutcome(call({ state: 'failed', failure: 'disconnected', endedBy: 'customer' }), 'customer')).toBe('disconnected');
    expect(callOutcome(call({ state: 'failed', failure: 'disconnected', endedBy: 'system' }), 'agent')).toBe('disconnected');
    expect(callOutcome(call({ state: 'active' }), 'customer')).toBeNull();
  });

  it('maps getUserMedia errors to failures', () => {
    expect(mediaFailure({ name: 'NotAllowedError' })).toBe('permission_denied');
    expect(mediaFailure({ name: 'NotFoundError' })).toBe('no_device');
    expect(mediaFailure(new TypeError('x'))).toBe('unsupported');
  });
});
