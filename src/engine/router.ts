import { routeConversations, type QueuedConversation, type RoutingAgent, type TeamCapacity } from '../core/routing.js';
import { isTransientConflict } from '../db/database.js';
import type { Engine } from './engine.js';
import { assignBatch } from './conversations/assign.js';
import { capabilitiesOf } from '../contracts/channel-capabilities.js';

/**
 * Runs routing passes on this node: reads the queues and the agents, lets the core choose, and
 * applies each choice in its own guarded transaction. Passes never overlap on one node; across
 * nodes the database guards make a lost race harmless (the choice is skipped and retried).
 */
export class Router {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  passes = 0;

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown) => void = () => undefined,
    /** assignments per transaction */
    private readonly chunk = 8,
  ) {
    engine.onRoutingNeeded(() => this.schedule());
  }

  /** Coalesces requests: one pass runs, and one more after it if something asked meanwhile. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  /** A safety sweep: catches queues another node's events did not wake here. */
  start(intervalMs = 2000): void {
    this.timer = setInterval(() => this.schedule(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Waits until no pass is running or pending (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pass(): Promise<void> {
    this.passes++;
    const db = this.engine.db;
    const queued = await db.query<{ id: string; service_id: string; channel: string; priority: QueuedConversation['priority']; queued_at: Date; preferred_agent_id: string | null }>(
      `SELECT id, service_id, channel, priority, queued_at, preferred_agent_id FROM conversations WHERE state = 'queued'`,
    );
    if (!queued.rows.length) return;
    const [agents, services, teams] = await Promise.all([
      db.query<{ user_id: string; state: string; pending_pause_reason_id: string | null; open_chat: number; open_email: number; last_assigned_at: Date | null; logged_in_at: Date | null; team_ids: string[] }>(
        `SELECT p.*, coalesce(array(SELECT team_id::text FROM team_agents WHERE user_id = p.user_id), '{}') AS team_ids
           FROM agent_presence p JOIN users u ON u.id = p.user_id
          WHERE p.state IN ('available', 'in_service') AND p.pending_pause_reason_id IS NULL AND u.active AND u.agent_enabled`,
      ),
      db.query<{ service_id: string; team_ids: string[] }>(
        `SELECT service_id, array_agg(team_id::text) AS team_ids FROM service_teams GROUP BY service_id`,
      ),
      db.query<{ id: string; max_chat: number; max_email: number }>('SELECT id, max_chat, max_email FROM teams WHERE active AND omni_enabled'),
    ]);
    const choices = routeConversations({
      conversations: queued.rows.map((r) => ({
        id: r.id,
        serviceId: r.service_id,
        channelKind: capabilitiesOf(r.channel).workload,
        priority: r.priority,
        queuedAt: r.queued_at.getTime(),
        preferredAgentId: r.preferred_agent_id ?? undefined,
      })),
      agents: agents.rows.map(
        (a): RoutingAgent => ({
          id: a.user_id,
          teamIds: a.team_ids,
          canReceiveWork: true,
          openChat: a.open_chat,
          openEmail: a.open_email,
          lastAssignedAt: a.last_assigned_at?.getTime() ?? null,
          loggedInAt: a.logged_in_at?.getTime() ?? 0,
        }),
      ),
      services: services.rows.map((s) => ({ id: s.service_id, teamIds: s.team_ids })),
      capacities: teams.rows.map((t): TeamCapacity => ({ teamId: t.id, maxChat: t.max_chat, maxEmail: t.max_email })),
    });
    let rejected = 0;
    // the choices go in guarded transactions of `chunk` assignments at most (assignBatch): an
    // assignment waits for at most one short transaction, not for the whole pass
    for (let start = 0; start < choices.length; start += this.chunk) {
      if (this.stopped) return;
      const chunk = choices.slice(start, start + this.chunk);
      try {
        rejected += (await this.engine.execute((u) => assignBatch(u, chunk, 'assigned'))).length;
      } catch (err) {
        // the transaction failed as a whole: nothing of it happened, and the next pass chooses again
        // (a deadlock with another node is expected now and then; anything else is reported)
        if (!isTransientConflict(err)) this.onError(err);
        rejected += chunk.length;
      }
    }
    // a lost race means the picture changed: look again shortly (not at once, which could spin)
    if (rejected) setTimeout(() => this.schedule(), 250).unref();
  }
}
