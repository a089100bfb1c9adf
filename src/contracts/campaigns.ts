import { z } from 'zod';
import { Id, Timestamp } from './common.js';

const Count = z.number().int().nonnegative();

/**
 * Campaigns (Mensagens ativas): a supervisor uploads a CSV of contacts with the template's parameters,
 * picks the template, the service (and so the channel account that sends) and a window of hours;
 * Mirante sends at the rate the number's messaging limit allows, never twice to anyone, across restarts.
 *
 *   GET    /api/campaigns                      → CampaignPage (newest first; supervisors: their services)
 *   POST   /api/campaigns/validate  (CsvUpload) → CampaignValidation: the rows as they would go, nothing stored
 *   POST   /api/campaigns           (CreateCampaign) → Campaign (201; 422 when no row can be sent)
 *   GET    /api/campaigns/{id}                 → Campaign
 *   GET    /api/campaigns/{id}/recipients?status=&cursor=&limit=&format=csv|xlsx → RecipientPage
 *   POST   /api/campaigns/{id}/pause | /resume | /cancel → Campaign (409 from a state that does not allow it)
 * Progress is pushed on the monitor stream as `campaign.updated` events (the Campaign view, counts included).
 */

/** scheduled: created, its start or window not begun; running; paused by a supervisor; finished: every row done; cancelled */
export const CAMPAIGN_STATUSES = ['scheduled', 'running', 'paused', 'finished', 'cancelled'] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * A recipient row's state: queued (to send), sent (the provider took it), delivered, read, failed
 * (reason), answered (the contact wrote back), skipped (never sent: opted out, duplicate, invalid;
 * reason says which).
 */
export const RECIPIENT_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed', 'answered', 'skipped'] as const;
export const RecipientStatus = z.enum(RECIPIENT_STATUSES);
export type RecipientStatus = z.infer<typeof RecipientStatus>;

/** Why a row was skipped or failed before reaching the provider (each has a pt-BR/en sentence). */
export const RECIPIENT_SKIP_REASONS = ['opted_out', 'duplicate', 'invalid_phone', 'missing_parameter', 'interrupted', 'cancelled'] as const;
export type RecipientSkipReason = (typeof RECIPIENT_SKIP_REASONS)[number];

export const CampaignCounts = z.object({
  total: Count,
  queued: Count,
  sent: Count,
  delivered: Count,
  read: Count,
  failed: Count,
  answered: Count,
  skipped: Count,
});
export type CampaignCounts = z.infer<typeof CampaignCounts>;

/** Sending hours, in the contact center's time zone: e.g. 09:00–18:00 ("HH:MM"). */
export const SendWindow = z.strictObject({
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
});
export type SendWindow = z.infer<typeof SendWindow>;

export const Campaign = z.object({
  id: Id,
  name: z.string(),
  templateId: Id,
  templateName: z.string(),
  serviceId: Id,
  serviceName: z.string(),
  channelAccountId: Id,
  window: SendWindow,
  startAt: Timestamp.describe('not before this time'),
  status: CampaignStatus,
  /** messages per second the sender allows itself now (from the number's messaging tier) */
  ratePerSecond: z.number().nonnegative(),
  counts: CampaignCounts,
  createdBy: Id,
  createdByName: z.string(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignPage = z.object({ rows: z.array(Campaign), next: z.string().nullable() });

/**
 * The CSV: a header line, then one contact per line. Columns: `telefone` (or `phone`), optional
 * `nome` (`name`), then `param1`…`paramN` (or `{{1}}`…) for the template's numbered parameters.
 * `;` or `,` separated (detected), UTF-8 with or without BOM. At most 100,000 rows.
 */
export const CsvUpload = z.strictObject({
  templateId: Id,
  serviceId: Id,
  csv: z.string().min(1).max(20_000_000),
});

export const CreateCampaign = CsvUpload.extend({
  name: z.string().trim().min(1).max(120),
  window: SendWindow,
  startAt: Timestamp.optional().describe('absent: now'),
});
export type CreateCampaign = z.infer<typeof CreateCampaign>;

/** One row of the upload as validated: what goes, or why not, with the CSV line number. */
export const ValidatedRow = z.object({
  line: z.number().int().positive(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  parameters: z.array(z.string()),
  ok: z.boolean(),
  reason: z.enum([...RECIPIENT_SKIP_REASONS, 'invalid_row']).nullable(),
  message: z.string().nullable().describe('what is wrong with the row, in the request language'),
});

export const CampaignValidation = z.object({
  rows: Count,
  ok: Count,
  skipped: Count,
  /** the rows that will not go (every one), and the first rows that will */
  problems: z.array(ValidatedRow),
  sample: z.array(ValidatedRow),
});
export type CampaignValidation = z.infer<typeof CampaignValidation>;

export const Recipient = z.object({
  id: Id,
  line: z.number().int().positive(),
  phone: z.string(),
  name: z.string().nullable(),
  parameters: z.array(z.string()),
  status: RecipientStatus,
  reason: z.string().nullable().describe('why it failed or was skipped, in the request language'),
  sentAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  readAt: Timestamp.nullable(),
  answeredAt: Timestamp.nullable(),
  conversationId: Id.nullable().describe('the conversation the answer opened'),
});
export type Recipient = z.infer<typeof Recipient>;

export const RecipientPage = z.object({ rows: z.array(Recipient), next: z.string().nullable(), total: Count.optional() });

// Added by the server (H4): the lists' query strings.
/** GET /api/campaigns?cursor=&limit= (limit 1–200, default 50) */
export const CampaignListQuery = z.strictObject({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
/** GET /api/campaigns/{id}/recipients?status=&cursor=&limit=&format= (limit 1–1000, default 100; format: the whole list as a download) */
export const RecipientQuery = z.strictObject({
  status: RecipientStatus.optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  format: z.enum(['csv', 'xlsx']).optional(),
});
