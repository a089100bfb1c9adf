import type { Queryable } from '../db/database.js';

export type TimerKind = 'bot_timeout' | 'queue_timeout' | 'inactive_in_service' | 'agent_connection_lost' | 'call_ring';

export interface TimerRow {
  id: number;
  kind: TimerKind;
  conversation_id: string | null;
  user_id: string | null;
  due_at: Date;
  payload: Record<string, unknown>;
}

/**
 * The clock a customer's message starts again: the give-up clock while the conversation waits in the
 * queue, the inactivity clock ("Inativa PA") while it is with an agent; none in other states.
 */
export function customerClock(
  state: string,
  s: { queue_timeout_seconds: number; inactivity_timeout_seconds: number },
  now: Date,
): { kind: TimerKind; due: Date } | null {
  if (state === 'queued') return { kind: 'queue_timeout', due: new Date(now.getTime() + s.queue_timeout_seconds * 1000) };
  if (state === 'in_service') return { kind: 'inactive_in_service', due: new Date(now.getTime() + s.inactivity_timeout_seconds * 1000) };
  return null;
}

/** Sets (or moves) the one timer of this kind for this subject. */
export async function setTimer(
  tx: Queryable,
  kind: TimerKind,
  subject: { conversationId?: string; userId?: string },
  dueAt: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO timers (kind, conversation_id, user_id, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, conversation_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at`,
    [kind, subject.conversationId ?? null, subject.userId ?? null, dueAt],
  );
}

export async function clearTimer(tx: Queryable, kind: TimerKind, subject: { conversationId?: string; userId?: string }): Promise<void> {
  // `= $n` / `IS NULL` rather than IS NOT DISTINCT FROM, which no index serves: that scanned every
  // pending timer (one per waiting conversation) on each assignment
  const params: unknown[] = [kind];
  const match = (col: string, v: string | undefined) => (v === undefined ? `${col} IS NULL` : `${col} = $${params.push(v)}`);
  await tx.query(`DELETE FROM timers WHERE kind = $1 AND ${match('conversation_id', subject.conversationId)} AND ${match('user_id', subject.userId)}`, params);
}

export async function clearConversationTimers(tx: Queryable, conversationId: string): Promise<void> {
  await tx.query('DELETE FROM timers WHERE conversation_id = $1', [conversationId]);
}

/** Takes the next due timer, locked so another node cannot fire it too. */
export async function takeDueTimer(tx: Queryable, now: Date): Promise<TimerRow | null> {
  const { rows } = await tx.query<TimerRow>(
    `SELECT * FROM timers WHERE due_at <= $1 ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  if (!rows[0]) return null;
  await tx.query('DELETE FROM timers WHERE id = $1', [rows[0].id]);
  return rows[0];
}
