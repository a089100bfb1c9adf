import { dateFormatter } from '../ui/time';
import { useEffect, useState } from 'react';

const formatter = dateFormatter;

/** "2024-05-01": the calendar day of an instant in the contact center's time zone. */
export function dayKey(at: string | number | Date, timeZone: string): string {
  const parts = formatter('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** 14:05 in the contact center's time zone. */
export const timeOfDay = (iso: string, timeZone: string, lang: string) =>
  formatter(lang, timeZone, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** 01/05/2024 14:05:33 in the contact center's time zone. */
export const dateTime = (iso: string, timeZone: string, lang: string) =>
  formatter(lang, timeZone, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));

/** Today's start time if it is today, else the short date and time. */
export function startLabel(iso: string, timeZone: string, lang: string, now: number): string {
  return dayKey(iso, timeZone) === dayKey(now, timeZone)
    ? formatter(lang, timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso))
    : formatter(lang, timeZone, { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** Every duration on the monitor's screens: m:ss, h:mm:ss (shared/duration.ts). */
export { formatDuration as clock, formatSeconds as seconds } from '../../shared/duration';

export const percent = (v: number | null | undefined, lang: string) =>
  v === null || v === undefined ? '—' : `${v.toLocaleString(lang, { maximumFractionDigits: 1 })}%`;

/** The current time, re-rendering every `intervalMs` (one timer per caller; Playwright's clock drives it in tests). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** Sorting by name thousands of times a second: one collator, not localeCompare per comparison. */
const collator = new Intl.Collator('pt-BR');
export const byName = (a: string, b: string) => collator.compare(a, b);
/** ISO 8601 times and ids sort as plain text. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One shared one-second tick for many clocks on screen, written straight to the DOM. */
const tickers = new Set<(now: number) => void>();
let tickTimer: ReturnType<typeof setInterval> | null = null;
export function onSecond(fn: (now: number) => void): () => void {
  tickers.add(fn);
  if (!tickTimer) tickTimer = setInterval(() => { const now = Date.now(); for (const f of tickers) f(now); }, 1000);
  return () => {
    tickers.delete(fn);
    if (!tickers.size && tickTimer) {
      clearInterval(tickTimer);
      tickTimer = null;
    }
  };
}
