import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { MonitorFilter, MonitorSnapshot } from '../../contracts/monitor.js';
import type { Runtime } from '../../engine/runtime.js';
import { STAFF } from '../auth/plugin.js';
import { monitorScope } from '../realtime/scope.js';

export function monitorRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const db = runtime.engine.db;
  app.withTypeProvider<ZodTypeProvider>().get('/api/monitor/snapshot', {
    config: { access: STAFF },
    schema: {
      tags: ['monitor'],
      summary: 'Posição Geral, agents, services and Painel figures now (for wallboards and other systems); same filters as Início',
      querystring: MonitorFilter,
      response: { 200: MonitorSnapshot, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (req) => {
    const scope = await monitorScope(db, req.user!);
    const q = req.query;
    return runtime.monitor.figures(scope, { serviceId: q.serviceId, channel: q.channel, date: q.date, allQueued: q.allQueued === 'true' });
  });
}
