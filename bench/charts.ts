// charts: Análise da Operação → Gráficos over the looking-back seed (bench/lookback-seed.ts: 3,000,000
// conversations over 13 months on PostgreSQL), read through the engine's functions (the routes only
// validate and present), as an admin and as a supervisor. It reuses the database `npm run bench
// lookback` builds and keeps; without it, it says so and stops. Read-only: no migration is run.
//
// Measured warm (a few calls first, then p50/p95); target of issue 16: each chart's data ≤ 300 ms
// for a month on PostgreSQL; today and a month with agents and filters are reported beside it.
import pg from 'pg';
import { openPostgres, type Database } from '../src/db/database.js';
import type { Actor } from '../src/engine/actor.js';
import { channelsChart, detailedMetricsChart, metricsChart } from '../src/engine/charts/charts.js';
import { PG_NAME, PG_URL } from './lookback.js';
import { emit, percentile } from './report.js';

const RUNS = 10;
const WARM = 2;

async function timed(label: string, name: string, target: number | null, fn: () => Promise<unknown>): Promise<void> {
  try {
    for (let i = 0; i < WARM; i++) await fn();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    const p95 = percentile(times, 95);
    emit({ bench: `charts-${name}`, db: label, p50: +percentile(times, 50).toFixed(1), p95: +p95.toFixed(1), unit: 'ms', ...(target !== null ? { target, met: p95 <= target } : {}) });
  } catch (err) {
    emit({ bench: `charts-${name}`, db: label, failed: (err as Error).message });
  }
}

async function measure(db: Database, label: string): Promise<void> {
  const { rows: [pick] } = await db.query<{ service: string; month_from: string; month_to: string; today: string; agents: string[]; sup: string | null }>(
    `SELECT (SELECT id FROM services WHERE key = 'lookback-7') AS service,
            to_char(date_trunc('month', now()) - interval '1 month', 'YYYY-MM-DD') AS month_from,
            to_char(date_trunc('month', now()) - interval '1 day', 'YYYY-MM-DD') AS month_to,
            to_char(now(), 'YYYY-MM-DD') AS today,
            ARRAY(SELECT id::text FROM users WHERE agent_enabled ORDER BY email LIMIT 3) AS agents,
            (SELECT user_id::text FROM team_supervisors LIMIT 1) AS sup`,
  );
  const admin: Actor = { id: null, name: 'bench', role: 'admin', teamIds: [], supervisedTeamIds: [] };
  const month = { from: pick.month_from, to: pick.month_to };
  const now = new Date();
  await timed(label, 'channels-today', null, () => channelsChart(db, admin, {}, now));
  await timed(label, 'channels-month', 300, () => channelsChart(db, admin, month, now));
  await timed(label, 'channels-month-service', 300, () => channelsChart(db, admin, { ...month, serviceId: pick.service }, now));
  await timed(label, 'metrics-month', 300, () => metricsChart(db, admin, { ...month, agentId: pick.agents }, 'pt', now));
  await timed(label, 'metrics-detailed-month', 300, () => detailedMetricsChart(db, admin, { ...month, agentId: pick.agents }, 'pt', now));
  await timed(label, 'metrics-detailed-today', null, () => detailedMetricsChart(db, admin, { agentId: pick.agents }, 'pt', now));
  if (pick.sup) {
    const sup: Actor = { id: pick.sup, name: 'bench', role: 'supervisor', teamIds: [], supervisedTeamIds: [] };
    await timed(label, 'metrics-month-supervisor', 300, () => metricsChart(db, sup, month, 'pt', now));
  }
}

export async function run(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    emit({ bench: 'charts', db: 'postgres', skipped: `no PostgreSQL: ${(err as Error).message}` });
    return;
  }
  try {
    const { rows } = await admin.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [PG_NAME]);
    if (!rows[0]?.comment?.startsWith('lookback seeded')) {
      emit({ bench: 'charts', db: 'postgres', skipped: 'the looking-back seed is missing: run `npm run bench lookback` first (it builds and keeps it)' });
      return;
    }
  } finally {
    await admin.end();
  }
  const u = new URL(PG_URL);
  u.pathname = `/${PG_NAME}`;
  const db = openPostgres(u.toString());
  try {
    await measure(db, 'postgres');
  } finally {
    await db.close();
  }
}
