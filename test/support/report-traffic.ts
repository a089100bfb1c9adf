import type { Database } from '../../src/db/database.js';
import { unique } from './test-app.js';

// Raw rows for the report tests: conversations, messages and agent states written with the exact
// timestamps a scripted day needs (the engine stamps "now"; here every instant is chosen by hand).
// São Paulo is UTC−3 all year (no DST since 2019): `sp('2026-03-10 09:00:00')` is 12:00Z.

export const sp = (local: string): Date => new Date(`${local.replace(' ', 'T')}-03:00`);

export async function newContact(db: Database): Promise<string> {
  return (await db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ($1) RETURNING id`, [unique('Cliente')])).rows[0].id;
}

export interface RawRow {
  serviceId: string;
  channel: string;
  state: string;
  agentId?: string | null;
  firstQueuedAt?: Date | null;
  queuedAt?: Date | null;
  firstAssignedAt?: Date | null;
  assignedAt?: Date | null;
  firstAgentMessageAt?: Date | null;
  finishedAt?: Date | null;
}

/** One conversation as stored; created at its first queue entry (or its end). Returns its id. */
export async function insertConversation(db: Database, contactId: string, r: RawRow): Promise<string> {
  const created = r.firstQueuedAt ?? r.firstAssignedAt ?? r.finishedAt;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_queued_at, queued_at,
       first_assigned_at, assigned_at, first_agent_message_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [unique('R'), r.serviceId, r.channel, contactId, r.state, r.agentId ?? null, created, r.firstQueuedAt ?? null, r.queuedAt ?? r.firstQueuedAt ?? null,
      r.firstAssignedAt ?? null, r.assignedAt ?? r.firstAssignedAt ?? null, r.firstAgentMessageAt ?? null, r.finishedAt ?? null],
  );
  return rows[0].id;
}

export async function insertMessage(db: Database, conversationId: string, author: 'customer' | 'agent' | 'bot', at: Date, authorId: string | null = null) {
  await db.query(
    `INSERT INTO messages (conversation_id, channel, author_type, author_id, body, created_at) VALUES ($1, 'webchat', $2, $3, 'x', $4)`,
    [conversationId, author, authorId, at],
  );
}

export async function insertAgentState(db: Database, userId: string, state: string, start: Date, end: Date | null, pauseReasonId: string | null = null) {
  await db.query(
    `INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at, ended_at) VALUES ($1, $2, $3, $4, $5)`,
    [userId, state, pauseReasonId, start, end],
  );
}

export async function insertHistory(db: Database, conversationId: string, serviceId: string, state: string, agentId: string | null, reason: string, start: Date, end: Date | null) {
  await db.query(
    `INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at, ended_at)
     VALUES ($1, $2, $3, $4, 'agent', $5, $6, $7)`,
    [conversationId, state, serviceId, agentId, reason, start, end],
  );
}

export async function newPauseReason(db: Database, name: string): Promise<string> {
  return (await db.query<{ id: string }>(`INSERT INTO pause_reasons (name) VALUES ($1) RETURNING id`, [name])).rows[0].id;
}
