import type { Queryable } from '../../db/database.js';
import type { ConversationView } from '../../contracts/conversations.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { writeAudit } from '../audit.js';
import { notFound, NOUNS } from '../errors.js';
import { CONVERSATION_SELECT, loadConversation, MESSAGE_SELECT, presentConversation, presentMessage, presentWhisper, WHISPER_SELECT } from './present.js';

export interface ConversationFilter {
  state?: string;
  serviceId?: string;
  agentId?: string;
  protocol?: string;
  mine?: boolean;
  limit?: number;
}

/** The conversations the actor's scope shows (engine/access.ts): an agent's own, a supervisor's services', all for admins. */
export async function listConversations(db: Queryable, actor: Actor, f: ConversationFilter): Promise<ConversationView[]> {
  const scope = policyOf(actor).conversationsSql('c');
  const conds: string[] = [scope.sql];
  const params: unknown[] = [...scope.params];
  const add = (sql: string, ...v: unknown[]) => {
    let s = sql;
    for (const x of v) {
      params.push(x);
      s = s.replace('?', `$${params.length}`);
    }
    conds.push(s);
  };
  if (f.mine) add('c.agent_id = ?', actor.id);
  // a protocol names one conversation: without a state it is found whatever its state
  if (f.state === 'open' || (!f.state && !f.protocol)) add(`c.state IN ('triage', 'bot', 'queued', 'in_service')`);
  else if (f.state) add('c.state = ?', f.state);
  if (f.serviceId) add('c.service_id = ?', f.serviceId);
  if (f.agentId) add('c.agent_id = ?', f.agentId);
  if (f.protocol) add('c.protocol = ?', f.protocol);
  params.push(f.limit ?? 200);
  const { rows } = await db.query(`${CONVERSATION_SELECT} WHERE ${conds.join(' AND ')} ORDER BY c.created_at DESC LIMIT $${params.length}`, params);
  return rows.map(presentConversation);
}

/**
 * The conversation with its whole history. Anyone but its agent reading the messages is written to
 * the audit log with the contact, so Acessos a dados (LGPD) lists it under that contact.
 */
export async function conversationDetail(db: Queryable, actor: Actor, id: string) {
  const conversation = await loadConversation(db, id);
  if (!conversation) throw notFound(NOUNS.conversation, id);
  await policyOf(actor).conversationRole(db, conversation);
  const [messages, whispers] = await Promise.all([
    db.query(`${MESSAGE_SELECT} WHERE m.conversation_id = $1 ORDER BY m.id`, [id]),
    db.query(`${WHISPER_SELECT} WHERE w.conversation_id = $1 ORDER BY w.id`, [id]),
  ]);
  if (conversation.agentId !== actor.id) {
    await writeAudit(db, actor, { action: 'view_messages', entity: 'conversation', entityId: id, contactId: conversation.contactId });
  }
  return { conversation, messages: messages.rows.map(presentMessage), whispers: whispers.rows.map(presentWhisper) };
}

/** Who and where a conversation can be transferred to: agents of its service's teams, services on its channel. */
export async function transferTargets(db: Queryable, actor: Actor, id: string) {
  const c = await loadConversation(db, id);
  if (!c) throw notFound(NOUNS.conversation, id);
  await policyOf(actor).conversationRole(db, c);
  const [agents, services] = await Promise.all([
    db.query<{ id: string; name: string; state: string | null; open_chat: number | null; open_email: number | null }>(
      `SELECT DISTINCT u.id, u.name, p.state, p.open_chat, p.open_email FROM users u
         JOIN team_agents ta ON ta.user_id = u.id JOIN service_teams st ON st.team_id = ta.team_id AND st.service_id = $1
         LEFT JOIN agent_presence p ON p.user_id = u.id
        WHERE u.active AND u.agent_enabled AND u.id IS DISTINCT FROM $2 ORDER BY u.name`,
      [c.serviceId, c.agentId],
    ),
    db.query<{ id: string; name: string }>(`SELECT id, name FROM services WHERE active AND channel = $1 AND id <> $2 ORDER BY name`, [c.channel, c.serviceId]),
  ]);
  return {
    agents: agents.rows.map((a) => ({ id: a.id, name: a.name, state: (a.state ?? 'offline') as 'offline' | 'available' | 'paused' | 'in_service', open: (a.open_chat ?? 0) + (a.open_email ?? 0) })),
    services: services.rows,
  };
}
