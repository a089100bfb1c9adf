import type { Database, Queryable } from '../db/database.js';
import type { ConversationView, MessageView } from '../contracts/conversations.js';
import { EVENT_VERSIONS, type NewEvent, type RealtimeEvent, type StoredEvent } from '../contracts/events.js';
import type { EventBus } from './bus.js';
import type { Clock } from './clock.js';
import { appendEvents } from './events.js';

/**
 * What a command works with: its transaction, the command's single "now", and the events it
 * raises. Events are appended in the same transaction and published only after commit.
 */
export class UnitOfWork {
  readonly events: StoredEvent[] = [];
  /** what this command may let routing do: see requestRouting */
  readonly routing: RoutingWake = { any: false, services: new Set() };
  constructor(
    readonly tx: Queryable,
    readonly now: Date,
  ) {}

  /** Raises an event, stamped with its type's current version. */
  emit(event: NewEvent): void {
    this.events.push({ ...event, v: EVENT_VERSIONS[event.type] } as StoredEvent);
  }

  /**
   * Sends a statement whose answer the command does not need: it leaves with what follows (the
   * events, COMMIT) in one round trip on PostgreSQL, and should it fail, the transaction fails with
   * its error (Database.transaction waits for every statement sent).
   */
  send(sql: string, params?: unknown[]): void {
    this.tx.query(sql, params).catch(() => undefined);
  }

  /**
   * Something changed that may allow an assignment. With a service: a conversation joined (or moved
   * up in) that service's queue, which can move only if an agent there has a free slot. Without: a
   * slot may have freed or an agent come back (finish, transfer away, login, resume, a lost race),
   * so any queue may move.
   */
  requestRouting(serviceId?: string): void {
    if (serviceId === undefined) this.routing.any = true;
    else this.routing.services.add(serviceId);
  }
}

/** What a committed command asks of routing (UnitOfWork.requestRouting). */
export interface RoutingWake {
  any: boolean;
  services: Set<string>;
}

/** A channel's hook for messages that go to the customer: it enqueues them durably, in the same transaction. */
export type OutboundHook = (u: UnitOfWork, conversation: ConversationView, message: MessageView) => Promise<void>;

export class Engine {
  private readonly outbound = new Map<string, OutboundHook>();
  private routingListener: ((wake: RoutingWake) => void) | null = null;

  constructor(
    readonly db: Database,
    readonly bus: EventBus,
    readonly clock: Clock,
  ) {}

  /** Runs a command in one transaction; after commit, publishes its events and wakes routing. */
  async execute<T>(command: (u: UnitOfWork) => Promise<T>): Promise<T> {
    const now = this.clock.now();
    let appended: Promise<RealtimeEvent[]> = Promise.resolve([]);
    let routing: RoutingWake | null = null;
    const result = await this.db.transaction(async (tx) => {
      const u = new UnitOfWork(tx, now);
      const r = await command(u);
      // not awaited here: the events go on the wire with COMMIT (one round trip on PostgreSQL), and
      // should their statement fail, the transaction fails with it
      appended = appendEvents(tx, this.db.kind, u.events, now);
      appended.catch(() => undefined);
      if (u.routing.any || u.routing.services.size) routing = u.routing;
      return r;
    });
    this.bus.publish(await appended);
    if (routing) this.routingListener?.(routing);
    return result;
  }

  private livenessProbe: (agentId: string) => boolean = () => false;

  /** The realtime gateway tells the engine which agents hold an open desk socket on this node. */
  setLivenessProbe(probe: (agentId: string) => boolean): void {
    this.livenessProbe = probe;
  }

  isAgentConnectedHere(agentId: string): boolean {
    return this.livenessProbe(agentId);
  }

  onRoutingNeeded(listener: (wake: RoutingWake) => void): void {
    this.routingListener = listener;
  }

  registerOutbound(channel: string, hook: OutboundHook): void {
    this.outbound.set(channel, hook);
  }

  outboundHook(channel: string): OutboundHook | undefined {
    return this.outbound.get(channel);
  }
}
