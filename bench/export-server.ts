// A Mirante node on its own, for measuring what one export costs the server's memory without the
// load generator's reading in the same process (bench/lookback.ts starts it). PostgreSQL only: a
// PGlite directory belongs to one process. Prints one JSON line {port} once it listens, then serves
// until killed.
import { openPostgres } from '../src/db/database.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';

const url = process.argv[2];
if (!url) throw new Error('usage: export-server.ts <postgres url>');
const db = openPostgres(url, 4);
const runtime = await startRuntime(db, { background: false, onError: (err) => console.error('engine', err) });
const app = await buildApp({ db, config: { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'bench-secret-key-for-mirante' }, runtime });
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
// BENCH_MEMORY_LOG=1: the process's memory every second on stderr (RSS, V8 heap, buffers), to tell
// the heap's growth from buffers held
if (process.env.BENCH_MEMORY_LOG) {
  setInterval(() => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    console.error(`memory rss=${mb(m.rss)} heapTotal=${mb(m.heapTotal)} heapUsed=${mb(m.heapUsed)} external=${mb(m.external)} arrayBuffers=${mb(m.arrayBuffers)} MB`);
  }, 1000).unref();
}
