import { reduceAgentPresence, type AgentEvent, type AgentPresence } from '../../core/agent-state.js';
import type { UnitOfWork } from '../engine.js';
import { AppError, type Said } from '../errors.js';
import { loadAgent } from './present.js';

interface PresenceRow {
  state: AgentPresence['state'];
  pause_reason_id: string | null;
  pending_pause_reason_id: string | null;
  state_since: Date;
  open_chat: number;
  open_email: number;
}

const MESSAGES: Record<string, Said> = {
  not_logged_in: { en: 'the agent is not logged in', pt: 'o agente não está logado' },
  has_open_conversations: { en: 'the agent still has open conversations: finish or transfer them first', pt: 'o agente ainda tem atendimentos abertos: conclua ou transfira antes' },
  no_open_conversations: { en: 'the agent has no open conversation', pt: 'o agente não tem atendimento aberto' },
};

/**
 * Applies one presence event through the core reducer to the stored row (locked), keeps the state
 * history (one row per state, with its pause reason), and raises agent.updated.
 */
export async function reduceStoredPresence(
  u: UnitOfWork, agentId: string, event: AgentEvent, kind?: 'chat' | 'email', reason: string = event.type,
): Promise<void> {
  await u.tx.query('INSERT INTO agent_presence (user_id, state_since) VALUES ($1, $2) ON CONFLICT DO NOTHING', [agentId, u.now]);
  const { rows } = await u.tx.query<PresenceRow>('SELECT * FROM agent_presence WHERE user_id = $1 FOR UPDATE', [agentId]);
  const row = rows[0];
  const before: AgentPresence = {
    state: row.state,
    pauseReasonId: row.pause_reason_id,
    pendingPauseReasonId: row.pending_pause_reason_id,
    openConversations: row.open_chat + row.open_email,
    stateSince: row.state_since.getTime(),
  };
  const r = reduceAgentPresence(before, event, u.now.getTime());
  if (!r.ok) throw new AppError(409, r.error.code, MESSAGES[r.error.code] ?? { en: r.error.message, pt: r.error.message }, { currentState: row.state });
  const p = r.presence;
  const ended = event.type === 'conversationEnded';
  await u.tx.query(
    `UPDATE agent_presence SET state = $2, pause_reason_id = $3, pending_pause_reason_id = $4, state_since = $5,
       open_chat = open_chat - $6, open_email = open_email - $7,
       logged_in_at = CASE WHEN $2 = 'offline' THEN NULL WHEN logged_in_at IS NULL THEN $8 ELSE logged_in_at END,
       disconnected_at = CASE WHEN $2 = 'offline' THEN NULL ELSE disconnected_at END
     WHERE user_id = $1`,
    [agentId, p.state, p.pauseReasonId, p.pendingPauseReasonId, new Date(p.stateSince),
      ended && kind === 'chat' ? 1 : 0, ended && kind === 'email' ? 1 : 0, u.now],
  );
  if (p.state !== before.state || p.pauseReasonId !== before.pauseReasonId) {
    await recordStateChange(u, agentId, p.state, p.pauseReasonId);
  }
  const agent = await loadAgent(u.tx, agentId);
  if (agent) u.emit({ type: 'agent.updated', reason, serviceId: null, agentId, agent });
}

export async function recordStateChange(u: UnitOfWork, agentId: string, state: string, pauseReasonId: string | null): Promise<void> {
  // close the current state and open the next one in one statement (it runs on every assignment that
  // turns an available agent busy)
  await u.tx.query(
    `WITH closed AS (UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL)
     INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at)
     SELECT $1::uuid, $3::text, $4::uuid, $2::timestamptz WHERE $3::text <> 'offline'`,
    [agentId, u.now, state, pauseReasonId],
  );
}
