// The widget's calls (issue 19): the agent's ring (sound, Atender / Recusar), "Ligar" when the
// service lets the customer ask, the in-call controls and both pictures (the agent's large, one's own
// in a corner), and why a call ended, in the widget's words. The call itself is src/shared's
// CallSession, the same as the desk's; this file is only its box in the panel.

import type { CallServerMessage, CallView, IceServer } from '../contracts/calls';
import type { WidgetClientMessage } from '../contracts/webchat';
import { CallSession, callOutcome, type CallDeps } from '../shared/call-session';
import { CallTones, TitleFlash, toneFor } from '../shared/call-ringing';
import { formatDuration } from '../shared/duration';
import { fill, h } from './dom';
import type { Translate, Words } from './i18n';

type Send = (m: WidgetClientMessage) => boolean;

const btn = (cls: string, label: string, onclick: () => void, id: string) => h('button', { class: cls, type: 'button', onclick, 'data-call': id }, label);

export class WidgetCall {
  readonly box: HTMLElement;
  private readonly status: HTMLElement;
  private readonly timer: HTMLElement;
  private readonly note: HTMLElement;
  private readonly row: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly remote: HTMLVideoElement;
  private readonly self: HTMLVideoElement;
  private s: CallSession | null = null;
  private allowed = false;
  private starting = false;
  /** the last ending, in words */
  private ending = '';
  private rowKey = '';
  private tick: ReturnType<typeof setInterval> | undefined;
  /** the ring and the ringback; a ring the browser holds back shows "toque para ouvir" */
  private readonly tones = new CallTones(() => new AudioContext(), () => this.render(), window);
  /** the host page's title, flashing while the agent's call rings on a hidden page */
  private readonly flash = new TitleFlash(document, (fn, ms) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  });
  private readonly tap: HTMLButtonElement;

  constructor(
    private readonly t: Translate,
    private readonly send: Send,
    /** a call rings here: the panel opens */
    private readonly onRing: () => void,
  ) {
    this.status = h('span', { role: 'status' });
    this.timer = h('span', { class: 'ct', 'aria-label': t('callTimer') });
    this.note = h('p', { class: 'cn', role: 'alert', hidden: true });
    this.row = h('div', { class: 'row' });
    this.remote = h('video', { class: 'rv', autoplay: true, playsinline: true, 'aria-label': t('callRemote') });
    this.self = h('video', { class: 'lv', autoplay: true, playsinline: true, 'aria-label': t('callSelf') });
    this.self.muted = true;
    this.stage = h('div', { class: 'stage' }, this.remote, this.self);
    this.tap = h('button', { class: 'tap', type: 'button', hidden: true, onclick: this.tones.unlock, 'data-call': 'hear' }, t('ringTap'));
    this.box = h('div', { class: 'call', hidden: true, 'data-testid': 'widget-call' }, h('p', { class: 'cs' }, this.status, this.timer), this.tap, this.stage, this.note, this.row);
    document.addEventListener('visibilitychange', () => this.render());
  }

  /** The customer may ask for a call now (the service allows it and an agent is on the conversation). */
  allow(on: boolean): void {
    if (this.allowed === on) return;
    this.allowed = on;
    this.render();
  }

  onMessage(m: CallServerMessage): void {
    const s = this.s;
    if (m.type === 'call') this.onCall(m.call, m.iceServers);
    else if (m.type === 'call_signal') void (s?.call.id === m.callId && s.signal(m.signal));
    else if (m.type === 'call_media') {
      if (s?.call.id === m.callId) s.otherSwitched(m.video);
    }
    else {
      this.starting = false;
      this.ending = this.t('callError', { m: m.message });
      this.render();
    }
  }

  private onCall(call: CallView, ice?: IceServer[]): void {
    const s = this.s;
    if (s && s.call.id === call.id) {
      s.update(call, ice);
      return;
    }
    if (call.state !== 'ringing' && call.state !== 'active') {
      // the ending of a call this page did not hold (another tab, before a reload)
      const o = callOutcome(call, 'customer');
      if (o) this.ending = this.t(`co_${o}` as keyof Words);
      this.render();
      return;
    }
    if (s && !s.done) return;
    this.starting = false;
    this.ending = '';
    let session: CallSession | null = null;
    const deps: CallDeps = {
      peer: (iceServers) => new RTCPeerConnection({ iceServers }),
      media: (c) => (navigator.mediaDevices?.getUserMedia ? navigator.mediaDevices.getUserMedia(c) : Promise.reject(new TypeError())),
      stream: (tracks) => new MediaStream(tracks),
      send: (msg) => this.send(msg),
      later: (fn, ms) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      },
      now: () => Date.now(),
      changed: () => {
        if (session && session === this.s) this.render();
      },
    };
    session = new CallSession(call, 'customer', deps, ice);
    this.s = session;
    if (!session.outgoing && call.state === 'ringing') this.onRing();
    this.render();
  }

  private start(kind: 'audio' | 'video'): void {
    if (this.starting || (this.s && !this.s.done)) return;
    this.ending = '';
    this.starting = this.send({ type: 'call_start', kind });
    if (!this.starting) this.ending = this.t('callOffline');
    this.render();
  }

  render(): void {
    const { t } = this;
    let s = this.s;
    if (s?.done) {
      // over: say why (this side's own failure first, the server's word otherwise)
      const o = s.failure ?? callOutcome(s.call, 'customer');
      this.ending = o ? t(`co_${o}` as keyof Words) : '';
      this.s = s = null;
    }
    const c = s?.call;
    const ringing = c?.state === 'ringing';
    const active = c?.state === 'active';
    const video = !!c?.video;
    this.tones.set(toneFor(s));
    const ringingIn = this.tones.tone === 'ring';
    // a ring the browser keeps silent (no touch on the page yet) is shown instead: never a silent, unseen ring
    this.tap.hidden = !(ringingIn && this.tones.blocked);
    if (ringingIn && document.visibilityState === 'hidden') this.flash.start(t('ringTitle'));
    else this.flash.stop();

    setText(this.status, !s || !c ? ''
      : ringing
        ? s.outgoing ? (s.local ? t('calling') : t('allowMedia')) : t(video ? 'ringVideo' : 'ringAudio')
        : !s.connected ? t('callConnecting') : t(video ? 'inVideo' : 'inAudio'));
    this.status.parentElement!.hidden = !s;
    clearInterval(this.tick);
    const since = active ? s!.activeSince : null;
    if (since !== null) {
      const show = () => setText(this.timer, formatDuration(Date.now() - since));
      show();
      this.tick = setInterval(show, 1000);
    } else setText(this.timer, '');

    bind(this.remote, s?.remote ?? null);
    bind(this.self, video ? (s?.local ?? null) : null);
    this.stage.className = active && video ? 'stage' : 'stage off';
    this.self.hidden = !video;

    const note = s?.cameraProblem ? t('camProblem') : s ? '' : this.ending;
    this.note.hidden = !note;
    setText(this.note, note);

    // the buttons, rebuilt only when what they are changes (focus stays put otherwise)
    const key = !s ? (this.allowed ? `idle${this.starting}` : '') : `${c!.state}${s.outgoing}${s.accepting}${s.muted}${s.cameraOff}${video}`;
    if (key !== this.rowKey) {
      this.rowKey = key;
      fill(this.row, ...(!s
        ? this.allowed
          ? [btn('btn sec', t('callAudio'), () => this.start('audio'), 'audio'), btn('btn sec', t('callVideo'), () => this.start('video'), 'video')]
          : []
        : ringing && !s.outgoing
          ? [btn('btn', t('answer'), () => void s.accept(), 'accept'), btn('btn dng', t('decline'), () => s.decline(), 'decline')]
          : [
            ...(active ? [
              btn('btn sec', s.muted ? t('unmute') : t('mute'), () => s.toggleMute(), 'mute'),
              ...(video ? [btn('btn sec', s.cameraOff ? t('camOn') : t('camOff'), () => s.toggleCamera(), 'camera')] : []),
              btn('btn sec', video ? t('toAudio') : t('toVideo'), () => s.switchVideo(!video), 'switch'),
            ] : []),
            btn('btn dng', active ? t('hangup') : t('cancelCall'), () => s.hangup(), 'hangup'),
          ]));
      for (const b of this.row.querySelectorAll('button')) b.disabled = this.starting || !!s?.accepting;
    }
    this.box.hidden = !s && !note && !this.row.childElementCount;
    this.box.dataset.state = c?.state ?? 'none';
    this.box.dataset.tone = this.tones.tone;
    this.box.classList.toggle('ringing', ringingIn);
    this.box.dataset.connected = String(!!s?.connected);
  }
}

function bind(el: HTMLVideoElement, stream: MediaStream | null): void {
  if (el.srcObject !== stream) el.srcObject = stream;
}

function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
