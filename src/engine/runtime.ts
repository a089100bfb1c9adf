import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import { LocalBus, RedisBus, type EventBus } from './bus.js';
import { systemClock, type Clock } from './clock.js';
import { Engine } from './engine.js';
import { LiveProjection } from './projection.js';
import { Router } from './router.js';
import { Scheduler } from './scheduler.js';
import { OutboxWorker } from './outbox.js';
import { UploadCleanup } from './upload-cleanup.js';
import { RetentionJob } from './retention/run.js';
import { MonitorService } from './monitor/monitor-service.js';
import { AlertEngine } from './monitor/alerts.js';
import { closeInbound } from './conversations/inbound.js';
import { RollupFolder } from './rollups/fold.js';

export interface Runtime {
  engine: Engine;
  bus: EventBus;
  projection: LiveProjection;
  router: Router;
  scheduler: Scheduler;
  outbox: OutboxWorker;
  /** deletes the WebChat uploads never sent, after their grace period */
  uploadCleanup: UploadCleanup;
  /** the daily retention run (LGPD), on one node under a lease */
  retention: RetentionJob;
  monitor: MonitorService;
  alerts: AlertEngine;
  /** folds the reports' rollup journal (migration 0041) every second */
  rollups: RollupFolder;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  redisUrl?: string;
  clock?: Clock;
  /** background loops (routing sweep, timers); tests drive them by hand when false */
  background?: boolean;
  onError?: (err: unknown) => void;
  /** assignments per routing transaction (default 8); benchmarks compare sizes */
  routingChunk?: number;
}

/** The nodes of one deployment share a database: its server, port and name identify them on Redis. */
async function deploymentName(db: Database): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port()::text, '') || '/' || current_database() AS id`,
  );
  return createHash('sha256').update(rows[0].id).digest('hex').slice(0, 16);
}

/** Everything that runs on one node besides HTTP: the engine, its bus, the live projection, routing and timers. */
export async function startRuntime(db: Database, opts: RuntimeOptions = {}): Promise<Runtime> {
  const bus: EventBus = opts.redisUrl ? await RedisBus.connect(opts.redisUrl, await deploymentName(db)) : new LocalBus();
  const engine = new Engine(db, bus, opts.clock ?? systemClock);
  const projection = new LiveProjection(db);
  const monitor = new MonitorService(db, projection, engine.clock);
  await projection.start(bus);
  const alerts = new AlertEngine(engine, projection, monitor, opts.onError);
  const router = new Router(engine, opts.onError, opts.routingChunk);
  const scheduler = new Scheduler(engine, opts.onError);
  const outbox = new OutboxWorker(engine, opts.onError);
  const uploadCleanup = new UploadCleanup(engine, {}, opts.onError);
  const retention = new RetentionJob(db, engine.clock, opts.onError);
  const rollups = new RollupFolder(db, opts.onError);
  if (opts.background !== false) {
    router.start();
    scheduler.start();
    outbox.start();
    uploadCleanup.start();
    retention.start();
    monitor.start();
    alerts.start();
    rollups.start();
    // whatever was queued before a restart is routed now
    router.schedule();
  }
  return {
    engine,
    bus,
    projection,
    router,
    scheduler,
    outbox,
    uploadCleanup,
    retention,
    monitor,
    alerts,
    rollups,
    // Shutdown, once HTTP and the WebSockets are drained (server/shutdown.ts): the messages the
    // inbound batcher took commit first (the routing they ask for still runs), then each loop lets its
    // current work finish and starts none; the pool is closed only after this.
    async stop() {
      monitor.stop();
      await closeInbound(engine);
      await alerts.stop();
      await router.stop();
      await scheduler.stop();
      await outbox.stop();
      await uploadCleanup.stop();
      await retention.stop();
      await rollups.stop();
      await projection.stop();
      await bus.close();
    },
  };
}
