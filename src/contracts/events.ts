import { z } from 'zod';
import { AgentView, ConversationView, MessageView, WhisperView } from './conversations.js';
import { MonitorFilter, type MonitorSnapshot } from './monitor.js';
import { AlertView } from './alerts.js';
import { WhatsAppWallet } from './whatsapp.js';
import { CallClientMessage, CallView, type CallServerMessage } from './calls.js';

/**
 * Realtime events, as stored in the event log and pushed over /ws: one schema per event type,
 * discriminated by `type`. Each carries the whole current view of its subject, so a client (and the
 * live projection) just replaces what it holds. `v` is the version of the event's payload: a change
 * to a payload is a new version of that event (bump its literal; `eventsAfter` reads older stored
 * versions), never a silent change of shape. Rows stored before versions existed are version 1.
 */
const envelope = {
  seq: z.number().int(),
  at: z.string(),
  /** the service the event belongs to (the gateway scopes by it); null when none */
  serviceId: z.string().nullable(),
  /** the agent the event concerns, if any */
  agentId: z.string().nullable(),
};
/** why a conversation or an agent changed: assigned, transferred, finished, connected… */
const reason = z.string();

export const ConversationCreated = z.object({ ...envelope, type: z.literal('conversation.created'), v: z.literal(1), reason, conversation: ConversationView });
export const ConversationUpdated = z.object({ ...envelope, type: z.literal('conversation.updated'), v: z.literal(1), reason, conversation: ConversationView });
export const MessageCreated = z.object({ ...envelope, type: z.literal('message.created'), v: z.literal(1), message: MessageView });
/**
 * a message changed; `message` is its whole view. 'delivery': an outgoing message's delivery (sent,
 * delivered, read, failed: a provider's receipt or the outbox); 'media': a customer's file was fetched
 * from the provider (or failed to be), its attachment entry replaced
 */
export const MessageUpdated = z.object({ ...envelope, type: z.literal('message.updated'), v: z.literal(1), reason: z.enum(['delivery', 'media']), message: MessageView });
export const WhisperCreated = z.object({ ...envelope, type: z.literal('whisper.created'), v: z.literal(1), whisper: WhisperView });
/** a supervisor-chat message changed: its reader read it (reason 'read'; the agent a supervisor's, a supervisor the agent's) */
export const WhisperUpdated = z.object({ ...envelope, type: z.literal('whisper.updated'), v: z.literal(1), reason: z.literal('read'), whisper: WhisperView });
export const AgentUpdated = z.object({ ...envelope, type: z.literal('agent.updated'), v: z.literal(1), reason, serviceId: z.null(), agent: AgentView });
/** services, teams or parameters changed: every node refreshes what it caches of them */
export const CatalogUpdated = z.object({ ...envelope, type: z.literal('catalog.updated'), v: z.literal(1), serviceId: z.null(), agentId: z.null() });
export const AlertCreated = z.object({ ...envelope, type: z.literal('alert.created'), v: z.literal(1), alert: AlertView });
/** the alert's condition ended; it stays in the inbox for the day's review */
export const AlertResolved = z.object({ ...envelope, type: z.literal('alert.resolved'), v: z.literal(1), alert: AlertView });
/**
 * a WhatsApp account's wallet was read from the provider (or the reading failed): one event per
 * service of the account, with that service's view of it (Carteira WhatsApp on Início)
 */
export const WalletUpdated = z.object({ ...envelope, type: z.literal('whatsapp.wallet.updated'), v: z.literal(1), serviceId: z.string(), agentId: z.null(), wallet: WhatsAppWallet });

/**
 * a call of a WebChat conversation changed (contracts/calls.ts): rang, answered, switched media, ended.
 * serviceId/agentId are the conversation's; the monitor's "em chamada" is AgentView.inCall, which an
 * `agent.updated` raised with this event carries.
 */
export const CallUpdated = z.object({ ...envelope, type: z.literal('call.updated'), v: z.literal(1), serviceId: z.string(), call: CallView });

const EVENT_SCHEMAS = [
  ConversationCreated, ConversationUpdated, MessageCreated, MessageUpdated, WhisperCreated, WhisperUpdated, AgentUpdated, CatalogUpdated, AlertCreated, AlertResolved,
  WalletUpdated, CallUpdated,
] as const;

export const RealtimeEvent = z.discriminatedUnion('type', EVENT_SCHEMAS);
export type RealtimeEvent = z.infer<typeof RealtimeEvent>;
export type EventType = RealtimeEvent['type'];
export const EVENT_TYPES = EVENT_SCHEMAS.map((s) => s.shape.type.value) as EventType[];
/** The event of one type. */
export type EventOf<T extends EventType> = Extract<RealtimeEvent, { type: T }>;

/** The current version of each event type's payload (what `emit` stamps). */
export const EVENT_VERSIONS = Object.fromEntries(EVENT_SCHEMAS.map((s) => [s.shape.type.value, s.shape.v.value])) as {
  [T in EventType]: EventOf<T>['v'];
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a command raises it: the log gives it its seq and time, `emit` its version. */
export type NewEvent = DistributiveOmit<RealtimeEvent, 'seq' | 'at' | 'v'>;
/** An event as the log stores it (its row's payload). */
export type StoredEvent = DistributiveOmit<RealtimeEvent, 'seq' | 'at'>;

/** Client → server over /ws. */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    /** 'agent' = my own work; 'monitor' = what my scope lets me supervise */
    stream: z.enum(['agent', 'monitor']),
    lastSeq: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('ping') }),
  /** on the monitor stream: the filters of Início; figures are then pushed as 'monitor' messages */
  z.object({ type: z.literal('monitor_filter'), filter: MonitorFilter }),
  z.object({ type: z.literal('typing'), conversationId: z.string() }),
  /** calls (contracts/calls.ts): the desk names the conversation in call_start */
  ...CallClientMessage.options,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Server → client over /ws. */
export type ServerMessage =
  | { type: 'event'; event: RealtimeEvent }
  /** several events in one frame, in seq order (the server batches when events come in bursts) */
  | { type: 'events'; events: RealtimeEvent[] }
  | { type: 'snapshot'; seq: number; conversations: z.infer<typeof ConversationView>[]; agents: z.infer<typeof AgentView>[] }
  | { type: 'caught_up'; seq: number }
  | { type: 'monitor'; figures: MonitorSnapshot }
  | { type: 'pong' }
  /** the customer is typing in the conversation (WebChat); not stored, not caught up */
  | { type: 'typing'; conversationId: string; from: 'customer' }
  | { type: 'error'; message: string }
  | CallServerMessage;
