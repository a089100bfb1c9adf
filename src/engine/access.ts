import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { forbidden, notFound, NOUNS } from './errors.js';
import type { SqlCondition } from './queries/conversation-filter.js';

// Who may see what, in one place. Every read, command, push and report asks this module, in one of
// two forms: a SQL condition on the caller's column or alias (parameters numbered from the caller's
// `firstParam`, so it composes with a filter, a keyset cursor or a report's grouping), or the id sets
// a node filters in memory (the realtime gateway, the monitor's figures).
//
// - admins, and the system, see everything;
// - a supervisor sees the teams they supervise, the services linked to those teams, the
//   conversations of those services, themself and the agents of those teams;
// - an agent sees their own teams and those teams' services, themself, and the conversations they
//   hold (the desk's catalog and transfer targets are not scoped);
// - anyone sees a conversation they hold as its agent.
// Outside the scope a record does not exist: the answer is the 404 of an unknown id, never a 403
// that would tell it exists. 403 is for a role that may not call a route at all, or for a record the
// caller sees but may not act on that way (a supervisor writing to the customer).

/**
 * Whom the policy is about: an actor, or a session's user. Only the id and the role: team links are
 * read by the statement itself, so a socket's long-held user never decides on links older than the
 * data it reads.
 */
export type Viewer = Pick<Actor, 'id' | 'role'>;

/** The in-memory form: the services and agents a viewer watches (`all`: every one). */
export interface ScopeIds {
  all: boolean;
  serviceIds: ReadonlySet<string>;
  agentIds: ReadonlySet<string>;
}

export const SEES_ALL: ScopeIds = { all: true, serviceIds: new Set(), agentIds: new Set() };
const SEES_NOTHING: ScopeIds = { all: false, serviceIds: new Set(), agentIds: new Set() };

/** How a viewer stands to a conversation they may see. */
export type ConversationRole = 'agent' | 'supervisor';

/** What the checks need of a conversation. */
export interface ConversationRef {
  id: string;
  serviceId: string;
  agentId: string | null;
}

const COLUMN = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
const ALIAS = /^[a-z_][a-z0-9_]*$/;

function checked(pattern: RegExp, name: string): string {
  if (!pattern.test(name)) throw new Error(`access: ${name} is not a column or an alias`);
  return name;
}

const TRUE: SqlCondition = { sql: 'TRUE', params: [] };
const FALSE: SqlCondition = { sql: 'FALSE', params: [] };

/** A condition whose only parameter is the viewer's id, numbered `firstParam`. */
const withMe = (me: string, firstParam: number, sql: (me: string) => string): SqlCondition => ({ sql: sql(`$${firstParam}`), params: [me] });

// The subqueries, on aliases of their own (access_*) so they never capture the caller's.
type Link = 'team_supervisors' | 'team_agents';
/** The teams linked to the user `me` (a parameter). */
const teamsOf = (link: Link, me: string) => `SELECT access_l.team_id FROM ${link} access_l WHERE access_l.user_id = ${me}`;
/** The services linked to those teams. */
const servicesOf = (link: Link, me: string) =>
  `SELECT DISTINCT access_st.service_id AS id FROM service_teams access_st JOIN ${link} access_l ON access_l.team_id = access_st.team_id WHERE access_l.user_id = ${me}`;
/** The agents of the teams that the user `me` supervises. */
const agentsOf = (me: string) =>
  `SELECT DISTINCT access_ta.user_id AS id FROM team_agents access_ta JOIN team_supervisors access_ts ON access_ts.team_id = access_ta.team_id WHERE access_ts.user_id = ${me}`;

export class AccessPolicy {
  /** admins and the system */
  readonly all: boolean;
  private readonly me: string | null;
  private readonly supervisor: boolean;

  constructor(who: Viewer) {
    this.all = who.role === 'admin' || who.role === 'system';
    this.me = who.id;
    this.supervisor = who.role === 'supervisor';
  }

  /** A supervisor's scope hangs off the teams they supervise; an agent's off their own teams. */
  private get link(): Link {
    return this.supervisor ? 'team_supervisors' : 'team_agents';
  }

  // --- SQL: one condition each, on the caller's column (`t.id`) or alias (`c`) -------------------

  /** Teams: `column` holds a team id. */
  teamsSql(column: string, firstParam = 1): SqlCondition {
    if (this.all) return TRUE;
    if (!this.me) return FALSE;
    const col = checked(COLUMN, column);
    return withMe(this.me, firstParam, (me) => `${col} IN (${teamsOf(this.link, me)})`);
  }

  /** Services: `column` holds a service id (the services linked to the viewer's teams). */
  servicesSql(column: string, firstParam = 1): SqlCondition {
    if (this.all) return TRUE;
    if (!this.me) return FALSE;
    const col = checked(COLUMN, column);
    return withMe(this.me, firstParam, (me) => `${col} IN (${servicesOf(this.link, me)})`);
  }

  /** Users: `column` holds a user id (themself; for a supervisor, the agents of their teams too). */
  usersSql(column: string, firstParam = 1): SqlCondition {
    if (this.all) return TRUE;
    if (!this.me) return FALSE;
    const col = checked(COLUMN, column);
    if (!this.supervisor) return withMe(this.me, firstParam, (me) => `${col} = ${me}`);
    return withMe(this.me, firstParam, (me) => `(${col} = ${me} OR ${col} IN (${agentsOf(me)}))`);
  }

  /** Conversations: `alias` is a row of `conversations` (the viewer's own, or of a service they supervise). */
  conversationsSql(alias: string, firstParam = 1): SqlCondition {
    if (this.all) return TRUE;
    if (!this.me) return FALSE;
    const a = checked(ALIAS, alias);
    if (!this.supervisor) return withMe(this.me, firstParam, (me) => `${a}.agent_id = ${me}`);
    return withMe(this.me, firstParam, (me) => `(${a}.agent_id = ${me} OR ${a}.service_id IN (${servicesOf('team_supervisors', me)}))`);
  }

  /** Alerts: `alias` is a row of `alerts` (on a service supervised, or naming a team supervised). */
  alertsSql(alias: string, firstParam = 1): SqlCondition {
    if (this.all) return TRUE;
    if (!this.me || !this.supervisor) return FALSE;
    const a = checked(ALIAS, alias);
    return withMe(this.me, firstParam, (me) =>
      `(${a}.service_id IN (${servicesOf('team_supervisors', me)}) OR ${a}.team_ids && ARRAY(${teamsOf('team_supervisors', me)}))`);
  }

  // --- one record ---------------------------------------------------------------------------------

  /** Whether the viewer supervises the service (admins: every one). */
  async supervisesService(q: Queryable, serviceId: string): Promise<boolean> {
    if (this.all) return true;
    if (!this.me || !this.supervisor) return false;
    const { rows } = await q.query(`SELECT 1 WHERE $1::uuid IN (${servicesOf('team_supervisors', '$2')})`, [serviceId, this.me]);
    return rows.length > 0;
  }

  /**
   * How the viewer stands to the conversation, or null outside their scope. `formerAgent`: an agent
   * the supervisors wrote to about it still counts as its agent after a transfer (to read that chat).
   */
  async relationTo(q: Queryable, c: ConversationRef, opts: { formerAgent?: boolean } = {}): Promise<ConversationRole | null> {
    if (this.me && c.agentId === this.me) return 'agent';
    if (await this.supervisesService(q, c.serviceId)) return 'supervisor';
    if (opts.formerAgent && this.me) {
      const { rows } = await q.query('SELECT 1 FROM supervisor_messages WHERE conversation_id = $1 AND agent_id = $2 LIMIT 1', [c.id, this.me]);
      if (rows.length) return 'agent';
    }
    return null;
  }

  /** The viewer's relation to a conversation they may see; outside their scope, the 404 of an unknown id. */
  async conversationRole(q: Queryable, c: ConversationRef, opts: { formerAgent?: boolean } = {}): Promise<ConversationRole> {
    const role = await this.relationTo(q, c, opts);
    if (!role) throw notFound(NOUNS.conversation, c.id);
    return role;
  }

  /** A supervisor's action: 404 outside the scope; 403 for its own agent, who sees it but does not supervise it. */
  async assertSupervises(q: Queryable, c: ConversationRef): Promise<void> {
    if ((await this.conversationRole(q, c)) !== 'supervisor') {
      throw forbidden({ en: 'you do not supervise this conversation’s service', pt: 'você não supervisiona o serviço deste atendimento' });
    }
  }

  // --- in memory ----------------------------------------------------------------------------------

  /** The services and agents the viewer watches, as id sets read now (the monitor, the gateway). */
  async ids(q: Queryable): Promise<ScopeIds> {
    if (this.all) return SEES_ALL;
    if (!this.me || !this.supervisor) return SEES_NOTHING;
    const [services, agents] = await Promise.all([
      q.query<{ id: string }>(servicesOf('team_supervisors', '$1'), [this.me]),
      q.query<{ id: string }>(agentsOf('$1'), [this.me]),
    ]);
    return { all: false, serviceIds: new Set(services.rows.map((r) => r.id)), agentIds: new Set(agents.rows.map((r) => r.id)) };
  }
}

/** The policy of an actor (or of a session's user). */
export const policyOf = (who: Viewer): AccessPolicy => new AccessPolicy(who);

/** The id sets of a viewer, read now. */
export const scopeIds = (q: Queryable, who: Viewer): Promise<ScopeIds> => policyOf(who).ids(q);

export function sameScopeIds(a: ScopeIds, b: ScopeIds): boolean {
  const same = (x: ReadonlySet<string>, y: ReadonlySet<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return a.all === b.all && same(a.serviceIds, b.serviceIds) && same(a.agentIds, b.agentIds);
}
