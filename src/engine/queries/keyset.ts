import type { Queryable } from '../../db/database.js';
import { fieldError, type Said } from '../errors.js';

// Keyset pagination: a page is "the rows after the last one shown", found by the sort keys' values
// (an index range), never by OFFSET (which reads and drops every row before the page). The cursor
// handed to the client is those values, opaque (base64url JSON), checked when it comes back.

/** The SQL types a sort key may have: its values travel in the cursor as text and are cast back. */
export type KeyType = 'text' | 'uuid' | 'bigint' | 'numeric' | 'timestamptz' | 'date' | 'boolean';

export interface SortKey {
  /** a column of the inner query's result (a plain identifier: alias an expression in the query) */
  column: string;
  type: KeyType;
  dir?: 'asc' | 'desc';
  /** where NULLs sort; default as PostgreSQL's: last for asc, first for desc */
  nulls?: 'first' | 'last';
  /** the column is never NULL: simpler conditions, and a row comparison when every key is */
  notNull?: boolean;
}

export interface KeysetQuery {
  /** a SELECT without ORDER BY nor LIMIT, its own conditions numbered $1…$params.length */
  sql: string;
  params?: unknown[];
  /** the last key is the tiebreaker: unique and not null (typically the id) */
  sort: readonly SortKey[];
  /** rows per page, 1 to 1,000 */
  limit: number;
  /** the `nextCursor` of the page before; none for the first page */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  /** null on the last page */
  nextCursor: string | null;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const KEY_PREFIX = 'keyset_k';

const badCursor = (reason: Said) => fieldError(400, 'validation_error', 'cursor', reason, { field: 'cursor' });
const NOT_A_CURSOR: Said = { en: 'not a cursor of this list (start again from the first page)', pt: 'não é um cursor desta lista (comece de novo pela primeira página)' };

const nullsFirst = (k: SortKey) => (k.nulls ?? (k.dir === 'desc' ? 'first' : 'last')) === 'first';

function checkSort(sort: readonly SortKey[]): void {
  if (!sort.length) throw new Error('keyset: at least one sort key');
  for (const k of sort) if (!IDENT.test(k.column)) throw new Error(`keyset: ${k.column} is not a plain column name`);
  if (!sort[sort.length - 1].notNull) throw new Error('keyset: the last sort key is the tiebreaker: unique and notNull');
}

/** Names the sort, so a cursor made for another one is refused rather than misread (FNV-1a). */
function signature(sort: readonly SortKey[]): string {
  const text = sort.map((k) => `${k.column}:${k.type}:${k.dir ?? 'asc'}:${nullsFirst(k) ? 'f' : 'l'}`).join(',');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** A key's value as exact text: timestamps to the microsecond, in UTC (a JS Date keeps only ms). */
function keyText(k: SortKey): string {
  const col = `keyset_page.${k.column}`;
  if (k.type === 'timestamptz') return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return `${col}::text`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sameDay = (v: string) => {
  const t = Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v.slice(0, 10);
};

/** Whether a value read from a cursor casts to its key's type (a failed cast would be a 500). */
function validValue(type: KeyType, v: string): boolean {
  switch (type) {
    case 'text':
      return v.length <= 10_000 && !v.includes('\u0000');
    case 'uuid':
      return UUID.test(v);
    case 'bigint':
      return /^-?\d{1,19}$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;
    case 'numeric':
      return /^-?\d{1,100}(\.\d{1,100})?$/.test(v);
    case 'boolean':
      return v === 'true' || v === 'false';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && sameDay(v);
    case 'timestamptz':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) && sameDay(v) && !Number.isNaN(Date.parse(`${v.slice(0, 23)}Z`));
  }
}

export function encodeCursor(sort: readonly SortKey[], values: readonly (string | null)[]): string {
  return Buffer.from(JSON.stringify({ s: signature(sort), v: values }), 'utf8').toString('base64url');
}

/** The sort keys' values a cursor carries; a 400 naming `cursor` for anything this sort did not make. */
export function decodeCursor(sort: readonly SortKey[], cursor: string): (string | null)[] {
  let parsed: unknown;
  try {
    if (cursor.length > 20_000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor(NOT_A_CURSOR);
  }
  const c = parsed as { s?: unknown; v?: unknown };
  if (typeof c !== 'object' || c === null || c.s !== signature(sort) || !Array.isArray(c.v) || c.v.length !== sort.length) throw badCursor(NOT_A_CURSOR);
  const values = c.v as unknown[];
  values.forEach((v, i) => {
    const ok = v === null ? !sort[i].notNull : typeof v === 'string' && validValue(sort[i].type, v);
    if (!ok) throw badCursor(NOT_A_CURSOR);
  });
  return values as (string | null)[];
}

/**
 * "After the cursor's row" as SQL: a row comparison `(a, b) > ($1, $2)` when every key has the same
 * direction and no NULLs (PostgreSQL reads it as one index range); otherwise the expanded form
 * `a > $1 OR (a = $1 AND b > $2) …`, which handles mixed directions and where NULLs sort.
 */
export function afterCondition(sort: readonly SortKey[], values: readonly (string | null)[], firstParam: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const col = (k: SortKey) => `keyset_page.${k.column}`;
  const param = (k: SortKey, v: string) => {
    params.push(v);
    return `$${firstParam + params.length - 1}::${k.type}`;
  };
  const dir = sort[0].dir ?? 'asc';
  if (sort.every((k) => k.notNull && (k.dir ?? 'asc') === dir)) {
    const ps = sort.map((k, i) => param(k, values[i] as string));
    return { sql: `(${sort.map(col).join(', ')}) ${dir === 'asc' ? '>' : '<'} (${ps.join(', ')})`, params };
  }
  const ps = sort.map((k, i) => (values[i] === null ? null : param(k, values[i] as string)));
  const eq = (i: number) => (ps[i] === null ? `${col(sort[i])} IS NULL` : `${col(sort[i])} = ${ps[i]}`);
  const after = (i: number): string | null => {
    const k = sort[i];
    if (ps[i] === null) return nullsFirst(k) ? `${col(k)} IS NOT NULL` : null; // NULLs last: nothing sorts after them
    const beyond = `${col(k)} ${(k.dir ?? 'asc') === 'asc' ? '>' : '<'} ${ps[i]}`;
    return k.notNull || nullsFirst(k) ? beyond : `(${beyond} OR ${col(k)} IS NULL)`;
  };
  const terms: string[] = [];
  sort.forEach((_, i) => {
    const a = after(i);
    if (a !== null) terms.push([...sort.slice(0, i).map((__, j) => eq(j)), a].join(' AND '));
  });
  if (!terms.length) return { sql: 'FALSE', params };
  let sql = terms.length === 1 ? terms[0] : `(${terms.map((t) => `(${t})`).join(' OR ')})`;
  // a bound on the first key alone lets an index on it start at the cursor (redundant otherwise)
  const first = sort[0];
  if (ps[0] !== null && (first.notNull || nullsFirst(first)) && sort.length > 1) {
    sql = `${col(first)} ${(first.dir ?? 'asc') === 'asc' ? '>=' : '<='} ${ps[0]} AND ${sql}`;
  }
  return { sql, params };
}

/** The page's SQL: the caller's query wrapped, the cursor's condition, ORDER BY, LIMIT n + 1. */
export function keysetSql(q: KeysetQuery): { sql: string; params: unknown[] } {
  checkSort(q.sort);
  if (!Number.isSafeInteger(q.limit) || q.limit < 1 || q.limit > 1000) throw new Error(`keyset: limit must be 1 to 1000, got ${q.limit}`);
  const params = [...(q.params ?? [])];
  let where = '';
  if (q.cursor) {
    const cond = afterCondition(q.sort, decodeCursor(q.sort, q.cursor), params.length + 1);
    params.push(...cond.params);
    where = ` WHERE ${cond.sql}`;
  }
  const keys = q.sort.map((k, i) => `${keyText(k)} AS ${KEY_PREFIX}${i}`).join(', ');
  const order = q.sort.map((k) => `keyset_page.${k.column} ${(k.dir ?? 'asc').toUpperCase()} NULLS ${nullsFirst(k) ? 'FIRST' : 'LAST'}`).join(', ');
  params.push(q.limit + 1);
  return { sql: `SELECT keyset_page.*, ${keys} FROM (${q.sql}) AS keyset_page${where} ORDER BY ${order} LIMIT $${params.length}`, params };
}

/**
 * One page of a query, sorted by `sort`, after `cursor`:
 * `const p = await keysetPage(db, { sql: 'SELECT id, created_at FROM conversations', sort, limit: 50, cursor })`.
 */
export async function keysetPage<T extends Record<string, unknown>>(db: Queryable, q: KeysetQuery): Promise<Page<T>> {
  const { sql, params } = keysetSql(q);
  const { rows } = await db.query<Record<string, unknown>>(sql, params);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit ? encodeCursor(q.sort, q.sort.map((_, i) => last[`${KEY_PREFIX}${i}`] as string | null)) : null;
  const items = page.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (!k.startsWith(KEY_PREFIX)) out[k] = v;
    return out as T;
  });
  return { items, nextCursor };
}
