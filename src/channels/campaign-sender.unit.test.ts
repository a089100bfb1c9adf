import { describe, expect, it } from 'vitest';
import { dailyLimitOf, DEFAULT_DAILY_LIMIT, inSendWindow } from './campaign-sender.js';

describe('the messaging tier as contacts per 24 hours', () => {
  it('reads Meta’s and Gupshup’s names; unknown is the starting limit', () => {
    expect(dailyLimitOf('TIER_250')).toBe(250);
    expect(dailyLimitOf('TIER_1K')).toBe(1000);
    expect(dailyLimitOf('TIER_100K')).toBe(100_000);
    expect(dailyLimitOf('Tier10K')).toBe(10_000);
    expect(dailyLimitOf('TIER_UNLIMITED')).toBe(Infinity);
    expect(dailyLimitOf(null)).toBe(DEFAULT_DAILY_LIMIT);
    expect(dailyLimitOf('?')).toBe(DEFAULT_DAILY_LIMIT);
  });
});

describe('the window of hours, in the contact center’s time zone', () => {
  const sp = 'America/Sao_Paulo';
  // 12:00Z is 09:00 in São Paulo (UTC−3, no daylight saving since 2019)
  const at = (hhmm: string) => new Date(`2027-03-10T${String(Number(hhmm.slice(0, 2)) + 3).padStart(2, '0')}:${hhmm.slice(3)}:00Z`);
  it('from inclusive, to exclusive', () => {
    expect(inSendWindow(at('08:59'), sp, { from: '09:00', to: '18:00' })).toBe(false);
    expect(inSendWindow(at('09:00'), sp, { from: '09:00', to: '18:00' })).toBe(true);
    expect(inSendWindow(at('17:59'), sp, { from: '09:00', to: '18:00' })).toBe(true);
    expect(inSendWindow(at('18:00'), sp, { from: '09:00', to: '18:00' })).toBe(false);
  });
  it('a window past midnight wraps; from = to is all day', () => {
    expect(inSendWindow(at('20:30'), sp, { from: '20:00', to: '02:00' })).toBe(true);
    expect(inSendWindow(at('12:00'), sp, { from: '20:00', to: '02:00' })).toBe(false);
    expect(inSendWindow(at('12:00'), sp, { from: '00:00', to: '00:00' })).toBe(true);
  });
  it('the same instant is another hour elsewhere', () => {
    expect(inSendWindow(new Date('2027-03-10T12:30:00Z'), 'UTC', { from: '12:00', to: '13:00' })).toBe(true);
    expect(inSendWindow(new Date('2027-03-10T12:30:00Z'), sp, { from: '12:00', to: '13:00' })).toBe(false);
  });
});
