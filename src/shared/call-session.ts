// One side of a WebRTC call inside a WebChat conversation (issue 19), for the desk and the widget
// alike: the media, the peer connection, the offer/answer and ICE candidates, mute, camera off,
// audio ↔ video, and what ends a call that cannot go on (ICE failed, the link gone) so no call ever
// freezes. Pure: the browser's objects (RTCPeerConnection, getUserMedia, MediaStream), the socket,
// the clock and the timers come in as `CallDeps`, so unit tests drive it with fakes.
//
// The shapes mirror src/contracts/calls.ts (shared/ imports only shared/): the server's CallView and
// the messages the socket carries. Audio and video both ride from the start on two transceivers (the
// video one without a track in an audio call), so switching audio ↔ video or the camera off is a
// replaceTrack, never a renegotiation.

export type CallSide = 'agent' | 'customer';
export type CallFailureCode = 'permission_denied' | 'no_device' | 'connection_failed' | 'unsupported' | 'busy' | 'disconnected';

/** The server's CallView, as far as a side needs it. */
export interface CallRecord {
  id: string;
  kind: 'audio' | 'video';
  video: boolean;
  state: 'ringing' | 'active' | 'ended' | 'missed' | 'declined' | 'failed';
  caller: CallSide;
  answeredAt: string | null;
  endedBy: CallSide | 'system' | null;
  failure: CallFailureCode | null;
}

export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export type CallSignalBody =
  | { type: 'offer'; sdp: string }
  | { type: 'answer'; sdp: string }
  | { type: 'ice'; candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null };

/** What a side sends about an existing call (call_start is the screen's, as it names the conversation). */
export type CallOut =
  | { type: 'call_accept' | 'call_decline' | 'call_hangup'; callId: string }
  | { type: 'call_failed'; callId: string; failure: CallFailureCode }
  | { type: 'call_media'; callId: string; video: boolean }
  | { type: 'call_signal'; callId: string; signal: CallSignalBody };

export interface CallDeps {
  /** new RTCPeerConnection({ iceServers }) */
  peer(iceServers: IceServerConfig[]): RTCPeerConnection;
  /** navigator.mediaDevices.getUserMedia with these constraints */
  media(constraints: { audio: boolean; video: boolean }): Promise<MediaStream>;
  /** new MediaStream(tracks) */
  stream(tracks: MediaStreamTrack[]): MediaStream;
  send(m: CallOut): void;
  /** setTimeout; returns the cancel */
  later(fn: () => void, ms: number): () => void;
  now(): number;
  /** something the screen shows changed */
  changed(): void;
}

/** A link that stays "disconnected" this long is lost; ICE that has not connected this long failed. */
export const DISCONNECTED_MS = 6_000;
export const CONNECT_MS = 25_000;

/** Why getUserMedia refused, as a call failure. */
export function mediaFailure(err: unknown): CallFailureCode {
  const name = err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'permission_denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError' || name === 'DevicesNotFoundError') return 'no_device';
  return 'unsupported';
}

const FINAL = ['ended', 'missed', 'declined', 'failed'];
export const isFinal = (c: CallRecord) => FINAL.includes(c.state);

/**
 * What a side tells the person when a call is over, from where they stand: the key of a sentence
 * each screen words in its own language (null: nothing to say, e.g. ended by this side).
 * `other*` keys: the other side's browser failed (the person here did nothing wrong).
 */
export type CallOutcome =
  | 'declined' | 'youDeclined' | 'missed' | 'youMissed' | 'hungUp' | 'ended'
  | 'permission_denied' | 'no_device' | 'unsupported' | 'connection_failed' | 'disconnected'
  | 'otherPermission' | 'otherNoDevice' | 'otherUnsupported' | 'otherDisconnected' | 'busy';

export function callOutcome(c: CallRecord, me: CallSide): CallOutcome | null {
  const mine = c.caller === me;
  switch (c.state) {
    case 'declined':
      return mine ? 'declined' : 'youDeclined';
    case 'missed':
      // the caller who gave up before an answer needs no word about it
      return mine ? (c.endedBy === me ? null : 'missed') : 'youMissed';
    case 'ended':
      return c.endedBy === me ? null : c.endedBy === 'system' || c.endedBy === null ? 'ended' : 'hungUp';
    case 'failed': {
      const f = c.failure ?? 'connection_failed';
      const other = c.endedBy !== null && c.endedBy !== me && c.endedBy !== 'system';
      if (f === 'connection_failed') return f;
      // the other side's page went away (closed, reloaded, offline): the server dropped its socket
      if (f === 'disconnected') return other ? 'otherDisconnected' : f;
      // the other side reported it: about their browser, not this one
      if (other) {
        return f === 'permission_denied' ? 'otherPermission' : f === 'no_device' ? 'otherNoDevice' : f === 'busy' ? 'busy' : 'otherUnsupported';
      }
      return f === 'busy' ? 'busy' : f;
    }
    default:
      return null;
  }
}

/**
 * The ring: 425 Hz, one second on and four off (the Brazilian ringing tone), until the returned stop
 * is called (the server's word that the call was answered, declined or missed) or `seconds` at most.
 */
export function ringTone(ctx: BaseAudioContext, seconds = 300): () => void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = 425;
  gain.gain.value = 0;
  const t0 = ctx.currentTime;
  for (let t = 0; t < seconds; t += 5) {
    gain.gain.setValueAtTime(0.12, t0 + t);
    gain.gain.setValueAtTime(0, t0 + t + 1);
  }
  osc.connect(gain).connect(ctx.destination);
  osc.start(t0);
  osc.stop(t0 + seconds);
  return () => {
    try {
      osc.stop();
    } catch {
      /* already stopped */
    }
    osc.disconnect();
  };
}

/**
 * One call as this side lives it. The screen feeds it the server's messages (`update` with each
 * `call`, `signal` with each `call_signal`) and the person's choices (accept, decline, hang up,
 * mute, camera, video); it keeps `local` and `remote` streams for the screen to draw.
 */
export class CallSession {
  call: CallRecord;
  local: MediaStream | null = null;
  remote: MediaStream | null = null;
  muted = false;
  cameraOff = false;
  /** the peers reached each other (media flows) */
  connected = false;
  /** when this side saw the call answered (its clock), for the call's timer */
  activeSince: number | null = null;
  /** this side's own failure, before (or instead of) the server's word */
  failure: CallFailureCode | null = null;
  /** the camera could not be turned on for a switch to video: the call goes on without it */
  cameraProblem: CallFailureCode | null = null;
  /** the person pressed Atender and the media is being asked for */
  accepting = false;
  private pc: RTCPeerConnection | null = null;
  private ice: IceServerConfig[] = [];
  private pending: RTCIceCandidateInit[] = [];
  private timers: (() => void)[] = [];
  private closed = false;
  private gettingMedia: Promise<MediaStream | null> | null = null;

  constructor(call: CallRecord, readonly me: CallSide, private readonly d: CallDeps, iceServers?: IceServerConfig[]) {
    this.call = call;
    if (iceServers) this.ice = iceServers;
    this.update(call, iceServers);
  }

  get outgoing(): boolean {
    return this.call.caller === this.me;
  }

  get done(): boolean {
    return this.closed;
  }

  /** The server's word on the call. */
  update(call: CallRecord, iceServers?: IceServerConfig[]): void {
    const was = this.call;
    this.call = call;
    if (iceServers) this.ice = iceServers;
    if (this.closed) return;
    if (isFinal(call)) {
      this.close();
    } else if (call.state === 'ringing') {
      // the caller's own picture (and the permission question) while it rings
      if (this.outgoing) void this.ensureMedia();
    } else if (call.state === 'active') {
      if (this.activeSince === null) {
        this.activeSince = this.d.now();
        this.watch(CONNECT_MS, () => !this.connected, 'connection_failed');
      }
      if (this.outgoing && !this.pc) void this.offer();
      if (was.video !== call.video) void this.setVideo(call.video);
    }
    this.d.changed();
  }

  /** The other side's offer, answer or ICE candidate. */
  async signal(s: CallSignalBody): Promise<void> {
    if (this.closed) return;
    try {
      if (s.type === 'offer') {
        const stream = await this.ensureMedia();
        if (!stream || this.closed) return;
        const pc = this.ensurePeer();
        await pc.setRemoteDescription({ type: 'offer', sdp: s.sdp });
        for (const t of pc.getTransceivers()) {
          const kind = t.receiver.track.kind;
          t.direction = 'sendrecv';
          const track = stream.getTracks().find((x) => x.kind === kind) ?? null;
          await t.sender.replaceTrack(track);
          t.sender.setStreams?.(stream);
        }
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        this.d.send({ type: 'call_signal', callId: this.call.id, signal: { type: 'answer', sdp: answer.sdp ?? '' } });
        await this.flushCandidates();
      } else if (s.type === 'answer') {
        if (!this.pc) return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: s.sdp });
        await this.flushCandidates();
      } else if (s.candidate) {
        if (this.pc?.remoteDescription) await this.pc.addIceCandidate(s.candidate);
        else this.pending.push(s.candidate);
      }
    } catch {
      if (!this.closed) this.fail('connection_failed');
    }
  }

  /** Atender: the media first (a refusal fails the call with why), then the answer to the server. */
  async accept(): Promise<void> {
    if (this.closed || this.call.state !== 'ringing' || this.outgoing || this.accepting) return;
    this.accepting = true;
    this.d.changed();
    const stream = await this.ensureMedia();
    this.accepting = false;
    if (stream && !this.closed) this.d.send({ type: 'call_accept', callId: this.call.id });
    this.d.changed();
  }

  decline(): void {
    if (this.closed) return;
    this.d.send({ type: 'call_decline', callId: this.call.id });
    this.close();
  }

  /** Encerrar (or cancel a call still ringing). */
  hangup(): void {
    if (this.closed) return;
    this.d.send({ type: 'call_hangup', callId: this.call.id });
    this.close();
  }

  toggleMute(): void {
    this.muted = !this.muted;
    for (const t of this.local?.getAudioTracks() ?? []) t.enabled = !this.muted;
    this.d.changed();
  }

  toggleCamera(): void {
    this.cameraOff = !this.cameraOff;
    for (const t of this.local?.getVideoTracks() ?? []) t.enabled = !this.cameraOff;
    this.d.changed();
  }

  /** Switch the call to video or back to audio: this side's camera follows, the other side is told. */
  switchVideo(video: boolean): void {
    if (this.closed || this.call.state !== 'active' || this.call.video === video) return;
    this.d.send({ type: 'call_media', callId: this.call.id, video });
    this.call = { ...this.call, video };
    void this.setVideo(video);
    this.d.changed();
  }

  /** The other side switched (its call_media): the same here. */
  otherSwitched(video: boolean): void {
    if (this.closed || this.call.video === video) return;
    this.call = { ...this.call, video };
    void this.setVideo(video);
    this.d.changed();
  }

  /** This side cannot go on (its media, its link): the server is told why, and the call ends here. */
  fail(failure: CallFailureCode): void {
    if (this.closed) return;
    this.failure = failure;
    this.d.send({ type: 'call_failed', callId: this.call.id, failure });
    this.close();
    this.d.changed();
  }

  /** Stops the media and the connection (the call ended, or the screen goes away). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.timers) cancel();
    this.timers = [];
    for (const t of this.local?.getTracks() ?? []) t.stop();
    if (this.pc) {
      this.pc.onicecandidate = this.pc.ontrack = this.pc.onconnectionstatechange = null;
      this.pc.close();
    }
    this.pc = null;
    this.d.changed();
  }

  // ---- inside ----------------------------------------------------------------------------------

  private ensureMedia(): Promise<MediaStream | null> {
    this.gettingMedia ??= this.d.media({ audio: true, video: this.call.video }).then(
      (s) => {
        if (this.closed) {
          for (const t of s.getTracks()) t.stop();
          return null;
        }
        this.local = s;
        this.d.changed();
        return s;
      },
      (e: unknown) => {
        this.fail(mediaFailure(e));
        return null;
      },
    );
    return this.gettingMedia;
  }

  private ensurePeer(): RTCPeerConnection {
    if (this.pc) return this.pc;
    const pc = this.d.peer(this.ice);
    this.pc = pc;
    const tracks: MediaStreamTrack[] = [];
    this.remote = this.d.stream(tracks);
    pc.ontrack = (e) => {
      if (this.remote && !this.remote.getTracks().includes(e.track)) this.remote.addTrack(e.track);
      this.d.changed();
    };
    pc.onicecandidate = (e) => {
      if (!e.candidate) return;
      const c = e.candidate;
      this.d.send({ type: 'call_signal', callId: this.call.id, signal: { type: 'ice', candidate: { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } } });
    };
    pc.onconnectionstatechange = () => {
      const s = pc.connectionState;
      if (s === 'connected') {
        this.connected = true;
        this.d.changed();
      } else if (s === 'failed') {
        this.fail(this.connected ? 'disconnected' : 'connection_failed');
      } else if (s === 'disconnected') {
        // a short drop may recover by itself; a long one is a lost call
        this.watch(DISCONNECTED_MS, () => pc.connectionState === 'disconnected', 'disconnected');
      }
    };
    return pc;
  }

  private watch(ms: number, still: () => boolean, failure: CallFailureCode): void {
    this.timers.push(this.d.later(() => {
      if (!this.closed && still()) this.fail(failure);
    }, ms));
  }

  /** The caller, once the call is answered: both transceivers, then the offer. */
  private async offer(): Promise<void> {
    const stream = await this.ensureMedia();
    if (!stream || this.closed || this.pc) return;
    try {
      const pc = this.ensurePeer();
      const audio = stream.getAudioTracks()[0];
      const video = stream.getVideoTracks()[0];
      pc.addTransceiver(audio ?? 'audio', { direction: 'sendrecv', streams: [stream] });
      pc.addTransceiver(video ?? 'video', { direction: 'sendrecv', streams: [stream] });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      this.d.send({ type: 'call_signal', callId: this.call.id, signal: { type: 'offer', sdp: offer.sdp ?? '' } });
    } catch {
      this.fail('connection_failed');
    }
  }

  private async flushCandidates(): Promise<void> {
    const list = this.pending;
    this.pending = [];
    for (const c of list) await this.pc?.addIceCandidate(c);
  }

  private videoSender(): RTCRtpSender | null {
    const t = this.pc?.getTransceivers().find((x) => x.receiver.track.kind === 'video');
    return t?.sender ?? null;
  }

  /** This side's camera on (a new track into the video sender) or off (stopped, the sender emptied). */
  private async setVideo(on: boolean): Promise<void> {
    await this.gettingMedia;
    const local = this.local;
    if (!local || this.closed) return;
    this.cameraProblem = null;
    if (!on) {
      for (const t of local.getVideoTracks()) t.stop();
      this.local = this.d.stream(local.getAudioTracks());
      await this.videoSender()?.replaceTrack(null);
      this.d.changed();
      return;
    }
    if (local.getVideoTracks().length) return;
    try {
      const cam = (await this.d.media({ audio: false, video: true })).getVideoTracks()[0];
      if (!cam) throw Object.assign(new Error('no camera'), { name: 'NotFoundError' });
      if (this.closed || !this.call.video) {
        cam.stop();
        return;
      }
      cam.enabled = !this.cameraOff;
      local.addTrack(cam);
      // a new stream object, so a <video> bound to it draws the new track
      this.local = this.d.stream(local.getTracks());
      await this.videoSender()?.replaceTrack(cam);
    } catch (e) {
      this.cameraProblem = mediaFailure(e);
    }
    this.d.changed();
  }
}
