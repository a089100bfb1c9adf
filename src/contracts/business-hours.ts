import { z } from 'zod';

/**
 * A service's business hours (Horário de atendimento), read in the contact center's time zone (the
 * `timezone` setting). Null on a service means always open. core/business-hours.ts decides open or closed.
 */

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM from 00:00 to 24:00');
const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

export const TimeInterval = z
  .strictObject({ start: HHMM, end: HHMM })
  .refine((iv) => toMinutes(iv.start) < toMinutes(iv.end), 'start must be before end (split a night shift at 24:00)');

const Day = z.array(TimeInterval).max(8).optional();
export const WeeklySchedule = z.strictObject({ sun: Day, mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day });

export const HolidayDate = z.strictObject({ date: z.iso.date(), name: z.string().trim().max(120).optional() });

export const OUTSIDE_HOURS = ['queue', 'leave_message'] as const;

export const BusinessHours = z.object({
  weekly: WeeklySchedule,
  holidays: z.array(HolidayDate).max(400),
  /** what the customer is told outside hours; null: a default text */
  closedMessage: z.string().nullable(),
  /**
   * queue: the conversation still goes to the queue (marked as opened outside hours);
   * leave_message: the customer's message is stored in a conversation finished at once as
   * `completed` by the system with the wrap-up `{leftMessage: true}`, to be followed up.
   */
  outsideHours: z.enum(OUTSIDE_HOURS),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

/** As an admin writes it: holidays left out are pre-filled with the year's Brazilian national holidays. */
export const BusinessHoursInput = z.strictObject({
  weekly: WeeklySchedule,
  holidays: z.array(HolidayDate).max(400).optional(),
  closedMessage: z.string().trim().max(1000).nullable().optional(),
  outsideHours: z.enum(OUTSIDE_HOURS).optional(),
});
export type BusinessHoursInput = z.infer<typeof BusinessHoursInput>;
