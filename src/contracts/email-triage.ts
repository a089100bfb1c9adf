import { z } from 'zod';
import { Id, Timestamp } from './common.js';

// Filtro de E-mail (engine/conversations/email-triage.ts): the e-mails waiting in `triage`, and the
// supervisor's Aceitar / Apagar on one or many. Alocar responsável for a selection shares the body.

/** Qtd E-mail(s): how many rows a list shows, at most. */
export const EMAIL_TRIAGE_LIMITS = [10, 20, 50, 100, 200] as const;
export const EMAIL_TRIAGE_MAX = 200;

export const EmailTriageQuery = z.strictObject({
  serviceId: Id.optional().describe('only this service (one of the caller’s)'),
  limit: z.coerce.number().int().min(1).max(EMAIL_TRIAGE_MAX).default(20).describe(`Qtd E-mail(s): rows to show, 1 to ${EMAIL_TRIAGE_MAX} (default 20)`),
});
export type EmailTriageQuery = z.infer<typeof EmailTriageQuery>;

export const EmailTriageRow = z.object({
  id: Id,
  protocol: z.string(),
  receivedAt: Timestamp,
  fromName: z.string().nullable(),
  fromAddress: z.string().nullable(),
  subject: z.string().nullable(),
  serviceId: Id,
  serviceName: z.string(),
  /** files the customer's e-mails carry */
  attachments: z.number().int(),
  /** the start of the first e-mail's text */
  preview: z.string(),
});
export type EmailTriageRow = z.infer<typeof EmailTriageRow>;

export const EmailTriagePage = z.object({
  items: z.array(EmailTriageRow),
  /** how many wait in the filter for this selection (the rows are the oldest `limit` of them) */
  total: z.number().int(),
});
export type EmailTriagePage = z.infer<typeof EmailTriagePage>;

/** One or many conversations, all or nothing (duplicates count once). */
export const ConversationIdsBody = z.strictObject({
  conversationIds: z.array(Id).min(1).max(EMAIL_TRIAGE_MAX),
});
export type ConversationIdsBody = z.infer<typeof ConversationIdsBody>;

export const BulkAssignBody = z.strictObject({
  conversationIds: z.array(Id).min(1).max(EMAIL_TRIAGE_MAX),
  agentId: Id,
});
export type BulkAssignBody = z.infer<typeof BulkAssignBody>;
