// `npm run demo:seed`: fills the configured database (DATA_DIR or DATABASE_URL) with the demo
// contact center and prints the logins. On PGlite, stop the server first: one process owns the files.
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { demoPassword, seedDemo } from '../engine/demo-seed.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const password = demoPassword();
try {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const { created, logins } = await seedDemo(db, password);
    const width = Math.max(...logins.map((l) => l.email.length));
    console.log(created ? 'Demo data created.' : 'Demo data already present: nothing changed.');
    console.log(`Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`}`);
    console.log(`Logins, all with the password ${process.env.MIRANTE_DEMO_PASSWORD ? 'in MIRANTE_DEMO_PASSWORD' : password}:`);
    for (const l of logins) console.log(`  ${l.email.padEnd(width)}  ${l.role.padEnd(10)}  ${l.name}`);
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(`demo:seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
