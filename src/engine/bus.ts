import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RealtimeEvent } from '../contracts/events.js';

export type EventListener = (events: RealtimeEvent[]) => void;

/** Carries committed events to this node's listeners and, with Redis, to every other node's. */
export interface EventBus {
  publish(events: RealtimeEvent[]): void;
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

export class LocalBus implements EventBus {
  protected listeners = new Set<EventListener>();
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
  async close(): Promise<void> {
    this.listeners.clear();
  }
}

const CHANNEL = 'mirante:events';

/** Local delivery at once, and the same events through Redis pub/sub to the other nodes. */
export class RedisBus extends LocalBus {
  private readonly node = randomUUID();
  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
  ) {
    super();
  }

  static async connect(url: string): Promise<RedisBus> {
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = new Redis(url, { lazyConnect: true });
    await Promise.all([pub.connect(), sub.connect()]);
    const bus = new RedisBus(pub, sub);
    await sub.subscribe(CHANNEL);
    sub.on('message', (_ch, raw: string) => {
      const msg = JSON.parse(raw) as { node: string; events: RealtimeEvent[] };
      if (msg.node !== bus.node) LocalBus.prototype.publish.call(bus, msg.events);
    });
    return bus;
  }

  override publish(events: RealtimeEvent[]): void {
    if (!events.length) return;
    super.publish(events);
    void this.pub.publish(CHANNEL, JSON.stringify({ node: this.node, events })).catch(() => undefined);
  }

  override async close(): Promise<void> {
    await super.close();
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
