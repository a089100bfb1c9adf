import { z } from 'zod';
import { Channel, Id, Language, Name, Role, Timestamp } from './common.js';
import { BotFlowSchema } from './bot-flow.js';
import { BusinessHours, BusinessHoursInput } from './business-hours.js';
import { PrechatField } from './webchat.js';

// Users ------------------------------------------------------------------------------------------
export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  language: Language,
  agentEnabled: z.boolean().describe('linked as an omnichannel agent (Agentes → Vincular)'),
  privacyOfficer: z.boolean().describe('Encarregado de dados (DPO): may read the access records (Acessos a dados, LGPD); admins always may'),
  active: z.boolean(),
  teamIds: z.array(Id).describe('teams the user works in as an agent'),
  supervisedTeamIds: z.array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = z.infer<typeof User>;
export const CreateUser = z.strictObject({
  email: z.email().max(254),
  name: Name,
  role: Role,
  password: z.string().min(8).max(200),
  language: Language.optional(),
  agentEnabled: z.boolean().optional(),
  privacyOfficer: z.boolean().optional(),
  active: z.boolean().optional(),
  teamIds: z.array(Id).max(200).optional(),
  supervisedTeamIds: z.array(Id).max(200).optional(),
});
export const UpdateUser = CreateUser.partial();

// Teams (departamentos) -------------------------------------------------------------------------
export const Team = z.object({
  id: Id,
  name: z.string(),
  omniEnabled: z.boolean().describe('linked as an omnichannel department (Departamentos → Vincular)'),
  maxChat: z.number().int().describe('maximum simultaneous chat/messaging conversations per agent'),
  maxEmail: z.number().int().describe('maximum simultaneous e-mail conversations per agent'),
  active: z.boolean(),
  agentIds: z.array(Id),
  supervisorIds: z.array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Team = z.infer<typeof Team>;
export const CreateTeam = z.strictObject({
  name: Name,
  omniEnabled: z.boolean().optional(),
  maxChat: z.number().int().min(1).max(100).optional(),
  maxEmail: z.number().int().min(1).max(100).optional(),
  active: z.boolean().optional(),
  agentIds: z.array(Id).max(5000).optional(),
  supervisorIds: z.array(Id).max(500).optional(),
});
export const UpdateTeam = CreateTeam.partial();

// Channel accounts: a provider account a service talks through --------------------------------
export const ChannelAccount = z.object({
  id: Id,
  channel: Channel,
  name: z.string(),
  provider: z.string().nullable().describe('e.g. meta, twilio, zenvia; null for our own channels'),
  config: z.record(z.string(), z.unknown()).describe('non-secret settings: phone number id, IMAP host…'),
  hasCredentials: z.boolean().describe('credentials are write-only: stored encrypted, never returned'),
  credentialsSet: z.array(z.string()).describe('the names of the credentials that are set (never their values)'),
  serviceIds: z.array(Id).describe('the services that talk through this account'),
  webhookUrl: z.string().nullable().describe('where the provider calls: {PUBLIC_URL}/webhooks/{channel}/{id}; null without PUBLIC_URL or for a channel without webhooks'),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ChannelAccount = z.infer<typeof ChannelAccount>;
/** A save's answer: the account, and what went wrong after it was saved (the provider's setup, e.g. Telegram's setWebhook). */
export const SavedChannelAccount = ChannelAccount.extend({
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).optional().describe('the account is saved; these need the admin\'s attention'),
});
export type SavedChannelAccount = z.infer<typeof SavedChannelAccount>;
const Credentials = z
  .record(z.string().min(1).max(100), z.string().max(16_384))
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 entries')
  .describe('write-only secrets (tokens, passwords), encrypted at rest');
export const CreateChannelAccount = z.strictObject({
  channel: Channel,
  name: Name,
  provider: z.string().trim().min(1).max(60).nullable().optional(),
  config: z.record(z.string().max(100), z.unknown()).optional().describe('non-secret fields; for a known provider exactly its fields (contracts/channel-account-fields.ts)'),
  credentials: Credentials.optional(),
  active: z.boolean().optional(),
});
export const UpdateChannelAccount = CreateChannelAccount.omit({ channel: true })
  .extend({
    credentials: z
      .record(z.string().min(1).max(100), z.string().max(16_384).nullable())
      .refine((v) => Object.keys(v).length <= 50, 'at most 50 entries')
      .describe('the secrets to set (null removes one); those not named are kept, unless the provider changes'),
  })
  .partial();
/** "Testar conexão": what the provider said, in the request's language. */
export const ConnectionTestResult = z.object({ ok: z.boolean(), message: z.string() });

// Services ----------------------------------------------------------------------------------------
const Seconds = z.number().int().min(1).max(30 * 24 * 3600);
export const Service = z.object({
  id: Id,
  name: z.string(),
  key: z.string().describe('public key used by the WebChat widget and the API channel'),
  channel: Channel,
  channelAccountId: Id.nullable(),
  teamIds: z.array(Id),
  botFlow: z.unknown().nullable(),
  serviceLevelSeconds: z.number().int().describe('service-level target T (NS)'),
  tmaGoalSeconds: z.number().int().describe('TMA goal (Meta)'),
  botTimeoutSeconds: z.number().int(),
  queueTimeoutSeconds: z.number().int(),
  inactivityTimeoutSeconds: z.number().int().describe('Inativa PA: customer silent with an agent'),
  emailTriage: z.boolean().describe('e-mail filter: a supervisor accepts or discards each e-mail'),
  emailSignature: z.string().nullable().describe('e-mail: plain text appended to every reply (after "-- ")'),
  outboundWebhookUrl: z.string().nullable().describe('API channel: where agent messages are POSTed, signed as Standard Webhooks (docs/WEBHOOKS.md)'),
  hasApiToken: z.boolean().describe('API channel: a token for the inbound endpoint was issued'),
  businessHours: BusinessHours.nullable().describe('null: always open'),
  prechatForm: z.array(PrechatField).describe('WebChat: fields asked before the chat; none required unless said'),
  customerCalls: z.boolean().describe('WebChat: the customer may ask for an audio or video call (off by default; the agent may always call)'),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Service = z.infer<typeof Service>;
export const CreateService = z.strictObject({
  name: Name,
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes').optional(),
  channel: Channel,
  channelAccountId: Id.nullable().optional(),
  teamIds: z.array(Id).max(200).optional(),
  botFlow: BotFlowSchema.nullable().optional().describe('checked by the flow validator: no unreachable or dead-end step'),
  serviceLevelSeconds: Seconds.optional(),
  tmaGoalSeconds: Seconds.optional(),
  botTimeoutSeconds: Seconds.optional(),
  queueTimeoutSeconds: Seconds.optional(),
  inactivityTimeoutSeconds: Seconds.optional(),
  emailTriage: z.boolean().optional(),
  emailSignature: z.string().max(2000).nullable().optional(),
  outboundWebhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional()
    .describe('loopback, private and link-local targets are refused (422) unless the setting allowPrivateWebhookTargets is on'),
  businessHours: BusinessHoursInput.nullable().optional(),
  prechatForm: z
    .array(PrechatField)
    .max(4)
    .refine((f) => new Set(f.map((x) => x.field)).size === f.length, 'each field at most once')
    .optional(),
  customerCalls: z.boolean().optional(),
  active: z.boolean().optional(),
});
export const UpdateService = CreateService.omit({ channel: true }).partial();

// Pause reasons -----------------------------------------------------------------------------------
export const PauseReason = z.object({
  id: Id,
  name: z.string(),
  maxMinutes: z.number().int().nullable().describe('alert when a pause with this reason lasts longer'),
  productive: z.boolean(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PauseReason = z.infer<typeof PauseReason>;
export const CreatePauseReason = z.strictObject({
  name: Name,
  maxMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  productive: z.boolean().optional(),
  active: z.boolean().optional(),
});
export const UpdatePauseReason = CreatePauseReason.partial();

// Classifications (wrap-up codes) ---------------------------------------------------------------
export const Classification = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  serviceIds: z.array(Id).nullable().describe('null: valid for every service'),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Classification = z.infer<typeof Classification>;
export const CreateClassification = z.strictObject({
  code: z.string().trim().min(1).max(40),
  name: Name,
  serviceIds: z.array(Id).max(500).nullable().optional(),
  active: z.boolean().optional(),
});
export const UpdateClassification = CreateClassification.partial();

// Template categories and templates -------------------------------------------------------------
// what a category is for: protocol updates (sent on a demand's change), notices, billing, the
// satisfaction survey and marketing — the uses a contact center's active messages have
export const TEMPLATE_CATEGORY_TYPES = ['protocol_update', 'notification', 'billing', 'satisfaction_survey', 'marketing'] as const;
export const TemplateCategory = z.object({
  id: Id,
  code: z.number().int().describe('number used to classify and order'),
  title: z.string(),
  type: z.enum(TEMPLATE_CATEGORY_TYPES).describe('protocol_update = Atualização de protocolo, notification = Notificação, billing = Cobrança, satisfaction_survey = Pesquisa de satisfação, marketing = Marketing'),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TemplateCategory = z.infer<typeof TemplateCategory>;
export const CreateTemplateCategory = z.strictObject({
  code: z.number().int().min(0).max(999999),
  title: Name,
  type: z.enum(TEMPLATE_CATEGORY_TYPES),
  active: z.boolean().optional(),
});
export const UpdateTemplateCategory = CreateTemplateCategory.partial();

/** The provider's category of a WhatsApp template (Meta's; Gupshup takes the same). */
export const PROVIDER_TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
/** The provider's verdict; DRAFT: not submitted yet. */
export const TEMPLATE_STATUSES = ['DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
/** WhatsApp's limits on a template's components (Meta's message-template guidelines). */
export const TEMPLATE_LIMITS = { providerName: 512, header: 60, body: 1024, footer: 60, buttons: 10, buttonText: 25, urlButtons: 2, phoneButtons: 1, url: 2000, phone: 20 } as const;

export const TemplateButton = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('QUICK_REPLY'), text: z.string().trim().min(1).max(TEMPLATE_LIMITS.buttonText) }),
  z.strictObject({ type: z.literal('URL'), text: z.string().trim().min(1).max(TEMPLATE_LIMITS.buttonText), url: z.url().max(TEMPLATE_LIMITS.url) }),
  z.strictObject({ type: z.literal('PHONE_NUMBER'), text: z.string().trim().min(1).max(TEMPLATE_LIMITS.buttonText), phoneNumber: z.string().regex(/^\+?\d{8,15}$/, 'like +5511999990000') }),
]);
export type TemplateButton = z.infer<typeof TemplateButton>;

export const Template = z.object({
  id: Id,
  categoryId: Id,
  name: z.string(),
  channel: Channel.nullable().describe('null: any channel'),
  language: z.string(),
  body: z.string(),
  providerTemplate: z.string().nullable().describe('the provider template name (WhatsApp: lowercase letters, digits, underscore)'),
  channelAccountId: Id.nullable().describe('the WhatsApp account (Cloud API or Gupshup) the template is submitted through'),
  providerCategory: z.enum(PROVIDER_TEMPLATE_CATEGORIES).nullable(),
  header: z.string().nullable(),
  footer: z.string().nullable(),
  buttons: z.array(TemplateButton),
  examples: z.array(z.string()).describe('an example value per {{n}} parameter, in order'),
  providerId: z.string().nullable().describe('the provider\'s id of the submitted template'),
  status: z.enum(TEMPLATE_STATUSES).nullable().describe('null: not a provider template (plain text on any channel, or named by hand)'),
  statusReason: z.string().nullable().describe('why the provider rejected, paused or disabled it'),
  quality: z.string().nullable().describe('the provider\'s quality score: GREEN, YELLOW, RED, UNKNOWN'),
  statusAt: Timestamp.nullable(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Template = z.infer<typeof Template>;
export const CreateTemplate = z.strictObject({
  categoryId: Id,
  name: Name,
  channel: Channel.nullable().optional(),
  language: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'like pt_BR').optional(),
  body: z.string().min(1).max(4096),
  providerTemplate: z.string().max(TEMPLATE_LIMITS.providerName).nullable().optional(),
  channelAccountId: Id.nullable().optional(),
  providerCategory: z.enum(PROVIDER_TEMPLATE_CATEGORIES).nullable().optional(),
  header: z.string().trim().max(TEMPLATE_LIMITS.header).nullable().optional(),
  footer: z.string().trim().max(TEMPLATE_LIMITS.footer).nullable().optional(),
  buttons: z.array(TemplateButton).max(TEMPLATE_LIMITS.buttons).optional(),
  examples: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  active: z.boolean().optional(),
});
export const UpdateTemplate = CreateTemplate.partial();

// Audit log ---------------------------------------------------------------------------------------
export const AuditEntry = z.object({
  id: z.number().int(),
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  at: Timestamp,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = z.strictObject({
  entity: z.string().max(60).optional(),
  entityId: z.string().max(80).optional(),
  actorId: Id.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional().describe('cursor: entries with id below this'),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.number().int().nullable() });

/** API channel credentials, shown once when issued. */
export const ApiCredentials = z.object({
  token: z.string().describe('Bearer token for POST /api/channels/api/{serviceId}/messages'),
  webhookSecret: z.string().describe('Standard Webhooks secret (whsec_ + base64 key) that verifies the webhook-signature header of outbound webhooks'),
});
