import { dateFormatter } from '../ui/time';
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { ApiError } from '../api';

/** A ticking duration: m:ss, h:mm:ss (shared/duration.ts, the same everywhere). */
export { formatDuration as formatElapsed } from '../../shared/duration';

export function since(iso: string | null | undefined, now: number): number {
  return iso ? now - new Date(iso).getTime() : 0;
}

const formatter = dateFormatter;

/** 14:05, in the contact center's time zone. */
export const timeOfDay = (iso: string, timeZone: string, lang: string) => formatter(lang, timeZone, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
/** The calendar day, in the contact center's time zone: for day separators and comparisons. */
export const dayOf = (iso: string, timeZone: string, lang: string) => formatter(lang, timeZone, { weekday: 'long', day: '2-digit', month: 'long', year: 'numeric' }).format(new Date(iso));
export const fullDateTime = (iso: string, timeZone: string, lang: string) => formatter(lang, timeZone, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));

/** The current time, re-rendering every `intervalMs` (one timer per caller). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** The server's refusal in the agent's language when the desk knows its code, else as the server said it. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const key = `desk.errors.${err.code}`;
    const known = t(key);
    return known !== key ? known : err.message;
  }
  if (err instanceof TypeError) return t('desk.errors.network');
  return err instanceof Error ? err.message : String(err);
}
