/** A note: frequency (Hz), start and length (s) from now. */
export type Tone = readonly [number, number, number];

/** Plays short notes with the Web Audio API (no audio files): the desk's and the monitor's chimes. */
export function scheduleTones(ctx: AudioContext, tones: readonly Tone[], wave: OscillatorType, peak: number): void {
  const t0 = ctx.currentTime + 0.01;
  for (const [freq, start, len] of tones) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = wave;
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0 + start);
    gain.gain.exponentialRampToValueAtTime(peak, t0 + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + len);
    osc.connect(gain).connect(ctx.destination);
    osc.onended = () => {
      osc.disconnect();
      gain.disconnect();
    };
    osc.start(t0 + start);
    osc.stop(t0 + start + len + 0.02);
  }
}
