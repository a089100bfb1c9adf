// rollups-write: what the rollups' trigger (migration 0031) adds to the writes of a conversation's
// life: created in the bot, queued, assigned, first reply, ended (five statements, as the engine
// writes them), timed with the triggers on and off in alternating rounds of the same run, so the
// ratio holds on a shared machine. PGlite in memory always; PostgreSQL (a database of its own,
// dropped after) when it answers. The end-to-end ingest path (`npm run bench ingest`) has more per
// conversation than these five statements, so its ratio is smaller than this one.
import pg from 'pg';
import { openPGlite, openPostgres, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { PG_URL } from './lookback.js';
import { emit } from './report.js';

const PER_ROUND = Number(process.env.BENCH_ROLLUPS_CONVERSATIONS ?? 300);
const ROUNDS = 6;
const TRIGGERS = ['conversations_rollups_insert', 'conversations_rollups_update'];

async function lifecycle(db: Database, service: { id: string; channel: string }, contact: string, n: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const base = Date.parse('2026-06-01T12:00:00Z') + Math.floor(Math.random() * 30 * 86_400_000);
    const at = (s: number) => new Date(base + s * 1000);
    const { rows: [{ id }] } = await db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, bot_started_at)
       VALUES ('B' || md5(random()::text), $1, $2, $3, 'bot', $4, $4) RETURNING id`, [service.id, service.channel, contact, at(0)]);
    await db.query(`UPDATE conversations SET state = 'queued', bot_ended_at = $2, queued_at = $2, first_queued_at = $2 WHERE id = $1`, [id, at(20)]);
    await db.query(`UPDATE conversations SET state = 'in_service', assigned_at = $2, first_assigned_at = $2 WHERE id = $1`, [id, at(60)]);
    await db.query(`UPDATE conversations SET first_agent_message_at = $2, last_message_at = $2 WHERE id = $1`, [id, at(90)]);
    await db.query(`UPDATE conversations SET state = 'completed', finished_at = $2 WHERE id = $1`, [id, at(600)]);
  }
  return performance.now() - t;
}

async function measure(db: Database, label: string): Promise<void> {
  await migrate(db);
  const { rows: [service] } = await db.query<{ id: string; channel: string }>(
    `INSERT INTO services (name, key, channel) VALUES ('Bench', 'bench-rollups', 'whatsapp') RETURNING id, channel`);
  const { rows: [{ id: contact }] } = await db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Bench') RETURNING id`);
  await lifecycle(db, service, contact, 50); // warm
  const ms = { on: 0, off: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of (r % 2 ? ['on', 'off'] : ['off', 'on']) as ('on' | 'off')[]) {
      for (const tr of TRIGGERS) await db.query(`ALTER TABLE conversations ${mode === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER ${tr}`);
      ms[mode] += await lifecycle(db, service, contact, PER_ROUND);
    }
  }
  const n = PER_ROUND * ROUNDS;
  emit({
    bench: 'rollups-write', db: label, conversations: n, statementsEach: 5,
    msPerConversationOff: +(ms.off / n).toFixed(3), msPerConversationOn: +(ms.on / n).toFixed(3), ratio: +(ms.on / ms.off).toFixed(2),
  });
}

export async function run(): Promise<void> {
  const lite = await openPGlite();
  try {
    await measure(lite, 'pglite');
  } finally {
    await lite.close();
  }
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    emit({ bench: 'rollups-write', db: 'postgres', skipped: `no PostgreSQL: ${(err as Error).message}` });
    return;
  }
  const name = `mirante_bench_rollups_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const db = openPostgres(u.toString(), 2);
  try {
    await measure(db, 'postgres');
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}
