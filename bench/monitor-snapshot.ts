// Monitor snapshot: the figures of Início for 20,000 live conversations and 2,000 agents over 200
// services, computed by the node's MonitorService from its in-memory projection (what both
// GET /api/monitor/snapshot and the pushed figures do). Target: ≤ 20 ms.
import { openPGlite } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { ManualClock } from '../src/engine/clock.js';
import { LiveProjection } from '../src/engine/projection.js';
import { MonitorService } from '../src/engine/monitor/monitor-service.js';
import { emit, percentile } from './report.js';

const CHANNELS = ['webchat', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'email', 'api'] as const;

export async function run(): Promise<void> {
  const db = await openPGlite();
  await migrate(db);
  // 200 services over 40 teams, in the database (the monitor's catalog reads them)
  const teams: string[] = [];
  for (let i = 0; i < 40; i++) teams.push((await db.query<{ id: string }>(`INSERT INTO teams (name) VALUES ($1) RETURNING id`, [`Equipe ${i}`])).rows[0].id);
  const services: { id: string; channel: string }[] = [];
  for (let i = 0; i < 200; i++) {
    const channel = CHANNELS[i % CHANNELS.length];
    const { rows } = await db.query<{ id: string }>(`INSERT INTO services (name, key, channel) VALUES ($1, $2, $3) RETURNING id`, [`Serviço ${i}`, `svc-${i}`, channel]);
    await db.query('INSERT INTO service_teams (service_id, team_id) VALUES ($1, $2)', [rows[0].id, teams[i % 40]]);
    services.push({ id: rows[0].id, channel });
  }
  // 20,000 open conversations and 2,000 agents, in the database; the projection loads them as a node does at start
  await db.query(`INSERT INTO contacts (name) SELECT 'Cliente ' || g FROM generate_series(1, 20000) g`);
  const svcIds = services.map((s) => s.id);
  await db.query(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, queued_at, first_queued_at, last_message_at, last_message_from)
     SELECT lpad(n::text, 14, '0'), s.id, s.channel, c.id,
            (ARRAY['queued','in_service','in_service','in_service','bot','triage'])[1 + n % 6],
            now() - (n % 3600) * interval '1 second', now() - (n % 3600) * interval '1 second', now() - (n % 3600) * interval '1 second',
            now() - (n % 600) * interval '1 second', CASE WHEN n % 2 = 0 THEN 'customer' ELSE 'agent' END
       FROM (SELECT row_number() OVER () AS n, id FROM contacts) c
       JOIN (SELECT row_number() OVER () - 1 AS i, id, channel FROM services) s ON s.i = c.n % 200`,
  );
  const users = await db.query<{ id: string }>(
    `INSERT INTO users (email, name, role, password_hash, agent_enabled) SELECT 'a' || g || '@bench', 'Agente ' || g, 'agent', 'x', true FROM generate_series(1, 2000) g RETURNING id`,
  );
  for (const [i, u] of users.rows.entries()) {
    await db.query(`INSERT INTO team_agents (team_id, user_id) VALUES ($1, $2)`, [teams[i % 40], u.id]);
  }
  await db.query(`INSERT INTO agent_presence (user_id, state, logged_in_at, open_chat) SELECT id, CASE WHEN random() < 0.2 THEN 'paused' ELSE 'in_service' END, now(), 2 FROM users WHERE email LIKE '%@bench'`);
  void svcIds;
  const clock = new ManualClock();
  const projection = new LiveProjection(db);
  const monitor = new MonitorService(db, projection, clock);
  const r0 = performance.now();
  await projection.rebuild();
  emit({ bench: 'monitor-rebuild', conversations: projection.conversations.size, agents: projection.agents.size, value: +(performance.now() - r0).toFixed(0), unit: 'ms to rebuild the projection at start (PGlite)' });
  const agentIds = [...projection.agents.keys()];
  const all = { all: true, serviceIds: new Set<string>(), agentIds: new Set<string>() };
  const supervisor = { all: false, serviceIds: new Set(services.slice(0, 50).map((s) => s.id)), agentIds: new Set(agentIds.slice(0, 500)) };
  for (const [label, scope, filter] of [
    ['admin, all services', all, {}],
    ['supervisor of 50 services', supervisor, {}],
    ['admin, one channel', all, { channel: 'whatsapp' }],
  ] as const) {
    for (let i = 0; i < 5; i++) await monitor.figures(scope, filter); // warm up
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await monitor.figures(scope, filter);
      times.push(performance.now() - t0);
    }
    emit({ bench: 'monitor-snapshot', case: label, conversations: 20_000, agents: 2000, value: +percentile(times, 50).toFixed(2), p99: +percentile(times, 99).toFixed(2), unit: 'ms (median; p99 beside)', target: 20 });
  }
  await db.close();
}
