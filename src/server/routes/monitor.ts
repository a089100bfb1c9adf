import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { MonitorarGroups, MonitorarPage, MonitorarQuery, MonitorFilter, MonitorSnapshot } from '../../contracts/monitor.js';
import { monitorarGroups, monitorarPage } from '../../engine/monitor/monitorar.js';
import { getSettings } from '../../engine/settings.js';
import type { Runtime } from '../../engine/runtime.js';
import { exportMonitorar } from '../../engine/exports/monitorar-export.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';
import { scopeIds } from '../../engine/access.js';
import { AlertList, AlertListQuery } from '../../contracts/alerts.js';
import { listAlerts, markAlertsRead } from '../../engine/monitor/alerts.js';
import { z } from 'zod';

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
    const scope = await scopeIds(db, req.actor);
    const q = req.query;
    return runtime.monitor.figures(scope, { serviceId: q.serviceId, channel: q.channel, date: q.date, allQueued: q.allQueued === 'true' });
  });

  app.withTypeProvider<ZodTypeProvider>().get('/api/monitor/conversations', {
    config: { access: STAFF },
    schema: {
      tags: ['monitor'],
      summary: 'Monitorar: the open conversations, or those that started today or yesterday, grouped by status, service, agent or channel with their counts; with `group`, that group’s rows in keyset pages',
      description: `With \`format=csv\` (UTF-8 with BOM, \`;\`) or \`format=xlsx\` (and no group): every row of every group of the view and period as a download, the group as its first column, in the Accept-Language's words and the contact center's time zone, streamed group by group from a database cursor; its row count in \`x-total-count\`; audited (action export, entity monitorar).`,
      querystring: MonitorarQuery,
      response: { 200: z.union([MonitorarGroups, MonitorarPage]), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (req, reply) => {
    const { timezone } = await getSettings(db);
    const q = { ...req.query, now: runtime.engine.clock.now(), timeZone: timezone };
    const { format } = q;
    if (format) return sendExport(reply, await exportMonitorar(db, req.actor, { ...q, format }, requestLanguage(req)));
    return q.group === undefined ? monitorarGroups(db, req.actor, q) : monitorarPage(db, req.actor, { ...q, group: q.group });
  });
}

export function alertRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = runtime.engine.db;
  const tags = ['alerts'];
  api.get('/api/alerts', {
    config: { access: STAFF },
    schema: { tags, summary: 'The alert inbox of a day (default today), newest first, with my read marks', querystring: AlertListQuery, response: { 200: AlertList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req) => listAlerts(db, req.actor, { date: req.query.date, unread: req.query.unread === 'true', now: runtime.engine.clock.now() }));
  api.post('/api/alerts/:id/read', {
    config: { access: STAFF },
    schema: { tags, summary: 'Mark one alert as read', params: z.strictObject({ id: z.coerce.number().int().positive() }), response: { 204: z.null(), 404: ErrorBody } },
  }, async (req, reply) => {
    await markAlertsRead(db, req.actor, [req.params.id], runtime.engine.clock.now());
    return reply.code(204).send(null);
  });
  api.post('/api/alerts/read-all', {
    config: { access: STAFF },
    schema: { tags, summary: 'Mark every recent alert as read', response: { 204: z.null() } },
  }, async (req, reply) => {
    await markAlertsRead(db, req.actor, 'all', runtime.engine.clock.now());
    return reply.code(204).send(null);
  });
}
