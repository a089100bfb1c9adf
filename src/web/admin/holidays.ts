// Brazilian national holidays of a year (federal law: Lei 662/1949, 6.802/1980, 14.759/2023), for the
// business hours screen's "Preencher feriados nacionais". Carnaval and Corpus Christi are optional
// days off (ponto facultativo), not national holidays, so the admin adds them if the operation closes.

export interface Holiday {
  date: string;
  name: string;
}

/** Easter Sunday (Gregorian calendar; the anonymous algorithm, a.k.a. Meeus/Jones/Butcher). */
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
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function brazilianNationalHolidays(year: number): Holiday[] {
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
  const list = fixed.map(([md, name]) => ({ date: `${year}-${md}`, name }));
  list.push({ date: addDays(easterSunday(year), -2), name: 'Sexta-feira Santa' });
  return list.sort((a, b) => a.date.localeCompare(b.date));
}
