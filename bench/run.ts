// `npm run bench [name…]`: runs the benchmarks (all, or those named) and prints one JSON line per result.
// Each benchmark runs in a process of its own, so that none measures the heap, the JIT or the
// leftover timers of the ones before it.
import { spawnSync } from 'node:child_process';
import { serverNodeFlags } from '../scripts/server-flags.mjs';

const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  routing: () => import('./routing.js'),
  'monitor-snapshot': () => import('./monitor-snapshot.js'),
  'monitor-fanout': () => import('./monitor-fanout.js'),
  'monitor-frames': () => import('./monitor-frames.js'),
  ingest: () => import('./ingest.js'),
  'ingest-backlog': () => import('./ingest-backlog.js'),
  'ingest-nodes': () => import('./ingest-nodes.js'),
  'webhook-ingest': () => import('./webhook-ingest.js'),
  'routing-engine': () => import('./routing-engine.js'),
  webchat: () => import('./webchat.js'),
  'widget-size': () => import('./widget-size.js'),
  lookback: () => import('./lookback.js'),
  indicators: () => import('./indicators.js'),
  charts: () => import('./charts.js'),
  'rollups-write': () => import('./rollups-write.js'),
  campaign: () => import('./campaign.js'),
  'agent-replies': () => import('./agent-replies.js'),
  'agent-states': () => import('./agent-states.js'),
};

// flags (--reseed…) are the benchmarks' own: passed on, never taken for a name
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
// lookback builds a 3,000,000-conversation database the first time (about 10 minutes, 9 GB), and
// indicators reads it: only when named
const ON_REQUEST = new Set(['lookback', 'indicators', 'charts']);
const names = wanted.length ? wanted : Object.keys(BENCHES).filter((n) => !ON_REQUEST.has(n));
// the benches that run Mirante in their own process measure it with the server's Node flags
// (scripts/server-flags.mjs) for the database they measure: PostgreSQL's with BENCH_DB=postgres,
// else PGlite's (which runs first, and both in one process when BENCH_DB is unset); a process
// started without them starts one that has them
const serverFlags = serverNodeFlags({ ...process.env, DATABASE_URL: process.env.BENCH_DB === 'postgres' ? process.env.DATABASE_URL || 'postgres' : undefined });
if (names.length === 1 && serverFlags.every((f) => process.execArgv.includes(f))) {
  await (await BENCHES[names[0]]()).run();
} else {
  for (const name of names) {
    const r = spawnSync(process.execPath, [...serverFlags, '--import', 'tsx', new URL(import.meta.url).pathname, name, ...flags], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
export {};
