import { describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import type { RealtimeEvent } from '../contracts/events.js';
import { LocalBus } from './bus.js';
import { LiveProjection } from './projection.js';

// The gap in seq: a node's own events reach its projection at once, another node's (committed just
// before) a moment later through the bus. The log is read only for what the bus did not bring in time.

const event = (seq: number): RealtimeEvent => ({ seq, at: '2026-12-06T23:00:00.000Z', v: 1, type: 'catalog.updated', serviceId: null, agentId: null });

/** A database holding only an event log: counts the projection's reads of it. */
function fakeLog(log: RealtimeEvent[]) {
  const reads: number[] = [];
  const query = async (sql: string, params?: unknown[]) => {
    if (sql.includes('max(seq)')) return { rows: [{ seq: 0 }] };
    if (sql.includes('FROM events WHERE seq >')) {
      const [after, limit] = params as [number, number];
      reads.push(after);
      const rows = log.filter((e) => e.seq > after).slice(0, limit).map((e) => ({ seq: e.seq, at: new Date(e.at), payload: { type: e.type, serviceId: null, agentId: null } }));
      return { rows };
    }
    return { rows: [] };
  };
  const db = { kind: 'postgres', query, exec: async () => undefined, transaction: async (fn: (tx: unknown) => unknown) => fn({ query, exec: async () => undefined }) };
  return { db: db as unknown as Database, reads };
}

async function started(log: RealtimeEvent[], graceMs: number) {
  const { db, reads } = fakeLog(log);
  const bus = new LocalBus();
  const projection = new LiveProjection(db, graceMs);
  await projection.start(bus);
  const seen: number[] = [];
  projection.onApplied((events) => seen.push(...events.map((e) => e.seq)));
  return { bus, projection, reads, seen };
}

describe('live projection: a gap in seq', () => {
  it('waits for the bus when the missing events come in time: applied in order, the log not read', async () => {
    const log = [1, 2, 3, 4, 5].map(event);
    const { bus, projection, reads, seen } = await started(log, 10_000);
    bus.publish([event(4), event(5)]); // this node's own, committed after the other node's 1–3
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([]); // held: nothing applied past a gap
    bus.publish([event(1), event(2), event(3)]); // the other node's, through the bus
    await projection.settled();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(reads).toEqual([]);
    expect(projection.logReads).toBe(0);
    expect(projection.gapsFilledByBus).toBe(1);
    expect(projection.seq).toBe(5);
  });

  it('reads the log for what the bus did not bring within the grace, once, from the last applied', async () => {
    const log = [1, 2, 3, 4].map(event);
    const { bus, projection, reads, seen } = await started(log, 20);
    bus.publish([event(1)]);
    bus.publish([event(4)]); // 2 and 3 never come through the bus
    await projection.settled();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([1]);
    expect(projection.logReads).toBe(1);
    expect(projection.logEvents).toBe(2);
    // a late copy of what the log brought is not applied twice
    bus.publish([event(2), event(3)]);
    await projection.settled();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('a rolled-back seq (never in the log) costs one read after the grace, and the stream goes on', async () => {
    const log = [1, 3].map(event);
    const { bus, projection, reads, seen } = await started(log, 20);
    bus.publish([event(1)]);
    bus.publish([event(3)]);
    await projection.settled();
    expect(seen).toEqual([1, 3]);
    expect(reads).toEqual([1]);
  });
});
