import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openPostgres } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

// With DATABASE_URL, migrate one template database per run; every test file clones it
// (CREATE DATABASE … TEMPLATE), which is fast and keeps files isolated.
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const template = `mirante_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const u = new URL(url);
  u.pathname = `/${template}`;
  const db = openPostgres(u.toString(), 1);
  await migrate(db);
  await db.close();
  project.provide('pgTemplate', template);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}
