import { z } from 'zod';
import { Channel, Id, Timestamp } from './common.js';

// Titulares (LGPD): what Mirante holds on a person, its correction (art. 18), the history of their
// demands (SAC decree art. 13) and their anonymisation. Every list is limited to the caller's scope.

export const ContactSearchQuery = z.strictObject({
  q: z.string().trim().min(2).max(200).describe('part of a name or e-mail, a phone (digits), a CPF (11 digits, with or without punctuation), or a protocol'),
  limit: z.coerce.number().int().min(1).max(100).optional().describe('rows, default 50 (the most recently contacted first)'),
});
export type ContactSearchQuery = z.infer<typeof ContactSearchQuery>;

export const ContactSummary = z.object({
  id: Id,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  cpf: z.string().nullable(),
  conversations: z.number().int().describe('in the caller’s scope'),
  lastContactAt: Timestamp.nullable(),
  anonymizedAt: Timestamp.nullable(),
});
export type ContactSummary = z.infer<typeof ContactSummary>;
export const ContactSearchResult = z.object({ items: z.array(ContactSummary), more: z.boolean().describe('more contacts match: narrow the search') });

export const ContactIdentity = z.object({ channel: Channel, externalId: z.string(), displayName: z.string().nullable(), createdAt: Timestamp });
export const ContactConversation = z.object({
  id: Id,
  protocol: z.string(),
  channel: Channel,
  serviceName: z.string(),
  state: z.string(),
  subject: z.string().nullable(),
  agentName: z.string().nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export const ContactDetail = ContactSummary.extend({
  data: z.record(z.string(), z.unknown()).describe('what the bot or the pre-chat form collected'),
  identities: z.array(ContactIdentity),
  firstContactAt: Timestamp.nullable(),
  createdAt: Timestamp,
  recentConversations: z.array(ContactConversation).describe('the latest 200 in the caller’s scope; the history export has them all'),
});
export type ContactDetail = z.infer<typeof ContactDetail>;

const nullableField = (max: number) => z.string().trim().max(max).nullable().optional();
export const ContactCorrection = z.strictObject({
  name: nullableField(200).describe('null or "" clears it'),
  email: nullableField(254),
  phone: nullableField(40).describe('a Brazilian number with area code; stored as E.164'),
  cpf: nullableField(20).describe('checked by its check digits; stored as 11 digits'),
});
export type ContactCorrection = z.infer<typeof ContactCorrection>;

export const HISTORY_FORMATS = ['json', 'pdf'] as const;
export const ContactHistoryQuery = z.strictObject({
  format: z.enum(HISTORY_FORMATS).optional().describe('json (default) or pdf'),
});

export const AnonymizeBody = z.strictObject({
  reason: z.string().trim().min(3).max(1000).describe('why (the request, its date): kept in the audit log'),
  confirm: z.string().trim().min(1).max(200).describe('the contact’s id or its current name, typed again'),
});
export const AnonymizeResult = z.object({
  id: Id,
  anonymizedAt: Timestamp,
  conversations: z.number().int(),
  messages: z.number().int(),
  attachments: z.number().int(),
});
export type AnonymizeResult = z.infer<typeof AnonymizeResult>;

/** The history JSON (`format=json`): its schema name and version, documented in docs/LGPD.md. */
export const HISTORY_SCHEMA = 'mirante.contact-history/1';
