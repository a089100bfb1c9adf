import { z } from 'zod';
import { Channel, Id, Timestamp } from './common.js';
import { ConversationState } from './conversations.js';
import { checkPeriod, conversationFilterFields } from './conversation-filter.js';

// Consultas (Chat, E-mail, Messaging) and Histórico: the conversations a filter selects, a page at a
// time by keyset, or all of them as a CSV or XLSX download.

/**
 * The sortable columns, one key each (the seed's columns):
 * start (Data/Hora, the conversation's start), botStart (Dt.Ini.Atd.Bot), botEnd (Dt.Fim.Atd.Bot),
 * queued (Data Fila), humanStart (Dt.Ini.Atd.Hum), humanEnd (Dt.Fim.Atd.Hum), protocol (Nr.Ocorr),
 * queueTime (Tempo de Fila), handleTime (T.Atend), contact (Contato / Origem: the customer's name),
 * origin (Origem of an e-mail: the sender's address), service (Serviço), subject (Assunto),
 * state (Status), agent (Agente / Responsável), channel (Tipo), classification (Classificação).
 */
export const LOOKBACK_SORTS = [
  'start', 'botStart', 'botEnd', 'queued', 'humanStart', 'humanEnd', 'protocol', 'queueTime', 'handleTime',
  'contact', 'origin', 'service', 'subject', 'state', 'agent', 'channel', 'classification',
] as const;
export type LookbackSort = (typeof LOOKBACK_SORTS)[number];

export const LOOKBACK_FORMATS = ['csv', 'xlsx'] as const;
export type LookbackFormat = (typeof LOOKBACK_FORMATS)[number];

export const LookbackQuery = z
  .strictObject({
    ...conversationFilterFields,
    sort: z.enum(LOOKBACK_SORTS).optional().describe(`the column to sort by (default start): ${LOOKBACK_SORTS.join(', ')}`),
    dir: z.enum(['asc', 'desc']).optional().describe('default: desc for start, asc for every other column'),
    after: z.string().min(1).max(20_000).optional().describe('the previous page’s `next`: the page after it'),
    limit: z.coerce.number().int().min(1).max(200).optional().describe('rows per page, 1 to 200 (default 50)'),
    format: z.enum(LOOKBACK_FORMATS).optional().describe('csv or xlsx: the whole selection as a download (no page), in the screen’s language; absent: JSON'),
  })
  .superRefine(checkPeriod);
export type LookbackQuery = z.infer<typeof LookbackQuery>;

const Ts = Timestamp.nullable();

/** One conversation of a looking-back list: the data of every seed column (the screens format it). */
export const LookbackRow = z.object({
  id: Id,
  protocol: z.string(),
  channel: Channel,
  direction: z.enum(['inbound', 'outbound']),
  state: ConversationState,
  serviceId: Id,
  serviceName: z.string(),
  agentId: Id.nullable(),
  agentName: z.string().nullable(),
  preferredAgentId: Id.nullable().describe('a waiting conversation a supervisor allocated (Alocar responsável): the agent it waits for'),
  preferredAgentName: z.string().nullable().describe('that agent’s name (Responsável of a queued e-mail)'),
  contactId: Id,
  /** the customer's name, else their phone, e-mail or channel identity */
  contactName: z.string().nullable(),
  /** the customer's e-mail address, else their phone or channel identity (an e-mail's Origem) */
  origin: z.string().nullable(),
  subject: z.string().nullable(),
  classificationId: Id.nullable(),
  classificationName: z.string().nullable(),
  startedAt: Timestamp,
  botStartedAt: Ts,
  botEndedAt: Ts,
  queuedAt: Ts.describe('first entry in the queue (Data Fila)'),
  humanStartedAt: Ts.describe('first assignment to an agent (Dt.Ini.Atd.Hum)'),
  humanEndedAt: Ts.describe('the end of the human service: the finish of a conversation an agent took'),
  finishedAt: Ts,
  queueSeconds: z.number().int().nullable().describe('Tempo de Fila: first queued to first assigned (or to the finish when no agent took it); null while waiting'),
  handleSeconds: z.number().int().nullable().describe('T.Atend: first assigned to finished; null while in service'),
  audioSeconds: z.number().int().nullable().describe('T.Audio: answered seconds of the conversation’s WebChat calls while they carried audio only; null when no call was answered'),
  videoSeconds: z.number().int().nullable().describe('T.Video: answered seconds of its calls while they carried video; null when no call was answered'),
});
export type LookbackRow = z.infer<typeof LookbackRow>;

export const LookbackPage = z.object({
  rows: z.array(LookbackRow),
  /** the cursor of the next page (`after`), null on the last */
  next: z.string().nullable(),
  /**
   * how many conversations the filter selects in all (with `text`: counted up to 10,000, a common
   * phrase up to 1,000; an `origin` matching tens of thousands of customers: up to 1,000)
   */
  total: z.number().int(),
  /** false when `total` is a lower bound: a search in the messages' text or the origin matched more than it counts */
  totalExact: z.boolean(),
});
export type LookbackPage = z.infer<typeof LookbackPage>;

/** The header of a download that carries how many rows it will have (the screen's progress). */
export const EXPORT_TOTAL_HEADER = 'x-total-count';

/** A column of a looking-back list: a sort key, or a column with no data in Mirante yet. */
export type LookbackColumn = LookbackSort | 'audioTime' | 'videoTime';

/** The list a tab shows (its family), or Histórico (`all`: every channel). */
export type LookbackView = 'chat' | 'email' | 'messaging' | 'all';

/**
 * The seed's columns of each tab, in its order; Histórico takes the chat columns that every channel
 * has, plus the service, the channel and the classification. The screens and the exports read this.
 */
export const LOOKBACK_COLUMNS: Readonly<Record<LookbackView, readonly LookbackColumn[]>> = {
  chat: ['botStart', 'botEnd', 'queued', 'humanStart', 'humanEnd', 'protocol', 'queueTime', 'handleTime', 'audioTime', 'videoTime', 'contact', 'state', 'agent', 'channel'],
  messaging: ['botStart', 'botEnd', 'queued', 'humanStart', 'humanEnd', 'protocol', 'queueTime', 'handleTime', 'audioTime', 'videoTime', 'contact', 'state', 'agent', 'channel'],
  email: ['start', 'protocol', 'queueTime', 'handleTime', 'service', 'origin', 'subject', 'state', 'agent'],
  all: ['start', 'protocol', 'channel', 'service', 'contact', 'state', 'agent', 'queued', 'humanStart', 'humanEnd', 'queueTime', 'handleTime', 'classification'],
};

export const isSortable = (c: LookbackColumn): c is LookbackSort => c !== 'audioTime' && c !== 'videoTime';
