import type { Queryable } from '../../src/db/database.js';

// Raw rows for the Relatórios tests: conversations and messages written straight into the tables with
// the timestamps a scenario needs (days across midnight in São Paulo, waits of minutes, e-mails a week
// old), so the expected figures can be worked out by hand beside them.

export interface RawConv {
  serviceId: string;
  channel: string;
  state: string;
  agentId?: string | null;
  createdAt: Date;
  firstQueuedAt?: Date | null;
  queuedAt?: Date | null;
  firstAssignedAt?: Date | null;
  firstAgentMessageAt?: Date | null;
  botStartedAt?: Date | null;
  botEndedAt?: Date | null;
  finishedAt?: Date | null;
  finishedBy?: string | null;
  classificationId?: string | null;
  wrapup?: Record<string, unknown> | null;
  direction?: 'inbound' | 'outbound';
}

let n = 0;
let contact: string | null = null;

export async function insertConversation(db: Queryable, c: RawConv): Promise<string> {
  contact ??= (await db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente Relatório') RETURNING id`)).rows[0].id;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at, first_queued_at, queued_at,
        first_assigned_at, assigned_at, first_agent_message_at, bot_started_at, finished_at, finished_by, classification_id, wrapup, bot_ended_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
    [
      `REL${process.pid}${++n}${Date.now()}`, c.serviceId, c.channel, contact, c.direction ?? 'inbound', c.state, c.agentId ?? null, c.createdAt,
      c.firstQueuedAt ?? null, c.queuedAt ?? c.firstQueuedAt ?? null, c.firstAssignedAt ?? null, c.firstAgentMessageAt ?? null, c.botStartedAt ?? null,
      c.finishedAt ?? null, c.finishedBy ?? null, c.classificationId ?? null, c.wrapup ? JSON.stringify(c.wrapup) : null, c.botEndedAt ?? null,
    ],
  );
  return rows[0].id;
}

export async function insertMessage(
  db: Queryable, m: { conversationId: string; channel: string; authorType: string; body?: string; contentType?: string; payload?: unknown; deliveryStatus?: string | null; at: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO messages (conversation_id, channel, author_type, body, content_type, payload, delivery_status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [m.conversationId, m.channel, m.authorType, m.body ?? '', m.contentType ?? 'text', m.payload ? JSON.stringify(m.payload) : null, m.deliveryStatus ?? null, m.at],
  );
}
