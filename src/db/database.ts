import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
// the driver's own text form of a parameter (arrays as array literals, dates as ISO text…)
// @ts-expect-error: pg/lib/utils has no type declarations
import pgUtils from 'pg/lib/utils.js';
import { PGlite, parse as pgliteParse, protocol as pgliteProtocol, type Results } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

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
  /**
   * A read of any size, `batchSize` rows at a time (default 1,000), so the result is never whole in
   * memory: `for await (const rows of db.stream(sql, params)) …`. Breaking out of the loop or throwing
   * in it closes the cursor and frees its connection. Reads only (a SELECT); see streamPostgres and
   * streamPGlite for what each database holds while the loop runs. Not inside a transaction callback.
   */
  stream<T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: StreamOptions): AsyncIterable<T[]>;
  /**
   * PostgreSQL only (absent on PGlite, which cannot stream a COPY): a SELECT's rows as `COPY … TO
   * STDOUT (FORMAT csv, DELIMITER ';')` writes them, its bytes as they arrive, on a connection of its
   * own; no row becomes a JavaScript object (copyCsvPostgres). The columns must already be the text to
   * write. Breaking out of the loop ends the connection, which stops the COPY.
   */
  copyCsv?(sql: string, params?: unknown[]): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

export interface StreamOptions {
  /** rows per batch (FETCH n), 1 to 100,000; default 1,000 */
  batchSize?: number;
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

const ROLLED_BACK = 'the transaction was rolled back by the server (a statement in it failed)';

/** Sent when a session starts, so it costs no round trip (PGlite sets the same). */
const PLANNER_OPTIONS = '-c random_page_cost=1.1';

export function openPostgres(url: string, max = 10): Database {
  // pipeline mode: a statement goes on the wire without waiting for the answer to the one before it
  // (the server still runs them one after the other, each with its own snapshot), which lets a
  // transaction send BEGIN with its first statement and COMMIT with its last.
  // The planner's cost of a random page read as for data in memory or on SSD (the default, 4, is for
  // spinning disks and makes it scan small tables instead of using their keys); a URL that sets its
  // own `options` keeps them, and PGOPTIONS comes after (so it wins)
  const options = [PLANNER_OPTIONS, process.env.PGOPTIONS].filter(Boolean).join(' ');
  const pool = new pg.Pool({ connectionString: url, max, pipeline: true, options });
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
      const inFlight = new Tracked();
      // the statements sent in one turn of the event loop leave in one write (one system call: on a
      // loopback socket each costs about as much as a short statement)
      const stream = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
      let corked = false;
      const send = <R extends pg.QueryResultRow>(q: string | pg.QueryConfig) => {
        if (!corked) {
          corked = true;
          stream.cork();
          process.nextTick(() => {
            corked = false;
            stream.uncork();
          });
        }
        return inFlight.add(client.query<R>(q));
      };
      // BEGIN travels with the transaction's first statement
      const begin = send('BEGIN');
      try {
        const tx: Queryable = {
          async query<R>(sql: string, params?: unknown[]) {
            const sent = send(config(sql, params));
            await begin;
            const r = await sent;
            return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
          },
          async exec(sql: string) {
            const sent = send(sql);
            await begin;
            await sent;
          },
        };
        const result = await fn(tx);
        // COMMIT goes on the wire behind whatever the command left unanswered (the engine's events),
        // one round trip for both; should one of those fail, the server turns the COMMIT into a
        // ROLLBACK and the failure is thrown here
        const commit = send('COMMIT');
        await inFlight.settled();
        const done = await commit;
        if (done.command !== 'COMMIT') throw new Error(ROLLED_BACK);
        return result;
      } catch (err) {
        await inFlight.settled().catch(() => undefined);
        // (after a COMMIT the server turned into a ROLLBACK, this one only draws a warning)
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    stream: (sql, params, opts) => streamPostgres(pool, sql, params, batchOf(opts)),
    copyCsv: (sql, params) => copyCsvPostgres({ connectionString: url, options }, sql, params ?? []),
    close: () => pool.end(),
  };
}

/** The statements a transaction sent whose answers have not been awaited yet. */
class Tracked {
  private readonly pending = new Set<Promise<unknown>>();

  add<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const drop = () => this.pending.delete(p);
    p.then(drop, drop);
    return p;
  }

  /** Waits until every statement sent so far is answered; then throws the first failure, if any. */
  async settled(): Promise<void> {
    let failure: { reason: unknown } | null = null;
    while (this.pending.size) {
      for (const r of await Promise.allSettled([...this.pending])) if (r.status === 'rejected' && !failure) failure = { reason: r.reason };
    }
    if (failure) throw failure.reason;
  }
}

/** PGlite: in-process PostgreSQL. `dataDir` undefined means in memory (tests). */
export async function openPGlite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the trigram indexes of the looking-back searches (0012), as on PostgreSQL
  const db = await PGlite.create(dataDir, { parsers: { 20: (v: string) => Number(v) }, extensions: { pg_trgm } });
  // random_page_cost as on PostgreSQL (openPostgres). wal_init_zero off: a new 16 MB WAL segment is
  // created with one write at its end instead of 2,048 writes of zeros; in PGlite's in-memory file
  // system those writes grew the file by copying it again and again, a 50–70 ms stall of every
  // transaction in flight each 16 MB of WAL (the routing bench's slowest transaction)
  await db.exec(`SET random_page_cost = 1.1; SET wal_init_zero = off`);
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
  const prepared = new PreparedStatements(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    // as on PostgreSQL, a statement the command left unanswered (the engine's events) still belongs
    // to the transaction: it is awaited before PGlite commits. Its queries are prepared once per text
    // (PreparedStatements), as node-postgres' named statements are on PostgreSQL
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const inFlight = new Tracked();
        const inner = wrap(tx);
        const result = await fn({
          query: (sql, params) => inFlight.add(prepared.query(sql, params)),
          exec: (sql) => inFlight.add(inner.exec(sql)),
        });
        await inFlight.settled();
        // a failure the work swallowed without a savepoint leaves the transaction aborted, and
        // PostgreSQL would answer its COMMIT with a ROLLBACK: fail as openPostgres does, instead of
        // reporting success for writes that are gone
        await tx.query('SELECT 1').catch(() => {
          throw new Error(ROLLED_BACK);
        });
        return result;
      }),
    stream: (sql, params, opts) => streamPGlite(base, sql, params, batchOf(opts)),
    close: () => db.close(),
  };
}

/**
 * PGlite's query() parses and plans every statement again (an unnamed statement each time): on the
 * routing path the planning took 1.3–2.7 ms of a locking read that ran in 0.3–0.7 (issue 13). Its
 * wire protocol does keep named statements, so inside a transaction (whose lock is already held:
 * nothing else can run on the one connection meanwhile) each text is parsed once under a name and
 * then only bound and executed, the rows parsed by PGlite's own parsers, the parameters serialized by
 * its serializers for the types the server described — the steps of PGlite's query(), with a name.
 * At most MAX texts are kept (the least recently used closed first). Outside transactions the
 * ordinary query() runs (it also writes the data directory to disk after each statement).
 */
class PreparedStatements {
  private static readonly MAX = 500;
  private readonly named = new Map<string, { name: string; types: number[] }>();
  private count = 0;

  constructor(private readonly db: PGlite) {}

  query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return this.db.runExclusive(async () => {
      const send = (m: Uint8Array) => this.db.execProtocolStream(m, { syncToFs: false });
      const { serialize } = pgliteProtocol;
      const messages = [];
      let statement = this.named.get(sql);
      let stale: string | null = null;
      try {
        if (statement) {
          // most recently used last
          this.named.delete(sql);
          this.named.set(sql, statement);
        } else {
          if (this.named.size >= PreparedStatements.MAX) {
            const [[oldest, { name }]] = this.named;
            this.named.delete(oldest);
            await this.close(name);
          }
          const name = `mirante_${++this.count}`;
          await send(serialize.parse({ name, text: sql }));
          const described = await send(serialize.describe({ type: 'S', name }));
          const types = (described.find((m) => m.name === 'parameterDescription') as { dataTypeIDs?: number[] } | undefined)?.dataTypeIDs ?? [];
          statement = { name, types };
          this.named.set(sql, statement);
        }
        const { types } = statement;
        const values = params.map((v, i) => {
          if (v === null || v === undefined) return null;
          const serializer = this.db.serializers[types[i]];
          return serializer ? serializer(v) : String(v);
        });
        messages.push(
          ...(await send(serialize.bind({ statement: statement.name, values }))),
          ...(await send(serialize.describe({ type: 'P' }))),
          ...(await send(serialize.execute({}))),
        );
      } catch (err) {
        // as PGlite's query() does: the statement and its parameters on the error
        if (err && typeof err === 'object' && 'severity' in err) Object.assign(err, { query: sql, params });
        // a table the statement reads changed shape under it (DDL: 0A000), or the statement is gone
        // (26000): this transaction fails, the next one prepares the text again
        const code = (err as { code?: string }).code;
        if (statement && (code === '0A000' || code === '26000') && this.named.get(sql) === statement) stale = statement.name;
        throw err;
      } finally {
        messages.push(...(await send(serialize.sync())));
        if (stale) {
          this.named.delete(sql);
          await this.close(stale);
        }
      }
      const [r] = pgliteParse.parseResults(messages, this.db.parsers) as Results<T>[];
      return { rows: r?.rows ?? [], rowCount: r?.affectedRows ?? r?.rows.length ?? 0 };
    });
  }

  /** Closes a statement in a protocol cycle of its own; one that cannot be closed only stays in memory. */
  private async close(name: string): Promise<void> {
    const { serialize } = pgliteProtocol;
    try {
      await this.db.execProtocolStream(serialize.close({ type: 'S', name }), { syncToFs: false });
    } catch {
      // (gone already): nothing to free
    } finally {
      await this.db.execProtocolStream(serialize.sync(), { syncToFs: false });
    }
  }
}

let cursorCount = 0;
const cursorName = () => `mirante_stream_${++cursorCount}`;

function batchOf(opts?: StreamOptions): number {
  const n = opts?.batchSize ?? 1000;
  // it is written into FETCH: an integer or nothing
  if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) throw new RangeError(`batchSize must be an integer from 1 to 100000, got ${n}`);
  return n;
}

/**
 * PostgreSQL: a server-side cursor in a read-only transaction on a connection of its own, FETCH n at
 * a time; the server produces rows as they are fetched. The connection (and the transaction's
 * snapshot) stays taken until the loop ends, so hold a stream for a read, not for a user's think
 * time, and leave the pool room for the queries the loop runs meanwhile. Lazy: nothing is taken
 * until the first batch is asked for.
 */
async function* streamPostgres<T>(pool: pg.Pool, sql: string, params: unknown[] | undefined, batchSize: number): AsyncGenerator<T[]> {
  const client = await pool.connect();
  const name = cursorName();
  let failed = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, values: params });
    for (;;) {
      const r = await client.query<pg.QueryResultRow>(`FETCH ${batchSize} FROM ${name}`);
      if (r.rows.length) yield r.rows as T[];
      if (r.rows.length < batchSize) break;
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // runs on the loop's end, its break or throw (the iterator's return), and a failed FETCH;
    // the transaction's end closes the cursor. A connection that cannot end it is discarded.
    try {
      await client.query(failed ? 'ROLLBACK' : 'COMMIT');
      client.release();
    } catch (err) {
      client.release(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/**
 * `COPY (sql) TO STDOUT` on a client of its own: the pool's connections are pipelined, and a COPY
 * cannot share one. COPY takes no parameters, so each `$n` is written into the statement as the
 * driver would have sent it (its text form, `prepareValue`) in a quoted literal (`escapeLiteral`):
 * an untyped literal is typed by its context as an untyped parameter is. The SQL is the caller's own
 * (no `$n` inside its string literals).
 */
const prepareValue = (pgUtils as { prepareValue(v: unknown): unknown }).prepareValue;

async function* copyCsvPostgres(config: pg.ClientConfig, sql: string, params: unknown[]): AsyncGenerator<Buffer> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
      const i = Number(n) - 1;
      if (i < 0 || i >= params.length) throw new RangeError(`$${n} has no parameter`);
      const v = params[i];
      return v === null || v === undefined ? 'NULL' : client.escapeLiteral(String(prepareValue(v)));
    });
    yield* client.query(copyTo(`COPY (${text}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')`)) as AsyncIterable<Buffer>;
  } finally {
    // a COPY cut short (the loop left early) ends with its connection
    await client.end().catch(() => undefined);
  }
}

/**
 * PGlite has one connection, so a cursor inside a transaction would hold PGlite's lock between
 * batches and the loop's own queries would wait for it forever. Instead a cursor WITH HOLD: its
 * DECLARE computes the result once, at a snapshot, into PGlite's own storage (spilled to temporary
 * files past work_mem, not to the JS heap), and each FETCH is a statement of its own, so any other
 * query or transaction runs between two batches. CLOSE frees it.
 */
async function* streamPGlite<T>(db: Queryable, sql: string, params: unknown[] | undefined, batchSize: number): AsyncGenerator<T[]> {
  const name = cursorName();
  await db.query(`DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${sql}`, params);
  try {
    for (;;) {
      const r = await db.query<T>(`FETCH ${batchSize} FROM ${name}`);
      if (r.rows.length) yield r.rows;
      if (r.rows.length < batchSize) break;
    }
  } finally {
    await db.query(`CLOSE ${name}`).catch(() => undefined);
  }
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
