import type { Actor } from '../actor.js';
import type { Scope } from './resource.js';

// Supervisors see the teams they supervise and what hangs off them; agents their own teams;
// admins (and the system) everything. Conditions are on the alias `t` of the resource's table.

export function teamScope(actor: Actor): Scope | null {
  if (actor.role === 'admin' || actor.role === 'system') return null;
  const link = actor.role === 'supervisor' ? 'team_supervisors' : 'team_agents';
  return { sql: `t.id IN (SELECT team_id FROM ${link} WHERE user_id = $1)`, params: [actor.id] };
}

export function serviceScope(actor: Actor): Scope | null {
  if (actor.role === 'admin' || actor.role === 'system') return null;
  const link = actor.role === 'supervisor' ? 'team_supervisors' : 'team_agents';
  return {
    sql: `t.id IN (SELECT st.service_id FROM service_teams st JOIN ${link} l ON l.team_id = st.team_id WHERE l.user_id = $1)`,
    params: [actor.id],
  };
}

export function userScope(actor: Actor): Scope | null {
  if (actor.role === 'admin' || actor.role === 'system') return null;
  if (actor.role === 'agent') return { sql: 't.id = $1', params: [actor.id] };
  return {
    sql: `t.id = $1 OR t.id IN (SELECT ta.user_id FROM team_agents ta JOIN team_supervisors ts ON ts.team_id = ta.team_id WHERE ts.user_id = $1)`,
    params: [actor.id],
  };
}
