import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { ensureFirstAdmin } from '../engine/bootstrap.js';
import { demoPassword, seedDemo } from '../engine/demo-seed.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { pino } from 'pino';
import { logStream, REDACT_PATHS } from './logging.js';

const config = loadConfig();
const stream = logStream(config.logFormat);
const logOptions = { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
const log = stream ? pino(logOptions, stream) : pino(logOptions);
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });

const applied = await migrate(db);
if (applied.length) log.info({ migrations: applied }, 'database migrated');
if (process.argv.includes('--demo')) {
  // before the first admin: on an empty database the demo's admin is the first one
  const demo = await seedDemo(db, demoPassword());
  if (demo.history) log.info(demo.history, 'demo history written: the last days of finished work, for Indicadores, Relatórios and Consultas');
  log.info({ created: demo.created }, 'demo data ready: admin@mirante.demo, supervisor@mirante.demo, agente1…agente20@mirante.demo');
}
const admin = await ensureFirstAdmin(db, config.adminEmail, config.adminPassword);
if (admin?.generatedPassword) {
  // printed once, on the very first start; never stored anywhere but as a hash
  console.log(`\n  First admin created: ${admin.email}\n  Password (shown only now): ${admin.generatedPassword}\n`);
} else if (admin) {
  log.info({ email: admin.email }, 'first admin created from MIRANTE_ADMIN_EMAIL');
}

// the engine starts with the app: it rebuilds its live picture from the migrated database
const app = await buildApp({ db, config, logger: true });

// SIGTERM or Ctrl-C: app.close() refuses new requests (503, /healthz included), closes WebSockets with
// "going away", lets every request it took finish (server/shutdown.ts), stops listening, and stops
// the gateways and the engine (the inbound batcher, the routing pass, the outbox, the timers);
// only then is the pool closed. Past SHUTDOWN_TIMEOUT_MS the process exits anyway, with code 1.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    log.error(`shutdown still running after ${config.shutdownTimeoutMs} ms: exiting anyway`);
    process.exit(1);
  }, config.shutdownTimeoutMs);
  force.unref();
  let code = 0;
  try {
    await app.close();
  } catch (err) {
    log.error({ err }, 'shutdown');
    code = 1;
  }
  try {
    // closing PGlite flushes its files: a restart finds them intact
    await db.close();
  } catch (err) {
    log.error({ err }, 'closing the database');
    code = 1;
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
log.info(`Mirante ${config.databaseUrl ? 'on PostgreSQL' : `on PGlite (${config.dataDir})`} at http://localhost:${config.port}`);
