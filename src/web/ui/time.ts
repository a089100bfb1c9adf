/** Every time on screen is shown in the contact center's time zone (setting), not the browser's. */
export function formatDateTime(iso: string | Date | null | undefined, timeZone: string, lang: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

export function formatDate(d: Date, timeZone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone, weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}
