/** Every time on screen is shown in the contact center's time zone (setting), not the browser's. */
export function formatDateTime(iso: string | Date | null | undefined, timeZone: string, lang: string): string {
  if (!iso) return '—';
  return dateFormatter(lang, timeZone, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

export function formatDate(d: Date, timeZone: string, lang: string): string {
  return dateFormatter(lang, timeZone, { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

/** The offset of `timeZone` from UTC at `at`, in milliseconds (−3 h for America/Sao_Paulo). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a calendar day starts in the contact center's time zone, as ISO 8601 ("2024-05-01" in
 * America/Sao_Paulo → 2024-05-01T03:00:00.000Z). `addDays` moves the day (1: the start of the next day).
 */
export function startOfDayIn(ymd: string, timeZone: string, addDays = 0): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d + addDays);
  // the offset at the guess, then at the corrected instant (differs only across a DST change)
  let at = wall - zoneOffsetMs(wall, timeZone);
  at = wall - zoneOffsetMs(at, timeZone);
  return new Date(at).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Intl formatters are costly to build: one per language, time zone and options, kept. */
export function dateFormatter(lang: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { timeZone, ...opts });
    formatters.set(key, f);
  }
  return f;
}
