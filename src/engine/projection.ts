import type { Database, Queryable } from '../db/database.js';
import type { AgentView, ConversationView } from '../contracts/conversations.js';
import type { RealtimeEvent } from '../contracts/events.js';
import { dispatchEvent, type EventHandlers } from '../contracts/event-handlers.js';
import type { EventBus } from './bus.js';
import { eventsAfter, lastSeq } from './events.js';
import { isOpenState, OPEN_STATES_SQL } from '../shared/states.js';
import { AGENT_SELECT, presentAgent } from './agents/present.js';
import { CONVERSATION_SELECT, presentConversation } from './conversations/present.js';


/** Something that derives state from conversation changes (the monitor's day aggregates). */
export interface ConversationTracker {
  /** loads its state in the same database snapshot as the projection */
  rebuild(tx: Queryable): Promise<void>;
  /** after a rebuild: the open conversations the projection now holds */
  reset(open: Iterable<ConversationView>): void;
  apply(prev: ConversationView | undefined, next: ConversationView): void;
}

/**
 * The live picture this node keeps in memory: every open conversation and every agent, with all
 * the timestamps the monitor needs. Rebuilt from the database at start, then kept current from the
 * event stream in seq order; a gap in seq (an event that came through another node and was missed)
 * is filled from the event log before going on.
 */
export class LiveProjection {
  readonly conversations = new Map<string, ConversationView>();
  readonly agents = new Map<string, AgentView>();
  seq = 0;
  private chain: Promise<void> = Promise.resolve();
  private listeners = new Set<(events: RealtimeEvent[]) => void>();
  private unsubscribe: (() => void) | null = null;
  private trackers: ConversationTracker[] = [];

  constructor(private readonly db: Database) {}

  /** Registers a tracker before start(); it is rebuilt with the projection and fed every change. */
  track(tracker: ConversationTracker): void {
    this.trackers.push(tracker);
  }

  async start(bus: EventBus): Promise<void> {
    // subscribe first, rebuild second: events that arrive meanwhile wait in the chain
    let release!: () => void;
    this.chain = new Promise<void>((r) => (release = r));
    this.unsubscribe = bus.subscribe((events) => this.enqueue(events));
    try {
      await this.rebuild();
    } finally {
      release();
    }
  }

  /** Takes no more events, and finishes applying those received (a gap is filled from the database). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.chain;
  }

  async rebuild(): Promise<void> {
    // one snapshot: the seq, the open conversations, the agents and the trackers' state agree
    await this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const seq = await lastSeq(tx);
      const convs = await tx.query(`${CONVERSATION_SELECT} WHERE c.state IN ${OPEN_STATES_SQL}`);
      const agents = await tx.query(`${AGENT_SELECT} WHERE u.agent_enabled AND u.active`);
      for (const t of this.trackers) await t.rebuild(tx);
      this.conversations.clear();
      this.agents.clear();
      for (const r of convs.rows) {
        const c = presentConversation(r);
        this.conversations.set(c.id, c);
      }
      for (const r of agents.rows) {
        const a = presentAgent(r);
        this.agents.set(a.id, a);
      }
      for (const t of this.trackers) t.reset(this.conversations.values());
      this.seq = seq;
    });
  }

  /** Called with the events this projection applied, in seq order (the gateway listens here). */
  onApplied(listener: (events: RealtimeEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `fn` when services, teams or parameters changed on any node (a `catalog.updated` event). */
  onCatalogUpdated(fn: () => void): () => void {
    return this.onApplied((events) => {
      if (events.some((e) => e.type === 'catalog.updated')) fn();
    });
  }

  /** Resolves when every event received so far has been applied. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(events: RealtimeEvent[]): void {
    this.chain = this.chain.then(() => this.apply(events)).catch(() => undefined);
  }

  private async apply(incoming: RealtimeEvent[]): Promise<void> {
    const sorted = [...incoming].sort((a, b) => a.seq - b.seq);
    const applied: RealtimeEvent[] = [];
    for (const e of sorted) {
      if (e.seq <= this.seq) continue;
      if (e.seq > this.seq + 1) {
        // fill the gap from the log (rolled-back transactions also leave harmless gaps)
        for (const missed of await eventsAfter(this.db, this.seq, e.seq - this.seq - 1)) {
          if (missed.seq < e.seq) this.applyOne(missed, applied);
        }
      }
      this.applyOne(e, applied);
    }
    if (applied.length) for (const l of this.listeners) l(applied);
  }

  private applyOne(e: RealtimeEvent, applied: RealtimeEvent[]): void {
    if (e.seq <= this.seq) return;
    this.seq = e.seq;
    dispatchEvent(this.handlers, e);
    applied.push(e);
  }

  private applyConversation(c: ConversationView): void {
    const prev = this.conversations.get(c.id);
    for (const t of this.trackers) t.apply(prev, c);
    if (isOpenState(c.state)) this.conversations.set(c.id, c);
    else this.conversations.delete(c.id);
  }

  /** What each event changes in the live picture (messages, supervisor chat, alerts and the catalog: nothing). */
  private readonly handlers: EventHandlers = {
    'conversation.created': (e) => this.applyConversation(e.conversation),
    'conversation.updated': (e) => this.applyConversation(e.conversation),
    'message.created': () => undefined,
    'message.updated': () => undefined,
    'whisper.created': () => undefined,
    'whisper.updated': () => undefined,
    'agent.updated': ({ agent }) => {
      if (agent.enabled) this.agents.set(agent.id, agent);
      else this.agents.delete(agent.id);
    },
    'catalog.updated': () => undefined,
    'alert.created': () => undefined,
    'alert.resolved': () => undefined,
    'whatsapp.wallet.updated': () => undefined,
    // "em chamada" reaches the agents through the agent.updated raised with it
    'call.updated': () => undefined,
  };
}
