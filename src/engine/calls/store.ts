import type { Queryable } from '../../db/database.js';
import type { CallView, ConversationCalls } from '../../contracts/calls.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { loadConversation } from '../conversations/present.js';
import { NOUNS, notFound } from '../errors.js';

/** A call as stored (migration 0028). */
export interface CallRow {
  id: string;
  conversation_id: string;
  service_id: string;
  kind: CallView['kind'];
  caller: CallView['caller'];
  agent_id: string | null;
  state: CallView['state'];
  video: boolean;
  ring_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  ended_by: CallView['endedBy'];
  failure: CallView['failure'];
  media_since: Date | null;
  audio_seconds: number;
  video_seconds: number;
}

export const LIVE_CALL_STATES = ['ringing', 'active'] as const;

/**
 * Closes the open media segment at `now`: the answered time so far, rounded to the second once, minus
 * what the closed segments hold, goes to the medium the call carried. So audio + video always equals
 * the whole answered time, however many switches there were.
 */
export function closeSegment(r: Pick<CallRow, 'answered_at' | 'media_since' | 'video' | 'audio_seconds' | 'video_seconds'>, now: Date): { audio: number; video: number } {
  if (!r.answered_at || !r.media_since) return { audio: r.audio_seconds, video: r.video_seconds };
  const total = Math.max(0, Math.round((now.getTime() - r.answered_at.getTime()) / 1000));
  const segment = Math.max(0, total - r.audio_seconds - r.video_seconds);
  return r.video ? { audio: r.audio_seconds, video: r.video_seconds + segment } : { audio: r.audio_seconds + segment, video: r.video_seconds };
}

/** The call's view; an active call's seconds count up to `now`. */
export function presentCall(r: CallRow, now: Date): CallView {
  const { audio, video } = r.state === 'active' ? closeSegment(r, now) : { audio: r.audio_seconds, video: r.video_seconds };
  return {
    id: r.id,
    conversationId: r.conversation_id,
    kind: r.kind,
    video: r.video,
    state: r.state,
    caller: r.caller,
    agentId: r.agent_id,
    ringAt: r.ring_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
    endedAt: r.ended_at?.toISOString() ?? null,
    endedBy: r.ended_by,
    failure: r.failure,
    audioSeconds: audio,
    videoSeconds: video,
  };
}

export async function loadCall(tx: Queryable, id: string, lock = false): Promise<CallRow | null> {
  // a malformed id is simply not a call (the column is uuid)
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const { rows } = await tx.query<CallRow>(`SELECT * FROM calls WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

/** The conversation's calls, oldest first (the ficha and the thread). */
export async function callsOf(db: Queryable, conversationId: string, now: Date): Promise<CallView[]> {
  const { rows } = await db.query<CallRow>('SELECT * FROM calls WHERE conversation_id = $1 ORDER BY ring_at, id', [conversationId]);
  return rows.map((r) => presentCall(r, now));
}

/**
 * The Ficha de Atendimento's calls: who may see the conversation sees its calls (its agent, a
 * supervisor of its service, admins; anyone else 404), each with its agent's name, and the totals as
 * Consultas and Atendimentos OMNI sum them (lookback.ts CALL_SECONDS: answered and over).
 */
export async function conversationCalls(db: Queryable, actor: Actor, conversationId: string, now: Date): Promise<ConversationCalls> {
  const conversation = await loadConversation(db, conversationId);
  if (!conversation) throw notFound(NOUNS.conversation, conversationId);
  await policyOf(actor).conversationRole(db, conversation);
  const { rows } = await db.query<CallRow & { agent_name: string | null }>(
    `SELECT k.*, u.name AS agent_name FROM calls k LEFT JOIN users u ON u.id = k.agent_id
      WHERE k.conversation_id = $1 ORDER BY k.ring_at, k.id`, [conversationId]);
  const over = rows.filter((r) => r.answered_at && r.state !== 'active');
  return {
    calls: rows.map((r) => ({ ...presentCall(r, now), agentName: r.agent_name })),
    audioSeconds: over.length ? over.reduce((a, r) => a + r.audio_seconds, 0) : null,
    videoSeconds: over.length ? over.reduce((a, r) => a + r.video_seconds, 0) : null,
  };
}
