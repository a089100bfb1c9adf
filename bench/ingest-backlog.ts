// Ingest at a peak (issue 13): API-channel messages per second while thousands wait and every agent
// is full — a Monday morning, an outage, Black Friday. Before, routing read the whole backlog on
// almost every inbound message and the rate fell as the queue grew (758 → 530 msg/s with 4,755
// waiting). Here: 20 agents of one team (limit 1 each) are full; the backlog is built the real way,
// through HTTP (new customers, one message each, queued behind them); at 0, 5,000 and 20,000 waiting,
// 300 new customers send 10 messages each (3,000 messages, 32 in flight, 2 generator threads), timed
// until every POST has its 202 (durable). Target: the rate at 20,000 ≥ 0.9 × the rate at 0.
// A warm-up pass first (the JIT, the pools), through a second service whose agent has room, so the
// "0" level really starts with an empty queue.
import { randomBytes } from 'node:crypto';
import { migrate } from '../src/db/migrate.js';
import { foldRollups } from '../src/engine/rollups/fold.js';
import type { Database } from '../src/db/database.js';
import { cpuNow, forEachDatabase, startBenchApp, http, printProfile, profiled, type Profile } from './ingest.js';
import { generateLoad, rateOf } from './load.js';
import { emit } from './report.js';

const AGENTS = 20;
const LEVELS = (process.env.BENCH_BACKLOG_LEVELS ?? '0,5000,20000').split(',').map(Number);
const CUSTOMERS = 300;
const PER_CUSTOMER = 10;
const CONCURRENCY = 32;
/** the warm-up service's agents: 300 customers at 100 each */
const WARM_AGENTS = 3;

export async function run(): Promise<void> {
  await forEachDatabase('ingest-backlog', async (label, db) => {
    await migrate(db);
    await measure(label, db);
  });
}

async function measure(label: 'pglite' | 'postgres', raw: Database): Promise<void> {
  const profile: Profile = { queries: 0, transactions: 0, bySql: new Map() };
  const db = profiled(raw, profile);
  const { runtime, app, base, admin: ADMIN } = await startBenchApp(db);
  try {
    const { cookie } = await http(base, 'POST', '/api/auth/login', ADMIN);
    const settings = (await http(base, 'GET', '/api/settings', undefined, cookie)).body;
    // the agents sign in over HTTP without a desk socket: a long grace keeps them logged in
    await http(base, 'PATCH', '/api/settings', { timeouts: { ...settings.timeouts, agentGraceSeconds: 3600 } }, cookie);
    const team = (await http(base, 'POST', '/api/teams', { name: 'Pico', maxChat: 1 }, cookie)).body;
    const roomy = (await http(base, 'POST', '/api/teams', { name: 'Aquecimento', maxChat: 100 }, cookie)).body;
    const service = (await http(base, 'POST', '/api/services', { name: 'Pico API', channel: 'api', teamIds: [team.id] }, cookie)).body;
    const warmService = (await http(base, 'POST', '/api/services', { name: 'Aquecimento API', channel: 'api', teamIds: [roomy.id] }, cookie)).body;
    const { token } = (await http(base, 'POST', `/api/services/${service.id}/api-credentials`, {}, cookie)).body;
    const warmToken = (await http(base, 'POST', `/api/services/${warmService.id}/api-credentials`, {}, cookie)).body.token;
    for (let i = 0; i < AGENTS + WARM_AGENTS; i++) {
      const email = `pico${i}@bench.local`;
      await http(base, 'POST', '/api/users', { email, name: `Agente ${i}`, role: 'agent', password: 'password-123', agentEnabled: true, teamIds: [i < AGENTS ? team.id : roomy.id] }, cookie);
      const desk = await http(base, 'POST', '/api/auth/login', { email, password: 'password-123' });
      await http(base, 'POST', '/api/agent/login', {}, desk.cookie);
    }
    const url = `${base}/api/channels/api/${service.id}/messages`;
    const queued = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE state = 'queued'`)).rows[0].n;
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 300));
      await runtime.router.idle();
      await runtime.projection.settled();
    };

    // the warm-up, on the roomy service (assigned at once, the queue stays empty)
    await generateLoad({ urls: [`${base}/api/channels/api/${warmService.id}/messages`], token: warmToken, customers: CUSTOMERS, perCustomer: PER_CUSTOMER, concurrency: CONCURRENCY, prefix: 'w-' });
    // every agent of the peak team full
    await generateLoad({ urls: [url], token, customers: AGENTS, perCustomer: 1, concurrency: AGENTS, prefix: 'full-' });
    await settle();
    const inService = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE service_id = $1 AND state = 'in_service'`, [service.id])).rows[0].n;
    if (inService !== AGENTS || (await queued()) !== 0) throw new Error(`setup: ${inService} in service, ${await queued()} queued`);

    const rates: Record<number, number> = {};
    for (const level of LEVELS) {
      // grow the backlog to `level`, the real way: new customers, one message each
      const missing = level - (await queued());
      if (missing > 0) {
        const r = await generateLoad({ urls: [url], token, customers: missing, perCustomer: 1, concurrency: CONCURRENCY, prefix: `q${level}-${randomBytes(2).toString('hex')}-` });
        if (r.results.some((x) => x.status !== 202)) throw new Error('backlog: a message was not accepted');
      }
      await settle();
      // the maintenance PostgreSQL's autovacuum would have done while a real backlog built up over
      // minutes (it was built here in seconds): not paid by the measured pass; so the fold of the
      // rollups' journal (migration 0041), which the background fold does every second as it builds
      await db.exec(raw.kind === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
      await foldRollups(raw);
      const waiting = await queued();
      const r0 = { passes: runtime.router.passes, skipped: runtime.router.skipped, read: runtime.router.queuedRead };
      const cpu0 = cpuNow();
      profile.bySql.clear();
      const q0 = profile.queries;
      const load = await generateLoad({ urls: [url], token, customers: CUSTOMERS, perCustomer: PER_CUSTOMER, concurrency: CONCURRENCY, prefix: `m${level}-${randomBytes(2).toString('hex')}-` });
      const cpu1 = cpuNow();
      const failed = load.results.filter((x) => x.status !== 202);
      if (failed.length) throw new Error(`${failed.length} not accepted, e.g. ${JSON.stringify(failed[0])}`);
      const rate = rateOf(load);
      rates[level] = rate;
      const messages = load.results.length;
      const queries = profile.queries - q0;
      printProfile(`${label}, ${waiting} queued`, profile);
      await settle();
      emit({
        bench: 'ingest-backlog',
        db: label,
        queued: waiting,
        value: Math.round(rate),
        unit: 'msg/s (202, durable) with every agent full',
        cpuMsPerMessage: {
          server: +((cpu1.node - cpu0.node - load.cpuMs) / messages).toFixed(3),
          generator: +(load.cpuMs / messages).toFixed(3),
          rest: +((Math.max(cpu1.machine - cpu0.machine, cpu1.node - cpu0.node) - (cpu1.node - cpu0.node)) / messages).toFixed(3),
        },
        statementsPerMessage: +(queries / messages).toFixed(2),
        routing: { passes: runtime.router.passes - r0.passes, skippedWakes: runtime.router.skipped - r0.skipped, queuedRowsRead: runtime.router.queuedRead - r0.read },
        ratioToEmpty: rates[LEVELS[0]] ? +(rate / rates[LEVELS[0]]).toFixed(2) : null,
        ...(level === LEVELS[LEVELS.length - 1] && LEVELS.length > 1 ? { target: '≥ 0.9 of the rate with none queued' } : {}),
      });
    }
  } finally {
    await app.close();
    await runtime.stop();
  }
}
