// Why a department's queue waits (Análise da Operação → Fila): the seed's "todos os agentes atingiram
// o número máximo de atendimentos", told precisely from the department's agents now. Pure.
//
// An agent counts when logged in (any state but offline). Paused: a pause, or one pending (routing
// gives them nothing: core/agent-state.ts canReceiveWork). At the limit: not paused and holding their
// maximum or more of this kind — their own, as routing takes it: another department serving the same
// services may allow them more (chat and messaging share one count, e-mail its own, as routing counts
// them). Free: the rest, who routing can still give a conversation.

export type QueueReasonCode =
  | 'no_department'
  | 'department_inactive'
  | 'no_agents'
  | 'none_logged_in'
  | 'all_paused'
  | 'all_at_limit'
  | 'at_limit_or_paused'
  | 'free_slots';

export interface DepartmentAgent {
  loggedIn: boolean;
  /** paused, or a pause pending */
  paused: boolean;
  /** open conversations of the kind in question */
  open: number;
  /**
   * the agent's own limit for the department's waiting work: the largest among the departments that
   * link them to those services (routing's agentCapacity); absent: the department's
   */
  limit?: number;
}

export interface QueueReasonInput {
  /** null: the service has no department at all */
  department: { active: boolean; limit: number } | null;
  /** the department's active omnichannel agents */
  agents: readonly DepartmentAgent[];
}

export interface QueueReasonResult {
  code: QueueReasonCode;
  loggedIn: number;
  paused: number;
  atLimit: number;
  free: number;
}

export function queueReason({ department, agents }: QueueReasonInput): QueueReasonResult {
  let loggedIn = 0;
  let paused = 0;
  let atLimit = 0;
  let free = 0;
  for (const a of agents) {
    if (!a.loggedIn) continue;
    loggedIn++;
    if (a.paused) paused++;
    else if (department && a.open >= (a.limit ?? department.limit)) atLimit++;
    else free++;
  }
  const counts = { loggedIn, paused, atLimit, free };
  if (!department) return { code: 'no_department', ...counts };
  if (!department.active) return { code: 'department_inactive', ...counts };
  if (agents.length === 0) return { code: 'no_agents', ...counts };
  if (loggedIn === 0) return { code: 'none_logged_in', ...counts };
  if (free > 0) return { code: 'free_slots', ...counts };
  if (paused === loggedIn) return { code: 'all_paused', ...counts };
  if (atLimit === loggedIn) return { code: 'all_at_limit', ...counts };
  return { code: 'at_limit_or_paused', ...counts };
}
