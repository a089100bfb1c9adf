// Ingest, end to end: API-channel messages per second from HTTP POST to the agent's screen (durable,
// routed, pushed over the bus and the WebSocket), beside the raw single-row INSERT rate of the same
// database measured in the same run. PGlite in memory always; PostgreSQL when it answers.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import pg from 'pg';
import WebSocket from 'ws';
import type { ServerMessage } from '../src/contracts/events.js';
import { openPGlite, openPostgres, type Database, type Queryable } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { ensureFirstAdmin } from '../src/engine/bootstrap.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { emit, percentile } from './report.js';
import { bareRoute, generateLoad, GENERATOR_THREADS } from './load.js';
import pino from 'pino';
import { loggerOptions } from '../src/server/logging.js';

/**
 * The server's logger as in production (pino at LOG_LEVEL, default info), writing to /dev/null: what
 * a node pays for its log lines is measured, not what a terminal pays to show them.
 */
export function benchLogger() {
  return { ...loggerOptions(process.env.LOG_LEVEL ?? 'info'), stream: pino.destination({ dest: '/dev/null', sync: false }) };
}

const CONCURRENCY = 32;
const CUSTOMERS = 300;
const PER_CUSTOMER = 10;
const AGENTS = 20;
/** 20 × 32 = 640 slots: the 300 customers of each of the two passes are all assigned at once */
const MAX_CHAT = 32;
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN = { email: 'bench@mirante.local', password: 'bench-password-1' };
const now = () => performance.timeOrigin + performance.now();

/** Where time goes: every statement the engine runs, by its first words. */
export interface Profile {
  queries: number;
  transactions: number;
  bySql: Map<string, { n: number; ms: number }>;
}

/**
 * A statement's key in the profile, made once per text: made on every call, the whitespace
 * replacement of texts of kilobytes was a fifth of what a routing pass allocated (the collector's
 * pauses then fell inside the very transactions being timed).
 */
const keys = new Map<string, string>();
function keyOf(sql: string): string {
  let key = keys.get(sql);
  if (key === undefined) {
    key = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
    if (keys.size < 10_000) keys.set(sql, key);
  }
  return key;
}

export function profiled(db: Database, profile: Profile): Database {
  const wrap = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      profile.queries++;
      const key = keyOf(sql);
      const t0 = performance.now();
      try {
        return await q.query<T>(sql, params);
      } finally {
        const s = profile.bySql.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t0;
        profile.bySql.set(key, s);
      }
    },
    exec: (sql: string) => q.exec(sql),
  });
  const base = wrap(db);
  return {
    kind: db.kind,
    query: base.query,
    exec: base.exec,
    transaction: (fn) => {
      profile.transactions++;
      return db.transaction((tx) => fn(wrap(tx)));
    },
    stream: (sql, params, opts) => db.stream(sql, params, opts),
    close: () => db.close(),
  };
}

/** With BENCH_PROFILE=1, the statements that took the most time, on stderr. */
export function printProfile(title: string, profile: Profile): void {
  if (!process.env.BENCH_PROFILE) return;
  console.error(`\n${title}; top statements by time:`);
  for (const [sql, s] of [...profile.bySql].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.error(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(6)}× ${(s.ms / s.n).toFixed(2).padStart(6)} ms  ${sql}`);
  }
}

/** CPU time used so far: this process (all its threads) and the whole machine, in ms. */
export function cpuNow(): { node: number; machine: number; wall: number } {
  const u = process.cpuUsage();
  // /proc/stat's first line: user nice system idle iowait irq softirq steal …, in clock ticks (1/100 s)
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  return { node: (u.user + u.system) / 1000, machine: busy * 10, wall: now() };
}

/** Runs `count` calls of `fn`, `width` at a time. */
async function pool(count: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await fn(next++);
  }));
}

/** The baseline: single-row INSERTs into a plain table, each its own transaction, same concurrency. */
async function rawInsertRate(db: Database, count: number): Promise<number> {
  await db.exec(`DROP TABLE IF EXISTS bench_raw;
    CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, k text NOT NULL, body text NOT NULL, at timestamptz NOT NULL)`);
  const insert = (i: number) => db.query('INSERT INTO bench_raw (k, body, at) VALUES ($1, $2, $3)', [`k${i}`, `mensagem ${i}`, new Date()]);
  await pool(count, CONCURRENCY, insert); // warm: the JIT and the pool, as the ingest's second pass is
  const t0 = now();
  await pool(count, CONCURRENCY, insert);
  const rate = count / ((now() - t0) / 1000);
  await db.exec('DROP TABLE bench_raw');
  return rate;
}

export async function http(base: string, method: string, path: string, body?: unknown, cookie = ''): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const set = res.headers.getSetCookie()[0]?.split(';')[0];
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { status: res.status, body: parsed, cookie: set ?? cookie };
}

/**
 * Mirante on a loopback port in this process, as `npm start` runs it (loops in the background, the
 * production logger to /dev/null), with the bench's admin: what the ingest benches post to.
 */
export async function startBenchApp(db: Database) {
  await ensureFirstAdmin(db, ADMIN.email, ADMIN.password);
  const runtime = await startRuntime(db, { background: true, onError: (err) => console.error('engine loop', err) });
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'bench-secret-key-for-mirante' };
  const app = await buildApp({ db, config, runtime, logger: benchLogger() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { runtime, app, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, admin: ADMIN };
}

/** Agents of a team at their desks: signed in, Livre, the agent stream open; when each conversation reached one, and each customer message was pushed. */
export interface Desks {
  assignedAt: Map<string, { seq: number; at: number }>;
  pushedAt: Map<number, number>;
  close(): void;
}

export async function openDesks(base: string, adminCookie: string, teamId: string, count: number, tag: string): Promise<Desks> {
  const assignedAt = new Map<string, { seq: number; at: number }>();
  const pushedAt = new Map<number, number>();
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${tag}${i}@bench.local`;
    await http(base, 'POST', '/api/users', { email, name: `Agente ${tag} ${i}`, role: 'agent', password: 'password-123', agentEnabled: true, teamIds: [teamId] }, adminCookie);
    const desk = await http(base, 'POST', '/api/auth/login', { email, password: 'password-123' });
    await http(base, 'POST', '/api/agent/login', {}, desk.cookie);
    const ws = new WebSocket(base.replace('http', 'ws') + '/ws', { headers: { cookie: desk.cookie } });
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as ServerMessage;
        if (m.type === 'caught_up') resolve();
        const events = m.type === 'events' ? m.events : m.type === 'event' ? [m.event] : [];
        for (const e of events) {
          if (e.type === 'conversation.updated' && e.reason === 'assigned') assignedAt.set(e.conversation!.id, { seq: e.seq, at: now() });
          if (e.type === 'message.created' && e.message!.authorType === 'customer') pushedAt.set(e.message!.id, now());
        }
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', stream: 'agent' })));
      ws.once('error', reject);
    });
  }
  return { assignedAt, pushedAt, close: () => sockets.forEach((ws) => ws.terminate()) };
}

/**
 * Waits until every conversation reached its agent and every customer message written after the
 * assignment was pushed on the agent's socket (earlier ones come with the conversation's history);
 * returns when the last of it happened (or the last POST was answered, if later).
 */
export async function awaitDelivery(raw: Queryable, conversations: Set<string>, desks: Desks, lastAnswerAt: number): Promise<number> {
  const { assignedAt, pushedAt } = desks;
  const deadline = Date.now() + 60_000;
  let expected: number[] = [];
  for (;;) {
    if ([...conversations].every((id) => assignedAt.has(id))) {
      const { rows } = await raw.query<{ conversation_id: string; seq: number; message_id: number }>(
        `SELECT conversation_id, seq, (payload->'message'->>'id')::bigint AS message_id FROM events
          WHERE type = 'message.created' AND payload->'message'->>'authorType' = 'customer' AND conversation_id = ANY($1::uuid[])`,
        [[...conversations]],
      );
      expected = rows.filter((r) => r.seq > assignedAt.get(r.conversation_id)!.seq).map((r) => r.message_id);
      if (expected.every((id) => pushedAt.has(id))) break;
    }
    if (Date.now() > deadline) throw new Error(`not everything reached the agents: ${assignedAt.size} assigned, ${pushedAt.size} pushed`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Math.max(lastAnswerAt, ...[...conversations].map((id) => assignedAt.get(id)!.at), ...expected.map((id) => pushedAt.get(id)!));
}

/** One full measurement on a migrated, empty database. */
async function measure(label: 'pglite' | 'postgres', raw: Database): Promise<void> {
  const baselineBefore = await rawInsertRate(raw, 3000);

  const profile: Profile = { queries: 0, transactions: 0, bySql: new Map() };
  const db = profiled(raw, profile);
  const { runtime, app, base } = await startBenchApp(db);
  let desks: Desks | null = null;
  try {
    // the operation: one team, 20 agents logged in with their desks open, one API-channel service
    const { cookie } = await http(base, 'POST', '/api/auth/login', ADMIN);
    const team = (await http(base, 'POST', '/api/teams', { name: 'Bench', maxChat: MAX_CHAT }, cookie)).body;
    const service = (await http(base, 'POST', '/api/services', { name: 'Bench API', channel: 'api', teamIds: [team.id] }, cookie)).body;
    const { token } = (await http(base, 'POST', `/api/services/${service.id}/api-credentials`, {}, cookie)).body;

    desks = await openDesks(base, cookie, team.id, AGENTS, 'agente');
    const load = (customers: number, perCustomer: number, prefix: string) =>
      generateLoad({ urls: [`${base}/api/channels/api/${service.id}/messages`], token, customers, perCustomer, concurrency: CONCURRENCY, prefix });

    /** One pass of CUSTOMERS × PER_CUSTOMER messages, timed until everything reached the agents. */
    const pass = async (profileOut?: string) => {
      const q0 = profile.queries;
      const tx0 = profile.transactions;
      const passes0 = runtime.router.passes;
      profile.bySql.clear();
      // BENCH_PROFILE_OUT=file.cpuprofile: the main thread's CPU profile of the measured pass
      const inspector = profileOut ? new Session() : null;
      if (inspector) {
        inspector.connect();
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.start');
      }
      const cpu0 = cpuNow();

      const { t0, results, cpuMs: generatorMs } = await load(CUSTOMERS, PER_CUSTOMER, `c-${randomBytes(3).toString('hex')}-`);
      const failed = results.filter((r) => r.status !== 202);
      if (failed.length) throw new Error(`${failed.length} deliveries not accepted, e.g. ${JSON.stringify(failed[0])}`);
      const conversations = new Set(results.map((r) => r.conversationId));

      const end = await awaitDelivery(raw, conversations, desks!, Math.max(...results.map((r) => r.at)));
      const cpu1 = cpuNow();
      if (inspector) {
        const { profile: cpuProfile } = await inspector.post('Profiler.stop');
        writeFileSync(profileOut!, JSON.stringify(cpuProfile));
        inspector.disconnect();
      }
      const queries = profile.queries - q0;
      const transactions = profile.transactions - tx0;
      await runtime.router.idle();

      // every accepted message durable, once
      const { rows: stored } = await raw.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages WHERE author_type = 'customer' AND conversation_id = ANY($1::uuid[])`,
        [[...conversations]],
      );
      if (stored[0].n !== results.length) throw new Error(`${stored[0].n} of ${results.length} messages stored`);
      return { results, seconds: (end - t0) / 1000, queries, transactions, routingPasses: runtime.router.passes - passes0, cpu0, cpu1, generatorMs };
    };

    // the first pass warms the JIT, the pools and the caches, as in a server that has been running
    // (the JIT was still compiling the hot paths through most of it); the second is the figure
    const cold = await pass();
    const { results, seconds, queries, transactions, routingPasses, cpu0, cpu1, generatorMs } = await pass(process.env.BENCH_PROFILE_OUT);
    const messages = results.length;

    const baselineAfter = await rawInsertRate(raw, 3000);
    const baseline = (baselineBefore + baselineAfter) / 2;
    const floor = await bareRoute({ customers: CUSTOMERS, perCustomer: PER_CUSTOMER, concurrency: CONCURRENCY });
    const value = messages / seconds;
    emit({ bench: 'ingest', db: label, value: Math.round(value), unit: 'msg/s', baseline: Math.round(baseline), ratio: +(value / baseline).toFixed(2), messages, customers: CUSTOMERS, concurrency: CONCURRENCY });
    emit({
      bench: 'ingest-http-floor',
      db: label,
      value: Math.round(floor.ours),
      unit: `POST/s to a bare route answering 202, same load generator (${GENERATOR_THREADS} threads), same machine`,
      autocannon: Math.round(floor.autocannon),
      wrk: floor.wrk === null ? 'not installed' : Math.round(floor.wrk),
      ratio: +(floor.ours / baseline).toFixed(2),
      // the generator is not the limit when the bare route takes at least 3× what Mirante does
      overIngest: +(floor.ours / value).toFixed(1),
    });
    emit({ bench: 'ingest-cold', db: label, value: Math.round(cold.results.length / cold.seconds), unit: 'msg/s, first pass of a fresh process (JIT still compiling)', ratio: +(cold.results.length / cold.seconds / baseline).toFixed(2) });
    emit({ bench: 'ingest-baseline-runs', db: label, value: [Math.round(baselineBefore), Math.round(baselineAfter)], unit: 'single-row INSERT/s, before and after' });
    const latencies = results.map((r) => r.ms);
    emit({ bench: 'ingest-http-latency', db: label, value: { p50: +percentile(latencies, 50).toFixed(1), p99: +percentile(latencies, 99).toFixed(1) }, unit: 'ms per POST (202)' });
    emit({
      bench: 'ingest-cost',
      db: label,
      value: +(queries / messages).toFixed(1),
      unit: 'SQL statements per message',
      transactionsPerMessage: +(transactions / messages).toFixed(2),
      routingPasses,
    });
    const nodeMs = cpu1.node - cpu0.node;
    const machineMs = Math.max(cpu1.machine - cpu0.machine, nodeMs);
    emit({
      bench: 'ingest-cpu',
      db: label,
      value: {
        server: +((nodeMs - generatorMs) / messages).toFixed(3),
        generator: +(generatorMs / messages).toFixed(3),
        rest: +((machineMs - nodeMs) / messages).toFixed(3),
      },
      unit: 'ms of CPU per message: the server process (with the agents\' sockets), the load generator\'s thread, the rest of the machine (PostgreSQL)',
      busy: +(machineMs / (cpu1.wall - cpu0.wall) / cpus().length).toFixed(2),
    });
    printProfile(`${label}: ${messages} messages, ${queries} statements`, profile);
  } finally {
    desks?.close();
    await app.close();
    await runtime.stop();
  }
}

async function postgresAnswers(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function run(): Promise<void> {
  await forEachDatabase('ingest', async (label, db) => {
    await migrate(db);
    await measure(label, db);
  });
}

/**
 * Runs `fn` on a fresh PGlite in memory, then on a fresh database of the PostgreSQL at DATABASE_URL
 * (or the local one) when it answers; BENCH_DB=pglite or BENCH_DB=postgres runs one only.
 */
export async function forEachDatabase(bench: string, fn: (label: 'pglite' | 'postgres', db: Database) => Promise<void>): Promise<void> {
  const only = process.env.BENCH_DB;
  if (only !== 'postgres') {
    const lite = await openPGlite();
    try {
      await fn('pglite', lite);
    } finally {
      await lite.close();
    }
  }
  if (only === 'pglite') return;

  const down = await postgresAnswers(PG_URL);
  if (down) {
    emit({ bench, db: 'postgres', skipped: `no PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')}: ${down}` });
    return;
  }
  const name = `mirante_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const db = openPostgres(u.toString());
  try {
    await fn('postgres', db);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
