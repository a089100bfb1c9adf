// Ingest on two nodes behind one load generator (issue 13): API-channel messages per second through
// one Mirante process, then through two (each its own process, one PostgreSQL, one Redis), the load
// generator's customers split between them (a customer always posts to the same node). Passes
// alternate one node / two nodes (after a warm-up of each) so the machine's drift falls on both.
// Target: two nodes ≥ 1.6 × one. On this 2-core machine PostgreSQL, both nodes and the generator share
// the same cores, so the CPU figures say what bounds the combined rate.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { http } from './ingest.js';
import { bareRoute, generateLoad, GENERATOR_THREADS, rateOf } from './load.js';
import { emit } from './report.js';

const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const ADMIN = { email: 'bench@mirante.local', password: 'bench-password-1' };
const AGENTS = 20;
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 300);
const PER_CUSTOMER = 10;
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);

/** CPU time of a process (all its threads), in ms. */
function processCpu(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
function machineCpu(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) * 10;
}

/** A node's counters of its projection's reads of the event log (absent on code before they existed: null). */
async function logReads(url: string): Promise<{ reads: number; events: number } | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => {
    const m = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const reads = read('mirante_projection_log_reads_total');
  const events = read('mirante_projection_log_events_total');
  return reads === null || events === null ? null : { reads, events };
}

export async function run(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    emit({ bench: 'ingest-nodes', skipped: `no PostgreSQL at ${PG_URL}: ${(err as Error).message}` });
    return;
  }
  const name = `mirante_bench_nodes_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const env = { DATABASE_URL: u.toString(), REDIS_URL, LOG_LEVEL: 'info' };
  const nodes: ServerProcess[] = [];
  // the event log's rows read by index, from PostgreSQL's own statistics: the same count on any code
  const stats = new pg.Client({ connectionString: u.toString() });
  const eventsRead = async () => {
    await stats.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await stats.query<{ n: string | null }>("SELECT idx_tup_fetch AS n FROM pg_stat_user_tables WHERE relname = 'events'");
    return Number(rows[0]?.n ?? 0);
  };
  try {
    await stats.connect();
    nodes.push(await startServer(env, ADMIN, { timeoutMs: 180_000 }));
    nodes.push(await startServer(env, ADMIN, { timeoutMs: 180_000 }));
    const [a, b] = nodes;
    const { cookie } = await http(a.url, 'POST', '/api/auth/login', ADMIN);
    const settings = (await http(a.url, 'GET', '/api/settings', undefined, cookie)).body;
    await http(a.url, 'PATCH', '/api/settings', { timeouts: { ...settings.timeouts, agentGraceSeconds: 3600 } }, cookie);
    const team = (await http(a.url, 'POST', '/api/teams', { name: 'Nós', maxChat: 100 }, cookie)).body;
    const service = (await http(a.url, 'POST', '/api/services', { name: 'Nós API', channel: 'api', teamIds: [team.id] }, cookie)).body;
    const { token } = (await http(a.url, 'POST', `/api/services/${service.id}/api-credentials`, {}, cookie)).body;
    for (let i = 0; i < AGENTS; i++) {
      const email = `no${i}@bench.local`;
      await http(a.url, 'POST', '/api/users', { email, name: `Agente ${i}`, role: 'agent', password: 'password-123', agentEnabled: true, teamIds: [team.id] }, cookie);
      const node = nodes[i % 2];
      const desk = await http(node.url, 'POST', '/api/auth/login', { email, password: 'password-123' });
      await http(node.url, 'POST', '/api/agent/login', {}, desk.cookie);
    }
    const path = `/api/channels/api/${service.id}/messages`;
    const pass = async (on: ServerProcess[]) => {
      const log0 = await Promise.all(nodes.map((n) => logReads(n.url)));
      const read0 = await eventsRead();
      const cpu0 = nodes.map((n) => processCpu(n.proc.pid!));
      const m0 = machineCpu();
      const w0 = performance.now();
      const load = await generateLoad({ urls: on.map((n) => n.url + path), token, customers: CUSTOMERS, perCustomer: PER_CUSTOMER, concurrency: CONCURRENCY, prefix: `n${on.length}-${randomBytes(3).toString('hex')}-` });
      const wall = performance.now() - w0;
      const failed = load.results.filter((r) => r.status !== 202);
      if (failed.length) throw new Error(`${failed.length} not accepted, e.g. ${JSON.stringify(failed[0])}`);
      const nodesMs = nodes.map((n, i) => processCpu(n.proc.pid!) - cpu0[i]);
      const machineMs = machineCpu() - m0;
      const messages = load.results.length;
      // every node's projection has applied the pass's events (the last ones may be on their way)
      await new Promise((r) => setTimeout(r, 500));
      const log1 = await Promise.all(nodes.map((n) => logReads(n.url)));
      await new Promise((r) => setTimeout(r, 600)); // PostgreSQL flushes its statistics about once a second
      const eventsReadPerMessage = +((await eventsRead()) - read0) / messages;
      const projectionLog = log1.every((l, i) => l && log0[i])
        ? { reads: log1.map((l, i) => l!.reads - log0[i]!.reads), eventsPerMessage: +(log1.reduce((s, l, i) => s + l!.events - log0[i]!.events, 0) / messages).toFixed(2) }
        : null;
      return {
        projectionLog,
        eventsReadPerMessage: +eventsReadPerMessage.toFixed(2),
        rate: rateOf(load),
        cpu: {
          nodes: nodesMs.map((ms) => +(ms / messages).toFixed(3)),
          generator: +(load.cpuMs / messages).toFixed(3),
          rest: +((machineMs - nodesMs.reduce((x, y) => x + y, 0) - load.cpuMs) / messages).toFixed(3),
        },
        busy: +(machineMs / wall / cpus().length).toFixed(2),
      };
    };
    // warm-up: each node on its own, then both
    await pass([a]);
    await pass([b]);
    await pass([a, b]);
    const one: Awaited<ReturnType<typeof pass>>[] = [];
    const two: Awaited<ReturnType<typeof pass>>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      one.push(await pass([a]));
      two.push(await pass([a, b]));
    }
    const mean = (xs: { rate: number }[]) => xs.reduce((s, x) => s + x.rate, 0) / xs.length;
    const floor = await bareRoute({ customers: CUSTOMERS, perCustomer: PER_CUSTOMER, concurrency: CONCURRENCY });
    emit({ bench: 'ingest-nodes-one', db: 'postgres', value: Math.round(mean(one)), unit: 'msg/s (202, durable), one node', runs: one.map((x) => Math.round(x.rate)), cpuMsPerMessage: one.map((x) => x.cpu), busy: one.map((x) => x.busy), projectionLog: one.map((x) => x.projectionLog), eventsReadPerMessage: one.map((x) => x.eventsReadPerMessage) });
    emit({ bench: 'ingest-nodes-two', db: 'postgres', value: Math.round(mean(two)), unit: 'msg/s (202, durable), two nodes together', runs: two.map((x) => Math.round(x.rate)), cpuMsPerMessage: two.map((x) => x.cpu), busy: two.map((x) => x.busy), projectionLog: two.map((x) => x.projectionLog), eventsReadPerMessage: two.map((x) => x.eventsReadPerMessage), ratio: +(mean(two) / mean(one)).toFixed(2), target: '≥ 1.6 × one node' });
    emit({ bench: 'ingest-nodes-http-floor', value: Math.round(floor.ours), unit: `POST/s to a bare route, same generator (${GENERATOR_THREADS} threads)`, autocannon: Math.round(floor.autocannon), wrk: floor.wrk === null ? 'not installed' : Math.round(floor.wrk) });
  } finally {
    for (const n of nodes) n.proc.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exited));
    await stats.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
