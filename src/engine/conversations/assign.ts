import type { Engine, UnitOfWork } from '../engine.js';
import { AppError } from '../errors.js';
import { recordStateChange } from '../agents/presence-store.js';
import { replaceTimer } from '../timers.js';
import { emitAgent, emitConversation } from './lifecycle.js';

/** Raised inside an assignment whose guard failed: the transaction rolls back, nothing changes. */
export class AssignmentRejected extends AppError {
  constructor(reason: string) {
    super(409, 'assignment_rejected', reason);
  }
}

/**
 * Takes one slot of the agent if, at this instant in the database, the agent is logged in, not
 * paused nor pending a pause, and below the largest limit of the teams that link them to the
 * service. The conditional UPDATE holds the agent's row lock, so two nodes can never over-assign.
 */
export async function takeAgentSlot(
  u: UnitOfWork,
  agentId: string,
  serviceId: string,
  kind: 'chat' | 'email',
  opts: { ignorePause?: boolean } = {},
): Promise<boolean> {
  const col = kind === 'email' ? 'open_email' : 'open_chat';
  const max = kind === 'email' ? 'max_email' : 'max_chat';
  const stateCond = opts.ignorePause ? `p.state <> 'offline'` : `p.state IN ('available', 'in_service') AND p.pending_pause_reason_id IS NULL`;
  // lock the agent's row first: the state read here is the one the conditional update sees
  const locked = await u.tx.query<{ state: string }>('SELECT state FROM agent_presence WHERE user_id = $1 FOR UPDATE', [agentId]);
  if (!locked.rows[0]) return false;
  const { rows } = await u.tx.query<{ state: string }>(
    `UPDATE agent_presence p SET ${col} = ${col} + 1, last_assigned_at = $3,
        state = CASE WHEN p.state = 'available' THEN 'in_service' ELSE p.state END,
        state_since = CASE WHEN p.state = 'available' THEN $3 ELSE p.state_since END
      WHERE p.user_id = $1 AND ${stateCond}
        AND EXISTS (SELECT 1 FROM users WHERE id = p.user_id AND active AND agent_enabled)
        AND p.${col} < (SELECT coalesce(max(t.${max}), 0) FROM team_agents ta
              JOIN teams t ON t.id = ta.team_id AND t.active AND t.omni_enabled
              JOIN service_teams st ON st.team_id = t.id AND st.service_id = $2
             WHERE ta.user_id = p.user_id)
      RETURNING p.state`,
    [agentId, serviceId, u.now],
  );
  if (!rows[0]) return false;
  if (locked.rows[0].state !== rows[0].state) await recordStateChange(u, agentId, rows[0].state, null);
  return true;
}

/** Moves a queued conversation to the agent, guarded on both sides. */
export async function assignQueued(engine: Engine, u: UnitOfWork, conversationId: string, agentId: string, reason: string): Promise<void> {
  const { rows } = await u.tx.query<{ service_id: string; channel: string; inactivity: number }>(
    `UPDATE conversations c SET state = 'in_service', agent_id = $2, assigned_at = $3,
        first_assigned_at = coalesce(first_assigned_at, $3), preferred_agent_id = NULL, version = version + 1
       FROM services s WHERE c.id = $1 AND c.state = 'queued' AND s.id = c.service_id
     RETURNING c.service_id, c.channel, s.inactivity_timeout_seconds AS inactivity`,
    [conversationId, agentId, u.now],
  );
  if (!rows[0]) throw new AssignmentRejected('the conversation is no longer waiting in the queue');
  const kind = rows[0].channel === 'email' ? 'email' : 'chat';
  if (!(await takeAgentSlot(u, agentId, rows[0].service_id, kind))) {
    throw new AssignmentRejected('the agent cannot take it: not available, paused or at capacity');
  }
  await replaceTimer(u.tx, 'queue_timeout', 'inactive_in_service', conversationId, new Date(u.now.getTime() + rows[0].inactivity * 1000));
  await emitConversation(u, conversationId, reason);
  await emitAgent(u, agentId, 'assigned');
}
