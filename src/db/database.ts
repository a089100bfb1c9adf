import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// pg returns bigint/numeric as strings by default; counts and sequence numbers fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Names the statements this process runs again and again, so each connection plans them once
 * (planning was most of a short statement's time). Bounded: texts longer than 4 KB, or beyond the
 * first 300 frequent ones, stay unnamed, so dynamic SQL cannot pile up prepared statements.
 */
export class StatementNames {
  private readonly counts = new Map<string, number>();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly after = 3,
    private readonly limit = 300,
  ) {}

  nameOf(sql: string): string | undefined {
    const known = this.names.get(sql);
    if (known || sql.length > 4096 || this.names.size >= this.limit) return known;
    const n = (this.counts.get(sql) ?? 0) + 1;
    if (this.counts.size >= 5000) this.counts.clear();
    this.counts.set(sql, n);
    if (n < this.after) return undefined;
    const name = `mirante_${this.names.size + 1}`;
    this.names.set(sql, name);
    this.counts.delete(sql);
    return name;
  }
}

export function openPostgres(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const names = new StatementNames();
  const config = (sql: string, params?: unknown[]): pg.QueryConfig => ({ name: params ? names.nameOf(sql) : undefined, text: sql, values: params });
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await pool.query(config(sql, params));
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(sql: string, params?: unknown[]) {
            const r = await client.query(config(sql, params));
            return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite: in-process PostgreSQL. `dataDir` undefined means in memory (tests). */
export async function openPGlite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers: { 20: (v: string) => Number(v) } });
  const wrap = (q: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPGlite(opts.dataDir);
}

/** PostgreSQL's unique_violation, raised the same way by PGlite. */
export function isUniqueViolation(err: unknown): err is { code: string; constraint?: string } {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/**
 * A row that came back inside JSON (json_agg): its timestamps as dates again, as the driver gives
 * them for plain rows — every `*_at` column and the `also` ones.
 */
export function rowFromJson<T extends Record<string, unknown>>(r: T, also: string[] = []): T {
  const out: Record<string, unknown> = { ...r };
  for (const [k, v] of Object.entries(r)) if ((k.endsWith('_at') || also.includes(k)) && typeof v === 'string') out[k] = new Date(v);
  return out as T;
}

/** A deadlock or a serialization failure: the transaction did nothing and may simply be tried again. */
export function isTransientConflict(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
  return code === '40P01' || code === '40001';
}

export function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23503';
}
