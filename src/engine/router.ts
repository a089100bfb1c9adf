import {
  hasFreeSlot, queueHeadSizes, routeConversations, type QueuedConversation, type RoutingAgent, type RoutingService, type TeamCapacity,
} from '../core/routing.js';
import { isTransientConflict, rowFromJson } from '../db/database.js';
import type { Engine, RoutingWake } from './engine.js';
import { assignBatch } from './conversations/assign.js';
import { CHANNEL_CAPABILITIES, capabilitiesOf } from '../contracts/channel-capabilities.js';
import type { Channel } from '../contracts/common.js';

/** The channels of each workload, as SQL arrays (a queue head is read per service and workload). */
const CHANNELS_OF = {
  chat: (Object.keys(CHANNEL_CAPABILITIES) as Channel[]).filter((c) => CHANNEL_CAPABILITIES[c].workload === 'chat'),
  email: (Object.keys(CHANNEL_CAPABILITIES) as Channel[]).filter((c) => CHANNEL_CAPABILITIES[c].workload === 'email'),
};

/** Told how long routing takes, for /metrics: each pass, and each guarded assignment transaction with the assignments it carried. */
export interface RoutingObserver {
  pass?(seconds: number): void;
  assignments?(seconds: number, count: number): void;
}

/**
 * Runs routing passes on this node: reads the agents with a free slot and only the heads of the
 * queues they could take from, lets the core choose, and applies each choice in its own guarded
 * transaction (the single authority: never above capacity on any number of nodes). Passes never
 * overlap on one node; across nodes the database guards make a lost race harmless (the choice is
 * skipped and retried).
 *
 * A pass costs what the free slots allow, not what waits: with every agent full it reads the agents
 * (none come back) and no queue at all; and a conversation joining a queue whose agents were all
 * full at the last pass, with nothing freed since, wakes no pass. What may free a slot (a finish, a
 * transfer away, a login, a resume, a change of teams or limits, on any node: the bus brings the
 * other nodes' agent and catalogue events) makes every queue worth a look again.
 */
export class Router {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** what the wakes since the last pass asked for */
  private wanted: RoutingWake = { any: false, services: new Set() };
  /**
   * The services whose linked agents had a free slot for their queue at the last pass's read, with no
   * slot freed anywhere since; null when nothing is known (at start, after a slot freed). A
   * conversation joining any other queue cannot be assigned now.
   */
  private open: Set<string> | null = null;
  /** counts the slot-freeing events seen: a pass's picture of full services is kept only if none came during its read */
  private freed = 0;
  private readonly unsubscribe: () => void;
  passes = 0;
  /** wakes that needed no pass (every queue they named was full) */
  skipped = 0;
  /** queued conversations read by passes (the heads), for the metrics and the tests */
  queuedRead = 0;
  /** agents read by passes (those with a free slot for a workload of theirs), for the metrics and the tests */
  agentsRead = 0;
  /** services read by passes (those a team of a free agent serves), for the tests and the benchmarks */
  servicesRead = 0;
  private readonly observers = new Set<RoutingObserver>();

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown) => void = () => undefined,
    /** assignments per transaction */
    private readonly chunk = 8,
  ) {
    engine.onRoutingNeeded((wake) => this.wake(wake));
    this.unsubscribe = engine.bus.subscribe((events) => {
      for (const e of events) {
        if ((e.type === 'agent.updated' && e.reason !== 'assigned') || e.type === 'catalog.updated') {
          // a slot may have freed, here or on another node (whose own router runs its pass): what
          // this node believed full may not be any more
          this.open = null;
          this.freed++;
          if (e.type === 'catalog.updated') this.wake({ any: true, services: new Set() });
        }
      }
    });
  }

  /** Adds an observer of the passes' and assignments' durations; returns its removal. */
  observe(observer: RoutingObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Asks for a pass: `any` (or no argument) looks at every queue; services, only if one of them may move. */
  wake(wake: RoutingWake = { any: true, services: new Set() }): void {
    if (wake.any) this.wanted.any = true;
    for (const s of wake.services) this.wanted.services.add(s);
    this.run();
  }

  /** A pass over every queue (at start, in tests, in benchmarks). */
  schedule(): void {
    this.wake();
  }

  /** Coalesces requests: one pass runs, and one more after it if something asked meanwhile. */
  private run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const wanted = this.wanted;
    this.wanted = { any: false, services: new Set() };
    this.again = false;
    if (!wanted.any) {
      const open = this.open;
      if (![...wanted.services].some((s) => !open || open.has(s))) {
        if (wanted.services.size) this.skipped++;
        return;
      }
    }
    const started = performance.now();
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => {
        const seconds = (performance.now() - started) / 1000;
        for (const o of this.observers) o.pass?.(seconds);
        this.running = null;
        if (this.again) this.run();
      });
  }

  /** A safety sweep: looks at every queue now and then, whatever woke (or did not wake) this node. */
  start(intervalMs = 2000): void {
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    await this.running;
  }

  /** Waits until no pass is running or pending (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pass(): Promise<void> {
    this.passes++;
    const db = this.engine.db;
    const freed = this.freed;
    // the agents who could take something now (logged in, unpaused, enabled, below a team's limit
    // for a workload that team serves: an agent full on chat whose team serves no e-mail is not
    // free because of its unused e-mail limit; read as such, every pass read every agent of a
    // contact center whose chats were all busy), and only the teams of those agents with their
    // limits and the services those teams serve, with all their teams: what a pass reads grows with
    // the free slots, not with the catalogue. Read whole, the bench's 200 services and 100 teams were
    // most of what a one-slot pass allocated, and outlived the young generation: of the 84 MB that
    // 1,000 such passes sent to the old one, 59 came from them (18 MB in all since), and the
    // young-generation collections of the steady state went from 28–30 to 9–10 (docs/BENCHMARKS.md).
    // One statement of three JSON lists, on one connection.
    const { rows: [read] } = await db.query<{
      /** the `*_at` columns arrive as JSON text, dates once through rowFromJson */
      agents: { user_id: string; open_chat: number; open_email: number; last_assigned_at: Date | null; logged_in_at: Date | null; team_ids: string[] }[];
      services: { id: string; channel: string; team_ids: string[] }[];
      teams: { id: string; max_chat: number; max_email: number }[];
    }>(
      `WITH free AS (
         SELECT p.user_id, p.open_chat, p.open_email, p.last_assigned_at, p.logged_in_at,
                coalesce(array(SELECT team_id::text FROM team_agents WHERE user_id = p.user_id), '{}') AS team_ids
           FROM agent_presence p JOIN users u ON u.id = p.user_id
          WHERE p.state IN ('available', 'in_service') AND p.pending_pause_reason_id IS NULL AND u.active AND u.agent_enabled
            AND EXISTS (SELECT 1 FROM team_agents ta JOIN teams t ON t.id = ta.team_id AND t.active AND t.omni_enabled
                          JOIN service_teams st ON st.team_id = t.id JOIN services s ON s.id = st.service_id
                         WHERE ta.user_id = p.user_id
                           AND ((p.open_chat < t.max_chat AND s.channel = ANY($2::text[]))
                             OR (p.open_email < t.max_email AND s.channel = ANY($1::text[]))))),
       free_teams AS (SELECT DISTINCT unnest(team_ids)::uuid AS team_id FROM free)
       SELECT
         (SELECT coalesce(json_agg(free), '[]') FROM free) AS agents,
         (SELECT coalesce(json_agg(x), '[]') FROM (
            SELECT s.id, s.channel, array_agg(st.team_id::text) AS team_ids FROM services s JOIN service_teams st ON st.service_id = s.id
             WHERE EXISTS (SELECT 1 FROM service_teams f JOIN free_teams USING (team_id) WHERE f.service_id = s.id)
             GROUP BY s.id) x) AS services,
         (SELECT coalesce(json_agg(t), '[]') FROM (
            SELECT id, max_chat, max_email FROM teams WHERE active AND omni_enabled AND id IN (SELECT team_id FROM free_teams)) t) AS teams`,
      [CHANNELS_OF.email, CHANNELS_OF.chat],
    );
    const { services, teams } = read;
    const agents = read.agents.map((a) => rowFromJson(a));
    this.agentsRead += agents.length;
    this.servicesRead += services.length;
    const routingAgents = agents.map(
      (a): RoutingAgent => ({
        id: a.user_id,
        teamIds: a.team_ids,
        canReceiveWork: true,
        openChat: a.open_chat,
        openEmail: a.open_email,
        lastAssignedAt: a.last_assigned_at?.getTime() ?? null,
        loggedInAt: a.logged_in_at?.getTime() ?? 0,
      }),
    );
    const routingServices = services.map((s): RoutingService => ({ id: s.id, teamIds: s.team_ids }));
    const capacities = teams.map((t): TeamCapacity => ({ teamId: t.id, maxChat: t.max_chat, maxEmail: t.max_email }));
    const sizes = queueHeadSizes({ agents: routingAgents.filter((a) => hasFreeSlot(a, capacities)), services: routingServices, capacities });
    // the heads: of each service whose agents have free slots for its channel's workload (a
    // conversation is always of its service's channel: it opens there, and moves only between
    // services of one channel), that many from the front of the queue in routing order (priority
    // returned before normal, then the oldest; conversations_queue_head_idx), and every `manual` one
    // of those services (a supervisor's allocations: few)
    const heads: { service: string[]; kind: string[]; n: number[] } = { service: [], kind: [], n: [] };
    for (const s of services) {
      const kind = capabilitiesOf(s.channel).workload;
      const n = sizes.get(s.id)?.[kind] ?? 0;
      if (!n) continue;
      heads.service.push(s.id);
      heads.kind.push(kind);
      heads.n.push(n);
    }
    // the services with room are those with a head to read (those not read have no free agent at
    // all); a slot freed while the agents were read may not be in this picture: believe nothing full then
    this.open = freed === this.freed ? new Set(heads.service) : null;
    if (!heads.service.length) return;

    const queued = await db.query<{ id: string; service_id: string; channel: string; priority: QueuedConversation['priority']; queued_at: Date; preferred_agent_id: string | null }>(
      `SELECT h.id, h.service_id, h.channel, h.priority, h.queued_at, h.preferred_agent_id
         FROM unnest($1::uuid[], $2::text[], $3::int[]) AS w(service_id, kind, n)
         CROSS JOIN LATERAL (
           SELECT c.id, c.service_id, c.channel, c.priority, c.queued_at, c.preferred_agent_id FROM conversations c
            WHERE c.state = 'queued' AND c.service_id = w.service_id AND c.priority <> 'manual'
              AND c.channel = ANY(CASE w.kind WHEN 'email' THEN $4::text[] ELSE $5::text[] END)
            ORDER BY c.priority DESC, c.queued_at, c.id LIMIT w.n) h
       UNION ALL
       SELECT id, service_id, channel, priority, queued_at, preferred_agent_id FROM conversations
        WHERE state = 'queued' AND priority = 'manual' AND service_id = ANY($1::uuid[])`,
      [heads.service, heads.kind, heads.n, CHANNELS_OF.email, CHANNELS_OF.chat],
    );
    this.queuedRead += queued.rows.length;
    if (!queued.rows.length) return;
    const choices = routeConversations({
      conversations: queued.rows.map((r) => ({
        id: r.id,
        serviceId: r.service_id,
        channelKind: capabilitiesOf(r.channel).workload,
        priority: r.priority,
        queuedAt: r.queued_at.getTime(),
        preferredAgentId: r.preferred_agent_id ?? undefined,
      })),
      agents: routingAgents,
      services: routingServices,
      capacities,
    });
    let rejected = 0;
    // the choices go in guarded transactions of `chunk` assignments at most (assignBatch): an
    // assignment waits for at most one short transaction, not for the whole pass
    for (let start = 0; start < choices.length; start += this.chunk) {
      if (this.stopped) return;
      const chunk = choices.slice(start, start + this.chunk);
      const started = performance.now();
      try {
        const lost = (await this.engine.execute((u) => {
          // assignBatch's statements are prepared (PostgreSQL: named from their third use; PGlite: a
          // transaction's statements, database.ts) but the server still plans each execution for its
          // values (a "custom plan": the locking read's planning took 1 ms on PostgreSQL, eight times
          // its run); keyed by ids, they have one good plan whatever the values, so the generic one is
          // kept. Sent with BEGIN on PostgreSQL, it costs no round trip.
          u.send('SET LOCAL plan_cache_mode = force_generic_plan');
          return assignBatch(u, chunk, 'assigned');
        })).length;
        rejected += lost;
        // every assignment of the transaction waited for all of it
        const seconds = (performance.now() - started) / 1000;
        if (chunk.length > lost) for (const o of this.observers) o.assignments?.(seconds, chunk.length - lost);
      } catch (err) {
        // the transaction failed as a whole: nothing of it happened, and the next pass chooses again
        // (a deadlock with another node is expected now and then; anything else is reported)
        if (!isTransientConflict(err)) this.onError(err);
        rejected += chunk.length;
      }
    }
    // a lost race means the picture changed: look again shortly (not at once, which could spin)
    if (rejected) setTimeout(() => this.wake(), 250).unref();
  }
}
