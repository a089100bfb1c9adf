import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { keysetPage, type SortKey } from '../../src/engine/queries/keyset.js';
import { freshDatabase } from '../support/test-app.js';

// Walking every page of a keyset-paginated query gives the rows fully sorted, each once: checked
// against a sort in memory for random rows (repeated values, NULLs, microseconds) and random sorts.

let db: Database;
beforeAll(async () => {
  let drop: () => Promise<void>;
  ({ db, drop } = await freshDatabase());
  await db.exec(`CREATE TABLE keyset_probe (run int NOT NULL, id int NOT NULL, n int NOT NULL, a int, b text, t_us bigint, PRIMARY KEY (run, id))`);
  return () => drop();
});

interface Row { id: number; n: number; a: number | null; b: string | null; tUs: number | null }
type Col = 'n' | 'a' | 'b' | 't';

const rowArb = fc.record({
  n: fc.integer({ min: 0, max: 3 }),
  a: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
  b: fc.option(fc.constantFrom('', 'a', 'ab', 'b', 'ba', 'c'), { nil: null }),
  // 1,000 and 1,001 µs are the same millisecond: a cursor kept as a JS Date would skip or repeat rows
  tUs: fc.option(fc.constantFrom(0, 1, 999, 1000, 1001, 2000), { nil: null }),
});
const keyArb = fc.record({
  column: fc.constantFrom<Col>('n', 'a', 'b', 't'),
  dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
  nulls: fc.constantFrom<'first' | 'last' | undefined>('first', 'last', undefined),
});
const TYPES: Record<Col, SortKey['type']> = { n: 'bigint', a: 'bigint', b: 'text', t: 'timestamptz' };
const value = (r: Row, c: Col | 'id') => (c === 'id' ? r.id : c === 't' ? r.tUs : r[c]);

/** The order PostgreSQL defines, written out: NULLs where the key says, then the direction. */
function compare(sort: SortKey[]) {
  return (x: Row, y: Row) => {
    for (const k of sort) {
      const a = value(x, k.column as Col);
      const b = value(y, k.column as Col);
      if (a === b) continue;
      const nullsFirst = (k.nulls ?? (k.dir === 'desc' ? 'first' : 'last')) === 'first';
      if (a === null) return nullsFirst ? -1 : 1;
      if (b === null) return nullsFirst ? 1 : -1;
      const c = a < b ? -1 : 1;
      return k.dir === 'desc' ? -c : c;
    }
    return 0;
  };
}

let run = 0;
describe('keysetPage', () => {
  it('walks every page: the rows come fully sorted, each exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 40 }),
        fc.uniqueArray(keyArb, { maxLength: 3, selector: (k) => k.column }),
        fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
        fc.integer({ min: 1, max: 7 }),
        async (raw, keys, idDir, limit) => {
          const r = ++run;
          const rows: Row[] = raw.map((x, i) => ({ id: i + 1, ...x }));
          await db.query(
            `INSERT INTO keyset_probe (run, id, n, a, b, t_us)
             SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::bigint[])`,
            [r, rows.map((x) => x.id), rows.map((x) => x.n), rows.map((x) => x.a), rows.map((x) => x.b), rows.map((x) => x.tUs)],
          );
          const sort: SortKey[] = [
            ...keys.map((k) => ({ ...k, type: TYPES[k.column], notNull: k.column === 'n' })),
            { column: 'id', type: 'bigint', dir: idDir, notNull: true },
          ];
          const expected = [...rows].sort(compare(sort)).map((x) => x.id);
          const seen: number[] = [];
          let cursor: string | null = null;
          for (let pages = 0; ; pages++) {
            expect(pages).toBeLessThanOrEqual(rows.length + 1);
            const page: Awaited<ReturnType<typeof keysetPage<{ id: number }>>> = await keysetPage<{ id: number }>(db, {
              sql: `SELECT id::bigint AS id, n::bigint AS n, a::bigint AS a, b COLLATE "C" AS b,
                      timestamptz '2024-01-01 00:00:00Z' + t_us * interval '1 microsecond' AS t
                    FROM keyset_probe WHERE run = $1`,
              params: [r],
              sort,
              limit,
              cursor,
            });
            // only the first page of an empty result is empty: n + 1 rows tell whether a next one exists
            if (rows.length) expect(page.items.length).toBeGreaterThan(0);
            expect(page.items.length).toBeLessThanOrEqual(limit);
            expect(Object.keys(page.items[0] ?? { id: 0, n: 0, a: 0, b: 0, t: 0 }).sort()).toEqual(['a', 'b', 'id', 'n', 't']);
            seen.push(...page.items.map((x) => x.id));
            cursor = page.nextCursor;
            if (!cursor) break;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
