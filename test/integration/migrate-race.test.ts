import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/db/migrate.js';

// Nodes starting together on an empty PostgreSQL: each is its own process with its own connection,
// and all are told to migrate the same new database at the same instant, round after round.
const url = process.env.DATABASE_URL;
const PROCESSES = 4;
const ROUNDS = 12;

interface Worker {
  child: ChildProcessByStdio<Writable, Readable, null>;
  lines: AsyncIterator<string>;
}

describe.skipIf(!url)('nodes starting together on an empty database (PostgreSQL)', () => {
  const workers: Worker[] = [];
  const admin = new pg.Client({ connectionString: url });
  afterAll(async () => {
    for (const w of workers) w.child.kill();
    await admin.end().catch(() => {});
  });

  it(`${PROCESSES} processes migrating the same empty database at once, ${ROUNDS} rounds: none fails, each migration applied once`, async () => {
    await admin.connect();
    for (let i = 0; i < PROCESSES; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/migrate-worker.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
      const rl: Interface = createInterface({ input: child.stdout });
      workers.push({ child, lines: rl[Symbol.asyncIterator]() });
    }
    const expected = listMigrations().length;
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const name = `mirante_race_${randomBytes(5).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(url!);
      u.pathname = `/${name}`;
      for (const w of workers) w.child.stdin.write(`${u}\n`);
      const answers = await Promise.all(workers.map(async (w) => JSON.parse((await w.lines.next()).value as string)));
      for (const a of answers) if (!a.ok) failures.push(`round ${round}: ${a.error}`);
      // between them, the processes applied every migration exactly once
      if (answers.every((a) => a.ok)) expect(answers.reduce((n, a) => n + a.applied, 0)).toBe(expected);
      const db = new pg.Client({ connectionString: u.toString() });
      await db.connect();
      const { rows } = await db.query('SELECT count(*)::int AS n FROM schema_migrations');
      await db.end();
      expect(rows[0].n).toBe(expected);
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
