// The demo's sense of time: the contact center's local hour, the simulated day's start, the arrival
// curve over the day and how long pauses last. Pure, so that it is tested apart from the simulator.

/** The hour of the day (fractional) of `at` in `timeZone`. */
export function localHour(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') + get('minute') / 60;
}

/**
 * The simulated clock's starting hour: the one asked for, else the real local hour while the contact
 * center is open (08:00–20:00), else 10:00 — a demo started at night still shows a working operation.
 */
export function startingHour(asked: number | null, realLocalHour: number): { hour: number; shifted: boolean } {
  if (asked !== null) return { hour: asked, shifted: true };
  if (realLocalHour >= 8 && realLocalHour < 20) return { hour: realLocalHour, shifted: false };
  return { hour: 10, shifted: true };
}

/** How long (ms of simulated time) an agent stays in a pause with this reason: realistic by reason. */
export function pauseLengthMs(reason: string, random: () => number = Math.random): number {
  const minutes: Record<string, [number, number]> = {
    banheiro: [3, 9],
    almoço: [30, 62],
    descanso: [8, 18],
    treinamento: [20, 40],
    feedback: [10, 20],
    'ginástica laboral': [10, 16],
  };
  const [lo, hi] = minutes[reason.toLowerCase()] ?? [5, 15];
  return (lo + random() * (hi - lo)) * 60_000;
}

/** Hourly arrival factor of a Brazilian contact center: quiet at night, peaks mid-morning and mid-afternoon. */
export function dailyCurve(hour: number): number {
  const bell = (h: number, peak: number, width: number) => Math.exp(-((h - peak) ** 2) / (2 * width ** 2));
  return 0.15 + 0.85 * Math.max(bell(hour, 10.5, 1.8), 0.9 * bell(hour, 15, 2));
}
