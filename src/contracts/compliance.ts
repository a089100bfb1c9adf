import { z } from 'zod';
import { Channel, Id, Timestamp } from './common.js';

// Acessos a dados (LGPD) and the retention dry run: for the compliance officer (admins and users with
// the "Encarregado de dados (DPO)" permission).

const Day = z.iso.date();

export const ComplianceContactQuery = z.strictObject({
  q: z.string().trim().min(2).max(120).describe('name, phone, e-mail, CPF or protocol'),
});

export const ComplianceContact = z.object({
  id: Id,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  cpf: z.string().nullable(),
  anonymized: z.boolean(),
  channels: z.array(Channel),
  conversations: z.number().int(),
  lastAt: Timestamp.nullable().describe('start of the contact’s latest conversation'),
});
export type ComplianceContact = z.infer<typeof ComplianceContact>;

export const DataAccessQuery = z
  .strictObject({
    from: Day.optional().describe('first day (YYYY-MM-DD, the contact center’s time zone); default: everything kept'),
    to: Day.optional().describe('last day, included'),
    format: z.enum(['csv']).optional().describe('csv: the whole list as a download (audited); absent: JSON'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });
export type DataAccessQuery = z.infer<typeof DataAccessQuery>;

export const DataAccessRow = z.object({
  id: z.string(),
  at: Timestamp,
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  action: z.string().describe('view_messages, export_history, anonymize, update, …'),
  entity: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type DataAccessRow = z.infer<typeof DataAccessRow>;

export const DataAccessList = z.object({
  contact: ComplianceContact,
  items: z.array(DataAccessRow),
  /** true when more rows matched than the list holds (the CSV has them all) */
  truncated: z.boolean(),
});

export const RetentionPreview = z.object({
  at: Timestamp,
  timezone: z.string(),
  rules: z.array(
    z.object({
      rule: z.enum(['messages', 'emailBodies', 'attachments', 'accessRecords', 'auditLog']),
      enabled: z.boolean(),
      cutoff: Timestamp.describe('records finished (service records) or made (access records, audit rows) before this instant'),
      counts: z.record(z.string(), z.number().int()),
      total: z.number().int(),
    }),
  ),
});
export type RetentionPreview = z.infer<typeof RetentionPreview>;
