// indicators: Início → Indicadores over the looking-back seed (bench/lookback-seed.ts: 3,000,000
// conversations over 13 months on PostgreSQL, 1,000,000 on PGlite), through the HTTP API of a node
// started in-process, signed in as an admin. It reuses the database `npm run bench lookback` builds
// and keeps (mirante_lookback on DATABASE_URL's PostgreSQL, a folder under /tmp for PGlite); without
// it, it says so and stops: seeding takes minutes and belongs to the lookback benchmark.
// BENCH_DB=postgres|pglite|both (default postgres), BENCH_LOOKBACK_SCALE as for lookback.
//
// Measured warm (a few calls first, then p50/p95), targets of issue 16 on PostgreSQL:
// - GET /api/indicators for a month, all services: p95 ≤ 300 ms; for a year: ≤ 1 s;
// - the same for one service and for one channel (a month); today;
// - Atendimentos OMNI (GET /api/indicators/conversations): a month's first page and the next one;
// - Relatórios: each report of GET /api/reports's catalogue for a month (interval=30m where it takes
//   one): p95 ≤ 500 ms; Gráficos (GET /api/charts/…) for a month: ≤ 300 ms. Those routes are built on
//   other branches: a route that answers 404 is reported as missing and the rest goes on.
// BENCH_EXPLAIN=1 also prints EXPLAIN (ANALYZE, BUFFERS) of Indicadores' one pass for the month and the year.
import { existsSync } from 'node:fs';
import pg from 'pg';
import { openPGlite, openPostgres, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { Actor } from '../src/engine/actor.js';
import { periodOf } from '../src/engine/queries/analysis.js';
import { indicatorsSql } from '../src/engine/queries/indicators.js';
import { ADMIN, call, PG_NAME, PG_URL, PGLITE_DIR, startServer, type Server } from './lookback.js';
import { emit, percentile } from './report.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARM = 3;

const NO_ROUTE = /^(no route|rota inexistente)/i;

async function timed(s: Server, label: string, name: string, path: string, target: number | null): Promise<any> {
  const first = await call(s, path);
  if (first.status === 404) {
    const why = NO_ROUTE.test(first.body?.error?.message ?? '') ? 'the route is missing on this branch' : JSON.stringify(first.body).slice(0, 200);
    emit({ bench: `indicators-${name}`, db: label, skipped: `${path.split('?')[0]} answers 404: ${why}` });
    return null;
  }
  if (first.status !== 200) {
    emit({ bench: `indicators-${name}`, db: label, failed: `${first.status} ${JSON.stringify(first.body).slice(0, 300)}`, path });
    return null;
  }
  for (let i = 1; i < WARM; i++) await call(s, path);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await call(s, path)).ms);
  const p95 = percentile(times, 95);
  emit({
    bench: `indicators-${name}`, db: label, path, p50: +percentile(times, 50).toFixed(1), p95: +p95.toFixed(1), unit: 'ms',
    ...(target !== null ? { target, met: p95 <= target } : {}),
    ...(first.body?.byStatus ? { ended: first.body.byStatus.total } : {}),
  });
  return first.body;
}

async function measure(db: Database, label: string): Promise<void> {
  const { rows: [pick] } = await db.query<{ service: string; month_from: string; month_to: string; year_from: string; year_to: string }>(
    `SELECT (SELECT id FROM services WHERE key = 'lookback-7') AS service,
            to_char(date_trunc('month', now()) - interval '1 month', 'YYYY-MM-DD') AS month_from,
            to_char(date_trunc('month', now()) - interval '1 day', 'YYYY-MM-DD') AS month_to,
            to_char(now() - interval '365 days', 'YYYY-MM-DD') AS year_from,
            to_char(now(), 'YYYY-MM-DD') AS year_to`,
  );
  const month = `from=${pick.month_from}&to=${pick.month_to}`;
  if (process.env.BENCH_EXPLAIN) {
    await explain(db, label, 'month', { from: pick.month_from, to: pick.month_to });
    await explain(db, label, 'year', { from: pick.year_from, to: pick.year_to });
  }
  const s = await startServer(db);
  try {
    await timed(s, label, 'today', '/api/indicators', null);
    await timed(s, label, 'month', `/api/indicators?${month}`, 300);
    await timed(s, label, 'year', `/api/indicators?from=${pick.year_from}&to=${pick.year_to}`, 1000);
    await timed(s, label, 'month-service', `/api/indicators?${month}&serviceId=${pick.service}`, 300);
    await timed(s, label, 'month-channel', `/api/indicators?${month}&channel=whatsapp`, 300);
    const page = await timed(s, label, 'conversations-first-page', `/api/indicators/conversations?${month}&limit=50`, null);
    if (page?.next) await timed(s, label, 'conversations-next-page', `/api/indicators/conversations?${month}&limit=50&after=${encodeURIComponent(page.next)}`, null);
    // Relatórios, driven by the catalogue (whatever reports exist on this branch)
    const catalogue = await call(s, '/api/reports');
    if (catalogue.status !== 200) emit({ bench: 'indicators-reports', db: label, skipped: `/api/reports answers ${catalogue.status}` });
    else if (!catalogue.body.length) emit({ bench: 'indicators-reports', db: label, skipped: 'the catalogue of /api/reports is empty on this branch' });
    else {
      // BENCH_REPORTS=abandonment,email: only those (the slow raw ones take minutes each at 20 runs)
      const only = process.env.BENCH_REPORTS?.split(',');
      for (const r of (catalogue.body as { id: string; usesInterval: boolean }[]).filter((x) => !only || only.includes(x.id))) {
        await timed(s, label, `report-${r.id}`, `/api/reports/${r.id}?${month}${r.usesInterval ? '&interval=30m' : ''}`, 500);
      }
    }
    // Gráficos: the three charts' data for the month
    for (const chart of ['channels', 'metrics', 'metrics/detailed']) {
      await timed(s, label, `chart-${chart.replace('/', '-')}`, `/api/charts/${chart}?${month}`, 300);
    }
  } finally {
    await s.close();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of Indicadores' one pass as the bench's admin asks it, printed to stderr. */
async function explain(db: Database, label: string, name: string, q: { from: string; to: string }): Promise<void> {
  const { rows: [admin] } = await db.query<{ id: string; name: string }>(`SELECT id, name FROM users WHERE email = $1`, [ADMIN.email]);
  const actor: Actor = { id: admin.id, name: admin.name, role: 'admin', teamIds: [], supervisedTeamIds: [] };
  const { sql, params } = indicatorsSql(actor, q, await periodOf(db, q, new Date()));
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  console.error(`--- ${label} ${name} (${q.from} … ${q.to})\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
}

const NOT_SEEDED = 'the looking-back seed is missing: run `npm run bench lookback` first (it builds and keeps it)';

async function onPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    emit({ bench: 'indicators', db: 'postgres', skipped: `no PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')}: ${(err as Error).message}` });
    return;
  }
  try {
    const { rows } = await admin.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [PG_NAME]);
    if (!rows[0]?.comment?.startsWith('lookback seeded')) {
      emit({ bench: 'indicators', db: 'postgres', skipped: NOT_SEEDED });
      return;
    }
  } finally {
    await admin.end();
  }
  const u = new URL(PG_URL);
  u.pathname = `/${PG_NAME}`;
  const db = openPostgres(u.toString());
  try {
    await migrate(db);
    await measure(db, 'postgres');
  } finally {
    await db.close();
  }
}

async function onPGlite(): Promise<void> {
  if (!existsSync(`${PGLITE_DIR}.json`) || !existsSync(PGLITE_DIR)) {
    emit({ bench: 'indicators', db: 'pglite', skipped: NOT_SEEDED.replace('lookback`', 'lookback` with BENCH_DB=pglite') });
    return;
  }
  const db = await openPGlite(PGLITE_DIR);
  try {
    await migrate(db);
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
