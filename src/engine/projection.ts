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
 * How long a gap in seq waits for the bus to bring the missing events before the event log is read.
 * With several nodes a gap is the rule, not the exception: a node's own events reach its projection
 * at once, the events another node committed just before come through Redis a moment later; reading
 * them from the log each time cost PostgreSQL a read of every other node's events (issue 13).
 */
export const GAP_GRACE_MS = 50;
/** A gap wider than this (a node that lost Redis for a while) is read from the log at once. */
const GAP_WAIT_MAX = 1000;

/**
 * The live picture this node keeps in memory: every open conversation and every agent, with all
 * the timestamps the monitor needs. Rebuilt from the database at start, then kept current from the
 * event stream in seq order; a gap in seq (an event committed on another node, on its way through
 * the bus, or one that was missed) waits up to `gapGraceMs` for the bus to bring what is missing,
 * then what is still missing is filled from the event log before going on.
 */
export class LiveProjection {
  readonly conversations = new Map<string, ConversationView>();
  readonly agents = new Map<string, AgentView>();
  seq = 0;
  /** reads of the event log to fill a gap, and the events they brought (/metrics) */
  logReads = 0;
  logEvents = 0;
  /** gaps that the bus filled within the grace, without reading the log (/metrics) */
  gapsFilledByBus = 0;
  private chain: Promise<void> = Promise.resolve();
  private listeners = new Set<(events: RealtimeEvent[]) => void>();
  private unsubscribe: (() => void) | null = null;
  private trackers: ConversationTracker[] = [];
  /** events received and not yet applied, by seq: what a gap waits for arrives here first */
  private received = new Map<number, RealtimeEvent>();
  /** the gap being waited for, woken when an arrival may have filled it */
  private gapWaiter: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly gapGraceMs = GAP_GRACE_MS,
  ) {}

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
    // seen at once (not in turn): a gap waiting in the chain ahead of these may be filled by them
    for (const e of events) if (e.seq > this.seq) this.received.set(e.seq, e);
    this.gapWaiter?.();
    this.chain = this.chain.then(() => this.apply(events)).catch(() => undefined);
  }

  private async apply(incoming: RealtimeEvent[]): Promise<void> {
    const sorted = [...incoming].sort((a, b) => a.seq - b.seq);
    const applied: RealtimeEvent[] = [];
    try {
      for (const e of sorted) {
        if (e.seq <= this.seq) continue;
        if (e.seq > this.seq + 1) await this.fillGap(e.seq, applied);
        this.applyOne(e, applied);
      }
    } finally {
      for (const e of sorted) this.received.delete(e.seq);
    }
    if (applied.length) for (const l of this.listeners) l(applied);
  }

  /** Applies the events between the last applied and `upTo`: those the bus brings in time, then the log's. */
  private async fillGap(upTo: number, applied: RealtimeEvent[]): Promise<void> {
    if (upTo - this.seq - 1 <= GAP_WAIT_MAX) await this.waitForGap(upTo);
    while (this.seq + 1 < upTo) {
      const next = this.received.get(this.seq + 1);
      if (next) {
        this.applyOne(next, applied);
        continue;
      }
      // still missing: from the log (rolled-back transactions also leave harmless gaps)
      this.logReads++;
      const missed = await eventsAfter(this.db, this.seq, upTo - this.seq - 1);
      this.logEvents += missed.length;
      for (const m of missed) if (m.seq < upTo) this.applyOne(m, applied);
      break;
    }
  }

  private gapFilled(upTo: number): boolean {
    for (let s = this.seq + 1; s < upTo; s++) if (!this.received.has(s)) return false;
    return true;
  }

  private waitForGap(upTo: number): Promise<void> {
    if (this.gapFilled(upTo)) {
      this.gapsFilledByBus++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.gapWaiter = null;
        resolve();
      };
      const timer = setTimeout(done, this.gapGraceMs);
      this.gapWaiter = () => {
        if (!this.gapFilled(upTo)) return;
        this.gapsFilledByBus++;
        done();
      };
    });
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
    'campaign.updated': () => undefined,
    // "em chamada" reaches the agents through the agent.updated raised with it
    'call.updated': () => undefined,
  };
}
