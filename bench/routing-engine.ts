// Routing through the engine: the real Router over a database holding 10,000 queued conversations
// across 200 services and 2,000 logged-in agents (PGlite in memory, then PostgreSQL when it answers;
// seeded with SQL). One routing pass reads the agents with a free slot and the heads of the queues
// (per service, as many as its agents' free slots: 4,000 rows here, not the 10,000), lets the core
// choose, and commits the choices in guarded transactions of a few each (assignBatch); every agent
// has one free slot, so the pass makes 2,000 assignments while 8,000 conversations stay queued the
// whole time. Then the drain: the agents free their slot four more times, until none is left queued.
// The measured pass is the second of the process, as on a server that has been routing: a first pass
// over 12,000 queued warms the connections, the prepared statements and the JIT (its figures are
// printed too, as "cold"); then the agents are freed in SQL, leaving exactly 10,000 queued.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { UnitOfWork } from '../src/engine/engine.js';
import { foldRollups } from '../src/engine/rollups/fold.js';
import { startRuntime } from '../src/engine/runtime.js';
import { forEachDatabase, printProfile, profiled, type Profile } from './ingest.js';
import { emit, percentile } from './report.js';

const CONVERSATIONS = 10_000;
const SERVICES = 200;
const AGENTS = 2_000;
/** each team serves two services with 20 agents */
const TEAMS = 100;
/** assignments per routing transaction (BENCH_ROUTING_CHUNK; the router's default otherwise) */
const CHUNK = process.env.BENCH_ROUTING_CHUNK ? Number(process.env.BENCH_ROUTING_CHUNK) : undefined;
/**
 * BENCH_ROLLUP_TRIGGERS=off: the ceiling without the reports' rollups (every user trigger of the
 * tables an assignment writes is a rollup's: migrations 0031–0040), to say what they cost; never a
 * configuration of the product, whose reports need them
 */
const ROLLUPS_OFF = process.env.BENCH_ROLLUP_TRIGGERS === 'off';
/**
 * BENCH_FOLD=after: the journal of the rollups (migration 0041) folded only once the pass is done, not
 * in the background beside it as on a server: what the background fold costs the routing beside it
 */
const FOLD_AFTER = process.env.BENCH_FOLD === 'after';

/** The operation, written straight into the tables (far faster than 10,000 commands). */
export async function seed(db: Database, conversations = CONVERSATIONS): Promise<void> {
  await db.exec(`
    INSERT INTO teams (name, max_chat) SELECT 'Equipe ' || t, 1 FROM generate_series(1, ${TEAMS}) t;
    INSERT INTO services (name, key, channel, queue_timeout_seconds)
      SELECT 'Serviço ' || s, 'bench-' || s, 'api', 1800 FROM generate_series(1, ${SERVICES}) s;
    INSERT INTO service_teams (service_id, team_id)
      SELECT s.id, t.id FROM services s JOIN teams t ON t.name = 'Equipe ' || (((substr(s.key, 7)::int - 1) % ${TEAMS}) + 1);
    INSERT INTO users (email, name, role, password_hash, agent_enabled)
      SELECT 'agente' || a || '@bench.local', 'Agente ' || a, 'agent', 'not-a-hash', true FROM generate_series(1, ${AGENTS}) a;
    INSERT INTO team_agents (team_id, user_id)
      SELECT t.id, u.id FROM users u JOIN teams t
        ON t.name = 'Equipe ' || (((substr(u.name, 8)::int - 1) % ${TEAMS}) + 1) WHERE u.role = 'agent';
    INSERT INTO agent_presence (user_id, state, state_since, logged_in_at, last_heartbeat_at)
      SELECT id, 'available', now() - interval '1 hour', now() - interval '1 hour' + (random() * interval '10 minutes'), now()
        FROM users WHERE role = 'agent';
    -- each agent's open "available" row, which its first assignment closes (as the engine's login opens it)
    INSERT INTO agent_state_history (user_id, state, started_at) SELECT user_id, 'available', state_since FROM agent_presence;
    INSERT INTO contacts (name) SELECT 'Cliente ' || c FROM generate_series(1, ${conversations}) c;
    INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, queued_at, first_queued_at)
      SELECT 'B' || lpad(n::text, 8, '0'), s.id, 'api', c.id, 'queued', q, q, q
        FROM (SELECT id, substr(name, 9)::int AS n FROM contacts) c
        JOIN services s ON s.key = 'bench-' || (((c.n - 1) % ${SERVICES}) + 1)
        CROSS JOIN LATERAL (SELECT now() - interval '30 minutes' + c.n * interval '100 milliseconds' AS q) t;
    -- and its open state-history row (as opening one writes it: 'queued', by the customer), which
    -- its assignment closes
    INSERT INTO conversation_state_history (conversation_id, state, service_id, actor, reason, started_at)
      SELECT id, 'queued', service_id, 'customer', 'created', queued_at FROM conversations;
    -- every waiting conversation has its give-up timer, as in a real queue
    INSERT INTO timers (kind, conversation_id, due_at) SELECT 'queue_timeout', id, queued_at + interval '1 hour' FROM conversations;
    ANALYZE;
  `);
}

export async function run(): Promise<void> {
  await forEachDatabase('routing-engine-assignment', measure);
}

/**
 * Between the two passes: the agents finish what the first pass gave them (as if each conversation
 * had been concluded), so every agent has its one free slot again, and its state history an open
 * "available" row (since 2026-12-07: before, the pass after a release closed none, so its
 * assignments wrote the insert of the close-and-open only). Setup, written in SQL like the seed.
 */
async function release(db: Database): Promise<void> {
  await db.exec(`
    UPDATE conversations SET state = 'completed', finished_at = now(), version = version + 1 WHERE state = 'in_service';
    DELETE FROM timers WHERE kind = 'inactive_in_service';
    UPDATE agent_state_history SET ended_at = now() WHERE ended_at IS NULL;
    INSERT INTO agent_state_history (user_id, state, started_at) SELECT user_id, 'available', now() FROM agent_presence;
    UPDATE agent_presence SET open_chat = 0, state = 'available', state_since = now();
  `);
}

/**
 * One slot freed, as in a contact center's ordinary minute: the conversation assigned longest ago
 * ends, and its agent (whose only slot it was) is available again. Setup, in SQL like `release`.
 */
async function releaseOne(db: Database): Promise<void> {
  await db.exec(`
    WITH c AS (SELECT id, agent_id FROM conversations WHERE state = 'in_service' ORDER BY assigned_at, id LIMIT 1),
      done AS (UPDATE conversations SET state = 'completed', finished_at = now(), version = version + 1 WHERE id IN (SELECT id FROM c)),
      clock AS (DELETE FROM timers WHERE kind = 'inactive_in_service' AND conversation_id IN (SELECT id FROM c)),
      closed AS (UPDATE agent_state_history SET ended_at = now() WHERE user_id IN (SELECT agent_id FROM c) AND ended_at IS NULL),
      opened AS (INSERT INTO agent_state_history (user_id, state, started_at) SELECT agent_id, 'available', now() FROM c)
    UPDATE agent_presence SET open_chat = open_chat - 1, state = 'available', state_since = now() WHERE user_id IN (SELECT agent_id FROM c)
  `);
}

/**
 * BENCH_HEAP=file.heapprofile: the steady state's objects that outlived the young generation, by where
 * they were allocated (V8's sampling heap profiler, keeping the objects a major collection freed and
 * dropping those a minor one did: what the old generation had to take and later clear), written for
 * Chromium's DevTools. Returns the stop.
 */
async function promotedProfile(): Promise<() => Promise<void>> {
  const file = process.env.BENCH_HEAP;
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  const params = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false };
  await session.post('HeapProfiler.startSampling', params);
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * The machine's floor for a transaction like an assignment's, measured in the same run: `count`
 * transactions one after another through the same database adapter, each a locking read of one row
 * and its update (BEGIN, SELECT … FOR UPDATE, UPDATE, COMMIT: two round trips and a commit's flush,
 * as a guarded assignment has), on a table of its own. Its tail is the machine's (the scheduler,
 * the disk, the collector), not routing's: the assignment's p99 is read beside it.
 */
async function floorTransactions(db: Database, count = 1_000): Promise<{ p50: number; p99: number; max: number }> {
  await db.exec(`DROP TABLE IF EXISTS bench_floor;
    CREATE TABLE bench_floor (id int PRIMARY KEY, n int NOT NULL, at timestamptz NOT NULL);
    INSERT INTO bench_floor SELECT g, 0, now() FROM generate_series(1, ${AGENTS}) g`);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = 1 + ((i * 7) % AGENTS);
    const t = performance.now();
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ n: number }>('SELECT n FROM bench_floor WHERE id = $1 FOR UPDATE', [id]);
      await tx.query('UPDATE bench_floor SET n = $2, at = now() WHERE id = $1', [id, rows[0].n + 1]);
    });
    times.push(performance.now() - t);
  }
  await db.exec('DROP TABLE bench_floor');
  return { p50: +percentile(times, 50).toFixed(2), p99: +percentile(times, 99).toFixed(2), max: +Math.max(...times).toFixed(2) };
}

/**
 * The garbage collections of this process, on the bench's clock (performance.now(): `--trace-gc`'s
 * clock is tens of milliseconds off it). Kept in a module variable: an observer nothing refers to
 * may itself be collected, and then reports nothing.
 */
const collections: PerformanceEntry[] = [];
let gcObserver: PerformanceObserver | null = null;
function observeCollections(): void {
  if (gcObserver) return;
  gcObserver = new PerformanceObserver((list) => collections.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ['gc'] });
}
/**
 * The collections that began between `from` and `to`, and how many of `spans` (the slowest) held one.
 * On PGlite the observer's callback was never called in this bench (seen 2026-12-08: its entries
 * waited in its buffer), so they are also taken from the buffer, after a turn of the event loop.
 */
async function collectionsIn(from: number, to: number, slowest: { start: number; ms: number }[]) {
  await new Promise((resolve) => setImmediate(resolve));
  if (gcObserver) collections.push(...gcObserver.takeRecords());
  const within = collections.filter((c) => c.startTime >= from && c.startTime < to);
  const held = slowest.filter((s) => within.some((c) => c.startTime < s.start + s.ms && c.startTime + c.duration > s.start)).length;
  return { collections: within.length, collectionMs: +within.reduce((a, c) => a + c.duration, 0).toFixed(1), slowestHoldingOne: `${held} of ${slowest.length}` };
}

/** assignments made one at a time, each by the pass its freed slot woke (the steady state) */
const STEADY = 1_000;

/**
 * BENCH_FUNCTIONS=1 on PostgreSQL (with PGOPTIONS='-c track_functions=all', which the connections then
 * send): the time the measured pass spent in each SQL function, the triggers' among them, from
 * pg_stat_user_functions. A backend reports its counts when idle, at most once a second and by ten
 * seconds after its last statement: hence the wait.
 */
async function functionTimes(label: string, db: Database): Promise<Map<string, { calls: number; total: number; self: number }> | null> {
  if (!process.env.BENCH_FUNCTIONS || label !== 'postgres') return null;
  await new Promise((r) => setTimeout(r, 11_000));
  const { rows } = await db.query<{ funcname: string; calls: number; total: number; self: number }>(
    `SELECT funcname, calls::int, total_time AS total, self_time AS self FROM pg_stat_user_functions`,
  );
  return new Map(rows.map((r) => [r.funcname, r]));
}

async function printFunctionTimes(label: string, db: Database, before: Awaited<ReturnType<typeof functionTimes>>, assignments: number): Promise<void> {
  if (!before) return;
  const after = (await functionTimes(label, db))!;
  for (const [name, a] of after) {
    const b = before.get(name) ?? { calls: 0, total: 0, self: 0 };
    if (a.calls === b.calls) continue;
    emit({
      bench: 'routing-engine-functions', db: label, function: name, calls: a.calls - b.calls,
      msPerAssignmentTotal: +((a.total - b.total) / assignments).toFixed(4), msPerAssignmentSelf: +((a.self - b.self) / assignments).toFixed(4),
    });
  }
}

interface PassFigures {
  times: number[];
  /** each transaction's start (performance.now()) and length, in ms */
  spans: { start: number; ms: number }[];
  transactions: number;
  passMs: number;
  readMs: number;
  /** the journal's entries left when the pass ended, and the time to fold them */
  folded?: number;
  foldMs?: number;
}

async function measure(label: 'pglite' | 'postgres', db: Database): Promise<void> {
  await migrate(db);
  // one pass to warm up, then the measured one over exactly CONVERSATIONS queued
  await seed(db, CONVERSATIONS + AGENTS);
  const profile: Profile = { queries: 0, transactions: 0, bySql: new Map() };
  const runtime = await startRuntime(profiled(db, profile), { background: false, onError: (err) => console.error('routing', err), routingChunk: CHUNK });
  observeCollections();
  try {
    // time each guarded assignment: the transaction that carries it (the router puts several in
    // one), from BEGIN to COMMIT plus publishing its events; every assignment in it waited that long
    const engine = runtime.engine;
    const execute = engine.execute.bind(engine);
    let current: PassFigures = { times: [], spans: [], transactions: 0, passMs: 0, readMs: 0 };
    let firstAt = 0;
    engine.execute = async <T>(command: (u: UnitOfWork) => Promise<T>): Promise<T> => {
      const t = performance.now();
      if (!firstAt) firstAt = t;
      let assigned = 0;
      try {
        return await execute(async (u) => {
          const r = await command(u);
          assigned = u.events.filter((e) => e.type === 'conversation.updated' && e.reason === 'assigned').length;
          return r;
        });
      } finally {
        const ms = performance.now() - t;
        current.transactions++;
        current.spans.push({ start: t, ms });
        for (let i = 0; i < assigned; i++) current.times.push(ms);
        // BENCH_TRACE=1: every transaction on stderr (its number, assignments, ms, start on
        // performance.now()), to see where the tail sits (beside node --trace-gc's lines, say)
        if (process.env.BENCH_TRACE) console.error('tx', current.transactions, assigned, ms.toFixed(2), t.toFixed(2));
      }
    };
    /**
     * Once routing is idle: the background fold paused and what it left of the journal folded (timed),
     * the projection settled, and no agent above their limit of one.
     */
    const afterPass = async (): Promise<{ folded: number; foldMs: number }> => {
      await runtime.rollups.pause();
      const t = performance.now();
      const folded = await foldRollups(db);
      const foldMs = performance.now() - t;
      await runtime.projection.settled();
      const over = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agent_presence WHERE open_chat > 1`);
      if (over.rows[0].n) throw new Error(`${over.rows[0].n} agents above their limit`);
      return { folded, foldMs };
    };
    const pass = async (expectedQueued: number, assigned = Math.min(AGENTS, expectedQueued)): Promise<PassFigures> => {
      current = { times: [], spans: [], transactions: 0, passMs: 0, readMs: 0 };
      firstAt = 0;
      const queued = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE state = 'queued'`)).rows[0].n;
      if (queued !== expectedQueued) throw new Error(`${queued} queued before the pass, expected ${expectedQueued}`);
      const t0 = performance.now();
      // the rollups' journal (migration 0041) is folded in the background as on a server (every
      // second, beside the routing: its work is measured too), and what is left once the pass is done
      if (!FOLD_AFTER) runtime.rollups.start();
      runtime.router.schedule();
      await runtime.router.idle();
      current.passMs = performance.now() - t0;
      current.readMs = firstAt - t0;
      Object.assign(current, await afterPass());
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE state = 'in_service'`);
      if (rows[0].n !== assigned || current.times.length !== assigned) {
        throw new Error(`expected ${assigned} assignments, got ${rows[0].n} in service (${current.times.length} timed in ${current.transactions} transactions)`);
      }
      return current;
    };

    if (ROLLUPS_OFF) {
      await db.exec(`ALTER TABLE conversations DISABLE TRIGGER USER; ALTER TABLE agent_state_history DISABLE TRIGGER USER`);
    }
    // the first pass of a fresh process: new connections, nothing planned nor compiled yet
    const cold = await pass(CONVERSATIONS + AGENTS);
    await release(db);
    profile.bySql.clear();
    const before = await functionTimes(label, db);
    // the measured pass: a server that has routed before, with 10,000 conversations queued
    const warm = await pass(CONVERSATIONS);
    await printFunctionTimes(label, db, before, warm.times.length);

    const shape = { queued: CONVERSATIONS, services: SERVICES, agents: AGENTS, db: label };
    const p99 = (f: PassFigures) => +percentile(f.times, 99).toFixed(2);
    /** the collections while `spans` ran, and how many of their ten slowest held one */
    const collectionsDuring = async (spans: PassFigures['spans']) =>
      collectionsIn(spans[0].start, spans.at(-1)!.start + spans.at(-1)!.ms, [...spans].sort((a, b) => b.ms - a.ms).slice(0, 10));
    emit({ bench: 'routing-engine-decisions', ...shape, value: Math.round(AGENTS / (warm.passMs / 1000)), unit: 'assignments/s (whole pass)' });
    emit({
      bench: 'routing-engine-assignment',
      ...shape,
      value: p99(warm),
      unit: 'ms p99 per guarded assignment transaction',
      p50: +percentile(warm.times, 50).toFixed(2),
      max: +Math.max(...warm.times).toFixed(2),
      transactions: warm.transactions,
      chunk: CHUNK ?? 'default',
      ...(ROLLUPS_OFF ? { rollupTriggers: 'off' } : {}),
      ...(FOLD_AFTER ? { fold: 'after' } : {}),
      ...(await collectionsDuring(warm.spans)),
      target: 5,
    });
    emit({
      bench: 'routing-engine-fold', ...shape, value: warm.folded ?? 0, unit: 'journal entries left to fold after the pass',
      ms: +(warm.foldMs ?? 0).toFixed(1),
    });
    emit({
      bench: 'routing-engine-assignment-cold',
      ...shape,
      queued: CONVERSATIONS + AGENTS,
      value: p99(cold),
      unit: 'ms p99 per guarded assignment transaction, first pass of a fresh process',
      p50: +percentile(cold.times, 50).toFixed(2),
      max: +Math.max(...cold.times).toFixed(2),
    });
    printProfile(`routing on ${label}: ${warm.times.length} assignments`, profile);
    // the machine's floor, with nothing else running (the fold paused by afterPass), before and after
    // the steady state
    const floors = [await floorTransactions(db)];

    // the steady state: every agent busy, 8,000 waiting, and slots freeing one at a time (a
    // conversation ends); each wakes a pass that assigns the one freed slot, in a transaction of one
    // assignment whatever the router's chunk: the guarded assignment of a contact center's
    // ordinary minute, where the pass above is the burst of 2,000 slots freed at once
    const steady: number[] = [];
    const steadySpans: PassFigures['spans'] = [];
    const steadyPasses: number[] = [];
    if (!FOLD_AFTER) runtime.rollups.start();
    const stopHeapProfile = await promotedProfile();
    for (let i = 0; i < STEADY; i++) {
      await releaseOne(db);
      current = { times: [], spans: [], transactions: 0, passMs: 0, readMs: 0 };
      const t0 = performance.now();
      runtime.router.schedule();
      await runtime.router.idle();
      steadyPasses.push(performance.now() - t0);
      if (current.times.length !== 1) throw new Error(`a freed slot made ${current.times.length} assignments, expected 1`);
      steady.push(current.times[0]);
      steadySpans.push(...current.spans);
    }
    await stopHeapProfile();
    await afterPass();
    floors.push(await floorTransactions(db));
    emit({
      bench: 'routing-engine-steady',
      ...shape,
      queued: CONVERSATIONS - AGENTS,
      value: +percentile(steady, 99).toFixed(2),
      unit: 'ms p99 per guarded assignment transaction, slots freed one at a time (one assignment a transaction)',
      p50: +percentile(steady, 50).toFixed(2),
      max: +Math.max(...steady).toFixed(2),
      assignments: STEADY,
      // the whole pass a freed slot wakes (the agents with a free slot, the heads, the choice, the transaction)
      passP50: +percentile(steadyPasses, 50).toFixed(2),
      ...(await collectionsDuring(steadySpans)),
      target: 5,
    });
    const floorP99 = (floors[0].p99 + floors[1].p99) / 2;
    emit({
      bench: 'routing-engine-floor',
      db: label,
      value: floors.map((f) => f.p99),
      unit: 'ms p99 of a transaction locking and updating one row (BEGIN, SELECT … FOR UPDATE, UPDATE, COMMIT), 1,000 in a row, before and after the steady state',
      p50: floors.map((f) => f.p50),
      max: floors.map((f) => f.max),
      // how far the assignment's tail is above the machine's own, in the same run
      steadyOverFloor: +(percentile(steady, 99) / floorP99).toFixed(2),
      burstOverFloor: +(p99(warm) / floorP99).toFixed(2),
    });

    // the drain: the agents free their slot again and again (as their conversations end) until the
    // 10,000 are all served; every pass reads only the heads (as many as the free slots)
    const drained = { passes: 0, ms: 0, times: [] as number[], read0: runtime.router.queuedRead };
    for (let left = CONVERSATIONS - AGENTS - STEADY; left > 0; left -= AGENTS) {
      await release(db);
      const f = await pass(left);
      drained.passes++;
      drained.ms += f.passMs;
      drained.times.push(...f.times);
    }
    const remaining = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE state = 'queued'`)).rows[0].n;
    if (remaining) throw new Error(`${remaining} still queued after the drain`);
    emit({
      bench: 'routing-engine-drain',
      ...shape,
      value: Math.round((CONVERSATIONS - AGENTS - STEADY) / (drained.ms / 1000)),
      unit: 'assignments/s while the rest of the 10,000 drain, 2,000 slots freed at a time',
      passes: drained.passes,
      p99: +percentile(drained.times, 99).toFixed(2),
      queuedRowsRead: runtime.router.queuedRead - drained.read0,
    });
    emit({ bench: 'routing-engine-read', ...shape, value: +warm.readMs.toFixed(1), unit: 'ms from pass start to the first assignment (read queues + agents, core choice)' });
  } finally {
    await runtime.stop();
  }
}
