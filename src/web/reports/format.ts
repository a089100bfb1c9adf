import type { ReportColumnKind, ReportInterval } from '../../contracts/reports';
import { formatHms } from '../../shared/duration';

// How Relatórios writes a cell, from its column's kind (contracts/reports.ts): numbers as the
// screen's language writes them (1.234,5), durations HH:MM:SS, shares with "%", local times
// (`YYYY-MM-DD HH:MM:SS`, already in the contact center's zone) as dd/MM/yyyy HH:mm.

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, digits: number): Intl.NumberFormat {
  const key = `${lang}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(lang, { minimumFractionDigits: 0, maximumFractionDigits: digits })));
  return f;
}

export const formatNumber = (v: number, lang: string, digits = 2): string => numberFormat(lang, digits).format(v);

/** A report's local time as the language writes it; with no time of day for day, week and month buckets. */
export function formatLocalTime(v: string, lang: string, interval: ReportInterval | null, short = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(v);
  if (!m) return v;
  const [, y, mo, d, h, mi] = m;
  const en = lang.startsWith('en');
  if (interval === 'month') return en ? `${mo}/${y}` : `${mo}/${y}`;
  const day = short ? (en ? `${mo}/${d}` : `${d}/${mo}`) : en ? `${mo}/${d}/${y}` : `${d}/${mo}/${y}`;
  const dateOnly = interval === 'day' || interval === 'week' || h === undefined;
  return dateOnly ? day : `${day} ${h}:${mi}`;
}

/** One cell as text; null is "—". */
export function formatCell(v: string | number | null | undefined, kind: ReportColumnKind, lang: string, interval: ReportInterval | null): string {
  if (v === null || v === undefined || v === '') return '—';
  switch (kind) {
    case 'count': return typeof v === 'number' ? formatNumber(v, lang, 0) : String(v);
    case 'number': return typeof v === 'number' ? formatNumber(v, lang, 2) : String(v);
    case 'pct': return typeof v === 'number' ? `${formatNumber(v, lang, 2)}%` : String(v);
    case 'duration': return typeof v === 'number' ? formatHms(v) : String(v);
    case 'time': return formatLocalTime(String(v), lang, interval);
    default: return String(v);
  }
}

export const isNumeric = (kind: ReportColumnKind): boolean => kind !== 'text' && kind !== 'time';
