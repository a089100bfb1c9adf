// The Node.js flags Mirante's server runs with: `npm start` (and so `npm run demo`), the benches, and
// the tests that start it as its own process.
//
// On the embedded database (PGlite, no DATABASE_URL) --max-semi-space-size=64 (MB; Node 20's default
// is 16): a larger young generation, so fewer young-generation collections. PGlite runs in the
// server's process, and its work (the protocol's messages, the rows) allocates in the server's heap.
// Measured 2026-12-08 (docs/BENCHMARKS.md): ingest took more messages a second at less CPU each in
// all five alternated pairs, and routing's steady-state p99 fell from 5.5–9.7 to 4.7–5.3 ms (four
// pairs) with a fifth of the collections; about 100 MB more resident memory under that load. On
// PostgreSQL the same flag moved nothing measurably (and an earlier run found routing's burst worse
// with it): not given there.
const PGLITE = ['--max-semi-space-size=64'];

/**
 * The flags for a Node.js process that runs the server with `env`. The operator's own choice wins:
 * given in NODE_OPTIONS (which the process inherits) nothing is added; given on this process's command
 * line, it is passed on.
 */
export function serverNodeFlags(env = process.env, execArgv = process.execArgv) {
  if ((env.NODE_OPTIONS ?? '').includes('--max-semi-space-size')) return [];
  const own = execArgv.filter((a) => a.startsWith('--max-semi-space-size'));
  if (own.length) return own;
  return env.DATABASE_URL ? [] : PGLITE;
}
