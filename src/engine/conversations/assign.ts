import { rowFromJson } from '../../db/database.js';
import type { UnitOfWork } from '../engine.js';
import { recordStateChange } from '../agents/presence-store.js';
import { presentAgent } from '../agents/present.js';
import type { ConversationState } from '../../contracts/conversations.js';
import { assignSet, emitAssigned, mayAssign, stateHistory } from './transitions.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

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

export interface Choice {
  conversationId: string;
  agentId: string;
}

interface LockedConversation {
  id: string;
  service_id: string;
  channel: string;
  inactivity: number;
  first_assigned_at: Date | null;
  [column: string]: unknown;
}

interface LockedAgent {
  user_id: string;
  state: string;
  eligible: boolean;
  open_chat: number;
  open_email: number;
  state_since: Date;
  caps: Record<string, [number, number]>;
  [column: string]: unknown;
}

/**
 * Applies routing choices in the caller's one transaction, guarded so that two nodes can never
 * over-assign: the conversations still waiting are locked (in id order), then their agents (in id
 * order), and each choice is taken only while the conversation is queued and its agent is logged in,
 * not paused nor pending a pause, enabled, and below the largest limit of the teams that link them to
 * the service — counting the slots this batch already gave them. Returns the choices not taken.
 */
export async function assignBatch(u: UnitOfWork, choices: Choice[], reason: string): Promise<Choice[]> {
  if (!choices.length) return [];
  // one statement locks the conversations still waiting (in id order), then their agents (in id
  // order), and reads both with the agents' limits for those conversations' services (the views
  // after the update are computed from these rows, not read again); two shapes, so as JSON
  const { rows: [locked] } = await u.tx.query<{ conversations: Record<string, unknown>[]; agents: Record<string, unknown>[] }>(
    `WITH waiting AS (
       SELECT c.*, ct.name AS contact_name, s.inactivity_timeout_seconds AS inactivity
         FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.id = ANY($1::uuid[]) AND c.state = 'queued' ORDER BY c.id FOR UPDATE OF c),
     agents AS (
       SELECT p.user_id, u.id, u.name, p.state, p.pause_reason_id, p.pending_pause_reason_id, p.state_since, p.logged_in_at, p.open_chat,
              p.open_email, p.last_assigned_at, p.disconnected_at, u.created_at, u.agent_enabled, u.active,
              coalesce(array(SELECT team_id::text FROM team_agents WHERE user_id = u.id ORDER BY 1), '{}') AS team_ids,
              (p.state IN ('available', 'in_service') AND p.pending_pause_reason_id IS NULL AND u.active AND u.agent_enabled) AS eligible,
              coalesce((SELECT json_object_agg(x.service_id, json_build_array(x.max_chat, x.max_email))
                          FROM (SELECT st.service_id, max(t.max_chat) AS max_chat, max(t.max_email) AS max_email
                                  FROM team_agents ta
                                  JOIN teams t ON t.id = ta.team_id AND t.active AND t.omni_enabled
                                  JOIN service_teams st ON st.team_id = t.id AND st.service_id IN (SELECT service_id FROM waiting)
                                 WHERE ta.user_id = p.user_id GROUP BY st.service_id) AS x), '{}') AS caps
         FROM agent_presence p JOIN users u ON u.id = p.user_id
        WHERE p.user_id = ANY($2::uuid[]) ORDER BY p.user_id FOR UPDATE OF p)
     SELECT (SELECT coalesce(json_agg(waiting), '[]'::json) FROM waiting) AS conversations,
            (SELECT coalesce(json_agg(agents), '[]'::json) FROM agents) AS agents`,
    [choices.map((c) => c.conversationId), [...new Set(choices.map((c) => c.agentId))]],
  );
  const conversations = new Map(locked.conversations.map((r) => [r.id as string, rowFromJson(r) as LockedConversation]));
  const agents = new Map(locked.agents.map((r) => [r.user_id as string, rowFromJson(r, ['state_since']) as LockedAgent]));
  const taken: (Choice & { kind: 'chat' | 'email'; due: Date; row: LockedConversation })[] = [];
  const rejected: Choice[] = [];
  const slots = new Map<string, { chat: number; email: number }>();
  for (const choice of choices) {
    const c = conversations.get(choice.conversationId);
    const a = agents.get(choice.agentId);
    if (!c || !a || !a.eligible || !mayAssign(c.state as ConversationState)) {
      rejected.push(choice);
      continue;
    }
    const kind = capabilitiesOf(c.channel).workload;
    const used = slots.get(a.user_id) ?? { chat: 0, email: 0 };
    const cap = a.caps[c.service_id]?.[kind === 'email' ? 1 : 0] ?? 0;
    const open = (kind === 'email' ? a.open_email : a.open_chat) + used[kind];
    if (open >= cap) {
      rejected.push(choice);
      continue;
    }
    used[kind]++;
    slots.set(a.user_id, used);
    // a conversation is taken once, even if a caller listed it twice
    conversations.delete(c.id);
    taken.push({ ...choice, kind, due: new Date(u.now.getTime() + c.inactivity * 1000), row: c });
  }
  if (!taken.length) return rejected;

  // one statement writes it all: the conversations; the agents' slots; for agents who were free,
  // their state history closing "available" and opening "in_service"; the give-up clock of the queue
  // stopping and the inactivity clock starting. Nothing in its answer is needed, so it is sent, not
  // awaited: it leaves with the events and COMMIT (one round trip), and its failure fails the batch
  const busy = [...slots.keys()];
  const turned = busy.filter((id) => agents.get(id)!.state === 'available');
  u.send(
    `WITH slots AS (
       UPDATE agent_presence p SET open_chat = p.open_chat + v.chat, open_email = p.open_email + v.email, last_assigned_at = $1,
           state = CASE WHEN p.state = 'available' THEN 'in_service' ELSE p.state END,
           state_since = CASE WHEN p.state = 'available' THEN $1 ELSE p.state_since END
         FROM unnest($4::uuid[], $5::int[], $6::int[]) AS v(id, chat, email) WHERE p.user_id = v.id),
     closed AS (UPDATE agent_state_history SET ended_at = $1 WHERE user_id = ANY($7::uuid[]) AND ended_at IS NULL),
     opened AS (INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at) SELECT t.id, 'in_service', NULL, $1 FROM unnest($7::uuid[]) AS t(id)),
     gone AS (DELETE FROM timers WHERE kind = 'queue_timeout' AND conversation_id = ANY($2::uuid[]) AND user_id IS NULL),
     clock AS (INSERT INTO timers (kind, conversation_id, user_id, due_at)
       SELECT 'inactive_in_service', t.id, NULL, t.due FROM unnest($2::uuid[], $8::timestamptz[]) AS t(id, due)
       ON CONFLICT (kind, conversation_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at),
     ${stateHistory('$2::uuid[]', '$1', `SELECT t.id, 'in_service', t.service_id, t.agent_id, 'system', $10::text, $1 FROM unnest($2::uuid[], $9::uuid[], $3::uuid[]) AS t(id, service_id, agent_id)`)}
     UPDATE conversations c SET ${assignSet('$1', 'v.agent_id')}
       FROM unnest($2::uuid[], $3::uuid[]) AS v(id, agent_id) WHERE c.id = v.id`,
    [
      u.now,
      taken.map((t) => t.conversationId),
      taken.map((t) => t.agentId),
      busy,
      busy.map((id) => slots.get(id)!.chat),
      busy.map((id) => slots.get(id)!.email),
      turned,
      taken.map((t) => t.due),
      taken.map((t) => t.row.service_id),
      reason,
    ],
  );
  // the conversations as that statement leaves them (the same assignments as its UPDATE)
  emitAssigned(u, taken.map((t) => ({ row: t.row, agentId: t.agentId })), reason);
  // the agents as the statement above left them (the same arithmetic as its agent_presence update)
  for (const id of busy) {
    const a = agents.get(id)!;
    const used = slots.get(id)!;
    const freed = a.state === 'available';
    const agent = presentAgent({
      ...a,
      open_chat: a.open_chat + used.chat,
      open_email: a.open_email + used.email,
      last_assigned_at: u.now,
      state: freed ? 'in_service' : a.state,
      state_since: freed ? u.now : a.state_since,
    });
    u.emit({ type: 'agent.updated', reason: 'assigned', serviceId: null, agentId: id, agent });
  }
  return rejected;
}
