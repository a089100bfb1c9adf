import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { ReportCatalogue, ReportParams, ReportQuery, ReportResult } from '../../contracts/reports.js';
import { exportReport } from '../../engine/reports/export.js';
import { reportCatalogue, runReport } from '../../engine/reports/run.js';
import type { Runtime } from '../../engine/runtime.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };

/** Relatórios (seed: OmniMonitor → Relatórios): the catalogue and each report, as JSON or a download (admins and supervisors, in their scope). */
export function reportRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = runtime.engine;
  const tags = ['reports'];
  api.get('/api/reports', {
    config: { access: STAFF },
    schema: { tags, response: { 200: ReportCatalogue, 401: ErrorBody, 403: ErrorBody }, summary: 'Relatórios: the catalogue, in the Accept-Language’s words' },
  }, async (req) => reportCatalogue(requestLanguage(req)));
  api.get('/api/reports/:id', {
    config: { access: STAFF },
    schema: {
      tags, params: ReportParams, querystring: ReportQuery, response: { 200: ReportResult, ...errors },
      summary: 'One report over the period (default today) in the caller’s scope',
      description: `Columns are described in the Accept-Language's words. With \`format=csv\` (UTF-8 with BOM, \`;\`, CRLF), \`xlsx\` or
\`pdf\` a download with the totals as its last row; each download is audited (action export, entity report).`,
    },
  }, async (req, reply) => {
    const { format } = req.query;
    const lang = requestLanguage(req);
    if (!format) return runReport(db, req.actor, req.params.id, req.query, lang, clock.now());
    return sendExport(reply, await exportReport(db, req.actor, req.params.id, { ...req.query, format }, lang, clock.now()));
  });
}
