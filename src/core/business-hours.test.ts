import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkHours,
  instantOf,
  isOpen,
  localTime,
  nextOpening,
  WEEKDAYS,
  type WeeklyHours,
} from './business-hours.js';

const SP = 'America/Sao_Paulo';
/** São Paulo is UTC−3 all year (no daylight saving since 2019). */
const sp = (isoLocal: string) => Date.parse(`${isoLocal}-03:00`);

const OFFICE: WeeklyHours = {
  weekly: {
    mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }],
    tue: [{ start: '08:00', end: '18:00' }],
    wed: [{ start: '08:00', end: '18:00' }],
    thu: [{ start: '08:00', end: '18:00' }],
    fri: [{ start: '08:00', end: '18:00' }],
    sat: [{ start: '08:00', end: '14:00' }],
  },
  holidays: [{ date: '2026-11-20', name: 'Consciência Negra' }],
};

describe('isOpen', () => {
  it('follows the intervals of the local weekday, start included and end excluded', () => {
    expect(isOpen(OFFICE, sp('2026-11-23T08:00:00'), SP)).toBe(true); // Monday
    expect(isOpen(OFFICE, sp('2026-11-23T07:59:59'), SP)).toBe(false);
    expect(isOpen(OFFICE, sp('2026-11-23T12:30:00'), SP)).toBe(false); // lunch break
    expect(isOpen(OFFICE, sp('2026-11-23T17:59:00'), SP)).toBe(true);
    expect(isOpen(OFFICE, sp('2026-11-23T18:00:00'), SP)).toBe(false);
    expect(isOpen(OFFICE, sp('2026-11-21T13:00:00'), SP)).toBe(true); // Saturday
    expect(isOpen(OFFICE, sp('2026-11-22T10:00:00'), SP)).toBe(false); // Sunday: no intervals
  });

  it('reads the time in the contact center’s zone, not UTC', () => {
    // 2026-11-24 01:00 UTC is Monday 22:00 in São Paulo: closed, though Tuesday in UTC
    expect(isOpen(OFFICE, Date.parse('2026-11-24T01:00:00Z'), SP)).toBe(false);
    // 11:00 UTC is 08:00 in São Paulo, 06:00 in Manaus
    expect(isOpen(OFFICE, Date.parse('2026-11-24T11:00:00Z'), SP)).toBe(true);
    expect(isOpen(OFFICE, Date.parse('2026-11-24T11:00:00Z'), 'America/Manaus')).toBe(false);
  });

  it('a holiday closes the whole day', () => {
    expect(isOpen(OFFICE, sp('2026-11-20T10:00:00'), SP)).toBe(false); // a Friday
    expect(isOpen(OFFICE, sp('2026-11-27T10:00:00'), SP)).toBe(true); // the next Friday
  });

  it('24:00 closes at midnight; overlapping intervals merge', () => {
    const h: WeeklyHours = { weekly: { fri: [{ start: '20:00', end: '24:00' }, { start: '10:00', end: '21:00' }] }, holidays: [] };
    expect(isOpen(h, sp('2026-11-27T23:59:00'), SP)).toBe(true);
    expect(isOpen(h, sp('2026-11-28T00:00:00'), SP)).toBe(false);
    expect(isOpen(h, sp('2026-11-27T15:00:00'), SP)).toBe(true);
  });
});

describe('nextOpening', () => {
  it('is now when open, else the next interval start (skipping closed days and holidays)', () => {
    const now = sp('2026-11-23T09:00:00');
    expect(nextOpening(OFFICE, now, SP)).toBe(now);
    expect(nextOpening(OFFICE, sp('2026-11-23T12:10:00'), SP)).toBe(sp('2026-11-23T13:00:00'));
    expect(nextOpening(OFFICE, sp('2026-11-21T15:00:00'), SP)).toBe(sp('2026-11-23T08:00:00')); // Saturday → Monday
    expect(nextOpening(OFFICE, sp('2026-11-19T19:00:00'), SP)).toBe(sp('2026-11-21T08:00:00')); // Friday is a holiday
  });

  it('null when the hours never open', () => {
    expect(nextOpening({ weekly: {}, holidays: [] }, Date.now(), SP)).toBeNull();
  });

  it('property: the answer is open, not before `at`, and nothing earlier (minute by minute) is open', () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 12 }))
      .map(([s, len]) => {
        const start = s * 30;
        const end = Math.min(24 * 60, start + len * 30);
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        return { start: hhmm(start), end: hhmm(end) };
      });
    const hoursArb = fc.record({
      weekly: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, fc.array(interval, { maxLength: 3 })])), { requiredKeys: [] }),
      holidays: fc.array(fc.integer({ min: 0, max: 20 }).map((i) => ({ date: localTime(sp('2026-11-21T12:00:00') + i * 86_400_000, SP).date })), { maxLength: 4 }),
    }) as fc.Arbitrary<WeeklyHours>;
    const zone = fc.constantFrom(SP, 'UTC', 'America/Manaus', 'Asia/Kolkata', 'America/New_York');
    const at = fc.integer({ min: sp('2026-11-21T00:00:00'), max: sp('2026-12-05T00:00:00') });
    fc.assert(
      fc.property(hoursArb, zone, at, (hours, tz, now) => {
        expect(checkHours(hours)).toEqual([]);
        const next = nextOpening(hours, now, tz);
        if (next === null) {
          for (let t = now; t < now + 8 * 86_400_000; t += 30 * 60_000) expect(isOpen(hours, t, tz)).toBe(false);
          return;
        }
        expect(next).toBeGreaterThanOrEqual(now);
        expect(isOpen(hours, next, tz)).toBe(true);
        // the minute before the opening (when after `now`) is closed
        if (next - 60_000 >= now) expect(isOpen(hours, next - 60_000, tz)).toBe(false);
        // sample the gap: nothing open in between
        for (let t = now; t < next; t += Math.max(60_000, Math.floor((next - now) / 50))) expect(isOpen(hours, t, tz)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('time zone maths', () => {
  it('instantOf and localTime are inverse where the wall clock is continuous', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(SP, 'UTC', 'Asia/Kolkata', 'America/Noronha', 'America/Rio_Branco'),
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 0, max: 1439 }),
        (tz, day, minutes) => {
          const date = localTime(Date.UTC(2020, 0, 1) + day * 86_400_000, 'UTC').date;
          const t = localTime(instantOf(date, minutes, tz), tz);
          expect(t).toMatchObject({ date, minutes });
        },
      ),
    );
  });
});

describe('checkHours', () => {
  it('reports bad times, empty intervals and impossible dates', () => {
    const problems = checkHours({
      weekly: { mon: [{ start: '25:00', end: '26:00' }, { start: '10:00', end: '10:00' }], tue: [{ start: '24:00', end: '24:00' }] },
      holidays: [{ date: '2026-02-30' }, { date: '2026-02-28' }],
    });
    expect(problems).toEqual([
      { code: 'invalid_time', day: 'mon', index: 0 },
      { code: 'empty_interval', day: 'mon', index: 1 },
      { code: 'invalid_time', day: 'tue', index: 0 },
      { code: 'invalid_date', index: 0 },
    ]);
  });
});
