import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ChannelsChart, ChannelsChartQuery, DetailedMetricsChart, DetailedMetricsChartQuery, MetricsChart, MetricsChartQuery } from '../../contracts/charts.js';
import { ErrorBody } from '../../contracts/common.js';
import { channelsChart, detailedMetricsChart, metricsChart } from '../../engine/charts/charts.js';
import { exportChart } from '../../engine/charts/export.js';
import type { Runtime } from '../../engine/runtime.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const NOTE = `Each figure is counted in the interval its milestone happened in (received: created; answered, TME: first assigned;
finished, abandons, TMA: finished; TPR: first agent message), with the monitor's definitions. With \`format=csv\` (UTF-8 with BOM,
\`;\`, CRLF, durations HH:MM:SS) the chart's data as a download in the Accept-Language's words; audited (action export, entity charts).`;
const AGENTS = 'An `agentId` outside the caller’s scope (or unknown) answers 404, as an unknown id.';

/** Gráficos (seed: Dashboard Omnichannel → Gráficos): three charts over a period (admins and supervisors, in their scope). */
export function chartRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = runtime.engine;
  const tags = ['charts'];
  api.get('/api/charts/channels', {
    config: { access: STAFF },
    schema: {
      tags, querystring: ChannelsChartQuery, response: { 200: ChannelsChart, ...errors },
      summary: 'Atendimento por Canais – Detalhada: per interval and channel, received, handled by an agent, finished by outcome',
      description: NOTE,
    },
  }, async (req, reply) => {
    const { format, ...q } = req.query;
    if (!format) return channelsChart(db, req.actor, q, clock.now());
    return sendExport(reply, await exportChart(db, req.actor, 'channels', q, requestLanguage(req), clock.now()));
  });
  api.get('/api/charts/metrics', {
    config: { access: STAFF },
    schema: {
      tags, querystring: MetricsChartQuery, response: { 200: MetricsChart, ...errors },
      summary: 'Métricas do Atendimento: atendidos, TME, TMA, TPR, NS and abandonment over the period, for all and each agent asked',
      description: `${NOTE} ${AGENTS}`,
    },
  }, async (req, reply) => {
    const { format, ...q } = req.query;
    if (!format) return metricsChart(db, req.actor, q, requestLanguage(req), clock.now());
    return sendExport(reply, await exportChart(db, req.actor, 'metrics', q, requestLanguage(req), clock.now()));
  });
  api.get('/api/charts/metrics/detailed', {
    config: { access: STAFF },
    schema: {
      tags, querystring: DetailedMetricsChartQuery, response: { 200: DetailedMetricsChart, ...errors },
      summary: 'Métricas do Atendimento – Detalhada: the same figures per interval',
      description: `${NOTE} ${AGENTS}`,
    },
  }, async (req, reply) => {
    const { format, ...q } = req.query;
    if (!format) return detailedMetricsChart(db, req.actor, q, requestLanguage(req), clock.now());
    return sendExport(reply, await exportChart(db, req.actor, 'metrics-detailed', q, requestLanguage(req), clock.now()));
  });
}
