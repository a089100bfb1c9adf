// Routing through the engine: the real Router over a database holding 10,000 queued conversations
// across 200 services and 2,000 logged-in agents (PGlite in memory, then PostgreSQL when it answers;
// seeded with SQL). One routing pass reads the queues and the agents, lets the core choose, and
// commits the choices in guarded transactions of up to 50 (assignBatch); every agent has one free
// slot, so the pass makes 2,000 assignments while 8,000 conversations stay queued the whole time.
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { UnitOfWork } from '../src/engine/engine.js';
import { startRuntime } from '../src/engine/runtime.js';
import { forEachDatabase, printProfile, profiled, type Profile } from './ingest.js';
import { emit, percentile } from './report.js';

const CONVERSATIONS = 10_000;
const SERVICES = 200;
const AGENTS = 2_000;
/** each team serves two services with 20 agents */
const TEAMS = 100;

/** The operation, written straight into the tables (far faster than 10,000 commands). */
export async function seed(db: Database): Promise<void> {
  await db.exec(`
    INSERT INTO teams (name, max_chat) SELECT 'Equipe ' || t, 1 FROM generate_series(1, ${TEAMS}) t;
    INSERT INTO services (name, key, channel, queue_timeout_seconds)
      SELECT 'Serviço ' || s, 'bench-' || s, 'api', 1800 FROM generate_series(1, ${SERVICES}) s;
    INSERT INTO service_teams (service_id, team_id)
      SELECT s.id, t.id FROM services s JOIN teams t ON t.name = 'Equipe ' || (((substr(s.key, 7)::int - 1) % ${TEAMS}) + 1);
    INSERT INTO users (email, name, role, password_hash, agent_enabled)
      SELECT 'agente' || a || '@bench.local', 'Agente ' || a, 'agent', 'not-a-hash', true FROM generate_series(1, ${AGENTS}) a;
    INSERT INTO team_agents (team_id, user_id)
      SELECT t.id, u.id FROM users u JOIN teams t
        ON t.name = 'Equipe ' || (((substr(u.name, 8)::int - 1) % ${TEAMS}) + 1) WHERE u.role = 'agent';
    INSERT INTO agent_presence (user_id, state, state_since, logged_in_at, last_heartbeat_at)
      SELECT id, 'available', now() - interval '1 hour', now() - interval '1 hour' + (random() * interval '10 minutes'), now()
        FROM users WHERE role = 'agent';
    INSERT INTO contacts (name) SELECT 'Cliente ' || c FROM generate_series(1, ${CONVERSATIONS}) c;
    INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, queued_at, first_queued_at)
      SELECT 'B' || lpad(n::text, 8, '0'), s.id, 'api', c.id, 'queued', q, q, q
        FROM (SELECT id, substr(name, 9)::int AS n FROM contacts) c
        JOIN services s ON s.key = 'bench-' || (((c.n - 1) % ${SERVICES}) + 1)
        CROSS JOIN LATERAL (SELECT now() - interval '30 minutes' + c.n * interval '100 milliseconds' AS q) t;
    -- every waiting conversation has its give-up timer, as in a real queue
    INSERT INTO timers (kind, conversation_id, due_at) SELECT 'queue_timeout', id, queued_at + interval '1 hour' FROM conversations;
    ANALYZE;
  `);
}

export async function run(): Promise<void> {
  await forEachDatabase('routing-engine-assignment', measure);
}

async function measure(label: 'pglite' | 'postgres', db: Database): Promise<void> {
  await migrate(db);
  await seed(db);
  const profile: Profile = { queries: 0, transactions: 0, bySql: new Map() };
  const runtime = await startRuntime(profiled(db, profile), { background: false, onError: (err) => console.error('routing', err) });
  try {
    // time each guarded assignment: the transaction that carries it (the router puts up to 50 in
    // one), from BEGIN to COMMIT plus publishing its events; every assignment in it waited that long
    const engine = runtime.engine;
    const execute = engine.execute.bind(engine);
    const times: number[] = [];
    let transactions = 0;
    let firstAt = 0;
    engine.execute = async <T>(command: (u: UnitOfWork) => Promise<T>): Promise<T> => {
      const t = performance.now();
      if (!firstAt) firstAt = t;
      let assigned = 0;
      try {
        return await execute(async (u) => {
          const r = await command(u);
          assigned = u.events.filter((e) => e.type === 'conversation.updated' && e.reason === 'assigned').length;
          return r;
        });
      } finally {
        const ms = performance.now() - t;
        transactions++;
        for (let i = 0; i < assigned; i++) times.push(ms);
        // BENCH_TRACE=1: every transaction on stderr (its number, assignments, ms), to see where the tail sits
        if (process.env.BENCH_TRACE) console.error("tx", transactions, assigned, ms.toFixed(2));
      }
    };

    const t0 = performance.now();
    runtime.router.schedule();
    await runtime.router.idle();
    const passMs = performance.now() - t0;
    await runtime.projection.settled();

    const { rows } = await db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM conversations GROUP BY state`);
    const counts = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    if (counts.in_service !== AGENTS || times.length !== AGENTS) {
      throw new Error(`expected ${AGENTS} assignments, got ${JSON.stringify(counts)} (${times.length} timed in ${transactions} transactions)`);
    }
    const over = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agent_presence WHERE open_chat > 1`);
    if (over.rows[0].n) throw new Error(`${over.rows[0].n} agents above their limit`);

    const shape = { queued: CONVERSATIONS, services: SERVICES, agents: AGENTS, db: label };
    emit({ bench: 'routing-engine-decisions', ...shape, value: Math.round(AGENTS / (passMs / 1000)), unit: 'assignments/s (whole pass)' });
    emit({
      bench: 'routing-engine-assignment',
      ...shape,
      value: +percentile(times, 99).toFixed(2),
      unit: 'ms p99 per guarded assignment transaction',
      p50: +percentile(times, 50).toFixed(2),
      max: +Math.max(...times).toFixed(2),
      transactions,
      target: 10,
    });
    printProfile(`routing on ${label}: ${times.length} assignments`, profile);
    emit({ bench: 'routing-engine-read', ...shape, value: +(firstAt - t0).toFixed(1), unit: 'ms from pass start to the first assignment (read queues + agents, core choice)' });
  } finally {
    await runtime.stop();
  }
}
