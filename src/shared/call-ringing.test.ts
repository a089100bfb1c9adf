import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallTones, TitleFlash, toneFor } from './call-ringing';
import type { CallSession } from './call-session';

// A fake AudioContext, as much of it as a tone touches: the oscillators made (started, stopped),
// their gain schedule, and the suspended → running switch a browser makes after a touch.
class FakeParam {
  value = 0;
  readonly at: [number, number][] = [];
  setValueAtTime(v: number, t: number) {
    this.at.push([t, v]);
  }
}
class FakeNode {
  readonly gain = new FakeParam();
  readonly frequency = new FakeParam();
  started: number | null = null;
  stopped = false;
  connect(n: FakeNode) {
    return n;
  }
  disconnect() {}
  start(t: number) {
    this.started = t;
  }
  stop() {
    this.stopped = true;
  }
}
class FakeAudio {
  state: 'suspended' | 'running' | 'closed';
  currentTime = 0;
  destination = new FakeNode();
  onstatechange: (() => void) | null = null;
  readonly oscillators: FakeNode[] = [];
  readonly gains: FakeNode[] = [];
  /** whether resume() works (a browser lets it only after a touch on the page) */
  allowed: boolean;
  constructor(allowed: boolean) {
    this.allowed = allowed;
    this.state = allowed ? 'running' : 'suspended';
  }
  createOscillator() {
    const o = new FakeNode();
    this.oscillators.push(o);
    return o;
  }
  createGain() {
    const g = new FakeNode();
    this.gains.push(g);
    return g;
  }
  resume() {
    if (this.allowed && this.state === 'suspended') {
      this.state = 'running';
      this.onstatechange?.();
    }
    return Promise.resolve();
  }
  close() {
    this.state = 'closed';
    return Promise.resolve();
  }
}

const session = (over: { state?: string; outgoing?: boolean; done?: boolean; accepting?: boolean }) =>
  ({ done: over.done ?? false, outgoing: over.outgoing ?? false, accepting: over.accepting ?? false, call: { state: over.state ?? 'ringing' } }) as unknown as CallSession;

describe('toneFor', () => {
  it('rings for the callee, rings back for the caller, and is silent otherwise', () => {
    expect(toneFor(null)).toBe('none');
    expect(toneFor(session({ outgoing: true }))).toBe('ringback');
    expect(toneFor(session({ outgoing: false }))).toBe('ring');
    // Atender pressed, the media being asked for
    expect(toneFor(session({ accepting: true }))).toBe('none');
    for (const state of ['active', 'ended', 'missed', 'declined', 'failed']) {
      expect(toneFor(session({ state, outgoing: true }))).toBe('none');
      expect(toneFor(session({ state }))).toBe('none');
    }
    expect(toneFor(session({ outgoing: true, done: true }))).toBe('none');
  });
});

describe('CallTones', () => {
  it('plays the Brazilian ringback (425 Hz, 1 s on, 4 s off) and stops it when the tone changes', () => {
    const audio = new FakeAudio(true);
    const tones = new CallTones(() => audio as unknown as AudioContext, () => undefined, null, 20);
    tones.set('ringback');
    expect(tones.tone).toBe('ringback');
    expect(audio.oscillators).toHaveLength(1);
    const [osc] = audio.oscillators;
    expect(osc.frequency.value).toBe(425);
    // on at 0, 5, 10, 15; off a second later each time
    expect(audio.gains[0].gain.at.filter(([, v]) => v > 0).map(([t]) => t)).toEqual([0, 5, 10, 15]);
    expect(audio.gains[0].gain.at.filter(([, v]) => v === 0).map(([t]) => t)).toEqual([1, 6, 11, 16]);
    expect(tones.blocked).toBe(false);
    // the same tone again: nothing new
    tones.set('ringback');
    expect(audio.oscillators).toHaveLength(1);
    tones.set('none');
    expect(osc.stopped).toBe(true);
    tones.set('ring');
    expect(audio.oscillators).toHaveLength(2);
    tones.close();
    expect(audio.oscillators[1].stopped).toBe(true);
    expect(audio.state).toBe('closed');
  });

  it('a ring the browser holds back is blocked until a touch lets it through', () => {
    const audio = new FakeAudio(false);
    const changed = vi.fn();
    const touches = new EventTarget();
    const tones = new CallTones(() => audio as unknown as AudioContext, changed, touches);
    tones.set('ring');
    expect(tones.blocked).toBe(true);
    // a touch before the browser allows sound changes nothing
    tones.unlock();
    expect(tones.blocked).toBe(true);
    audio.allowed = true;
    // the first touch anywhere on the page
    touches.dispatchEvent(new Event('pointerdown'));
    expect(audio.state).toBe('running');
    expect(tones.blocked).toBe(false);
    expect(changed).toHaveBeenCalled();
    // silence is never "blocked"
    audio.state = 'suspended';
    tones.set('none');
    expect(tones.blocked).toBe(false);
  });

  it('no audio at all: the tone is still known (the ring is seen), nothing throws', () => {
    const tones = new CallTones(() => {
      throw new Error('no AudioContext');
    }, () => undefined, null);
    tones.set('ring');
    expect(tones.tone).toBe('ring');
    expect(tones.blocked).toBe(false);
    tones.set('none');
    tones.close();
  });
});

describe('TitleFlash', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('alternates the title with the call and puts back the page’s own title, changed meanwhile or not', () => {
    const doc = { title: '(1) Mirante' } as Document;
    const flash = new TitleFlash(doc, (fn, ms) => {
      const id = setInterval(fn, ms);
      return () => clearInterval(id);
    }, 1000);
    flash.start('📞 Chamada de Maria');
    expect(doc.title).toBe('📞 Chamada de Maria');
    vi.advanceTimersByTime(1000);
    expect(doc.title).toBe('(1) Mirante');
    vi.advanceTimersByTime(1000);
    expect(doc.title).toBe('📞 Chamada de Maria');
    // the page's unread count changes while the call shows: that is the title to come back
    doc.title = '(2) Mirante';
    vi.advanceTimersByTime(1000);
    expect(doc.title).toBe('📞 Chamada de Maria');
    vi.advanceTimersByTime(1000);
    expect(doc.title).toBe('(2) Mirante');
    vi.advanceTimersByTime(1000);
    flash.stop();
    expect(flash.on).toBe(false);
    expect(doc.title).toBe('(2) Mirante');
    vi.advanceTimersByTime(5000);
    expect(doc.title).toBe('(2) Mirante');
  });
});
