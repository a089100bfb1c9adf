import type { Queryable } from '../../db/database.js';
import type { AgentView } from '../../contracts/conversations.js';

const ts = (v: unknown) => (v ? (v as Date).toISOString() : null);

/** Every omnichannel agent with their presence (offline when they never logged in). */
export const AGENT_SELECT = `SELECT u.id, u.name, p.state, p.pause_reason_id, p.pending_pause_reason_id, p.state_since,
    p.logged_in_at, p.open_chat, p.open_email, p.last_assigned_at, p.disconnected_at, u.created_at, u.agent_enabled, u.active,
    coalesce(array(SELECT team_id::text FROM team_agents WHERE user_id = u.id ORDER BY 1), '{}') AS team_ids,
    EXISTS (SELECT 1 FROM calls k WHERE k.agent_id = u.id AND k.state = 'active') AS in_call
  FROM users u LEFT JOIN agent_presence p ON p.user_id = u.id`;

export function presentAgent(r: Record<string, unknown>): AgentView {
  const presence = ((r.state as string | null) ?? 'offline') as AgentView['presence'];
  const open = ((r.open_chat as number | null) ?? 0) + ((r.open_email as number | null) ?? 0);
  return {
    id: r.id as string,
    name: r.name as string,
    teamIds: r.team_ids as string[],
    presence,
    state: presence !== 'offline' && open > 0 ? 'in_service' : presence,
    pauseReasonId: (r.pause_reason_id as string | null) ?? null,
    pendingPauseReasonId: (r.pending_pause_reason_id as string | null) ?? null,
    stateSince: ((r.state_since as Date | null) ?? (r.created_at as Date)).toISOString(),
    loggedInAt: ts(r.logged_in_at),
    openChat: (r.open_chat as number | null) ?? 0,
    openEmail: (r.open_email as number | null) ?? 0,
    lastAssignedAt: ts(r.last_assigned_at),
    connected: presence !== 'offline' && !r.disconnected_at,
    inCall: Boolean(r.in_call),
    enabled: Boolean(r.agent_enabled && r.active),
  };
}

export async function loadAgent(db: Queryable, id: string): Promise<AgentView | null> {
  const { rows } = await db.query(`${AGENT_SELECT} WHERE u.id = $1`, [id]);
  return rows[0] ? presentAgent(rows[0]) : null;
}
