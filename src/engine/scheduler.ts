import type { Engine, UnitOfWork } from './engine.js';
import { setTimer, takeDueTimer, type TimerRow } from './timers.js';
import { finishConversation } from './conversations/finish.js';
import { loadConversation } from './conversations/present.js';
import { queue } from './conversations/transitions.js';
import { reduceStoredPresence } from './agents/presence-store.js';
import { getSettings } from './settings.js';
import { ringTimedOut } from './calls/commands.js';

type Handler = (engine: Engine, u: UnitOfWork, t: TimerRow) => Promise<void>;

/** One handler per timer kind; each checks the subject is still in the state the timer was set for. */
const HANDLERS: Record<TimerRow['kind'], Handler> = {
  async queue_timeout(engine, u, t) {
    const c = await loadConversation(u.tx, t.conversation_id!, true);
    if (c?.state === 'queued') await finishConversation(engine, u, c, 'customer_gave_up', 'system');
  },
  async bot_timeout(engine, u, t) {
    const c = await loadConversation(u.tx, t.conversation_id!, true);
    if (c?.state === 'bot') await finishConversation(engine, u, c, 'customer_gave_up', 'system');
  },
  async inactive_in_service(engine, u, t) {
    const c = await loadConversation(u.tx, t.conversation_id!, true);
    if (c?.state === 'in_service') await finishConversation(engine, u, c, 'inactive_in_service', 'system');
  },
  async call_ring(_engine, u, t) {
    await ringTimedOut(u, t.conversation_id!);
  },
  async agent_connection_lost(engine, u, t) {
    const agentId = t.user_id!;
    const { timeouts } = await getSettings(u.tx);
    // A desk with an open socket on this node is alive, whatever a late database refresh says
    // (under a burst the refresh can wait behind queued writes): look again after another grace.
    if (engine.isAgentConnectedHere(agentId)) {
      await setTimer(u.tx, 'agent_connection_lost', { userId: agentId }, new Date(u.now.getTime() + timeouts.agentGraceSeconds * 1000));
      return;
    }
    const { rows } = await u.tx.query<{ id: string }>(
      `SELECT id FROM conversations WHERE agent_id = $1 AND state = 'in_service' ORDER BY assigned_at FOR UPDATE`,
      [agentId],
    );
    for (const { id } of rows) {
      const c = (await loadConversation(u.tx, id))!;
      if (timeouts.connectionLostAction === 'finish') {
        await finishConversation(engine, u, c, 'connection_lost', 'system');
      } else {
        // back to the head of its queue: priority "returned", ahead of new arrivals
        await queue(u, c, 'system', { reason: 'connection_lost_requeued' });
      }
    }
    const { rows: p } = await u.tx.query<{ state: string }>('SELECT state FROM agent_presence WHERE user_id = $1', [agentId]);
    // the event's reason tells this logout from the agent's own (Relatórios → Sessões de agentes)
    if (p[0] && p[0].state !== 'offline') await reduceStoredPresence(u, agentId, { type: 'logout' }, undefined, 'connection_lost');
    u.requestRouting();
  },
};

/**
 * Fires due timers. Deadlines live in the database, so a restart (or another node) picks up where
 * this one stopped; FOR UPDATE SKIP LOCKED gives each timer to exactly one node.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(intervalMs = 500): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  /** Fires every timer due now; returns how many fired. */
  async tick(): Promise<number> {
    if (this.busy) {
      await this.busy;
      return 0;
    }
    let fired = 0;
    this.busy = (async () => {
      while (!this.stopped) {
        let current: TimerRow | null = null;
        try {
          const done = await this.engine.execute(async (u) => {
            current = await takeDueTimer(u.tx, u.now);
            if (!current) return false;
            await HANDLERS[current.kind](this.engine, u, current);
            return true;
          });
          if (!done) break;
          fired++;
        } catch (err) {
          this.onError(err);
          // a failing timer must not block the ones behind it: retry it a minute later
          const failed = current as TimerRow | null;
          if (failed) await this.engine.db.query(`UPDATE timers SET due_at = due_at + interval '1 minute' WHERE id = $1`, [failed.id]).catch(() => undefined);
          else break;
        }
      }
    })();
    await this.busy;
    this.busy = null;
    return fired;
  }
}
