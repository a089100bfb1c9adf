import type { Queryable } from '../../db/database.js';

// Agents' reply rollups (issue 16, migration 0032): each agent reply counted, as it is written, per
// 15-minute UTC bucket × author × the conversation's service and channel — replies and the sum of
// their reply seconds, from which Produtividade por agente reads TMR. The insert trigger on messages
// keeps them; rebuildAgentRollups recomputes them from the messages (after a bulk load with the
// trigger disabled, or to check them).

/** The rollups' bucket width: every time zone's offset is a multiple of it, so local days are whole buckets. */
export const ROLLUP_BUCKET_MS = 15 * 60 * 1000;

/** Whether an instant falls on a bucket boundary (a period that does not is read from the raw rows). */
export const onBucket = (d: Date): boolean => d.getTime() % ROLLUP_BUCKET_MS === 0;

/** Recomputes every agent reply rollup from the messages, in one transaction (writes to messages wait). Returns the rows written. */
export async function rebuildAgentRollups(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT agent_reply_rollups_rebuild()::text AS n`);
  return Number(rows[0].n);
}

/**
 * Recomputes the agents' time rollups (agent_time_rollups: time per state and pause reason per local
 * day and month) and session marks (agent_session_marks: logins and logouts) of migration 0033 from
 * the state rows, in one transaction (writes to agent_state_history wait). Returns the rows written.
 */
export async function rebuildAgentTimeRollups(db: Queryable): Promise<{ time: number; marks: number }> {
  const { rows } = await db.query<{ time: string; marks: string }>(`SELECT agent_time_rollups_rebuild()::text AS time, agent_session_marks_rebuild()::text AS marks`);
  return { time: Number(rows[0].time), marks: Number(rows[0].marks) };
}
