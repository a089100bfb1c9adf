import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import { LocalBus, RedisBus, type EventBus } from './bus.js';
import { systemClock, type Clock } from './clock.js';
import { Engine } from './engine.js';
import { LiveProjection } from './projection.js';
import { Router } from './router.js';
import { Scheduler } from './scheduler.js';
import { OutboxWorker } from './outbox.js';
import { MonitorService } from './monitor/monitor-service.js';
import { AlertEngine } from './monitor/alerts.js';

export interface Runtime {
  engine: Engine;
  bus: EventBus;
  projection: LiveProjection;
  router: Router;
  scheduler: Scheduler;
  outbox: OutboxWorker;
  monitor: MonitorService;
  alerts: AlertEngine;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  redisUrl?: string;
  clock?: Clock;
  /** background loops (routing sweep, timers); tests drive them by hand when false */
  background?: boolean;
  onError?: (err: unknown) => void;
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
  const router = new Router(engine, opts.onError);
  const scheduler = new Scheduler(engine, opts.onError);
  const outbox = new OutboxWorker(engine, opts.onError);
  if (opts.background !== false) {
    router.start();
    scheduler.start();
    outbox.start();
    monitor.start();
    alerts.start();
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
    monitor,
    alerts,
    async stop() {
      monitor.stop();
      alerts.stop();
      await router.stop();
      await scheduler.stop();
      await outbox.stop();
      projection.stop();
      await bus.close();
    },
  };
}
