import { z } from 'zod';
import { CONVERSATION_STATES } from '../shared/states.js';
import { Channel, Id, Timestamp } from './common.js';

export { CONVERSATION_STATES };
export const ConversationState = z.enum(CONVERSATION_STATES);
export type ConversationState = z.infer<typeof ConversationState>;
export const AGENT_STATES = ['offline', 'available', 'paused', 'in_service'] as const;
export const AgentState = z.enum(AGENT_STATES);

const Ts = Timestamp.nullable();

/** A conversation as every screen and the realtime stream see it: every timestamp metrics.md needs. */
export const ConversationView = z.object({
  id: Id,
  protocol: z.string(),
  serviceId: Id,
  channel: Channel,
  contactId: Id,
  contactName: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  state: ConversationState,
  priority: z.enum(['manual', 'returned', 'normal']),
  agentId: Id.nullable(),
  preferredAgentId: Id.nullable(),
  subject: z.string().nullable(),
  createdAt: Timestamp,
  botStartedAt: Ts,
  botEndedAt: Ts,
  queuedAt: Ts,
  firstQueuedAt: Ts,
  assignedAt: Ts,
  firstAssignedAt: Ts,
  firstAgentMessageAt: Ts,
  lastCustomerMessageAt: Ts,
  lastAgentMessageAt: Ts,
  lastMessageAt: Ts,
  lastMessageFrom: z.enum(['customer', 'agent', 'bot', 'system']).nullable(),
  finishedAt: Ts,
  finishedBy: z.enum(['customer', 'agent', 'supervisor', 'bot', 'system']).nullable(),
  classificationId: Id.nullable(),
  wrapup: z.record(z.string(), z.unknown()).nullable(),
  notes: z.string().nullable(),
  transferCount: z.number().int(),
  /**
   * The customer-service window for the agent, on channels that have one (capabilities.window):
   * free text until `closesAt` (null: the customer never wrote); after it, templates only.
   */
  window: z.object({ hours: z.number(), closesAt: Ts }).nullable().optional(),
});
export type ConversationView = z.infer<typeof ConversationView>;

export const MessageView = z.object({
  id: z.number().int(),
  conversationId: Id,
  authorType: z.enum(['customer', 'agent', 'bot', 'system']),
  authorId: Id.nullable(),
  authorName: z.string().nullable(),
  body: z.string(),
  contentType: z.string(),
  attachments: z.array(z.unknown()).nullable(),
  deliveryStatus: z.enum(['pending', 'sent', 'delivered', 'read', 'failed']).nullable(),
  /** why a failed message failed: the provider's error (code and text), or the outbox's last error once it gave up */
  deliveryError: z.object({ code: z.string().nullable(), message: z.string() }).nullable().optional(),
  /** channel data (contracts/message-content.ts): a bot menu's `options`, location, contacts, reaction, replyTo, edited, deleted, template; a widget message's `clientId` */
  payload: z.record(z.string(), z.unknown()).nullable().optional(),
  /** the provider's id of this message (a customer's: its external id; an agent's: the id the provider gave it): what reactions and replies name */
  externalId: z.string().nullable().optional(),
  createdAt: Timestamp,
});
export type MessageView = z.infer<typeof MessageView>;

/** Supervisor chat (whisper) about one conversation: never shown to the customer. */
export const WhisperView = z.object({
  id: z.number().int(),
  conversationId: Id,
  agentId: Id,
  authorId: Id,
  authorName: z.string(),
  body: z.string(),
  createdAt: Timestamp,
  readAt: Ts,
});
export type WhisperView = z.infer<typeof WhisperView>;

export const AgentView = z.object({
  id: Id,
  name: z.string(),
  teamIds: z.array(Id),
  /** presence as stored: a paused agent may still hold conversations assigned by hand */
  presence: AgentState,
  /** as the monitor shows it (metrics.md): in_service with ≥ 1 conversation, paused or not */
  state: AgentState,
  pauseReasonId: Id.nullable(),
  pendingPauseReasonId: Id.nullable(),
  stateSince: Timestamp,
  loggedInAt: Ts,
  openChat: z.number().int(),
  openEmail: z.number().int(),
  lastAssignedAt: Ts,
  connected: z.boolean(),
  /** in a WebRTC call now (an answered one, not yet ended): the Agentes tile's "em chamada" */
  inCall: z.boolean(),
  /** linked as an omnichannel agent and active; false means: drop this agent from live views */
  enabled: z.boolean(),
});
export type AgentView = z.infer<typeof AgentView>;

export const ConversationDetail = z.object({
  conversation: ConversationView,
  messages: z.array(MessageView),
  whispers: z.array(WhisperView),
});

/**
 * What an agent sends: text; one file uploaded first (POST /api/conversations/:id/attachments) with
 * the text as its caption; or an approved template with its parameters. Outside the customer-service
 * window only a template goes (409 window_closed).
 */
const EmailList = z.array(z.string().trim().max(320)).max(50);
export const SendMessageBody = z.strictObject({
  text: z.string().trim().max(4096).optional(),
  attachmentIds: z.array(Id).max(10).optional().describe('one file per message (the desk sends one message per file); an e-mail carries up to 10'),
  template: z.strictObject({ id: Id, parameters: z.array(z.string().max(1024)).max(20) }).optional(),
  email: z.strictObject({
    mode: z.enum(['reply', 'replyAll', 'forward']).describe('reply: to the sender; replyAll: and everyone the e-mail went to; forward: to whom `to` says'),
    to: EmailList.optional().describe('empty or absent: as the mode says (forward needs it)'),
    cc: EmailList.optional(),
    bcc: EmailList.optional(),
    subject: z.string().trim().max(998).optional().describe('absent: "Re:"/"Fwd:" and the e-mail\'s subject; the protocol tag is always put in front'),
  }).optional().describe('e-mail conversations: how the reply goes'),
  replyToMessageId: z.number().int().positive().optional().describe('the message of this conversation this one answers (the desk’s Responder): sent with the provider’s reply context where it has one'),
}).refine((b) => Boolean(b.email) || (b.attachmentIds?.length ?? 0) <= 1, { message: 'one file per message: send each file in its own message', path: ['attachmentIds'] })
  .refine((b) => Boolean(b.text) || Boolean(b.attachmentIds?.length) || Boolean(b.template) || b.email?.mode === 'forward', { message: 'write a message, attach a file or pick a template', path: ['text'] })
  .refine((b) => !(b.template && (b.text || b.attachmentIds?.length)), { message: 'a template goes alone, without text or files', path: ['template'] });
export const WhisperBody = z.strictObject({ text: z.string().trim().min(1).max(2000) });
export const FinishBody = z.strictObject({
  outcome: z.enum(['completed', 'cancelled']),
  classificationId: Id.optional().describe('required on completed when the service offers classifications (one of those)'),
  notes: z.string().max(4000).optional(),
  fields: z.record(z.string(), z.union([z.string().max(1000), z.number(), z.boolean()])).optional(),
});
export const TransferBody = z.union([
  z.strictObject({ toAgentId: Id }),
  z.strictObject({ toServiceId: Id }),
]);
export const AssignBody = z.strictObject({ agentId: Id });
export const PauseBody = z.strictObject({ reasonId: Id });
export const ConversationListQuery = z.strictObject({
  state: z.enum(['open', ...CONVERSATION_STATES]).optional(),
  serviceId: Id.optional(),
  agentId: Id.optional(),
  protocol: z.string().max(40).optional(),
  mine: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const InboundApiMessage = z.strictObject({
  contact: z.strictObject({ externalId: z.string().trim().min(1).max(200), name: z.string().trim().max(200).optional() }),
  externalId: z.string().trim().min(1).max(200).describe('your id of this message: a repeated delivery is ignored'),
  text: z.string().min(1).max(4096),
});
