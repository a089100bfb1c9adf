import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EVENT_VERSIONS, RealtimeEvent, type EventType } from '../contracts/events.js';
import { dispatchEvent, type EventHandlers } from '../contracts/event-handlers.js';
import { readStoredEvent } from './events.js';

describe('realtime events', () => {
  it('every event type has one schema, with a version', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(Object.keys(EVENT_VERSIONS).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) expect(Number.isInteger(EVENT_VERSIONS[type]) && EVENT_VERSIONS[type] >= 1).toBe(true);
  });

  it('refuses an event whose payload is not its type’s (the union is discriminated by type)', () => {
    const base = { seq: 1, at: '2026-01-01T00:00:00.000Z', serviceId: null, agentId: null, v: 1 };
    expect(RealtimeEvent.safeParse({ ...base, type: 'catalog.updated' }).success).toBe(true);
    // a message event without its message, a catalog event carrying a service
    expect(RealtimeEvent.safeParse({ ...base, type: 'message.created' }).success).toBe(false);
    expect(RealtimeEvent.safeParse({ ...base, type: 'catalog.updated', serviceId: 'x' }).success).toBe(false);
    expect(RealtimeEvent.safeParse({ ...base, type: 'catalog.updated', v: 2 }).success).toBe(false);
    expect(RealtimeEvent.safeParse({ ...base, type: 'nothing.happened' }).success).toBe(false);
  });

  it('dispatches each event to its type’s handler, with the consumer’s arguments', () => {
    const calls: string[] = [];
    const handlers = Object.fromEntries(EVENT_TYPES.map((t) => [t, (_e: unknown, who: string) => calls.push(`${t}:${who}`)])) as unknown as EventHandlers<void, RealtimeEvent, [string]>;
    const e: RealtimeEvent = { seq: 3, at: '', v: 1, type: 'catalog.updated', serviceId: null, agentId: null };
    dispatchEvent(handlers, e, 'me');
    expect(calls).toEqual(['catalog.updated:me']);
  });

  it('a handler map without a handler for every type does not compile', () => {
    // @ts-expect-error -- 'alert.resolved' (and the rest) have no handler
    const partial: EventHandlers = { 'alert.created': () => undefined };
    expect(Object.keys(partial)).toHaveLength(1);
    const exhaustive: Record<EventType, true> = Object.fromEntries(EVENT_TYPES.map((t) => [t, true])) as Record<EventType, true>;
    expect(Object.keys(exhaustive)).toHaveLength(EVENT_TYPES.length);
  });

  it('reads a stored row written before events had versions as version 1', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const e = readStoredEvent({ seq: 7, at, payload: { type: 'catalog.updated', serviceId: null, agentId: null } });
    expect(e).toEqual({ type: 'catalog.updated', v: 1, serviceId: null, agentId: null, seq: 7, at: at.toISOString() });
    expect(RealtimeEvent.safeParse(e).success).toBe(true);
    // a versioned row keeps its version
    expect(readStoredEvent({ seq: 8, at, payload: { type: 'catalog.updated', v: 1, serviceId: null, agentId: null } }).v).toBe(1);
  });
});
