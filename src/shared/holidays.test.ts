import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, brazilianNationalHolidays, easterSunday, isCalendarDate } from './holidays.js';

describe('calendar days', () => {
  it('knows real dates and moves across months and years', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-4-1')).toBe(false);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('Brazilian national holidays', () => {
  it('Easter on known years', () => {
    expect(easterSunday(2000)).toBe('2000-04-23');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(1818)).toBe('1818-03-22'); // the earliest possible
    expect(easterSunday(2038)).toBe('2038-04-25'); // the latest possible
  });

  it('property: Easter is a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (year) => {
        const date = easterSunday(year);
        expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(date >= `${year}-03-22` && date <= `${year}-04-25`).toBe(true);
      }),
    );
  });

  it('2026: the nine fixed dates, Consciência Negra and Sexta-feira Santa (Easter − 2), in date order', () => {
    const h = brazilianNationalHolidays(2026);
    expect(h.map((x) => x.date)).toEqual([
      '2026-01-01', '2026-04-03', '2026-04-21', '2026-05-01', '2026-09-07', '2026-10-12', '2026-11-02', '2026-11-15', '2026-11-20', '2026-12-25',
    ]);
    expect(h.find((x) => x.date === '2026-04-03')!.name).toBe('Sexta-feira Santa');
    expect(brazilianNationalHolidays(2025).find((x) => x.name === 'Sexta-feira Santa')!.date).toBe('2025-04-18');
  });

  it('Consciência Negra is national only from 2024', () => {
    expect(brazilianNationalHolidays(2023).some((x) => x.date === '2023-11-20')).toBe(false);
    expect(brazilianNationalHolidays(2024).some((x) => x.date === '2024-11-20')).toBe(true);
  });

  it('property: every year has 10 holidays (9 before 2024), all real dates, Good Friday a Friday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2200 }), (year) => {
        const h = brazilianNationalHolidays(year);
        expect(h).toHaveLength(year >= 2024 ? 10 : 9);
        expect(h.every((x) => isCalendarDate(x.date))).toBe(true);
        const friday = h.find((x) => x.name === 'Sexta-feira Santa')!;
        expect(new Date(`${friday.date}T00:00:00Z`).getUTCDay()).toBe(5);
      }),
    );
  });
});
