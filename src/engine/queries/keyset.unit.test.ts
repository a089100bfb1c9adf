import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { afterCondition, decodeCursor, encodeCursor, keysetSql, type SortKey } from './keyset.js';

const SORT: SortKey[] = [
  { column: 'created_at', type: 'timestamptz', dir: 'desc', notNull: true },
  { column: 'id', type: 'uuid', dir: 'desc', notNull: true },
];
const ID = '0b6f3c1e-8a55-4c2b-9d1e-2f3a4b5c6d7e';
const AT = '2024-05-01T12:34:56.123456Z';

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('keyset cursors', () => {
  it('round-trip the sort keys’ values', () => {
    expect(decodeCursor(SORT, encodeCursor(SORT, [AT, ID]))).toEqual([AT, ID]);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
    ['one value short', encodeCursor(SORT, [AT])],
    ['a NULL for a notNull key', encodeCursor(SORT, [AT, null])],
    ['a bad uuid', encodeCursor(SORT, [AT, 'x'.repeat(36)])],
    ['a number for a text value', Buffer.from(JSON.stringify({ s: 'x', v: [1, 2] })).toString('base64url')],
    ['an impossible date', encodeCursor(SORT, ['2024-02-30T00:00:00.000000Z', ID])],
    ['a timestamp without microseconds', encodeCursor(SORT, ['2024-05-01T12:34:56Z', ID])],
    ['a cursor of another sort', encodeCursor([{ ...SORT[0], dir: 'asc' }, SORT[1]], [AT, ID])],
  ])('a tampered cursor (%s) is a 400 naming cursor', (_, cursor) => {
    const err = refusal(() => decodeCursor(SORT, cursor));
    expect(err.status).toBe(400);
    expect(err.extra.field).toBe('cursor');
    expect(err.message).toMatch(/^cursor: /);
    expect(err.pt).toMatch(/^cursor: não é um cursor/);
    expect(err.extra.issues).toEqual([{ path: 'cursor', message: expect.objectContaining({ en: expect.any(String), pt: expect.any(String) }) }]);
  });

  it('checks bigint range and boolean values', () => {
    const s: SortKey[] = [{ column: 'n', type: 'bigint', notNull: true }];
    expect(decodeCursor(s, encodeCursor(s, ['9223372036854775807']))).toEqual(['9223372036854775807']);
    expect(refusal(() => decodeCursor(s, encodeCursor(s, ['9223372036854775808']))).status).toBe(400);
    const b: SortKey[] = [{ column: 'b', type: 'boolean' }, { column: 'id', type: 'uuid', notNull: true }];
    expect(refusal(() => decodeCursor(b, encodeCursor(b, ['yes', ID]))).status).toBe(400);
    expect(decodeCursor(b, encodeCursor(b, [null, ID]))).toEqual([null, ID]);
  });
});

describe('the condition after the cursor', () => {
  it('is a row comparison when every key has one direction and no NULLs', () => {
    expect(afterCondition(SORT, [AT, ID], 3)).toEqual({
      sql: '(keyset_page.created_at, keyset_page.id) < ($3::timestamptz, $4::uuid)',
      params: [AT, ID],
    });
  });

  it('is the expanded form for mixed directions, with NULLs where they sort', () => {
    const mixed: SortKey[] = [
      { column: 'name', type: 'text', dir: 'asc' },
      { column: 'id', type: 'uuid', dir: 'desc', notNull: true },
    ];
    expect(afterCondition(mixed, ['Ana', ID], 1).sql).toBe(
      '(((keyset_page.name > $1::text OR keyset_page.name IS NULL)) OR (keyset_page.name = $1::text AND keyset_page.id < $2::uuid))',
    );
    // NULLs sort last on asc: after a NULL name only the same NULL name with a smaller id
    expect(afterCondition(mixed, [null, ID], 1)).toEqual({ sql: 'keyset_page.name IS NULL AND keyset_page.id < $1::uuid', params: [ID] });
  });

  it('numbers its parameters after the query’s own and asks one row more than the page', () => {
    const q = keysetSql({ sql: 'SELECT id, created_at FROM t WHERE x = $1', params: ['x'], sort: SORT, limit: 20, cursor: encodeCursor(SORT, [AT, ID]) });
    expect(q.params).toEqual(['x', AT, ID, 21]);
    expect(q.sql).toContain('< ($2::timestamptz, $3::uuid)');
    expect(q.sql).toContain('ORDER BY keyset_page.created_at DESC NULLS FIRST, keyset_page.id DESC NULLS FIRST LIMIT $4');
  });

  it('refuses a sort without a notNull tiebreaker or with an expression for a column', () => {
    expect(() => keysetSql({ sql: 'SELECT 1', sort: [{ column: 'name', type: 'text' }], limit: 5 })).toThrow(/tiebreaker/);
    expect(() => keysetSql({ sql: 'SELECT 1', sort: [{ column: 'lower(name)', type: 'text', notNull: true }], limit: 5 })).toThrow(/plain column/);
  });
});
