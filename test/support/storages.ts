// Where a test's data lives across a restart: a PGlite folder, or a fresh PostgreSQL database when
// DATABASE_URL is set. Each `open()` is what a new process would open; `env` is what a child
// process running src/server/main.ts needs to open the same data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPGlite, openPostgres, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { afterAll } from 'vitest';
import { freshDatabase } from './test-app.js';

export interface Storage {
  env: Record<string, string>;
  /** opens the data (migrated) in this process; on PGlite, only while no other process holds it */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

const STORAGES: { name: string; make(): Promise<Storage> }[] = [
  {
    name: 'PGlite in a folder',
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'mirante-restart-'));
      return {
        env: { DATA_DIR: dir, DATABASE_URL: '' },
        async open() {
          const db = await openPGlite(dir);
          await migrate(db);
          return db;
        },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    async make() {
      const fresh = await freshDatabase();
      await fresh.db.close().catch(() => undefined);
      return { env: { DATABASE_URL: fresh.url! }, open: async () => openPostgres(fresh.url!), cleanup: fresh.drop };
    },
  },
];

/** The storages of this run: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const storages = () => STORAGES.filter((s) => s.name !== 'PostgreSQL' || Boolean(process.env.DATABASE_URL));

/** `defer(fn)`: fn runs after the file's tests, the last deferred first, a failure ignored. */
export function deferAfterAll(): (fn: () => Promise<unknown>) => void {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });
  return (fn) => void cleanups.push(fn);
}
