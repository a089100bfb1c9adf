import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RealtimeEvent } from '../contracts/events.js';
import type { CallSignal } from '../contracts/calls.js';
import { eventJson } from './events.js';

export type EventListener = (events: RealtimeEvent[]) => void;

/**
 * Signals that are not events: nothing is stored, nothing is caught up after a reconnect, a lost one
 * does no harm (someone is typing). They reach every node, like events.
 */
export type EphemeralMessage =
  | {
      kind: 'typing';
      conversationId: string;
      from: 'agent' | 'customer';
      /** the conversation's agent: who types (from agent), or who should see it (from customer) */
      agentId: string | null;
      name: string | null;
    }
  /**
   * These users' sessions, role, teams or active flag changed: every node checks their /ws sockets
   * against the database again (a lost one is caught by the gateway's periodic check).
   */
  | { kind: 'access'; userIds: string[] }
  /**
   * A call's signalling (an offer, an answer, an ICE candidate) or a media switch, from one side to
   * the other: `to` says which, `agentId`/`conversationId` where that side's sockets are.
   */
  | { kind: 'call'; callId: string; conversationId: string; agentId: string | null; to: 'agent' | 'customer'; signal?: CallSignal; video?: boolean };
export type EphemeralListener = (message: EphemeralMessage) => void;

/** Carries committed events to this node's listeners and, with Redis, to every other node's. */
export interface EventBus {
  publish(events: RealtimeEvent[]): void;
  subscribe(listener: EventListener): () => void;
  publishEphemeral(message: EphemeralMessage): void;
  subscribeEphemeral(listener: EphemeralListener): () => void;
  close(): Promise<void>;
}

export class LocalBus implements EventBus {
  protected listeners = new Set<EventListener>();
  protected ephemeralListeners = new Set<EphemeralListener>();
  publish(events: RealtimeEvent[]): void {
    if (!events.length) return;
    for (const l of this.listeners) {
      try {
        l(events);
      } catch {
        // one faulty listener must not stop the others
      }
    }
  }
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publishEphemeral(message: EphemeralMessage): void {
    for (const l of this.ephemeralListeners) {
      try {
        l(message);
      } catch {
        // as above
      }
    }
  }
  subscribeEphemeral(listener: EphemeralListener): () => void {
    this.ephemeralListeners.add(listener);
    return () => this.ephemeralListeners.delete(listener);
  }
  async close(): Promise<void> {
    this.listeners.clear();
    this.ephemeralListeners.clear();
  }
}


/** Local delivery at once, and the same events through Redis pub/sub to the other nodes. */
export class RedisBus extends LocalBus {
  private readonly node = randomUUID();
  private readonly channel: string;
  private readonly ephemeralChannel: string;
  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    namespace: string,
  ) {
    super();
    this.channel = `mirante:${namespace}:events`;
    this.ephemeralChannel = `mirante:${namespace}:ephemeral`;
  }

  /**
   * `namespace` names the deployment (engine/runtime.ts derives it from the database): two
   * deployments on one Redis must never apply each other's events, whose seqs mean nothing here.
   */
  static async connect(url: string, namespace: string): Promise<RedisBus> {
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = new Redis(url, { lazyConnect: true });
    await Promise.all([pub.connect(), sub.connect()]);
    const bus = new RedisBus(pub, sub, namespace);
    await sub.subscribe(bus.channel, bus.ephemeralChannel);
    sub.on('message', (ch, raw: string) => {
      if (ch === bus.ephemeralChannel) {
        const msg = JSON.parse(raw) as { node: string; message: EphemeralMessage };
        if (msg.node !== bus.node) LocalBus.prototype.publishEphemeral.call(bus, msg.message);
        return;
      }
      const msg = JSON.parse(raw) as { node: string; events: RealtimeEvent[] };
      if (msg.node !== bus.node) LocalBus.prototype.publish.call(bus, msg.events);
    });
    return bus;
  }

  override publish(events: RealtimeEvent[]): void {
    if (!events.length) return;
    super.publish(events);
    // each event's JSON is the one its INSERT sent (events.ts): no second serialisation of the views
    void this.pub.publish(this.channel, `{"node":"${this.node}","events":[${events.map(eventJson).join(',')}]}`).catch(() => undefined);
  }

  override publishEphemeral(message: EphemeralMessage): void {
    super.publishEphemeral(message);
    void this.pub.publish(this.ephemeralChannel, JSON.stringify({ node: this.node, message })).catch(() => undefined);
  }

  override async close(): Promise<void> {
    await super.close();
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
