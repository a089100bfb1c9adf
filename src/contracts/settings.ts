import { z } from 'zod';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

// Decreto 11.034/2022: service records are kept at least 2 years after the demand is finished
const serviceRecordYears = z.number().int().min(2, 'at least 2 years after the demand finished (Decreto 11.034/2022)').max(30);

/**
 * Every parameter of the operation, one schema per key (Parâmetros screen). Defaults follow
 * reference/metrics.md; the whole object is what `GET /api/settings` returns.
 */
export const SETTING_SCHEMAS = {
  timezone: z.string().refine(isTimeZone, 'not an IANA time zone, e.g. America/Sao_Paulo'),
  // the company's name on what is handed to a consumer (the history PDF, SAC decree art. 13)
  companyName: z.string().trim().min(1).max(200),
  timeInState: z
    .strictObject({ lowMinutes: z.number().int().min(1).max(600), highMinutes: z.number().int().min(1).max(1440) })
    .refine((v) => v.lowMinutes < v.highMinutes, 'lowMinutes must be below highMinutes'),
  noInteractionMinutes: z.number().int().min(1).max(1440),
  shortAbandonSeconds: z.number().int().min(0).max(600),
  serviceLevel: z.strictObject({
    chatSeconds: z.number().int().min(1).max(86_400),
    emailSeconds: z.number().int().min(1).max(30 * 86_400),
    targetPercent: z.number().min(1).max(100),
  }),
  timeouts: z.strictObject({
    botSeconds: z.number().int().min(10).max(86_400),
    queueSeconds: z.number().int().min(10).max(7 * 86_400),
    inactiveInServiceSeconds: z.number().int().min(10).max(86_400),
    agentGraceSeconds: z.number().int().min(5).max(3600),
    connectionLostAction: z.enum(['requeue', 'finish']),
  }),
  alerts: z.strictObject({
    pauseMinutes: z.number().int().min(1).max(1440),
    queueWaitOverTarget: z.boolean(),
    noInteractionMinutes: z.number().int().min(1).max(1440),
    longServiceMinutes: z.number().int().min(1).max(1440),
    queueLength: z.number().int().min(1).max(100_000),
    serviceLevelPercent: z.number().min(1).max(100),
    // Carteira WhatsApp: a wallet balance under this (in the wallet's currency) raises an alert; 0 = off.
    // Optional on input, so a client that predates it keeps its default
    walletMinBalance: z.number().min(0).max(1_000_000_000).default(10),
  }),
  // API-channel webhooks may reach loopback, private and link-local addresses only when allowed
  allowPrivateWebhookTargets: z.boolean(),
  // Retenção de dados (LGPD): one period per data class, each rule on or off (engine/retention/)
  retention: z.strictObject({
    messagesEnabled: z.boolean(),
    messagesYears: serviceRecordYears,
    attachmentsEnabled: z.boolean(),
    attachmentsYears: serviceRecordYears,
    emailBodiesEnabled: z.boolean(),
    emailBodiesYears: serviceRecordYears,
    accessRecordsEnabled: z.boolean(),
    accessRecordsMonths: z.number().int().min(6, 'at least 6 months (Marco Civil da Internet, art. 15)').max(120),
    auditLogEnabled: z.boolean(),
    auditLogMonths: z.number().int().min(6, 'at least 6 months').max(240),
  }),
  // Opt-out (issue 17): a customer message that is exactly one of these words (case and accents
  // aside) stops active messages to the contact, answered with the confirmation
  optOut: z.strictObject({
    words: z.array(z.string().trim().min(1).max(40)).max(30),
    confirmation: z.string().trim().min(1).max(500),
  }),
} as const;

export type SettingKey = keyof typeof SETTING_SCHEMAS;
export const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as SettingKey[];
export type Settings = { [K in SettingKey]: z.infer<(typeof SETTING_SCHEMAS)[K]> };

export const DEFAULT_SETTINGS: Settings = {
  timezone: 'America/Sao_Paulo',
  companyName: 'Mirante',
  timeInState: { lowMinutes: 5, highMinutes: 30 },
  noInteractionMinutes: 5,
  shortAbandonSeconds: 10,
  // Portaria 2.014/2008's 60 s as the chat default; e-mail 24 h
  serviceLevel: { chatSeconds: 60, emailSeconds: 86_400, targetPercent: 80 },
  timeouts: {
    botSeconds: 600,
    queueSeconds: 1800,
    inactiveInServiceSeconds: 900,
    agentGraceSeconds: 60,
    connectionLostAction: 'requeue',
  },
  alerts: {
    pauseMinutes: 15,
    queueWaitOverTarget: true,
    noInteractionMinutes: 10,
    longServiceMinutes: 30,
    queueLength: 10,
    serviceLevelPercent: 80,
    walletMinBalance: 10,
  },
  allowPrivateWebhookTargets: false,
  // Every rule starts off: nothing is erased until an admin has seen the dry run and turned it on.
  // 5 years for service records: the decree's 2-year floor, lengthened to the consumer's 5 years to
  // claim damages (CDC art. 27), while the records may still be the company's evidence.
  retention: {
    messagesEnabled: false,
    messagesYears: 5,
    attachmentsEnabled: false,
    attachmentsYears: 5,
    emailBodiesEnabled: false,
    emailBodiesYears: 5,
    accessRecordsEnabled: false,
    accessRecordsMonths: 6,
    auditLogEnabled: false,
    auditLogMonths: 60,
  },
  // SAIR and PARAR are what Brazilian senders advertise, STOP what customers of other senders type;
  // not CANCELAR: alone it is as often a customer cancelling an order or a service
  optOut: {
    words: ['SAIR', 'PARAR', 'DESCADASTRAR', 'STOP'],
    confirmation: 'Pronto, você não receberá mais mensagens ativas nossas. Se mudar de ideia, é só nos escrever.',
  },
};

export const SettingsBody = z.object(SETTING_SCHEMAS);
export const PatchSettingsBody = z.strictObject(SETTING_SCHEMAS).partial();
export const SettingKeyParams = z.strictObject({ key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]) });
export const Setting = z.object({ key: z.string(), value: z.unknown(), isDefault: z.boolean() });
