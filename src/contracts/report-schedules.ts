import { z } from 'zod';
import { Channel, Id } from './common.js';
import { REPORT_FORMATS, ReportId, ReportInterval } from './reports.js';

// Agendamentos of Relatórios: a report e-mailed (daily, weekly, monthly, at an hour of the contact
// center's time zone) with its file attached, over a period relative to the sending (yesterday, last
// week, last month). Admins and supervisors; each sees and edits their own, an admin all of them. The
// report runs in its owner's scope. Sent through the system SMTP (MAIL_SMTP_* variables, README).

export const SCHEDULE_PERIODS = ['yesterday', 'last_week', 'last_month'] as const;
export const SchedulePeriod = z.enum(SCHEDULE_PERIODS);
export type SchedulePeriod = z.infer<typeof SchedulePeriod>;

export const SCHEDULE_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export const ScheduleFrequency = z.enum(SCHEDULE_FREQUENCIES);
export type ScheduleFrequency = z.infer<typeof ScheduleFrequency>;

/** The report's filters (those it does not list are ignored when it runs). */
export const ScheduleFilters = z.strictObject({
  interval: ReportInterval.optional(),
  serviceId: Id.optional(),
  channel: Channel.optional(),
  teamId: Id.optional(),
  agentId: Id.optional(),
});
export type ScheduleFilters = z.infer<typeof ScheduleFilters>;

const fields = {
  reportId: ReportId,
  filters: ScheduleFilters.default({}),
  period: SchedulePeriod.describe('the period of each sending, relative to its day: yesterday, last week (Monday to Sunday), last month'),
  format: z.enum(REPORT_FORMATS),
  recipients: z.array(z.email().max(254)).min(1).max(50).describe('who receives it'),
  frequency: ScheduleFrequency.describe('daily; weekly on Mondays; monthly on the 1st'),
  hour: z.number().int().min(0).max(23).describe('the hour of the sending, in the contact center’s time zone'),
  active: z.boolean().default(true),
};

export const ReportScheduleBody = z.strictObject(fields);
export type ReportScheduleBody = z.infer<typeof ReportScheduleBody>;

export const ReportSchedulePatch = z.strictObject({
  filters: ScheduleFilters.optional(),
  period: fields.period.optional(),
  format: fields.format.optional(),
  recipients: fields.recipients.optional(),
  frequency: fields.frequency.optional(),
  hour: fields.hour.optional(),
  active: z.boolean().optional(),
});
export type ReportSchedulePatch = z.infer<typeof ReportSchedulePatch>;

export const ReportSchedule = z.object({
  id: Id,
  reportId: ReportId,
  filters: ScheduleFilters,
  period: SchedulePeriod,
  format: z.enum(REPORT_FORMATS),
  recipients: z.array(z.string()),
  frequency: ScheduleFrequency,
  hour: z.number().int(),
  active: z.boolean(),
  ownerId: Id,
  ownerName: z.string(),
  lastRunAt: z.string().nullable(),
  nextRunAt: z.string(),
  createdAt: z.string(),
});
export type ReportSchedule = z.infer<typeof ReportSchedule>;

export const ReportScheduleList = z.object({
  items: z.array(ReportSchedule),
  /** whether this node can send e-mail (MAIL_SMTP_HOST set): the screen warns when not */
  mailConfigured: z.boolean(),
});
export type ReportScheduleList = z.infer<typeof ReportScheduleList>;
