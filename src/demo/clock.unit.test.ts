import { describe, expect, it } from 'vitest';
import { dailyCurve, localHour, pauseLengthMs, startingHour } from './clock.js';

describe('the demo clock', () => {
  it('reads the hour in the contact center\'s time zone, not the host\'s', () => {
    // 02:30 UTC is 23:30 of the day before in São Paulo (UTC−3, no DST since 2019)
    expect(localHour(new Date('2026-12-06T02:30:00Z'), 'America/Sao_Paulo')).toBe(23.5);
    expect(localHour(new Date('2026-12-06T13:15:00Z'), 'America/Sao_Paulo')).toBe(10.25);
    expect(localHour(new Date('2026-12-06T13:15:00Z'), 'Europe/Lisbon')).toBe(13.25);
  });

  it('starts a night demo at a busy hour, keeps the real hour by day, and obeys --hour', () => {
    expect(startingHour(null, 23.5)).toEqual({ hour: 10, shifted: true });
    expect(startingHour(null, 3)).toEqual({ hour: 10, shifted: true });
    expect(startingHour(null, 14.25)).toEqual({ hour: 14.25, shifted: false });
    expect(startingHour(16, 3)).toEqual({ hour: 16, shifted: true });
  });

  it('peaks mid-morning and mid-afternoon and is quiet at night', () => {
    expect(dailyCurve(10.5)).toBeGreaterThan(0.95);
    expect(dailyCurve(15)).toBeGreaterThan(0.8);
    expect(dailyCurve(3)).toBeLessThan(0.2);
    expect(dailyCurve(13)).toBeLessThan(dailyCurve(10.5));
  });

  it('pauses last as long as their reason does', () => {
    const min = (reason: string, r: number) => pauseLengthMs(reason, () => r) / 60_000;
    expect(min('Banheiro', 0)).toBe(3);
    expect(min('Banheiro', 1)).toBe(9);
    expect(min('Almoço', 0)).toBe(30);
    expect(min('Descanso', 1)).toBeGreaterThan(15); // past its 15-minute limit: the alert fires
    expect(min('Motivo novo', 0.5)).toBe(10);
  });
});
