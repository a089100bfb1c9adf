// Business hours of a service: weekly intervals per weekday, holidays by date, read in the contact
// center's time zone. Pure: "now" and the time zone come in as arguments (Intl does the zone maths).
// The national holidays themselves (pure calendar, also offered by the web app) are shared/holidays.ts.

import { addDays, isCalendarDate, type Holiday } from '../shared/holidays.js';

export { isCalendarDate, type Holiday };

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:MM` from `00:00` to `24:00`; an interval is [start, end) on one calendar day (start < end). */
export interface TimeInterval {
  readonly start: string;
  readonly end: string;
}

export interface WeeklyHours {
  /** Several intervals a day (a lunch break, a night shift split at midnight); a missing day is closed. */
  readonly weekly: Partial<Readonly<Record<Weekday, readonly TimeInterval[]>>>;
  readonly holidays: readonly Holiday[];
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes since midnight of `HH:MM`, or null when it is not a valid time. */
export function parseTime(hhmm: string): number | null {
  if (!TIME.test(hhmm)) return null;
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export type HoursProblem =
  | { readonly code: 'invalid_time'; readonly day: Weekday; readonly index: number }
  | { readonly code: 'empty_interval'; readonly day: Weekday; readonly index: number }
  | { readonly code: 'invalid_date'; readonly index: number };

/** What is wrong with a set of hours (times out of range, start not before end, impossible dates). */
export function checkHours(hours: WeeklyHours): HoursProblem[] {
  const problems: HoursProblem[] = [];
  for (const day of WEEKDAYS) {
    (hours.weekly[day] ?? []).forEach((iv, index) => {
      const start = parseTime(iv.start);
      const end = parseTime(iv.end);
      if (start === null || end === null || start === 24 * 60) problems.push({ code: 'invalid_time', day, index });
      else if (start >= end) problems.push({ code: 'empty_interval', day, index });
    });
  }
  hours.holidays.forEach((h, index) => {
    if (!isCalendarDate(h.date)) problems.push({ code: 'invalid_date', index });
  });
  return problems;
}

// ---- Time zones ------------------------------------------------------------------------------------

interface LocalTime {
  /** `YYYY-MM-DD` */
  readonly date: string;
  readonly weekday: Weekday;
  /** minutes since local midnight */
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(at: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year, mo: parts.month, d: parts.day, h: parts.hour, mi: parts.minute, s: parts.second };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day, weekday and minute of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): LocalTime {
  const w = wallClock(at, timeZone);
  const date = `${w.y}-${pad(w.mo)}-${pad(w.d)}`;
  return { date, weekday: WEEKDAYS[new Date(Date.UTC(w.y, w.mo - 1, w.d)).getUTCDay()], minutes: w.h * 60 + w.mi };
}

/** The instant at which the wall clock of `timeZone` shows `date` + `minutes`. A wall time skipped or
 * repeated by a daylight-saving change maps to an instant next to the change. */
export function instantOf(date: string, minutes: number, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number);
  const wanted = Date.UTC(y, mo - 1, d, 0, minutes);
  const offsetAt = (t: number) => {
    const w = wallClock(t, timeZone);
    return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000;
  };
  let guess = wanted - offsetAt(wanted);
  guess = wanted - offsetAt(guess);
  return guess;
}

// ---- Open or closed --------------------------------------------------------------------------------

/** The day's intervals in minutes, sorted and merged (overlapping or touching intervals become one). */
function dayIntervals(hours: WeeklyHours, weekday: Weekday): [number, number][] {
  const raw = (hours.weekly[weekday] ?? [])
    .map((iv): [number, number] | null => {
      const s = parseTime(iv.start);
      const e = parseTime(iv.end);
      return s === null || e === null || s >= e ? null : [s, e];
    })
    .filter((x): x is [number, number] => x !== null)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const iv of raw) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

function isHoliday(hours: WeeklyHours, date: string): boolean {
  return hours.holidays.some((h) => h.date === date);
}

/** Whether the service is open at `at` (epoch ms or a Date) in `timeZone`. A holiday closes the whole day. */
export function isOpen(hours: WeeklyHours, at: number | Date, timeZone: string): boolean {
  const t = localTime(typeof at === 'number' ? at : at.getTime(), timeZone);
  if (isHoliday(hours, t.date)) return false;
  return dayIntervals(hours, t.weekday).some(([s, e]) => t.minutes >= s && t.minutes < e);
}

/** Days looked ahead for the next opening: a year and a week covers any holiday list. */
const LOOKAHEAD_DAYS = 373;

/**
 * The next instant, at or after `at`, when the service is open: `at` itself when open now; null when
 * the hours never open (no intervals, or every open day a holiday within a year).
 */
export function nextOpening(hours: WeeklyHours, at: number | Date, timeZone: string): number | null {
  const now = typeof at === 'number' ? at : at.getTime();
  if (isOpen(hours, now, timeZone)) return now;
  const today = localTime(now, timeZone);
  for (let i = 0; i < LOOKAHEAD_DAYS; i++) {
    const date = addDays(today.date, i);
    if (isHoliday(hours, date)) continue;
    const weekday = WEEKDAYS[(WEEKDAYS.indexOf(today.weekday) + i) % 7];
    for (const [start] of dayIntervals(hours, weekday)) {
      const instant = instantOf(date, start, timeZone);
      if (instant > now) return instant;
    }
  }
  return null;
}
