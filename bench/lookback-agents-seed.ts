// Adds the agents' past days (agentHistorySteps in bench/lookback-seed.ts: state history, sign-ins,
// connection losses, transfers) to a copy of a lookback database seeded before they were part of the
// seed. `BENCH_LOOKBACK_DB=mirante_lookback_copy npx tsx bench/lookback-agents-seed.ts`; the copy is
// made with `createdb -T mirante_lookback mirante_lookback_copy`. It refuses the kept database itself
// (reseed that with `npm run bench lookback -- --reseed`) and a copy that already has the history.
import pg from 'pg';
import { openPostgres } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { getSettings } from '../src/engine/settings.js';
import { PG_URL } from './lookback.js';
import { AGENT_TIME_REBUILD, agentHistorySteps } from './lookback-seed.js';

const name = process.env.BENCH_LOOKBACK_DB;
if (!name || !/^mirante_lookback\w+$/.test(name) || name === 'mirante_lookback') {
  throw new Error('BENCH_LOOKBACK_DB must name a copy of the lookback database (mirante_lookback_…), never mirante_lookback itself');
}
const u = new URL(PG_URL);
u.pathname = `/${name}`;
const db = openPostgres(u.toString(), 2);
const session = new pg.Client({ connectionString: u.toString() });
await session.connect();
try {
  await migrate(db);
  const { timezone } = await getSettings(db);
  const { rows } = await db.query<{ n: number; days: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT started_at::date)::int AS days FROM agent_state_history`,
  );
  if (rows[0].days > 2) throw new Error(`${name} already has agent history over ${rows[0].days} days (${rows[0].n} rows)`);
  await session.query(`SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'`);
  for (const step of agentHistorySteps({ conversations: 0, today: 0, contacts: 0, days: 395 }, timezone)) {
    const s = performance.now();
    await session.query(step.sql);
    console.error(`  seeded ${step.label}: ${((performance.now() - s) / 1000).toFixed(1)} s`);
  }
  {
    const s = performance.now();
    await session.query(AGENT_TIME_REBUILD);
    console.error(`  rebuilt the agents' time rollups and session marks: ${((performance.now() - s) / 1000).toFixed(1)} s`);
  }
  await session.query('VACUUM ANALYZE agent_state_history, agent_time_rollups, agent_session_marks, audit_log, events, conversation_state_history');
  const counts = await db.query(
    `SELECT (SELECT count(*) FROM agent_state_history)::int AS states, (SELECT count(*) FROM agent_state_history WHERE state = 'paused')::int AS pauses,
            (SELECT count(*) FROM audit_log WHERE action = 'login')::int AS sign_ins,
            (SELECT count(*) FROM events WHERE payload->>'reason' = 'connection_lost')::int AS losses,
            (SELECT count(*) FROM conversation_state_history WHERE reason = 'transferred')::int AS transfers`,
  );
  console.log(JSON.stringify({ db: name, ...counts.rows[0] }));
} finally {
  await session.end();
  await db.close();
}
