// Recomputes the conversation rollups (migrations 0031, 0036, 0038 and 0039: days, 15-minute slots, the
// bot's days, wrap-up answers) and the template rollups (migration 0040: Mensagens ativas' 15-minute
// slots) from the raw rows, month by month, on the database of DATABASE_URL (or the PGlite directory of DATA_DIR):
// `npm run rollups:rebuild [-- --from YYYY-MM-DD --to YYYY-MM-DD]`. Safe on a live system and idempotent (engine/rollups/rebuild.ts).
// Without a period it also rebuilds the agents' reply rollups (migration 0032, engine/rollups/agents.ts).
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { rebuildAgentRollups } from '../src/engine/rollups/agents.js';
import { rebuildRollups } from '../src/engine/rollups/rebuild.js';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR });
try {
  await migrate(db);
  const t = performance.now();
  const chunks = await rebuildRollups(db, {
    from: values.from, to: values.to,
    onChunk: (c) => console.log(`${c.from} … ${c.to}: ${c.rows.toLocaleString('en')} milestone rows, ${c.botRows.toLocaleString('en')} bot rows, ${c.wrapupRows.toLocaleString('en')} wrap-up answer rows, ${c.templateRows.toLocaleString('en')} template cells in ${(c.ms / 1000).toFixed(1)} s`),
  });
  console.log(`rebuilt ${chunks.length} month(s) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // the agents' reply rollups (migration 0032) have no period: rebuilt whole, when no period is asked
  if (!values.from && !values.to) {
    const a = performance.now();
    const rows = await rebuildAgentRollups(db);
    console.log(`rebuilt the agents' reply rollups: ${rows.toLocaleString('en')} rows in ${((performance.now() - a) / 1000).toFixed(1)} s`);
  }
} finally {
  await db.close();
}
