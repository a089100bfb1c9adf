import { describe, expect, it } from 'vitest';
import { TokenBuckets, WebchatRateLimits } from './rate-limit.js';

describe('token buckets', () => {
  it('allows a burst of `capacity`, then refills at capacity per period, per key', () => {
    let now = 0;
    const b = new TokenBuckets({ capacity: 3, perMs: 3000 }, () => now);
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a')]).toEqual([true, true, true, false]);
    expect(b.take('b')).toBe(true);
    expect(b.retryAfterSeconds('a')).toBe(1);
    now += 1000;
    expect([b.take('a'), b.take('a')]).toEqual([true, false]);
    now += 60_000;
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a')]).toEqual([true, true, true, false]);
  });

  it('a message needs both the visitor’s and the IP’s bucket', () => {
    const l = new WebchatRateLimits({ visitorMessages: { capacity: 2, perMs: 10_000 }, ipMessages: { capacity: 3, perMs: 60_000 } });
    expect([l.message('v1', 'ip'), l.message('v1', 'ip'), l.message('v1', 'ip')]).toEqual([true, true, false]);
    expect([l.message('v2', 'ip'), l.message('v2', 'ip')]).toEqual([true, false]);
    expect(l.message('v3', 'other-ip')).toBe(true);
  });
});
