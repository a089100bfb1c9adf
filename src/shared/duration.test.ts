import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, formatSeconds } from './duration';

describe('durations as a person reads them', () => {
  it('m:ss under an hour, h:mm:ss from an hour on', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(36_000)).toBe('0:36');
    expect(formatDuration(36_999)).toBe('0:36');
    expect(formatDuration(12 * 60_000 + 3_000)).toBe('12:03');
    expect(formatDuration(3_599_000)).toBe('59:59');
    expect(formatDuration(3_600_000)).toBe('1:00:00');
    expect(formatDuration(3_600_000 + 2 * 60_000 + 33_000)).toBe('1:02:33');
    expect(formatDuration(26 * 3_600_000)).toBe('26:00:00');
    expect(formatDuration(-5_000)).toBe('0:00');
  });

  it('from seconds: rounded, and a dash for no value', () => {
    expect(formatSeconds(36)).toBe('0:36');
    expect(formatSeconds(95.6)).toBe('1:36');
    expect(formatSeconds(86_400)).toBe('24:00:00');
    expect(formatSeconds(null)).toBe('—');
    expect(formatSeconds(undefined)).toBe('—');
    expect(formatSeconds(Number.NaN)).toBe('—');
  });

  it('reads back to the whole seconds it was given', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400_000 }), (s) => {
        const parts = formatSeconds(s).split(':').map(Number);
        const back = parts.reduce((acc, p) => acc * 60 + p, 0);
        expect(back).toBe(s);
        expect(parts.length).toBe(s >= 3600 ? 3 : 2);
      }),
    );
  });
});
