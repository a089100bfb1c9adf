import type { Database } from '../../db/database.js';
import type { SessionUser } from '../../engine/auth/sessions.js';

export interface Scope {
  all: boolean;
  serviceIds: Set<string>;
  agentIds: Set<string>;
}

/** What a supervisor watches: the services and agents of the teams they supervise; admins everything. */
export async function monitorScope(db: Database, user: SessionUser): Promise<Scope> {
  if (user.role === 'admin') return { all: true, serviceIds: new Set(), agentIds: new Set() };
  const [services, agents] = await Promise.all([
    db.query<{ id: string }>(
      `SELECT DISTINCT st.service_id AS id FROM service_teams st JOIN team_supervisors ts ON ts.team_id = st.team_id WHERE ts.user_id = $1`,
      [user.id],
    ),
    db.query<{ id: string }>(
      `SELECT DISTINCT ta.user_id AS id FROM team_agents ta JOIN team_supervisors ts ON ts.team_id = ta.team_id WHERE ts.user_id = $1`,
      [user.id],
    ),
  ]);
  return { all: false, serviceIds: new Set(services.rows.map((r) => r.id)), agentIds: new Set(agents.rows.map((r) => r.id)) };
}

export function sameScope(a: Scope, b: Scope): boolean {
  const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return a.all === b.all && same(a.serviceIds, b.serviceIds) && same(a.agentIds, b.agentIds);
}
