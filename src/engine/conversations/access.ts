import type { Queryable } from '../../db/database.js';
import type { ConversationView } from '../../contracts/conversations.js';
import type { Actor } from '../actor.js';
import { forbidden } from '../errors.js';

/** Whether the actor supervises the service: admins all; supervisors through the teams they supervise. */
export async function supervises(tx: Queryable, actor: Actor, serviceId: string): Promise<boolean> {
  if (actor.role === 'admin' || actor.role === 'system') return true;
  if (actor.role !== 'supervisor') return false;
  const { rows } = await tx.query(
    `SELECT 1 FROM service_teams st JOIN team_supervisors ts ON ts.team_id = st.team_id WHERE st.service_id = $1 AND ts.user_id = $2 LIMIT 1`,
    [serviceId, actor.id],
  );
  return rows.length > 0;
}

/** The conversation's own agent, or a supervisor of its service, or an admin. */
export async function assertHandlerOrSupervisor(tx: Queryable, actor: Actor, c: ConversationView): Promise<'agent' | 'supervisor'> {
  if (c.agentId && c.agentId === actor.id) return 'agent';
  if (await supervises(tx, actor, c.serviceId)) return 'supervisor';
  throw forbidden({ en: 'this conversation is not yours', pt: 'este atendimento não é seu' });
}

export async function assertSupervisor(tx: Queryable, actor: Actor, c: ConversationView): Promise<void> {
  if (!(await supervises(tx, actor, c.serviceId))) throw forbidden({ en: 'you do not supervise this conversation’s service', pt: 'você não supervisiona o serviço deste atendimento' });
}

/** Reading a conversation: its agent, whoever supervises it. */
export async function assertCanRead(tx: Queryable, actor: Actor, c: ConversationView): Promise<void> {
  if (c.agentId === actor.id) return;
  if (await supervises(tx, actor, c.serviceId)) return;
  throw forbidden({ en: 'this conversation is not yours', pt: 'este atendimento não é seu' });
}
