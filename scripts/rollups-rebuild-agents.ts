// Recomputes the agents' rollups (src/engine/rollups/agents.ts): the reply rollups (agent_reply_rollups)
// from the stored messages, then the time rollups and session marks (agent_time_rollups,
// agent_session_marks) from the state history: `npm run rollups:rebuild-agents` on the database of the
// server's configuration (DATABASE_URL, or DATA_DIR's PGlite: stop the server first). Writes to
// messages, then to the state history, wait while it runs.
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { rebuildAgentRollups, rebuildAgentTimeRollups } from '../src/engine/rollups/agents.js';
import { loadConfig } from '../src/server/config.js';

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(db);
  const t0 = performance.now();
  const n = await db.transaction((tx) => rebuildAgentRollups(tx));
  console.log(`agent reply rollups rebuilt: ${n.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const time = await db.transaction((tx) => rebuildAgentTimeRollups(tx));
  console.log(`agent time rollups rebuilt: ${time.time.toLocaleString('en')} rows, session marks: ${time.marks.toLocaleString('en')}, in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
} finally {
  await db.close();
}
