// lookback: looking back over a large operation, through the HTTP API of a node started in-process.
//
// The data (bench/lookback-seed.ts, pure SQL after the project's migrations): 3,000,000
// conversations and about 30,000,000 messages over 13 months on PostgreSQL (1,000,000 conversations
// on PGlite), 200 services, 2,000 agents, 20,000 conversations today, every state with a plausible
// share and the stage timestamps in order. It is built once into its own database — `mirante_lookback`
// on the PostgreSQL of DATABASE_URL (default the local one), a folder under /tmp for PGlite — and
// kept between runs (seeding takes minutes); `npm run bench lookback -- --reseed` builds it again.
// BENCH_LOOKBACK_ONLY=export measures the exports alone.
// BENCH_DB=postgres|pglite runs one only (default: postgres; PGlite only when asked, its seeding
// takes long). BENCH_LOOKBACK_SCALE=0.01 seeds a small copy (a database of its own) to try it out.
//
// Measured warm (a few calls first, then p50/p95 over repeated calls), signed in as an admin:
// - Consultas (GET /api/lookback/conversations), the first page of a month: each filter alone
//   (family, services, states, agents, classifications, origin — a common surname, a first name and
//   surname, a phone's digits —, text), three combined, and the
//   protocol lookup — target p95 ≤ 150 ms on PostgreSQL; the next page by keyset: p95 ≤ 50 ms;
// - Monitorar (GET /api/monitor/conversations?view=status&period=today), 20,000 conversations today:
//   ≤ 200 ms;
// - the CSV export of ≥ 1,000,000 rows (format=csv), streamed and counted here: ≥ 50,000 rows/s,
//   with the server's RSS growing by < 100 MB: once with the server in this process (its RSS then
//   counts the reading of the download too), and on PostgreSQL once more with the server in a
//   process of its own (bench/export-server.ts), whose RSS is the server's alone;
// - Análise da Operação: Atendentes (today and a month), Fila, Mensagens ativas, an agent's rows.
// A route that answers 404 is reported as missing (built on another branch) and the rest goes on.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { openPGlite, openPostgres, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { ensureFirstAdmin } from '../src/engine/bootstrap.js';
import { getSettings } from '../src/engine/settings.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { SEED_CHECKS, SEED_ROLLUPS, seedSteps, STATE_SHARES, type SeedSize } from './lookback-seed.js';
import { emit, percentile } from './report.js';

export const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCALE = Number(process.env.BENCH_LOOKBACK_SCALE ?? 1);
const RESEED = process.argv.includes('--reseed');
export const ADMIN = { email: 'bench@lookback.local', password: 'bench-password-1' };
const SUFFIX = SCALE === 1 ? '' : `_s${String(SCALE).replace('.', '_')}`;
/** BENCH_LOOKBACK_DB: another copy of the seeded database (e.g. `createdb -T mirante_lookback mirante_lookback_h6`) */
export const PG_NAME = process.env.BENCH_LOOKBACK_DB || `mirante_lookback${SUFFIX}`;
export const PGLITE_DIR = `/tmp/mirante-lookback-pglite${SUFFIX}`;
const RUNS = 20;
const WARM = 3;

const sizeFor = (conversations: number): SeedSize => {
  const n = Math.max(30_000, Math.round(conversations * SCALE));
  return { conversations: n, today: Math.min(20_000, Math.round(n / 10)), contacts: Math.round(n / 3), days: 395 };
};

type Exec = (sql: string) => Promise<void>;

/** Migrations, the bench's admin, then the seed steps, each timed. */
async function seed(db: Database, exec: Exec, size: SeedSize): Promise<number> {
  const t0 = performance.now();
  await migrate(db);
  await ensureFirstAdmin(db, ADMIN.email, ADMIN.password);
  const { timezone } = await getSettings(db);
  // bulk load: the secondary indexes of the two big tables are built after their rows
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname IN ('conversations', 'messages') AND t.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`,
  );
  for (const i of indexes) await exec(`DROP INDEX ${i.name}`);
  for (const step of seedSteps(size, timezone)) {
    const s = performance.now();
    await exec(step.sql);
    console.error(`  seeded ${step.label}: ${((performance.now() - s) / 1000).toFixed(1)} s`);
  }
  const s = performance.now();
  for (const i of indexes) await exec(i.def);
  console.error(`  rebuilt ${indexes.length} indexes: ${((performance.now() - s) / 1000).toFixed(1)} s`);
  for (const step of SEED_ROLLUPS) {
    const r = performance.now();
    await exec(step.sql);
    console.error(`  rebuilt ${step.label}: ${((performance.now() - r) / 1000).toFixed(1)} s`);
  }
  // as autovacuum would have left a live database: statistics, and the visibility map index-only scans need
  await exec('VACUUM ANALYZE');
  return (performance.now() - t0) / 1000;
}

async function report(db: Database, label: string, seconds: number | null): Promise<void> {
  const { timezone } = await getSettings(db);
  const checks = await db.query<{ what: string; value: string }>(SEED_CHECKS, [timezone]);
  const shares = await db.query<{ state: string; n: number; pct: number }>(STATE_SHARES);
  const size = await db.query<{ db: string; conversations: string; messages: string }>(
    `SELECT pg_size_pretty(pg_database_size(current_database())) AS db, pg_size_pretty(pg_total_relation_size('conversations')) AS conversations,
            pg_size_pretty(pg_total_relation_size('messages')) AS messages`,
  );
  emit({
    bench: 'lookback-data', db: label, seededSeconds: seconds, ...Object.fromEntries(checks.rows.map((r) => [r.what, r.value])),
    states: Object.fromEntries(shares.rows.map((r) => [r.state, `${r.pct}%`])), sizes: size.rows[0],
  });
}

// --- HTTP ---------------------------------------------------------------------------------------------

export interface Server {
  base: string;
  cookie: string;
  close(): Promise<void>;
}

export async function startServer(db: Database): Promise<Server> {
  const runtime = await startRuntime(db, { background: false, onError: (err) => console.error('engine', err) });
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'bench-secret-key-for-mirante' };
  const app = await buildApp({ db, config, runtime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    base,
    cookie: await signIn(base),
    async close() {
      await app.close();
      await runtime.stop();
    },
  };
}

async function signIn(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
  return login.headers.getSetCookie()[0].split(';')[0];
}

/** The resident memory of a process, from /proc (Linux), in bytes. */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * A node in a process of its own (bench/export-server.ts), so that an export's memory is the
 * server's alone: in-process, the generator's reading of the download counts too.
 */
async function childServer(url: string): Promise<Server & { pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./export-server.ts', import.meta.url).pathname, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  return {
    base,
    pid: child.pid!,
    cookie: await signIn(base),
    async close() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export async function call(s: Server, path: string): Promise<{ status: number; ms: number; body: any }> {
  const t = performance.now();
  const res = await fetch(s.base + path, { headers: { cookie: s.cookie } });
  const text = await res.text();
  const ms = performance.now() - t;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, ms, body };
}

const missing = new Set<string>();
/** BENCH_LOOKBACK_ONLY=export: only the exports (the queries' timings take minutes). */
const ONLY_EXPORT = process.env.BENCH_LOOKBACK_ONLY === 'export';

/** Warm calls, then RUNS timed ones; a 404 or another failure is reported once and skipped. */
async function timed(s: Server, label: string, name: string, path: string, target: number | null, extra: Record<string, unknown> = {}): Promise<any> {
  const route = path.split('?')[0];
  if (missing.has(route) || ONLY_EXPORT) return null;
  const first = await call(s, path);
  if (first.status === 404 && /^(no route|rota inexistente)/.test(first.body?.error?.message ?? '')) {
    missing.add(route);
    emit({ bench: `lookback-${name}`, db: label, skipped: `${route} answers 404: the route is missing on this branch` });
    return null;
  }
  if (first.status !== 200) {
    emit({ bench: `lookback-${name}`, db: label, failed: `${first.status} ${JSON.stringify(first.body).slice(0, 300)}`, path });
    return null;
  }
  for (let i = 1; i < WARM; i++) await call(s, path);
  const times: number[] = [];
  let body = first.body;
  for (let i = 0; i < RUNS; i++) {
    const r = await call(s, path);
    times.push(r.ms);
    body = r.body;
  }
  const p95 = percentile(times, 95);
  emit({
    bench: `lookback-${name}`, db: label, path, p50: +percentile(times, 50).toFixed(1), p95: +p95.toFixed(1), unit: 'ms',
    ...(target !== null ? { target, met: p95 <= target } : {}), ...extra,
  });
  return body;
}

/** Streams a CSV download, counting its rows (line ends outside quotes, less the header) and sampling RSS. */
async function exportCsv(s: Server, label: string, path: string, encoding: 'identity' | 'gzip', pid = process.pid): Promise<void> {
  const route = path.split('?')[0];
  if (missing.has(route)) {
    emit({ bench: 'lookback-export-csv', db: label, skipped: `${route} answers 404: the route is missing on this branch` });
    return;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss = () => (pid === process.pid ? process.memoryUsage().rss : rssOf(pid));
  const rssBefore = rss();
  let peak = rssBefore;
  const sampler = setInterval(() => { peak = Math.max(peak, rss()); }, 20);
  const t0 = performance.now();
  try {
    // identity: the server's own export; gzip: as a browser asks (compressed on the way, and
    // uncompressed here, in the same process, as fetch does)
    const res = await fetch(s.base + path, { headers: { cookie: s.cookie, 'accept-encoding': encoding } });
    if (res.status !== 200) {
      if (res.status === 404) missing.add(route);
      emit({ bench: 'lookback-export-csv', db: label, skipped: `${route} answers ${res.status}${res.status === 404 ? ': the route is missing on this branch' : ''}`, body: (await res.text()).slice(0, 300) });
      return;
    }
    let lines = 0;
    let quoted = false;
    let bytes = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = 0; i < value.length; i++) {
        const b = value[i];
        if (b === 0x22) quoted = !quoted;
        else if (b === 0x0a && !quoted) lines++;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const rows = Math.max(0, lines - 1);
    const growthMb = (peak - rssBefore) / 1024 / 1024;
    emit({
      bench: 'lookback-export-csv', db: label, server: pid === process.pid ? 'in the generator’s process' : 'a process of its own', path, encoding: res.headers.get('content-encoding') ?? 'identity', rows, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds), megabytes: +(bytes / 1048576).toFixed(1),
      rssBeforeMb: Math.round(rssBefore / 1048576), rssPeakMb: Math.round(peak / 1048576), rssGrowthMb: +growthMb.toFixed(1),
      target: '≥ 50,000 rows/s, RSS growth < 100 MB, ≥ 1,000,000 rows', met: rows / seconds >= 50_000 && growthMb < 100 && rows >= 1_000_000,
    });
  } finally {
    clearInterval(sampler);
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);

async function measure(db: Database, label: string, url?: string): Promise<void> {
  // the values the filters ask for: real ones from the data
  const { rows: [pick] } = await db.query<{ service: string; agent: string; classification: string; protocol: string; contact: string; month_from: string; month_to: string }>(
    `SELECT (SELECT id FROM services WHERE key = 'lookback-7') AS service,
            (SELECT id FROM users WHERE email = 'agente107@lookback.local') AS agent,
            (SELECT id FROM classifications WHERE code = 'LB07') AS classification,
            (SELECT protocol FROM conversations WHERE protocol ~ '^[0-9]{16}$' ORDER BY created_at LIMIT 1 OFFSET 1000) AS protocol,
            'Rodrigues' AS contact,
            to_char(date_trunc('month', now()) - interval '1 month', 'YYYY-MM-DD') AS month_from,
            to_char(date_trunc('month', now()) - interval '1 day', 'YYYY-MM-DD') AS month_to`,
  );
  const month = `from=${pick.month_from}&to=${pick.month_to}`;
  const s = await startServer(db);
  try {
    // Consultas: the first page of a month, each filter alone, three together, the protocol
    const page = '/api/lookback/conversations';
    const filters: [string, string][] = [
      ['month', ''],
      ['family', '&family=chat'],
      ['service', `&serviceIds=${pick.service}`],
      ['states', '&states=cancelled'],
      ['agent', `&agentIds=${pick.agent}`],
      ['classification', `&classificationIds=${pick.classification}`],
      ['origin', `&origin=${pick.contact}`],
      // a first name and surname (about 1,250 contacts) and a phone's digits (a handful)
      ['origin-name', `&origin=${encodeURIComponent(`Ana ${pick.contact}`)}`],
      ['origin-phone', '&origin=9000123'],
      ['text', `&text=${encodeURIComponent('cobrado duas vezes')}`],
      ['three-combined', `&family=messaging&states=completed&classificationIds=${pick.classification}`],
    ];
    let next: string | null = null;
    for (const [name, q] of filters) {
      const body = await timed(s, label, `consultas-first-page-${name}`, `${page}?${month}${q}&limit=50`, 150);
      if (name === 'month' && body) next = body.next ?? null;
    }
    await timed(s, label, 'consultas-protocol', `${page}?protocol=${pick.protocol}&limit=50`, 150);
    if (next) await timed(s, label, 'consultas-next-page', `${page}?${month}&limit=50&after=${encodeURIComponent(next)}`, 50);
    else if (!missing.has(page)) emit({ bench: 'lookback-consultas-next-page', db: label, skipped: 'the first page gave no next cursor' });

    // Monitorar: today's view by status
    await timed(s, label, 'monitorar-today', '/api/monitor/conversations?view=status&period=today', 200);

    // Análise da Operação (this branch's routes)
    await timed(s, label, 'analysis-agents-today', '/api/analysis/agents', null);
    await timed(s, label, 'analysis-agents-month', `/api/analysis/agents?${month}`, null);
    await timed(s, label, 'analysis-agent-conversations-month', `/api/analysis/agents/${pick.agent}/conversations?${month}`, null);
    await timed(s, label, 'analysis-queue', '/api/analysis/queue', null);
    await timed(s, label, 'analysis-outbound', '/api/analysis/outbound', null);
    await timed(s, label, 'analysis-outbound-month', `/api/analysis/outbound?${month}&states=completed`, null);

    // the export: enough days back from today for 1,000,000 rows
    const { rows: [span] } = await db.query<{ from: Date }>(
      `SELECT created_at AS from FROM conversations ORDER BY created_at DESC OFFSET 1000000 LIMIT 1`,
    );
    // fewer than a million (PGlite's copy, a small scale): the longest period a query may span: 366 days, tomorrow included
    const from = span ? day(span.from) : day(new Date(Date.now() - 364 * 86_400_000));
    const to = day(new Date(Date.now() + 86_400_000));
    await exportCsv(s, label, `${page}?from=${from}&to=${to}&format=csv`, 'identity');
    await exportCsv(s, label, `${page}?from=${from}&to=${to}&format=csv`, 'gzip');
    // the same two with the server in a process of its own: its memory alone
    if (url && !missing.has(page)) {
      const child = await childServer(url);
      try {
        await exportCsv(child, label, `${page}?from=${from}&to=${to}&format=csv`, 'identity', child.pid);
        await exportCsv(child, label, `${page}?from=${from}&to=${to}&format=csv`, 'gzip', child.pid);
      } finally {
        await child.close();
      }
    }
  } finally {
    await s.close();
  }
}

// --- the two databases -------------------------------------------------------------------------------

async function onPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    emit({ bench: 'lookback', db: 'postgres', skipped: `no PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')}: ${(err as Error).message}` });
    return;
  }
  const u = new URL(PG_URL);
  u.pathname = `/${PG_NAME}`;
  try {
    const { rows } = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [PG_NAME],
    );
    const seeded = rows[0]?.comment?.startsWith('lookback seeded') ?? false;
    if (RESEED || !seeded) {
      if (rows[0]) await admin.query(`DROP DATABASE ${PG_NAME} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${PG_NAME}`);
      const size = sizeFor(3_000_000);
      console.error(`seeding ${PG_NAME}: ${size.conversations.toLocaleString('en')} conversations…`);
      const db = openPostgres(u.toString(), 4);
      // one session for the whole load, with settings for bulk writes
      const session = new pg.Client({ connectionString: u.toString() });
      await session.connect();
      await session.query(`SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'`);
      try {
        const seconds = await seed(db, async (sql) => { await session.query(sql); }, size);
        await admin.query(`COMMENT ON DATABASE ${PG_NAME} IS 'lookback seeded in ${seconds.toFixed(0)} s: ${size.conversations} conversations'`);
        await report(db, 'postgres', Math.round(seconds));
      } finally {
        await session.end();
        await db.close();
      }
    } else {
      console.error(`using ${PG_NAME} (${rows[0].comment}); --reseed builds it again`);
    }
    const db = openPostgres(u.toString());
    try {
      await migrate(db);
      if (!RESEED && seeded) await report(db, 'postgres', null);
      await measure(db, 'postgres', u.toString());
    } finally {
      await db.close();
    }
  } finally {
    await admin.end();
  }
}

async function onPGlite(): Promise<void> {
  const marker = `${PGLITE_DIR}.json`;
  const seeded = existsSync(marker) && existsSync(PGLITE_DIR);
  if (RESEED && existsSync(PGLITE_DIR)) {
    const { rmSync } = await import('node:fs');
    rmSync(PGLITE_DIR, { recursive: true, force: true });
    rmSync(marker, { force: true });
  }
  const db = await openPGlite(PGLITE_DIR);
  try {
    if (RESEED || !seeded) {
      const size = sizeFor(1_000_000);
      console.error(`seeding ${PGLITE_DIR}: ${size.conversations.toLocaleString('en')} conversations…`);
      const seconds = await seed(db, (sql) => db.exec(sql), size);
      writeFileSync(marker, JSON.stringify({ seededSeconds: Math.round(seconds), conversations: size.conversations }));
      await report(db, 'pglite', Math.round(seconds));
    } else {
      console.error(`using ${PGLITE_DIR} (${readFileSync(marker, 'utf8')}); --reseed builds it again`);
      await migrate(db);
      await report(db, 'pglite', null);
    }
    await measure(db, 'pglite');
  } finally {
    await db.close();
  }
}

export async function run(): Promise<void> {
  const only = process.env.BENCH_DB ?? 'postgres';
  if (only === 'postgres' || only === 'both') await onPostgres();
  if (only === 'pglite' || only === 'both') await onPGlite();
}
