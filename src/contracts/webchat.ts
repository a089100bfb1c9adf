import { z } from 'zod';
import { CallClientMessage, CallView, type CallServerMessage } from './calls.js';

/**
 * The WebChat widget's protocol. The widget is a customer's browser: no session cookie, but a
 * visitor identity (id + secret token) it keeps in localStorage, issued by the server.
 *
 * HTTP
 *   GET  /webchat/config/:serviceKey            → WebchatConfig (404 for an unknown or inactive key)
 *   POST /webchat/visitors {serviceKey}          → VisitorIdentity (a new identity; 429 when flooded)
 *   POST /webchat/attachments (multipart, header x-visitor-token) → Attachment (413 too big, 415 type;
 *                                                   409 no open conversation; upload_quota_exceeded:
 *                                                   413 the visitor's unsent files, 429 a daily quota or
 *                                                   the service's unsent files). Unsent after an hour:
 *                                                   deleted.
 *   GET  /webchat/attachments/:id?token=…        → the file, for the conversation's visitor; agents and
 *                                                   supervisors read it through /api/attachments/:id
 * WebSocket  /webchat/ws?service=KEY&visitor=ID&token=TOKEN
 *   client → server: WidgetClientMessage; server → client: WidgetServerMessage.
 */

export const PrechatField = z.object({
  field: z.enum(['name', 'email', 'phone', 'cpf']),
  required: z.boolean().describe('the SAC decree: by default no field blocks reaching an attendant'),
});
export type PrechatField = z.infer<typeof PrechatField>;

export const WebchatConfig = z.object({
  serviceKey: z.string(),
  serviceName: z.string(),
  /** open now by the service's business hours */
  open: z.boolean(),
  /** what the widget says outside hours */
  closedMessage: z.string().nullable(),
  /**
   * outside hours: queue anyway, or take a message to be answered later. With leave_message, 'start'
   * opens nothing (the answer is state idle); the customer's first 'message' is stored in a
   * conversation finished at once, and the state becomes left_message with its protocol.
   */
  outsideHours: z.enum(['queue', 'leave_message']),
  prechat: z.array(PrechatField),
  maxAttachmentBytes: z.number().int(),
  attachmentTypes: z.array(z.string()).describe('accepted MIME types'),
  /** the service lets the customer ask for a call (Serviços → "O cliente pode pedir uma chamada"); the agent may always call */
  customerCalls: z.boolean(),
});
export type WebchatConfig = z.infer<typeof WebchatConfig>;

export const VisitorIdentity = z.object({ visitorId: z.string(), token: z.string() });
export type VisitorIdentity = z.infer<typeof VisitorIdentity>;

export const Attachment = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  url: z.string().describe('for the visitor who sent or received it: absolute, with the visitor’s token; use as is'),
});
export type Attachment = z.infer<typeof Attachment>;

export const WidgetClientMessage = z.discriminatedUnion('type', [
  /** first message after connecting: resume (lastMessageId) or start; prechat answers when asked */
  z.object({
    type: z.literal('hello'),
    lastMessageId: z.number().int().nonnegative().optional(),
    language: z.enum(['pt-BR', 'en']).optional(),
  }),
  z.object({
    type: z.literal('start'),
    prechat: z.record(z.string(), z.string().max(200)).optional(),
  }),
  /** clientId: the widget's own id, so a message re-sent after a reconnect is stored once */
  z.object({ type: z.literal('message'), clientId: z.string().min(1).max(64), text: z.string().max(4096), attachmentIds: z.array(z.string()).max(5).optional() }),
  /** a bot menu button */
  z.object({ type: z.literal('option'), clientId: z.string().min(1).max(64), optionId: z.string().max(64) }),
  z.object({ type: z.literal('typing') }),
  /** the customer ends the chat: abandoned in the queue, customer_gave_up in the bot */
  z.object({ type: z.literal('close') }),
  z.object({ type: z.literal('ping') }),
  /** calls (contracts/calls.ts): about the widget's one conversation, so call_start carries no conversationId */
  ...CallClientMessage.options,
]);
export type WidgetClientMessage = z.infer<typeof WidgetClientMessage>;

export const WidgetMessage = z.object({
  id: z.number().int(),
  clientId: z.string().nullable(),
  from: z.enum(['customer', 'agent', 'bot', 'system']),
  authorName: z.string().nullable(),
  text: z.string(),
  /** bot menu options, rendered as buttons */
  options: z.array(z.object({ id: z.string(), label: z.string() })).nullable(),
  attachments: z.array(Attachment).nullable(),
  /** the text of the message this one answers (an agent's "Responder"), shown as a quote above it */
  replyTo: z.object({ text: z.string() }).nullable().optional(),
  /** a call's line in the history (from 'system'): the finished call, to draw in the widget's language */
  call: CallView.nullable().optional(),
  createdAt: z.string(),
});
export type WidgetMessage = z.infer<typeof WidgetMessage>;

export type WidgetState =
  | { phase: 'idle' }
  | { phase: 'prechat'; fields: PrechatField[] }
  | { phase: 'bot'; protocol: string }
  | { phase: 'queued'; protocol: string; position: number; estimatedWaitSeconds: number | null }
  | { phase: 'in_service'; protocol: string; agentName: string }
  | { phase: 'closed'; protocol: string | null; reason: string; message: string | null }
  | { phase: 'left_message'; protocol: string };

/**
 * Error codes of 'error': rate_limited (wait and re-send: nothing was stored), invalid_prechat
 * (message names the fields, e.g. "cpf: invalid check digits"), not_in_bot (a stale button),
 * no_open_conversation / illegal_transition (close while with an agent), unknown_reference (an
 * attachment that is not the visitor's), validation_error, bad_message, internal_error.
 * A customer message is echoed to the visitor's other tabs as 'message'; the sender gets 'ack' only.
 */
export type WidgetServerMessage =
  | { type: 'welcome'; config: WebchatConfig; state: WidgetState; messages: WidgetMessage[] }
  | { type: 'state'; state: WidgetState }
  | { type: 'message'; message: WidgetMessage }
  | { type: 'ack'; clientId: string; messageId: number }
  | { type: 'typing'; from: 'agent'; name: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' }
  | CallServerMessage;
