import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/db/database.js';
import { ManualClock } from '../../src/engine/clock.js';
import { claimLease, LeaseRunner } from '../../src/engine/leases.js';
import { freshDatabase } from '../support/test-app.js';

// Two nodes' runners of one worker on one database (two pools on PostgreSQL, one PGlite shared in
// this process otherwise). Time is a manual clock: ticks are called by hand, no waiting.

let dbA: Database;
let dbB: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  dbA = fresh.db;
  dbB = fresh.url ? openPostgres(fresh.url) : fresh.db;
  drop = async () => {
    if (dbB !== dbA) await dbB.close();
    await fresh.drop();
  };
});
afterAll(() => drop());

const TTL = 30_000;
let n = 0;

/** A runner whose work counts how many copies run at once, and records each start. */
function pair(key = `email:${++n}`) {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
  const live = { now: 0, max: 0, starts: [] as string[] };
  const make = (db: Database, holder: string) =>
    new LeaseRunner(db, { key, holder, ttlMs: TTL, clock }, async (signal) => {
      live.now++;
      live.max = Math.max(live.max, live.now);
      live.starts.push(holder);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      live.now--;
    });
  return { clock, live, a: make(dbA, 'node-a'), b: make(dbB, 'node-b'), key };
}

describe('leases: one worker on one node at a time', () => {
  it('the first to claim runs it; the other waits while the holder renews', async () => {
    const { clock, live, a, b } = pair();
    await a.tick();
    await b.tick();
    expect([a.active, b.active]).toEqual([true, false]);
    for (let i = 0; i < 5; i++) {
      clock.advance(TTL / 3);
      await a.tick();
      await b.tick();
      expect([a.active, b.active]).toEqual([true, false]);
    }
    expect(live).toMatchObject({ now: 1, max: 1, starts: ['node-a'] });
    await a.stop();
    await b.stop();
  });

  it('claimed together from both nodes, exactly one gets it', async () => {
    const { a, b, live } = pair();
    await Promise.all([a.tick(), b.tick()]);
    expect([a.active, b.active].filter(Boolean)).toHaveLength(1);
    expect(live.max).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a holder that stops renewing (its node froze) is replaced only after expiry; on waking it stops its copy', async () => {
    const { clock, live, a, b } = pair();
    await a.tick();
    expect(a.active).toBe(true);
    // node A no longer ticks
    clock.advance(TTL - 1);
    await b.tick();
    expect(b.active).toBe(false);
    clock.advance(1);
    await b.tick();
    expect(b.active).toBe(true);
    expect(live.starts).toEqual(['node-a', 'node-b']);
    // A wakes up: its claim fails, so its worker stops
    await a.tick();
    expect([a.active, b.active]).toEqual([false, true]);
    expect(live.now).toBe(1);
    clock.advance(TTL / 3);
    await b.tick();
    await a.tick();
    expect([a.active, b.active]).toEqual([false, true]);
    await a.stop();
    await b.stop();
  });

  it('a clean stop gives the lease up at once', async () => {
    const { a, b, key } = pair();
    await a.tick();
    await a.stop();
    expect(a.active).toBe(false);
    await b.tick();
    expect(b.active).toBe(true);
    await b.stop();
    // and after b's stop nobody holds it
    expect(await claimLease(dbA, key, 'node-c', new Date(), TTL)).toBe(true);
  });

  it('a worker that ends while the lease holds is started again on the next tick', async () => {
    const clock = new ManualClock();
    let runs = 0;
    const r = new LeaseRunner(dbA, { key: `email:${++n}`, holder: 'node-a', ttlMs: TTL, clock }, async () => {
      runs++;
    });
    await r.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.active).toBe(false);
    await r.tick();
    expect(runs).toBe(2);
    await r.stop();
  });
});
