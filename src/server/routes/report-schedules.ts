import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { ReportSchedule, ReportScheduleBody, ReportScheduleList, ReportSchedulePatch } from '../../contracts/report-schedules.js';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, updateSchedule } from '../../engine/reports/schedules.js';
import { STAFF } from '../auth/plugin.js';
import type { RouteDeps } from './index.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Agendamentos of Relatórios: each admin or supervisor's own schedules (an admin sees everyone's). */
export function reportScheduleRoutes(app: FastifyInstance, { db, config, runtime }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { clock } = runtime.engine;
  const tags = ['reports'];
  api.get('/api/report-schedules', {
    config: { access: STAFF },
    schema: { tags, summary: 'The report schedules: mine (an admin: everyone’s)', response: { 200: ReportScheduleList, ...errors } },
  }, async (req) => ({ items: await listSchedules(db, req.actor), mailConfigured: config.mail !== undefined }));
  api.get('/api/report-schedules/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One report schedule (another supervisor’s is 404)', params: IdParams, response: { 200: ReportSchedule, ...errors } },
  }, async (req) => getSchedule(db, req.actor, req.params.id));
  api.post('/api/report-schedules', {
    config: { access: STAFF },
    schema: { tags, summary: 'Schedule a report by e-mail (audited); its first sending is the next due hour', body: ReportScheduleBody, response: { 201: ReportSchedule, ...errors } },
  }, async (req, reply) => reply.code(201).send(await createSchedule(db, req.actor, req.body, clock.now())));
  api.patch('/api/report-schedules/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'Change, pause or resume a report schedule (audited)', params: IdParams, body: ReportSchedulePatch, response: { 200: ReportSchedule, ...errors } },
  }, async (req) => updateSchedule(db, req.actor, req.params.id, req.body, clock.now()));
  api.delete('/api/report-schedules/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'Delete a report schedule (audited)', params: IdParams, response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    await deleteSchedule(db, req.actor, req.params.id);
    return reply.code(204).send(null);
  });
}
