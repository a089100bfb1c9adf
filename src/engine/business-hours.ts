import { BusinessHours, type BusinessHoursInput } from '../contracts/business-hours.js';
import { isOpen, localTime, nextOpening } from '../core/business-hours.js';
import { brazilianNationalHolidays } from '../shared/holidays.js';

/** What a customer is told outside hours when the service sets no message of its own. */
export const DEFAULT_CLOSED_MESSAGE = 'No momento estamos fora do horário de atendimento.';

/**
 * The stored form of hours an admin wrote: holidays left out are pre-filled with the current year's
 * Brazilian national holidays (in the contact center's time zone), the rest defaulted.
 */
export function normalizeBusinessHours(input: BusinessHoursInput, now: Date, timeZone: string): BusinessHours {
  const year = Number(localTime(now.getTime(), timeZone).date.slice(0, 4));
  return {
    weekly: input.weekly,
    holidays: input.holidays ?? brazilianNationalHolidays(year).map((h) => ({ date: h.date, name: h.name })),
    closedMessage: input.closedMessage ?? null,
    outsideHours: input.outsideHours ?? 'queue',
  };
}

/** The hours stored on a service; null (or anything that no longer parses) means always open. */
export function storedHours(raw: unknown): BusinessHours | null {
  if (raw === null || raw === undefined) return null;
  const parsed = BusinessHours.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export interface HoursNow {
  open: boolean;
  /** set only when closed */
  closedMessage: string | null;
  outsideHours: BusinessHours['outsideHours'];
  /** the next opening, when closed and there is one */
  opensAt: Date | null;
}

export function hoursNow(raw: unknown, now: Date, timeZone: string): HoursNow {
  const hours = storedHours(raw);
  if (!hours || isOpen(hours, now, timeZone)) return { open: true, closedMessage: null, outsideHours: hours?.outsideHours ?? 'queue', opensAt: null };
  const next = nextOpening(hours, now, timeZone);
  return { open: false, closedMessage: hours.closedMessage ?? DEFAULT_CLOSED_MESSAGE, outsideHours: hours.outsideHours, opensAt: next === null ? null : new Date(next) };
}
