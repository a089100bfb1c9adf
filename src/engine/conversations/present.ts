import type { Queryable } from '../../db/database.js';
import { agentWindowOf } from '../../contracts/channel-capabilities.js';
import type { ConversationView, MessageView, WhisperView } from '../../contracts/conversations.js';

const ts = (v: unknown) => (v ? (v as Date).toISOString() : null);

export const CONVERSATION_SELECT = `SELECT c.*, ct.name AS contact_name FROM conversations c JOIN contacts ct ON ct.id = c.contact_id`;

export function presentConversation(r: Record<string, unknown>): ConversationView {
  return {
    id: r.id as string,
    protocol: r.protocol as string,
    serviceId: r.service_id as string,
    channel: r.channel as ConversationView['channel'],
    contactId: r.contact_id as string,
    contactName: (r.contact_name as string | null) ?? null,
    direction: r.direction as ConversationView['direction'],
    state: r.state as ConversationView['state'],
    priority: r.priority as ConversationView['priority'],
    agentId: (r.agent_id as string | null) ?? null,
    preferredAgentId: (r.preferred_agent_id as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    createdAt: (r.created_at as Date).toISOString(),
    botStartedAt: ts(r.bot_started_at),
    botEndedAt: ts(r.bot_ended_at),
    queuedAt: ts(r.queued_at),
    firstQueuedAt: ts(r.first_queued_at),
    assignedAt: ts(r.assigned_at),
    firstAssignedAt: ts(r.first_assigned_at),
    firstAgentMessageAt: ts(r.first_agent_message_at),
    lastCustomerMessageAt: ts(r.last_customer_message_at),
    lastAgentMessageAt: ts(r.last_agent_message_at),
    lastMessageAt: ts(r.last_message_at),
    lastMessageFrom: (r.last_message_from as ConversationView['lastMessageFrom']) ?? null,
    finishedAt: ts(r.finished_at),
    finishedBy: (r.finished_by as ConversationView['finishedBy']) ?? null,
    classificationId: (r.classification_id as string | null) ?? null,
    wrapup: (r.wrapup as Record<string, unknown> | null) ?? null,
    notes: (r.notes as string | null) ?? null,
    transferCount: r.transfer_count as number,
    window: agentWindowOf(r.channel as string, ts(r.last_customer_message_at)),
  };
}

export async function loadConversation(db: Queryable, id: string, lock = false): Promise<ConversationView | null> {
  const { rows } = await db.query(`${CONVERSATION_SELECT} WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [id]);
  return rows[0] ? presentConversation(rows[0]) : null;
}

export const MESSAGE_SELECT = `SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id`;

export function presentMessage(r: Record<string, unknown>): MessageView {
  return {
    id: r.id as number,
    conversationId: r.conversation_id as string,
    authorType: r.author_type as MessageView['authorType'],
    authorId: (r.author_id as string | null) ?? null,
    authorName: (r.author_name as string | null) ?? null,
    body: r.body as string,
    contentType: r.content_type as string,
    attachments: (r.attachments as unknown[] | null) ?? null,
    deliveryStatus: (r.delivery_status as MessageView['deliveryStatus']) ?? null,
    deliveryError: r.delivery_status === 'failed' ? { code: (r.failed_code as string | null) ?? null, message: (r.failed_reason as string | null) ?? '' } : null,
    payload: (r.payload as Record<string, unknown> | null) ?? null,
    externalId: (r.external_id as string | null) ?? (r.provider_message_id as string | null) ?? null,
    createdAt: (r.created_at as Date).toISOString(),
  };
}

export const WHISPER_SELECT = `SELECT w.*, u.name AS author_name FROM supervisor_messages w JOIN users u ON u.id = w.author_id`;

export function presentWhisper(r: Record<string, unknown>): WhisperView {
  return {
    id: r.id as number,
    conversationId: r.conversation_id as string,
    agentId: r.agent_id as string,
    authorId: r.author_id as string,
    authorName: r.author_name as string,
    body: r.body as string,
    createdAt: (r.created_at as Date).toISOString(),
    readAt: ts(r.read_at),
  };
}
