import { z } from 'zod';
import { AgentView, ConversationView, MessageView, WhisperView } from './conversations.js';
import { MonitorFilter, type MonitorSnapshot } from './monitor.js';
import { AlertView } from './alerts.js';

/**
 * Realtime events, as stored in the event log and pushed over /ws. Each carries the whole current
 * view of its subject, so a client (and the live projection) just replaces what it holds.
 */
export const EVENT_TYPES = [
  'conversation.created', 'conversation.updated', 'message.created', 'whisper.created',
  /** a supervisor-chat message changed: its reader read it (reason 'read'; the agent a supervisor's, a supervisor the agent's) */
  'whisper.updated',
  'agent.updated',
  /** services, teams or parameters changed: every node refreshes what it caches of them */
  'catalog.updated',
  'alert.created',
  /** the alert's condition ended; it stays in the inbox for the day's review */
  'alert.resolved',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const RealtimeEvent = z.object({
  seq: z.number().int(),
  type: z.enum(EVENT_TYPES),
  at: z.string(),
  /** why a conversation changed: assigned, transferred, finished… */
  reason: z.string().optional(),
  serviceId: z.string().nullable(),
  agentId: z.string().nullable(),
  conversation: ConversationView.optional(),
  message: MessageView.optional(),
  whisper: WhisperView.optional(),
  agent: AgentView.optional(),
  alert: AlertView.optional(),
});
export type RealtimeEvent = z.infer<typeof RealtimeEvent>;
export type NewEvent = Omit<RealtimeEvent, 'seq' | 'at'>;

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
  | { type: 'error'; message: string };
