// WebChat at scale on one node: 2,000 concurrent customers on /webchat/ws (PGlite in memory, loopback
// only), 20 agents answering through HTTP. Each customer writes a first message (which opens the
// conversation), waits for the agent's greeting, then two more, each after the previous one's ack; the
// run is bounded at 75 s. Measured: messages per second (customers' and agents' together), the
// server's memory per connection (RSS and heap growth ÷ connections, the clients being in another
// process), and p99 delivery customer → agent (the customer's send to the agent's /ws receiving
// message.created; the first message of each customer opens the conversation and reaches the agent
// with the assignment, so it is not a sample).
import { fork } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openPGlite } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { ensureFirstAdmin } from '../src/engine/bootstrap.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { LoadReport, LoadSetup } from './webchat-load.js';
import { emit, percentile } from './report.js';

const CUSTOMERS = Number(process.env.BENCH_WEBCHAT_CUSTOMERS ?? 2000);
const MESSAGES_PER_CUSTOMER = 3;
const AGENTS = 20;
/** 20 × 100 slots: every customer is assigned at once */
const MAX_CHAT = 100;
const ADMIN = { email: 'bench@mirante.local', password: 'bench-password-1' };
const UNLIMITED = { capacity: 1_000_000, perMs: 1000 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledMemory(): { rss: number; heap: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function http(base: string, path: string, body: unknown, cookie = '', method = 'POST'): Promise<{ body: any; cookie: string }> {
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { body: text ? JSON.parse(text) : null, cookie: res.headers.getSetCookie()[0]?.split(';')[0] ?? cookie };
}

export async function run(): Promise<void> {
  const db = await openPGlite();
  await migrate(db);
  await ensureFirstAdmin(db, ADMIN.email, ADMIN.password);
  const runtime = await startRuntime(db, { background: true, onError: (err) => console.error('engine loop', err) });
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'bench-secret-key-for-mirante' };
  // the rate limits guard the public internet; every client here shares 127.0.0.1
  const app = await buildApp({
    db, config, runtime,
    webchatLimits: { visitorMessages: UNLIMITED, ipMessages: UNLIMITED, ipVisitors: UNLIMITED, visitorUploads: UNLIMITED },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const child = fork(new URL('./webchat-load.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reports: LoadReport[] = [];
  const waiters: ((r: LoadReport) => void)[] = [];
  child.on('message', (r: LoadReport) => (waiters.length ? waiters.shift()!(r) : reports.push(r)));
  const nextReport = () => new Promise<LoadReport>((resolve) => (reports.length ? resolve(reports.shift()!) : waiters.push(resolve)));
  try {
    const { cookie } = await http(base, '/api/auth/login', ADMIN);
    // With the default 60 s agent grace: the burst below queues tens of seconds of work on PGlite's one
    // connection, and the desks must stay logged in all the same (an open socket on this node counts).
    const team = (await http(base, '/api/teams', { name: 'Bench WebChat', maxChat: MAX_CHAT }, cookie)).body;
    const service = (await http(base, '/api/services', { name: 'Bench WebChat', channel: 'webchat', teamIds: [team.id] }, cookie)).body;
    const agents: LoadSetup['agents'] = [];
    for (let i = 0; i < AGENTS; i++) {
      const email = `agente${i}@bench.local`;
      await http(base, '/api/users', { email, name: `Agente ${i}`, role: 'agent', password: 'password-123', agentEnabled: true, teamIds: [team.id] }, cookie);
      agents.push({ email, password: 'password-123' });
    }

    const setup: LoadSetup = { base, serviceKey: service.key, customers: CUSTOMERS, messagesPerCustomer: MESSAGES_PER_CUSTOMER, agents };
    child.send(setup);
    const identities = await nextReport();
    if (identities.phase !== 'identities') throw new Error(`load generator failed: ${JSON.stringify(identities)}`);
    // the baseline: agents signed in, visitor identities stored; what follows is the sockets alone
    const before = settledMemory();
    child.send('connect');
    const connected = await nextReport();
    if (connected.phase !== 'connected') throw new Error(`load generator failed: ${JSON.stringify(connected)}`);
    await runtime.projection.settled();
    const after = settledMemory();

    child.send('go');
    const done = await nextReport();
    if (done.phase !== 'done') throw new Error('load generator: no report');
    if (done.errors.length) console.error('webchat bench errors:', done.errors);
    if (process.env.BENCH_DEBUG) {
      const { rows } = await db.query(`SELECT type, payload->>'reason' AS reason, count(*)::int AS n FROM events GROUP BY 1, 2 ORDER BY 3 DESC`);
      console.error(rows);
    }
    await runtime.router.idle();

    const layout = `${CUSTOMERS}-customers-${AGENTS}-agents`;
    emit({ bench: 'webchat-connect', db: 'pglite', layout, value: connected.connectMs, unit: `ms to open ${connected.connections} widget sockets (upgrade with token check + hello → welcome), 50 at a time` });
    emit({
      bench: 'webchat-memory-per-connection', db: 'pglite', layout,
      value: +((after.rss - before.rss) / connected.connections / 1024).toFixed(1), unit: 'KiB RSS per open widget socket',
      heapKiB: +((after.heap - before.heap) / connected.connections / 1024).toFixed(1),
    });
    const messages = done.customerMessages + done.agentMessages;
    emit({
      bench: 'webchat-messages', db: 'pglite', layout, value: Math.round(messages / done.seconds), unit: 'messages/s (customers + agents)',
      customerMessages: done.customerMessages, agentMessages: done.agentMessages, seconds: +done.seconds.toFixed(1), complete: done.finishedCustomers === CUSTOMERS,
    });
    emit({
      bench: 'webchat-delivery', db: 'pglite', layout,
      value: done.deliveries.length ? { p50: +percentile(done.deliveries, 50).toFixed(1), p99: +percentile(done.deliveries, 99).toFixed(1) } : null,
      unit: 'ms customer send → agent /ws',
      samples: done.deliveries.length,
    });
  } finally {
    child.kill();
    await app.close();
    await runtime.stop();
    await db.close();
  }
}
