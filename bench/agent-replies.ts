// agent-replies: what the agents' reply rollups (migration 0032's statement trigger on messages) cost
// each message write. On a fresh database (PGlite in memory, then PostgreSQL: forEachDatabase), 400
// conversations take turns of a customer message and an agent reply, each a single-row INSERT in its
// own transaction as addMessage writes them; the same writes are timed with the trigger on and off,
// alternating in rounds within one run so both see the same machine.
import { migrate } from '../src/db/migrate.js';
import type { Database } from '../src/db/database.js';
import { forEachDatabase } from './ingest.js';
import { emit, percentile } from './report.js';

const CONVERSATIONS = 400;
const ROUNDS = 6;

async function writes(db: Database, ids: string[], agentId: string, round: number): Promise<number[]> {
  const times: number[] = [];
  for (const [i, id] of ids.entries()) {
    const at = Date.UTC(2026, 0, 1) + (round * CONVERSATIONS + i) * 60_000;
    for (const [author, who, dt] of [['customer', null, 0], ['agent', agentId, 30_000]] as const) {
      const t = performance.now();
      await db.transaction((tx) => tx.query(
        `INSERT INTO messages (conversation_id, channel, author_type, author_id, body, created_at) VALUES ($1, 'webchat', $2, $3, 'x', $4)`,
        [id, author, who, new Date(at + dt)],
      ));
      times.push(performance.now() - t);
    }
  }
  return times;
}

export async function run(): Promise<void> {
  await forEachDatabase('agent-replies', async (label, db) => {
    await migrate(db);
    const { rows: [ids] } = await db.query<{ service: string; agent: string; contact: string }>(
      `WITH s AS (INSERT INTO services (name, key, channel) VALUES ('Bench', 'bench-replies', 'webchat') RETURNING id),
            u AS (INSERT INTO users (email, name, role, password_hash, agent_enabled) VALUES ('replies@bench.local', 'Bench', 'agent', 'x', true) RETURNING id),
            c AS (INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id)
       SELECT (SELECT id FROM s) AS service, (SELECT id FROM u) AS agent, (SELECT id FROM c) AS contact`,
    );
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_assigned_at, assigned_at)
       SELECT 'B' || n, $1, 'webchat', $2, 'in_service', $3, now() - interval '1 year', now() - interval '1 year', now() - interval '1 year'
         FROM generate_series(1, ${CONVERSATIONS}) n RETURNING id`,
      [ids.service, ids.contact, ids.agent],
    );
    const conversations = rows.map((r) => r.id);
    const on: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const trigger = round % 2 === 0;
      await db.query(`ALTER TABLE messages ${trigger ? 'ENABLE' : 'DISABLE'} TRIGGER messages_agent_reply_rollups`);
      (trigger ? on : off).push(...(await writes(db, conversations, ids.agent, round)));
    }
    await db.query(`ALTER TABLE messages ENABLE TRIGGER messages_agent_reply_rollups`);
    const { rows: [kept] } = await db.query<{ n: number }>(`SELECT coalesce(sum(replies), 0)::int AS n FROM agent_reply_rollups`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    emit({
      bench: 'agent-replies', db: label, writes: on.length + off.length, repliesCounted: kept.n,
      triggerOn: { mean: +mean(on).toFixed(3), p50: +percentile(on, 50).toFixed(3), p95: +percentile(on, 95).toFixed(3) },
      triggerOff: { mean: +mean(off).toFixed(3), p50: +percentile(off, 50).toFixed(3), p95: +percentile(off, 95).toFixed(3) },
      unit: 'ms per message (its own transaction)', ratio: +(mean(on) / mean(off)).toFixed(2),
    });
  });
}
