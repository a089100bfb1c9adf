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

/** 0:45, 12:03, 1:02:33: a ticking duration. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Whole minutes (Duração em minutos, as the seed's lists show it). */
export const minutes = (ms: number) => String(Math.max(0, Math.floor(ms / 60_000)));

/** A duration in seconds as a person reads it: 45 s, 4 min 10 s, 1 h 30 min (`compact`: no seconds from 10 min on). */
export function seconds(total: number | null | undefined, compact = false): string {
  if (total === null || total === undefined || !Number.isFinite(total)) return '—';
  const s = Math.round(total);
  if (s < 60) return `${s} s`;
  if (compact && s < 3600 && s >= 600) return `${Math.round(s / 60)} min`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

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
