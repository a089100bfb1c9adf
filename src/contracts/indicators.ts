import { z } from 'zod';
import { ExportFormatParam } from './analysis.js';
import { Channel, Id, Timestamp } from './common.js';
import { checkPeriod } from './conversation-filter.js';
import { ConversationState } from './conversations.js';

// Indicadores (seed: OmniMonitor → Início → Aba Indicadores): the seed's six tables over the
// conversations that ended in a period (reference/metrics.md). Admins and supervisors, each in their
// scope (engine/access.ts). Every figure is computed from the stored timestamps.

const Count = z.number().int().nonnegative();
const Seconds = z.number().int().nonnegative().nullable().describe('whole seconds; null when no conversation was handled');
const Day = z.iso.date();

/** The tables of GET /api/indicators, each downloadable on its own (`table` with `format`). */
export const INDICATOR_TABLES = ['byService', 'byChannel', 'byAgent', 'byStatus', 'daySummary'] as const;
export type IndicatorTable = (typeof INDICATOR_TABLES)[number];

/** The filters of the tab (the seed's Serviço, Canal and Período), shared by the tables and the detail. */
const filterFields = {
  from: Day.optional().describe('first day of the period (YYYY-MM-DD, the contact center’s time zone), by the conversation’s end; default today'),
  to: Day.optional().describe('last day, included; at most 366 days after from'),
  serviceId: Id.optional().describe('only this service'),
  channel: Channel.optional().describe('only this channel'),
};

/** `table` names the download when `format` is given (a 400 naming `table` when it is missing). */
function checkDownload(q: { format?: string; table?: string }, ctx: z.RefinementCtx): void {
  if (q.format && !q.table) ctx.addIssue({ code: 'custom', path: ['table'], message: 'required with format' });
}

export const IndicatorsQuery = z
  .strictObject({
    ...filterFields,
    format: ExportFormatParam,
    table: z.enum(INDICATOR_TABLES).optional().describe(`with format: the table to download (${INDICATOR_TABLES.join(', ')})`),
  })
  .superRefine(checkPeriod)
  .superRefine(checkDownload);
export type IndicatorsQuery = z.infer<typeof IndicatorsQuery>;

export const IndicatorConversationsQuery = z
  .strictObject({
    ...filterFields,
    after: z.string().min(1).max(2000).optional().describe('the `next` of the page before'),
    limit: z.coerce.number().int().min(1).max(200).optional().describe('rows per page, default 50'),
    format: ExportFormatParam,
  })
  .superRefine(checkPeriod);
export type IndicatorConversationsQuery = z.infer<typeof IndicatorConversationsQuery>;

/**
 * The figures of Resumo por Serviço, por Canal and Produtividade de Agentes (the seed's own
 * descriptions of DurMedia and DurMaxim are garbled: these are the mean and the longest handling time;
 * the "tempo de mídia" the seed names under DurMedia is TMídia, the calls' answered time).
 * A conversation counts when it ended in the period and an agent handled it.
 */
export const SummaryFigures = z.object({
  count: Count.describe('QtdAtend: conversations that ended in the period after an agent handled them'),
  totalSeconds: Seconds.describe('DurTotal: the sum of their handling times (finished_at − assignment)'),
  meanSeconds: Seconds.describe('DurMedia: DurTotal ÷ QtdAtend (weighted by conversation)'),
  maxSeconds: Seconds.describe('DurMaxim: the longest handling time among them'),
  mediaSeconds: z.number().int().nonnegative().describe(
    'TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description',
  ),
});

export const SummaryRow = SummaryFigures.extend({
  key: z.string().describe('the service’s or agent’s id, or the channel'),
  name: z.string().describe('Nome'),
  pct: z.number().describe('PctQtd: QtdAtend ÷ the table’s QtdAtend × 100, two decimals'),
});
export type SummaryRow = z.infer<typeof SummaryRow>;

export const SummaryTable = z.object({ rows: z.array(SummaryRow), total: SummaryFigures });
export type SummaryTable = z.infer<typeof SummaryTable>;
export type SummaryFigures = z.infer<typeof SummaryFigures>;

/** Resumo por Status' channel columns, in the seed's order: Voz is always 0 (no voice channel yet), Outros is Telegram and API. */
export const STATUS_CHANNEL_COLUMNS = ['webchat', 'email', 'facebook', 'instagram', 'sms', 'voice', 'whatsapp', 'other'] as const;
export type StatusChannelColumn = (typeof STATUS_CHANNEL_COLUMNS)[number];

/** The column of Resumo por Status a channel counts in. */
export function statusColumnOf(channel: Channel): StatusChannelColumn {
  switch (channel) {
    case 'webchat': case 'email': case 'facebook': case 'instagram': case 'sms': case 'whatsapp':
      return channel;
    default:
      return 'other';
  }
}

export const Direction = z.enum(['inbound', 'outbound']).describe('ES: inbound (Entrada, Receptivo: the customer wrote first) or outbound (Saída, Ativo)');

export const StatusRow = z.object({
  direction: Direction,
  state: ConversationState.describe('Situação: the end state (reference/metrics.md)'),
  count: Count.describe('TotalSit: conversations of this direction that ended in this state in the period'),
  pct: z.number().describe('Pct: TotalSit ÷ all conversations ended in the period × 100, two decimals'),
  channels: z.record(z.enum(STATUS_CHANNEL_COLUMNS), Count),
});
export type StatusRow = z.infer<typeof StatusRow>;

export const DaySummaryRow = z.object({
  direction: Direction.describe('Tipo: Receptivo (inbound) or Ativo (outbound)'),
  serviceId: Id,
  serviceName: z.string().describe('CampanhaServico'),
  channel: Channel,
  state: ConversationState.describe('SitOpe: the end state'),
  classificationName: z.string().nullable().describe('Observacao: the classification given in the wrap-up'),
  lastFinishedAt: Timestamp.describe('Ultimo: the latest end among them'),
  count: Count.describe('Qtd'),
});
export type DaySummaryRow = z.infer<typeof DaySummaryRow>;

export const IndicatorsReport = z.object({
  from: Day,
  to: Day,
  timezone: z.string(),
  generatedAt: Timestamp,
  byService: SummaryTable,
  byChannel: SummaryTable,
  byAgent: SummaryTable,
  byStatus: z.object({ rows: z.array(StatusRow), total: Count.describe('conversations ended in the period') }),
  daySummary: z.array(DaySummaryRow),
});
export type IndicatorsReport = z.infer<typeof IndicatorsReport>;

/** One row of Atendimentos OMNI. */
export const IndicatorConversation = z.object({
  id: Id,
  version: z.string().describe('Versão: the version of Mirante that serves the report'),
  protocol: z.string().describe('NrAtend and OcorrCrm: the SAC decree protocol is both the conversation’s number and the occurrence’s'),
  queuedAt: Timestamp.nullable().describe('EntradaFila: first entry into a human queue'),
  humanStartedAt: Timestamp.nullable().describe('InicioAtd: first assignment to an agent'),
  finishedAt: Timestamp.describe('TerminoAtd: the end'),
  state: ConversationState.describe('SituacaoAtd'),
  channel: Channel,
  serviceName: z.string(),
  direction: Direction,
  subject: z.string().nullable().describe('Assunto: an e-mail’s subject'),
  description: z.string().nullable().describe('Descrição: an e-mail’s body (the customer’s first message, its first 500 characters)'),
  origin: z.string().nullable().describe('Origem: the customer’s e-mail address, else phone or channel identity'),
  bot: z.boolean().describe('AutoAtd: went through the bot'),
  human: z.boolean().describe('AtdHmn: an agent handled it'),
  agentName: z.string().nullable().describe('Agente: the last agent'),
  protocolAt: Timestamp.describe('DataOcorr: when the protocol was drawn (the conversation’s start)'),
  classificationName: z.string().nullable().describe('SituacaoOcorr: the classification given in the wrap-up'),
  closedAt: Timestamp.describe('FimOcorr: the occurrence closes with the conversation (the wrap-up is saved at its end)'),
  audioSeconds: z.number().int().nullable().describe('T.Audio: answered seconds of its WebChat calls while audio only; null when no call was answered'),
  videoSeconds: z.number().int().nullable().describe('T.Video: answered seconds of its calls while carrying video; null when no call was answered'),
});
export type IndicatorConversation = z.infer<typeof IndicatorConversation>;

export const IndicatorConversationPage = z.object({
  rows: z.array(IndicatorConversation),
  next: z.string().nullable().describe('cursor of the next page; null on the last'),
  total: Count.optional().describe('conversations the filter selects (first page only)'),
});
export type IndicatorConversationPage = z.infer<typeof IndicatorConversationPage>;
