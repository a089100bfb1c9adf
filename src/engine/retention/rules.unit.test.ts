import { describe, expect, it } from 'vitest';
import { monthsCutoff, yearsCutoff } from './rules.js';

// The cutoffs worked out by hand (São Paulo is UTC−3 all year since 2019).
describe('retention cutoffs', () => {
  it('service records: the São Paulo midnight that starts today’s date N years ago', () => {
    expect(yearsCutoff(new Date('2028-03-10T15:00:00Z'), 2, 'America/Sao_Paulo').toISOString()).toBe('2026-03-10T03:00:00.000Z');
    // 23:59:59 of the 10th in São Paulo is still the 10th there, though the 11th in UTC
    expect(yearsCutoff(new Date('2028-03-11T02:59:59Z'), 2, 'America/Sao_Paulo').toISOString()).toBe('2026-03-10T03:00:00.000Z');
    expect(yearsCutoff(new Date('2028-03-11T03:00:00Z'), 2, 'America/Sao_Paulo').toISOString()).toBe('2026-03-11T03:00:00.000Z');
    // 29 February maps to 28 February; another zone has its own midnight
    expect(yearsCutoff(new Date('2028-02-29T12:00:00Z'), 5, 'America/Sao_Paulo').toISOString()).toBe('2023-02-28T03:00:00.000Z');
    expect(yearsCutoff(new Date('2028-03-10T15:00:00Z'), 2, 'America/Manaus').toISOString()).toBe('2026-03-10T04:00:00.000Z');
  });

  it('access records and audit rows: the same instant N calendar months ago, the month’s last day when shorter', () => {
    expect(monthsCutoff(new Date('2030-09-15T12:00:00Z'), 6).toISOString()).toBe('2030-03-15T12:00:00.000Z');
    expect(monthsCutoff(new Date('2030-08-31T10:00:00Z'), 6).toISOString()).toBe('2030-02-28T10:00:00.000Z');
    expect(monthsCutoff(new Date('2028-08-31T10:00:00Z'), 6).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(monthsCutoff(new Date('2030-01-15T00:00:00Z'), 60).toISOString()).toBe('2025-01-15T00:00:00.000Z');
    expect(monthsCutoff(new Date('2030-03-31T23:59:59Z'), 13).toISOString()).toBe('2029-02-28T23:59:59.000Z');
  });
});
