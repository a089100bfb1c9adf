// A wall-clock time typed in the contact center's time zone (a datetime-local field's value) as the
// instant the API takes, and back: the browser's own zone may be another one.

const parts = (at: number, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return { y: +p.year!, mo: +p.month!, d: +p.day!, h: +p.hour!, mi: +p.minute!, s: +p.second! };
};

/** The zone's offset from UTC at an instant, in milliseconds (e.g. -3 h for America/Sao_Paulo). */
function offsetAt(at: number, timeZone: string): number {
  const x = parts(at, timeZone);
  return Date.UTC(x.y, x.mo - 1, x.d, x.h, x.mi, x.s) - Math.floor(at / 1000) * 1000;
}

/** "2026-12-07T09:30" in `timeZone` → ISO instant; null when the text is not such a time. */
export function instantOfWallTime(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  if (Number.isNaN(asUtc)) return null;
  // the offset taken twice: the second reading settles a guess that fell across a change of offset
  let at = asUtc - offsetAt(asUtc, timeZone);
  at = asUtc - offsetAt(at, timeZone);
  return new Date(at).toISOString();
}

/** An instant as the datetime-local value it reads as in `timeZone` ("2026-12-07T09:30"). */
export function wallTimeOf(at: number, timeZone: string): string {
  const x = parts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${x.y}-${two(x.mo)}-${two(x.d)}T${two(x.h)}:${two(x.mi)}`;
}
