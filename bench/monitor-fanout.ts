// Event-to-screen delay: 100 supervisors on the monitor stream while 1,000 events per second go
// through the bus → live projection → gateway → WebSocket. Events are published on the bus directly
// (synthetic conversation updates with consecutive seqs), so the figure is the push path's delay, not
// the database's write rate (bench/ingest.ts measures that). Target: p99 ≤ 250 ms.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { openPGlite } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { ensureFirstAdmin } from '../src/engine/bootstrap.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { RealtimeEvent } from '../src/contracts/events.js';
import { emit, percentile } from './report.js';

const require = createRequire(import.meta.url);
const SUPERVISORS = 100;

const SUPERVISOR_CLIENTS = `
const { parentPort, workerData: w } = require('node:worker_threads');
const WebSocket = require(w.wsPath);
const delays = [];
let received = 0;
let ready = 0;
for (let i = 0; i < w.n; i++) {
  const ws = new WebSocket('ws://127.0.0.1:' + w.port + '/ws', { headers: { cookie: w.cookie } });
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'subscribe', stream: 'monitor' }));
    ws.send(JSON.stringify({ type: 'monitor_filter', filter: {} }));
  });
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    if (m.type === 'caught_up' && ++ready === w.n) parentPort.postMessage('ready');
    const events = m.type === 'events' ? m.events : m.type === 'event' ? [m.event] : [];
    const now = Date.now();
    for (const e of events) {
      if (!e.conversation || !e.conversation.subject) continue;
      delays.push(now - Number(e.conversation.subject));
      received++;
    }
  });
  ws.on('error', (e) => parentPort.postMessage('error: ' + e.message));
}
parentPort.on('message', () => parentPort.postMessage({ delays, received }));
`;
const RATE = 1000;
const SECONDS = 10;

export async function run(): Promise<void> {
  const db = await openPGlite();
  await migrate(db);
  await ensureFirstAdmin(db, 'bench@mirante.local', 'bench-password-1');
  const runtime = await startRuntime(db, { background: false });
  const app = await buildApp({ db, config: { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'bench-secret-key-0123456789' }, runtime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@mirante.local', password: 'bench-password-1' }),
  });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const { rows } = await db.query<{ id: string }>(`INSERT INTO services (name, key, channel) VALUES ('Bench', 'bench', 'webchat') RETURNING id`);
  const serviceId = rows[0].id;

  // the 100 supervisors' browsers run in a worker thread (the other core), as real clients would
  // not share the server's event loop; they report each event's delay from its send time
  const clients = new Worker(SUPERVISOR_CLIENTS, { eval: true, workerData: { port, cookie, n: SUPERVISORS, wsPath: require.resolve('ws') } });
  await new Promise<void>((resolve, reject) => {
    clients.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
    clients.once('error', reject);
  });
  // synthetic conversation updates, seqs consecutive after what the projection holds
  let seq = runtime.projection.seq;
  let published = 0;
  const now = new Date().toISOString();
  const make = (): RealtimeEvent => ({
    seq: ++seq, type: 'conversation.updated', v: 1, reason: 'bench', at: now, serviceId, agentId: null,
    conversation: {
      id: randomUUID(), protocol: String(seq), serviceId, channel: 'webchat', contactId: randomUUID(), contactName: 'Cliente', direction: 'inbound',
      state: 'queued', priority: 'normal', agentId: null, preferredAgentId: null, subject: String(Date.now()), createdAt: now, botStartedAt: null,
      botEndedAt: null, queuedAt: now, firstQueuedAt: now, assignedAt: null, firstAssignedAt: null, firstAgentMessageAt: null,
      lastCustomerMessageAt: now, lastAgentMessageAt: null, lastMessageAt: now, lastMessageFrom: 'customer', finishedAt: null, finishedBy: null,
      classificationId: null, wrapup: null, notes: null, transferCount: 0,
    },
  });
  const rssBefore = process.memoryUsage().rss;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - started >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // timers fire late on a busy machine: each tick publishes what the rate owes so far
      const owed = Math.floor(((Date.now() - started) * RATE) / 1000) - published;
      if (owed > 0) {
        runtime.bus.publish(Array.from({ length: owed }, make));
        published += owed;
      }
    }, 10);
  });
  await new Promise((r) => setTimeout(r, 2000));
  clients.postMessage('report');
  const { delays, received } = await new Promise<{ delays: number[]; received: number }>((r) => clients.once('message', r));
  await clients.terminate();
  emit({
    bench: 'monitor-fanout', supervisors: SUPERVISORS, eventsPerSecond: Math.round(published / SECONDS), value: percentile(delays, 99), p50: percentile(delays, 50),
    unit: 'ms p99 event → supervisor socket', delivered: received, expected: SUPERVISORS * published,
    rssDeltaMb: Math.round((process.memoryUsage().rss - rssBefore) / 1e6), target: 250,
  });
  await app.close();
  await runtime.stop();
  await db.close();
}
