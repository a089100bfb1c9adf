import { z } from 'zod';

// For the UI (H2), what the server does — calls-server branch:
// - History: when a call reaches a final state (ended, missed, declined, failed) the server stores a
//   `system` message in the conversation: contentType 'call', payload `{ call: CallView }`, body the
//   pt-BR line ("Chamada de vídeo, 4:12", "Chamada de áudio perdida", "Chamada de vídeo recusada",
//   "Chamada de áudio falhou: sem permissão de câmera ou microfone"). It arrives as any message does
//   (message.created on /ws, 'message' on the widget, where WidgetMessage.call carries the CallView):
//   draw it from `call` in the reader's language, the body is the fallback. `callLine()` in
//   src/shared/calls.ts words it in both languages.
// - Live: each change is a `call.updated` event on /ws (agent and monitor streams, by service) and a
//   `call` message on both sockets; the monitor's "em chamada" is AgentView.inCall (an agent.updated
//   is raised when it flips).
// - The widget shows "Ligar" only when WebchatConfig.customerCalls is true (the service's setting
//   Service.customerCalls, off by default); the agent may always call on an in_service WebChat
//   conversation.
// - Ringing ends after CALL_RING_SECONDS (missed, endedBy 'system'); a finished conversation ends
//   its call (ended, endedBy who finished it); a socket that closes fails its side's call
//   ('disconnected').

/**
 * Audio and video calls inside a WebChat conversation (WebRTC, one to one, no media server).
 *
 * The call's lifecycle and its signalling travel over the two WebSockets that exist: the desk's
 * `/ws` (the conversation's agent) and the widget's (the conversation's visitor). The server checks
 * each message against the conversation (only its agent and its customer; a finished conversation
 * or a call that is not theirs is refused), stores the call's record, and relays across nodes.
 * Supervisors never join a call.
 *
 * Flow: the caller sends `call_start`; the server stores the call (`ringing`) and sends a `call`
 * message with it to both sides (the callee's rings). The callee sends `call_accept` (→ `active`,
 * answeredAt) or `call_decline` (→ `declined`); unanswered after CALL_RING_SECONDS it is `missed`.
 * Once accepted the caller makes the offer: `call_signal` messages (offer, answer, ICE candidates)
 * are relayed to the other side as they are. Either side ends it with `call_hangup` (→ `ended`,
 * endedBy), or reports `call_failed` with why (→ `failed`). `call_media` says the caller's side
 * switched audio ↔ video (the record keeps the video seconds apart from the audio ones).
 */

export const CALL_KINDS = ['audio', 'video'] as const;
export const CallKind = z.enum(CALL_KINDS);
export type CallKind = z.infer<typeof CallKind>;

export const CALL_STATES = ['ringing', 'active', 'ended', 'missed', 'declined', 'failed'] as const;
export const CallState = z.enum(CALL_STATES);
export type CallState = z.infer<typeof CallState>;

/** Who did something in a call: the conversation's agent or its customer (or the server: a ring that timed out). */
export const CallParty = z.enum(['agent', 'customer', 'system']);
export type CallParty = z.infer<typeof CallParty>;

/** Why a call failed, as either side reports it (each has a pt-BR/en sentence on both sides). */
export const CALL_FAILURES = ['permission_denied', 'no_device', 'connection_failed', 'unsupported', 'busy', 'disconnected'] as const;
export const CallFailure = z.enum(CALL_FAILURES);
export type CallFailure = z.infer<typeof CallFailure>;

/** How long a call rings before it is recorded as missed. */
export const CALL_RING_SECONDS = 45;

/** An ICE server as RTCPeerConnection takes it (from ICE_SERVERS, with per-call TURN credentials). */
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

export const CallView = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** the kind asked for; `video` true while the call carries video */
  kind: CallKind,
  video: z.boolean(),
  state: CallState,
  caller: z.enum(['agent', 'customer']),
  agentId: z.string().nullable(),
  ringAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endedBy: CallParty.nullable(),
  failure: CallFailure.nullable(),
  /** answered time so far, split by what the call carried (seconds; for an active call up to now) */
  audioSeconds: z.number().int().nonnegative(),
  videoSeconds: z.number().int().nonnegative(),
});
export type CallView = z.infer<typeof CallView>;

/** A call as the Ficha de Atendimento lists it: the view and the name of the agent in it. */
export const RecordCall = CallView.extend({
  agentName: z.string().nullable().describe('the agent in the call (who called, or who was called); null for none'),
});
export type RecordCall = z.infer<typeof RecordCall>;

/** GET /api/conversations/:id/calls: the conversation's calls, oldest first, and its T.Audio and T.Video. */
export const ConversationCalls = z.object({
  calls: z.array(RecordCall),
  audioSeconds: z.number().int().nonnegative().nullable()
    .describe('T.Audio: answered seconds of its calls that are over while audio only (as Consultas and Atendimentos OMNI); null when none was answered'),
  videoSeconds: z.number().int().nonnegative().nullable().describe('T.Video: the same while carrying video'),
});
export type ConversationCalls = z.infer<typeof ConversationCalls>;

/** SDP or an ICE candidate, relayed untouched to the other side (bounded in size). */
export const CallSignal = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), sdp: z.string().max(20_000) }),
  z.object({ type: z.literal('answer'), sdp: z.string().max(20_000) }),
  z.object({
    type: z.literal('ice'),
    candidate: z.object({
      candidate: z.string().max(1_000),
      sdpMid: z.string().max(64).nullable().optional(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
    }).nullable(),
  }),
]);
export type CallSignal = z.infer<typeof CallSignal>;

/**
 * What either side sends about calls. The desk's messages name the conversation (an agent has
 * several); the widget's are about its one conversation, so `conversationId` is absent there.
 */
export const CallClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call_start'), conversationId: z.string().optional(), kind: CallKind }),
  z.object({ type: z.literal('call_accept'), callId: z.string() }),
  z.object({ type: z.literal('call_decline'), callId: z.string() }),
  z.object({ type: z.literal('call_hangup'), callId: z.string() }),
  z.object({ type: z.literal('call_failed'), callId: z.string(), failure: CallFailure }),
  z.object({ type: z.literal('call_media'), callId: z.string(), video: z.boolean() }),
  z.object({ type: z.literal('call_signal'), callId: z.string(), signal: CallSignal }),
]);
export type CallClientMessage = z.infer<typeof CallClientMessage>;

/** What the server sends about calls, on both sockets. */
export type CallServerMessage =
  /** the call as it now is; `iceServers` (with this call's TURN credentials) is sent to each side while ringing */
  | { type: 'call'; call: CallView; iceServers?: IceServer[] }
  | { type: 'call_signal'; callId: string; signal: CallSignal }
  /** the other side switched audio ↔ video */
  | { type: 'call_media'; callId: string; video: boolean }
  /** a call message was refused: `code` is not_found | conflict | forbidden | invalid, `message` says why */
  | { type: 'call_error'; callId: string | null; code: 'not_found' | 'conflict' | 'forbidden' | 'invalid'; message: string };
