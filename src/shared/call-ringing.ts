// What a ringing call does to be heard and seen (issue 19), for the desk and the widget alike: the
// callee's ring and the caller's ringback (both WebAudio oscillators, no files), a sound the browser
// holds back until the person touches the page (autoplay), and the tab title that flashes while a
// call rings on a page nobody is looking at. The browser's objects come in as arguments.
import { ringTone, type CallSession } from './call-session.js';

/** setInterval as TitleFlash takes it. */
export type Every = (fn: () => void, ms: number) => () => void;

/** What a side hears now: `ring` (a call for me), `ringback` (my call ringing there), or nothing. */
export type CallTone = 'ringback' | 'ring' | 'none';

export function toneFor(s: CallSession | null): CallTone {
  if (!s || s.done || s.call.state !== 'ringing') return 'none';
  if (s.outgoing) return 'ringback';
  // Atender pressed: silent while the media is asked for
  return s.accepting ? 'none' : 'ring';
}

const TOUCH = ['pointerdown', 'keydown', 'touchstart'] as const;

/**
 * One side's call sounds. `set` switches between ring, ringback and silence (the ringback is the
 * Brazilian one, 425 Hz, 1 s on and 4 s off, as the ring). A browser that has not seen a touch on the
 * page keeps the AudioContext suspended: `blocked` says so (the screen shows the ring instead), and
 * the first touch anywhere on the page resumes the sound.
 */
export class CallTones {
  tone: CallTone = 'none';
  private ctx: AudioContext | null = null;
  private stopTone: (() => void) | null = null;
  private listening = false;

  constructor(
    /** new AudioContext() */
    private readonly make: () => AudioContext,
    /** `blocked` changed (the sound was let through) */
    private readonly changed: () => void,
    /** where a touch lets the sound through (the window) */
    private readonly touches: EventTarget | null,
    /** the longest a ring sounds, seconds */
    private readonly seconds = 300,
  ) {}

  /** A tone is due and the browser holds the sound back until the person touches the page. */
  get blocked(): boolean {
    return this.tone !== 'none' && this.ctx?.state === 'suspended';
  }

  set(tone: CallTone): void {
    if (tone === this.tone) return;
    this.stopTone?.();
    this.stopTone = null;
    this.tone = tone;
    if (tone !== 'none') {
      try {
        const ctx = this.context();
        this.stopTone = ringTone(ctx, this.seconds);
        if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
      } catch {
        // no audio at all (a locked-down browser): the ring is seen, not heard
      }
    }
    this.listen(this.blocked);
  }

  /** A touch on the page (or the screen's "tap to hear"): the browser lets the sound play now. */
  readonly unlock = (): void => {
    if (this.ctx?.state === 'suspended') void this.ctx.resume().catch(() => undefined);
  };

  close(): void {
    this.set('none');
    this.listen(false);
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }

  private context(): AudioContext {
    if (this.ctx) return this.ctx;
    const ctx = this.make();
    // (a context can also be suspended later by the browser, not only at the start)
    ctx.onstatechange = () => {
      this.listen(this.blocked);
      this.changed();
    };
    return (this.ctx = ctx);
  }

  private listen(on: boolean): void {
    if (on === this.listening || !this.touches) return;
    this.listening = on;
    for (const k of TOUCH) {
      if (on) this.touches.addEventListener(k, this.unlock, true);
      else this.touches.removeEventListener(k, this.unlock, true);
    }
  }
}

/**
 * The tab title alternating with `text` every `ms` while a call rings ("📞 Chamada de Maria"), then
 * put back. A title the page changes meanwhile (an unread count) is the one put back.
 */
export class TitleFlash {
  private cancel: (() => void) | null = null;
  private text = '';
  private base = '';

  constructor(
    private readonly doc: { title: string },
    /** setInterval; returns the cancel */
    private readonly every: Every,
    private readonly ms = 1000,
  ) {}

  get on(): boolean {
    return this.cancel !== null;
  }

  start(text: string): void {
    if (this.on && text === this.text) return;
    this.stop();
    this.text = text;
    this.tick();
    this.cancel = this.every(() => this.tick(), this.ms);
  }

  stop(): void {
    if (!this.cancel) return;
    this.cancel();
    this.cancel = null;
    if (this.doc.title === this.text) this.doc.title = this.base;
  }

  private tick(): void {
    const now = this.doc.title;
    if (now === this.text) this.doc.title = this.base;
    else {
      this.base = now;
      this.doc.title = this.text;
    }
  }
}
