// `npm run demo:seed [-- --history-days=30]`: fills the configured database (DATA_DIR or DATABASE_URL) with the demo
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
    const days = process.argv.find((a) => a.startsWith('--history-days='))?.split('=')[1];
    if (days !== undefined && !/^\d{1,3}$/.test(days)) throw new Error('--history-days must be a number of days from 0 to 999');
    console.log('Creating the demo contact center and its past days of work (a few seconds)…');
    const { created, logins, history } = await seedDemo(db, password, { historyDays: days === undefined ? 30 : Number(days) });
    const width = Math.max(...logins.map((l) => l.email.length));
    console.log(created ? 'Demo data created.' : 'Demo data already present: nothing changed.');
    if (history) console.log(`History: ${history.conversations} finished conversations and ${history.messages} messages over the last ${history.days} days.`);
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
