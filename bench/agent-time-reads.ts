// agent-time-reads: Produtividade por agente, Pausas and Sessões for a month over a copy of the
// looking-back seed, read from the rollups of migration 0033 (the reports' code) and from the raw
// state rows as before it (test/support/agent-time-raw.ts), alternating in one process so both see
// the same machine. `BENCH_LOOKBACK_DB=mirante_lookback_copy npx tsx bench/agent-time-reads.ts`
// (BENCH_RUNS, default 5; BENCH_MONTH=YYYY-MM, default the last whole month in São Paulo;
// BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of the rollups' read). Produtividade's other parts (TMA,
// TMR, transfers) are timed on their own: the report runs them side by side with the time columns.
import { openPostgres } from '../src/db/database.js';
import type { Actor } from '../src/engine/actor.js';
import { agentTimes } from '../src/engine/reports/agent-time.js';
import { agentsReport } from '../src/engine/reports/agents.js';
import type { ReportContext } from '../src/engine/reports/definition.js';
import { pausesReport } from '../src/engine/reports/pauses.js';
import { sessionsReport } from '../src/engine/reports/sessions.js';
import { rawPauses, rawPeriodTimes, rawSessions } from '../test/support/agent-time-raw.js';
import { PG_URL } from './lookback.js';
import { emit, percentile } from './report.js';

const name = process.env.BENCH_LOOKBACK_DB;
if (!name || !/^mirante_lookback\w*$/.test(name)) throw new Error('BENCH_LOOKBACK_DB must name a lookback database');
const u = new URL(PG_URL);
u.pathname = `/${name}`;
const db = openPostgres(u.toString(), 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
try {
  const now = new Date();
  const month = process.env.BENCH_MONTH
    ?? (() => { const d = new Date(now.getTime() - 3 * 3600_000); return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7); })();
  const start = new Date(`${month}-01T00:00:00-03:00`);
  const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const end = new Date(`${next.toISOString().slice(0, 10)}T00:00:00-03:00`);
  const actor: Actor = { id: null, name: 'bench', role: 'admin', teamIds: [], supervisedTeamIds: [] };
  const ctx: ReportContext = {
    db, actor, period: { start, end, timeZone: 'America/Sao_Paulo' } as ReportContext['period'], interval: 'day', filter: {}, now, lang: 'pt-BR' as ReportContext['lang'],
  };
  const pairs: [string, () => Promise<unknown>, (() => Promise<unknown>) | null][] = [
    ['agents', () => agentsReport.run(ctx), null],
    ['agents-time', () => agentTimes(ctx), () => rawPeriodTimes(ctx)],
    ['pauses', () => pausesReport.run(ctx), () => rawPauses(ctx)],
    ['sessions', () => sessionsReport.run(ctx), () => rawSessions(ctx)],
  ];
  const times = new Map<string, number[]>();
  const time = async (key: string, f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    (times.get(key) ?? times.set(key, []).get(key)!).push(performance.now() - t);
  };
  for (const [, f, g] of pairs) { await f(); if (g) await g(); } // warm
  for (let r = 0; r < RUNS; r++) {
    for (const [key, f, g] of pairs) {
      if (r % 2 && g) await time(`${key}:raw`, g);
      await time(`${key}:rollups`, f);
      if (!(r % 2) && g) await time(`${key}:raw`, g);
    }
  }
  for (const [key, xs] of times) {
    emit({ bench: 'agent-time-reads', db: name, month, report: key, runs: xs.length, p50: +percentile(xs, 50).toFixed(1), p95: +percentile(xs, 95).toFixed(1), unit: 'ms' });
  }
  if (process.env.BENCH_EXPLAIN) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT r.user_id, r.state, r.pause_reason_id, sum(r.us), sum(r.started_n)
         FROM agent_time_rollups r WHERE r.level = 'month' AND r.period = $1::date GROUP BY 1, 2, 3`, [`${month}-01`]);
    console.error(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
} finally {
  await db.close();
}
