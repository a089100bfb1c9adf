import type { Database } from '../db/database.js';
import type { AgentView, ConversationView } from '../contracts/conversations.js';
import type { RealtimeEvent } from '../contracts/events.js';
import type { EventBus } from './bus.js';
import { eventsAfter, lastSeq } from './events.js';
import { AGENT_SELECT, presentAgent } from './agents/present.js';
import { CONVERSATION_SELECT, presentConversation } from './conversations/present.js';

const OPEN = new Set(['triage', 'bot', 'queued', 'in_service']);

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

  constructor(private readonly db: Database) {}

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

  stop(): void {
    this.unsubscribe?.();
  }

  async rebuild(): Promise<void> {
    const seq = await lastSeq(this.db);
    const [convs, agents] = await Promise.all([
      this.db.query(`${CONVERSATION_SELECT} WHERE c.state IN ('triage', 'bot', 'queued', 'in_service')`),
      this.db.query(`${AGENT_SELECT} WHERE u.agent_enabled AND u.active`),
    ]);
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
    this.seq = seq;
  }

  /** Called with the events this projection applied, in seq order (the gateway listens here). */
  onApplied(listener: (events: RealtimeEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    if (e.conversation) {
      if (OPEN.has(e.conversation.state)) this.conversations.set(e.conversation.id, e.conversation);
      else this.conversations.delete(e.conversation.id);
    }
    if (e.agent) {
      if (e.agent.enabled) this.agents.set(e.agent.id, e.agent);
      else this.agents.delete(e.agent.id);
    }
    applied.push(e);
  }
}
