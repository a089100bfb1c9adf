// A calendar day typed by a person, read the way the screen's language writes dates.

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD of a real calendar day, or null (31/02 is not one). */
function day(y: number, m: number, d: number): string | null {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** What a person types: 21/11/2026 (or 21/11/26, 21-11-2026) in Portuguese, and ISO 2026-11-21 always. */
export function parseTypedDay(input: string, lang: string): string | null {
  const s = input.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return day(+iso[1], +iso[2], +iso[3]);
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (!local) return null;
  const year = local[3].length === 2 ? 2000 + +local[3] : +local[3];
  return lang === 'en' ? day(year, +local[1], +local[2]) : day(year, +local[2], +local[1]);
}
