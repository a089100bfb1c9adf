// Writes src/contracts/openapi.gen.ts (the typed client's types) from the OpenAPI document of an app
// built in memory: `npx tsx scripts/openapi-client.ts`. Run it after changing a route's schema; the
// test test/integration/openapi-client.test.ts fails while the file is out of date.
import { writeFileSync } from 'node:fs';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { startRuntime } from '../src/engine/runtime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { clientModule, type OpenApiDocument } from '../src/server/openapi-types.js';

const db = await openDatabase({});
await migrate(db);
const runtime = await startRuntime(db, { background: false });
const app = await buildApp({ db, runtime, config: { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'generating-the-openapi-client' } });
await app.ready();
const target = new URL('../src/contracts/openapi.gen.ts', import.meta.url);
writeFileSync(target, clientModule(app.swagger() as unknown as OpenApiDocument));
await app.close();
await runtime.stop();
await db.close();
console.log(`wrote ${target.pathname}`);
