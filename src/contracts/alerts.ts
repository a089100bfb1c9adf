import { z } from 'zod';

export const ALERT_RULES = [
  'agent_paused_too_long', 'queue_wait_over_target', 'no_interaction', 'long_service', 'queue_too_long', 'service_level_below_target',
  // raised and resolved by the Carteira WhatsApp's readings (core/wallet-alerts.ts)
  'wallet_balance_low', 'number_quality_dropped',
] as const;

export const AlertView = z.object({
  id: z.number().int(),
  rule: z.enum(ALERT_RULES),
  severity: z.enum(['info', 'warning', 'critical']),
  subjectType: z.enum(['agent', 'conversation', 'service']),
  subjectId: z.string(),
  serviceId: z.string().nullable(),
  teamIds: z.array(z.string()),
  message: z.string().describe('pt-BR text; payload has the figures'),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  resolvedAt: z.string().nullable().describe('when the condition stopped; the alert stays for the day’s review'),
  read: z.boolean().describe('read by me'),
});
export type AlertView = z.infer<typeof AlertView>;

export const AlertListQuery = z.strictObject({
  date: z.iso.date().optional().describe('a day in the contact center’s time zone; default today'),
  unread: z.enum(['true', 'false']).optional(),
});
export const AlertList = z.object({ items: z.array(AlertView), unread: z.number().int() });
