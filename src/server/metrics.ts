import { recognisedCounts } from '../channels/email/mailbox-state.js';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Runtime } from '../engine/runtime.js';
import { outboxBacklog } from '../engine/outbox.js';
import type { CallRelay } from './realtime/call-relay.js';

/** Why a provider's webhook was refused, for `mirante_webhook_failures_total`. */
export type WebhookFailure = 'signature' | 'parse' | 'not_found';

let processRegistry: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, event-loop lag, GC, handles): one set of observers per
 * process, however many apps it builds (the tests build hundreds), merged into each app's answer.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Seconds: from a cached answer (1 ms) to a slow export or a stuck transaction (10 s). */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: a routing pass over a few agents (1 ms) to one over a backlog of thousands (5 s). */
const ROUTING_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The metrics of one app (one node): HTTP, routing and webhooks as they happen, the live picture when scraped. */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  private readonly routingPass: Histogram<string>;
  private readonly routingAssignment: Histogram<string>;
  private readonly webhookFailures: Counter<'channel' | 'reason'>;
  private readonly calls: Counter<'outcome'>;
  private readonly stopObserving: () => void;

  constructor(runtime: Runtime) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'mirante_http_requests_total', help: 'HTTP requests by method and status class', labelNames: ['method', 'status'], registers });
    this.duration = new Histogram({
      name: 'mirante_http_request_duration_seconds',
      help: 'time spent answering, by method, route pattern and status class',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.routingPass = new Histogram({ name: 'mirante_routing_pass_duration_seconds', help: 'one routing pass on this node: reading agents and queue heads, choosing, assigning', buckets: ROUTING_BUCKETS, registers });
    this.routingAssignment = new Histogram({
      name: 'mirante_routing_assignment_duration_seconds',
      help: 'how long each assignment waited for its guarded transaction (up to 8 assignments share one), BEGIN to the events published',
      buckets: ROUTING_BUCKETS,
      registers,
    });
    this.webhookFailures = new Counter({ name: 'mirante_webhook_failures_total', help: 'provider webhooks refused, by channel and reason (signature, parse, not_found)', labelNames: ['channel', 'reason'], registers });
    this.calls = new Counter({ name: 'mirante_calls_total', help: 'WebChat calls handled by this node: started, answered, failed (a side reported why)', labelNames: ['outcome'], registers });
    this.stopObserving = runtime.router.observe({
      pass: (s) => this.routingPass.observe(s),
      assignments: (s, n) => {
        for (let i = 0; i < n; i++) this.routingAssignment.observe(s);
      },
    });
    this.registerLivePicture(runtime);
  }

  /** An answered request; `route` is the route's pattern (`/api/conversations/:id`), never the raw URL. */
  request(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    const status = `${Math.floor(statusCode / 100)}xx`;
    this.requests.inc({ method, status });
    this.duration.observe({ method, route: route ?? 'unmatched', status }, seconds);
  }

  call(outcome: 'started' | 'answered' | 'failed'): void {
    this.calls.inc({ outcome });
  }

  webhookFailure(channel: string, reason: WebhookFailure): void {
    this.webhookFailures.inc({ channel, reason });
  }

  async text(): Promise<string> {
    return (await Registry.merge([processMetrics(), this.registry]).metrics());
  }

  close(): void {
    this.stopObserving();
  }

  /** Gauges and counters read from the runtime when scraped. */
  private registerLivePicture(runtime: Runtime): void {
    const registers = [this.registry];
    const { projection, router, engine } = runtime;
    new Gauge({
      name: 'mirante_conversations_open', help: 'open conversations by state and channel', labelNames: ['state', 'channel'], registers,
      collect() {
        this.reset();
        for (const c of projection.conversations.values()) this.inc({ state: c.state, channel: c.channel });
      },
    });
    new Gauge({
      name: 'mirante_agents', help: 'omnichannel agents by displayed state', labelNames: ['state'], registers,
      collect() {
        this.reset();
        for (const a of projection.agents.values()) this.inc({ state: a.state });
      },
    });
    // one query for the three outbox figures, shared by their collects within a scrape
    let backlog: ReturnType<typeof outboxBacklog> | null = null;
    const readBacklog = () => (backlog ??= outboxBacklog(engine.db, engine.clock.now()).finally(() => setImmediate(() => (backlog = null))));
    const outboxGauge = (name: string, help: string, pick: (b: Awaited<ReturnType<typeof outboxBacklog>>) => number) =>
      new Gauge({
        name, help, registers,
        async collect() {
          this.set(pick(await readBacklog()));
        },
      });
    outboxGauge('mirante_outbox_pending', 'messages waiting to be delivered to a provider or webhook', (b) => b.pending);
    outboxGauge('mirante_outbox_oldest_pending_age_seconds', 'how long the oldest message still waiting to be delivered has waited (0 when none waits)', (b) => b.oldestPendingAgeSeconds);
    outboxGauge('mirante_outbox_dead', 'messages the outbox gave up on (dead letters: a permanent failure, or attempts or age used up)', (b) => b.dead);
    // the earlier name of the same figure, kept for dashboards that read it
    outboxGauge('mirante_outbox_failed', 'the same as mirante_outbox_dead', (b) => b.dead);
    const readCounter = (name: string, help: string, read: () => number) =>
      new Counter({
        name, help, registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    readCounter('mirante_routing_passes_total', 'routing passes run on this node', () => router.passes);
    readCounter('mirante_routing_skipped_total', 'routing wakes that needed no pass: every queue they named had no agent with a free slot', () => router.skipped);
    readCounter('mirante_routing_queued_read_total', "queued conversations read by routing passes (only the queues' heads, as many as the free slots)", () => router.queuedRead);
    readCounter('mirante_routing_agents_read_total', 'agents read by routing passes (only those with a free slot for a workload one of their teams serves)', () => router.agentsRead);
    new Counter({
      name: 'mirante_email_recognised_total', help: 'e-mails recognised as bounces, auto-replies or reports (never a demand), by kind, all nodes', labelNames: ['kind'], registers,
      async collect() {
        this.reset();
        for (const [kind, n] of Object.entries(await recognisedCounts(engine.db))) this.inc({ kind }, n);
      },
    });
    readCounter('mirante_projection_log_reads_total', "reads of the event log to fill a gap in this node's live projection (the bus did not bring the missing events in time)", () => projection.logReads);
    readCounter('mirante_projection_log_events_total', 'events those reads brought', () => projection.logEvents);
    readCounter('mirante_projection_gaps_bus_total', 'gaps in seq that the bus filled within the grace, with no read of the log', () => projection.gapsFilledByBus);
    new Gauge({
      name: 'mirante_event_seq', help: 'last event seq applied by this node', registers,
      collect() {
        this.set(projection.seq);
      },
    });
  }
}

/**
 * Prometheus metrics at /metrics (prom-client, one registry per app). Readable from loopback, or
 * from anywhere with `Authorization: Bearer $METRICS_TOKEN` when that is set.
 */
export function registerMetrics(app: FastifyInstance, runtime: Runtime, token?: string, calls?: CallRelay): AppMetrics {
  const metrics = new AppMetrics(runtime);
  calls?.count((outcome) => metrics.call(outcome));
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => metrics.close());

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const loopback = req.socket.remoteAddress === '127.0.0.1' || req.socket.remoteAddress === '::1' || req.socket.remoteAddress === '::ffff:127.0.0.1';
    const bearer = req.headers.authorization === `Bearer ${token}`;
    if (token ? !bearer : !loopback) return reply.code(403).send({ error: { code: 'forbidden', message: 'metrics are for the monitoring system' } });
    return reply.type(metrics.registry.contentType).send(await metrics.text());
  });
  return metrics;
}
