import { beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/db/database.js';
import { freshDatabase } from '../support/test-app.js';

// Database.stream: a read of any size in batches, on a cursor; checked against plain aggregates.

let db: Database;
let url: string | undefined;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, url, drop } = await freshDatabase());
  return () => drop();
});

const ROWS = `SELECT i, (i * 7919) % 10007 AS v FROM generate_series(1, $1::int) i`;

/** What a second session sees of this database: transactions left open, cursors left declared. */
async function leftovers(on: Database) {
  if (on.kind === 'postgres') {
    const r = await on.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return r.rows[0].n;
  }
  // PGlite has one session: its cursors are visible to any query
  const r = await on.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_cursors WHERE name LIKE 'mirante_stream_%'`);
  return r.rows[0].n;
}

describe('Database.stream', () => {
  it('streams 50,000 rows in batches of 1,000: the count and checksums match count(*) and sum()', async () => {
    let count = 0;
    let sumI = 0;
    let sumV = 0;
    const sizes: number[] = [];
    for await (const batch of db.stream<{ i: number; v: number }>(ROWS, [50_000], { batchSize: 1000 })) {
      sizes.push(batch.length);
      for (const r of batch) {
        count++;
        sumI += r.i;
        sumV += r.v;
      }
    }
    const plain = await db.query<{ n: number; si: number; sv: number }>(
      `SELECT count(*)::int AS n, sum(i)::float8 AS si, sum((i * 7919) % 10007)::float8 AS sv FROM generate_series(1, 50000) i`,
    );
    expect({ n: count, si: sumI, sv: sumV }).toEqual(plain.rows[0]);
    expect(sizes).toHaveLength(50);
    expect(Math.max(...sizes)).toBe(1000);
  });

  it('an empty result is no batch at all; a last short batch ends the loop', async () => {
    const none: unknown[][] = [];
    for await (const b of db.stream(ROWS, [0])) none.push(b);
    expect(none).toEqual([]);
    const sizes: number[] = [];
    for await (const b of db.stream(ROWS, [2500], { batchSize: 1000 })) sizes.push(b.length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });

  it('the loop may run other queries and transactions between batches without waiting on the stream', async () => {
    await db.exec(`CREATE TABLE stream_probe (i int PRIMARY KEY)`);
    let seen = 0;
    for await (const batch of db.stream<{ i: number }>(ROWS, [5000], { batchSize: 500 })) {
      seen += batch.length;
      // a write and a read through the same Database while the stream is open
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO stream_probe (i) SELECT x FROM unnest($1::int[]) x`, [batch.map((r) => r.i)]);
      });
      const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stream_probe`);
      expect(r.rows[0].n).toBe(seen);
    }
    expect(seen).toBe(5000);
    expect(await leftovers(db)).toBe(0);
  });

  it('breaking out early, or throwing in the loop, closes the cursor and frees the connection', async () => {
    // on PostgreSQL a pool of one connection: a stream that kept it would block the next query
    const one = url ? openPostgres(url, 1) : db;
    try {
      let batches = 0;
      for await (const _ of one.stream(ROWS, [50_000], { batchSize: 1000 })) {
        if (++batches === 2) break;
      }
      expect(batches).toBe(2);
      expect((await one.query<{ x: number }>('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
      expect(await leftovers(db)).toBe(0);

      await expect(
        (async () => {
          for await (const _ of one.stream(ROWS, [50_000], { batchSize: 1000 })) throw new Error('the consumer failed');
        })(),
      ).rejects.toThrow('the consumer failed');
      expect((await one.query<{ x: number }>('SELECT 2 AS x')).rows).toEqual([{ x: 2 }]);
      expect(await leftovers(db)).toBe(0);
    } finally {
      if (one !== db) await one.close();
    }
  });

  it('an error in the query propagates to the loop and frees the connection', async () => {
    const one = url ? openPostgres(url, 1) : db;
    try {
      let rows = 0;
      const failing = one.stream<{ x: number }>(`SELECT 1 / (i - 3500) AS x FROM generate_series(1, 5000) i`, [], { batchSize: 1000 });
      await expect(
        (async () => {
          for await (const b of failing) rows += b.length;
        })(),
      ).rejects.toThrow(/division by zero/);
      // PostgreSQL computes rows as they are fetched: the first three batches arrived before the
      // failing row; PGlite computes the whole result when the cursor is declared
      expect(rows).toBe(db.kind === 'postgres' ? 3000 : 0);
      expect((await one.query<{ x: number }>('SELECT 3 AS x')).rows).toEqual([{ x: 3 }]);
      expect(await leftovers(db)).toBe(0);
    } finally {
      if (one !== db) await one.close();
    }
  });

  it('refuses a batch size that is not a positive integer', async () => {
    const use = async (batchSize: number) => {
      for await (const _ of db.stream(ROWS, [10], { batchSize })) break;
    };
    await expect(use(0)).rejects.toThrow(RangeError);
    await expect(use(1.5)).rejects.toThrow(RangeError);
  });
});
