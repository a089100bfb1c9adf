import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../engine/runtime.js';

/**
 * Prometheus text metrics at /metrics: HTTP traffic, the live picture (conversations by state and
 * channel, agents by state), the outbox backlog and routing passes. Readable from loopback, or from
 * anywhere with `Authorization: Bearer $METRICS_TOKEN` when that is set.
 */
export function registerMetrics(app: FastifyInstance, runtime: Runtime, token?: string): void {
  const requests = new Map<string, number>();
  let durationSum = 0;
  let durationCount = 0;
  app.addHook('onResponse', async (req, reply) => {
    const key = `${req.method}|${Math.floor(reply.statusCode / 100)}xx`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    durationSum += reply.elapsedTime / 1000;
    durationCount++;
  });

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const loopback = req.socket.remoteAddress === '127.0.0.1' || req.socket.remoteAddress === '::1' || req.socket.remoteAddress === '::ffff:127.0.0.1';
    const bearer = req.headers.authorization === `Bearer ${token}`;
    if (token ? !bearer : !loopback) return reply.code(403).send({ error: { code: 'forbidden', message: 'metrics are for the monitoring system' } });
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [Record<string, string>, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of samples) {
        const l = Object.entries(labels).map(([k, val]) => `${k}="${val}"`).join(',');
        lines.push(`${name}${l ? `{${l}}` : ''} ${v}`);
      }
    };
    metric('mirante_http_requests_total', 'counter', 'HTTP requests by method and status class', [...requests].map(([k, n]) => {
      const [method, status] = k.split('|');
      return [{ method, status }, n];
    }));
    metric('mirante_http_request_duration_seconds_sum', 'counter', 'total time spent answering', [[{}, +durationSum.toFixed(3)]]);
    metric('mirante_http_request_duration_seconds_count', 'counter', 'answers timed', [[{}, durationCount]]);
    const convs = new Map<string, number>();
    for (const c of runtime.projection.conversations.values()) convs.set(`${c.state}|${c.channel}`, (convs.get(`${c.state}|${c.channel}`) ?? 0) + 1);
    metric('mirante_conversations_open', 'gauge', 'open conversations by state and channel', [...convs].map(([k, n]) => {
      const [state, channel] = k.split('|');
      return [{ state, channel }, n];
    }));
    const agents = new Map<string, number>();
    for (const a of runtime.projection.agents.values()) agents.set(a.state, (agents.get(a.state) ?? 0) + 1);
    metric('mirante_agents', 'gauge', 'omnichannel agents by displayed state', [...agents].map(([state, n]) => [{ state }, n]));
    // a dead item (a permanent failure, its attempts or age used up) is never due again: dead, not pending
    const { rows } = await runtime.engine.db.query<{ n: number; dead: number }>(
      `SELECT count(*) FILTER (WHERE dead_at IS NULL)::int AS n, count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead
         FROM outbox WHERE delivered_at IS NULL`,
    );
    metric('mirante_outbox_pending', 'gauge', 'messages waiting to be delivered to a provider or webhook', [[{}, rows[0].n]]);
    metric('mirante_outbox_dead', 'gauge', 'messages the outbox gave up on (dead letters: a permanent failure, or attempts or age used up)', [[{}, rows[0].dead]]);
    // the earlier name of the same figure, kept for dashboards that read it
    metric('mirante_outbox_failed', 'gauge', 'the same as mirante_outbox_dead', [[{}, rows[0].dead]]);
    metric('mirante_routing_passes_total', 'counter', 'routing passes run on this node', [[{}, runtime.router.passes]]);
    metric('mirante_routing_skipped_total', 'counter', 'routing wakes that needed no pass: every queue they named had no agent with a free slot', [[{}, runtime.router.skipped]]);
    metric('mirante_routing_queued_read_total', 'counter', 'queued conversations read by routing passes (only the queues\' heads, as many as the free slots)', [[{}, runtime.router.queuedRead]]);
    metric('mirante_event_seq', 'gauge', 'last event seq applied by this node', [[{}, runtime.projection.seq]]);
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}
