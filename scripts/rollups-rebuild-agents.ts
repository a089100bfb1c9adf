// Recomputes the agents' reply rollups (agent_reply_rollups, src/engine/rollups/agents.ts) from the
// stored messages: `npm run rollups:rebuild-agents` on the database of the server's
// configuration (DATABASE_URL, or DATA_DIR's PGlite: stop the server first). Writes to messages wait while it runs.
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { rebuildAgentRollups } from '../src/engine/rollups/agents.js';
import { loadConfig } from '../src/server/config.js';

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(db);
  const t0 = performance.now();
  const n = await db.transaction((tx) => rebuildAgentRollups(tx));
  console.log(`agent reply rollups rebuilt: ${n.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await db.close();
}
