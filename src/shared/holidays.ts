// Brazilian national holidays of a year (federal law: Lei 662/1949, 6.802/1980, 14.759/2023): the
// server pre-fills them in a service's business hours when an admin leaves the holidays out, and the
// business hours screen offers them ("Preencher feriados nacionais"). Pure calendar arithmetic.

export interface Holiday {
  /** `YYYY-MM-DD`, a calendar day in the contact center's time zone */
  readonly date: string;
  readonly name?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether `date` is a real `YYYY-MM-DD` calendar day (no 31 April, no 29 February in 2026). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** `date` (`YYYY-MM-DD`) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, mo, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Easter Sunday of a Gregorian year (the anonymous "Meeus/Jones/Butcher" algorithm), as `YYYY-MM-DD`. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * National holidays of `year`, in date order, each with its name. Carnaval and Corpus Christi are
 * "pontos facultativos", not national holidays, so they are left to the admin; the Dia Nacional de
 * Zumbi e da Consciência Negra is national from 2024 (Lei 14.759/2023).
 */
export function brazilianNationalHolidays(year: number): { date: string; name: string }[] {
  const fixed: [string, string][] = [
    ['01-01', 'Confraternização Universal'],
    ['04-21', 'Tiradentes'],
    ['05-01', 'Dia do Trabalho'],
    ['09-07', 'Independência do Brasil'],
    ['10-12', 'Nossa Senhora Aparecida'],
    ['11-02', 'Finados'],
    ['11-15', 'Proclamação da República'],
    ['12-25', 'Natal'],
  ];
  if (year >= 2024) fixed.push(['11-20', 'Dia Nacional de Zumbi e da Consciência Negra']);
  const holidays = fixed.map(([md, name]) => ({ date: `${year}-${md}`, name }));
  holidays.push({ date: addDays(easterSunday(year), -2), name: 'Sexta-feira Santa' });
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
