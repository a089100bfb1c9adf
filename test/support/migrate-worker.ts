// A process that migrates the databases it is told to: one PostgreSQL URL per line on stdin, one
// line of JSON per answer on stdout. Several of them, told at once, are several nodes starting together.
import { createInterface } from 'node:readline';
import { openPostgres } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

for await (const url of createInterface({ input: process.stdin })) {
  const db = openPostgres(url, 1);
  try {
    const applied = await migrate(db);
    process.stdout.write(`${JSON.stringify({ ok: true, applied: applied.length })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: (err as Error).message })}\n`);
  } finally {
    await db.close();
  }
}
