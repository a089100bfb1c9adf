import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { IndicatorConversationPage, IndicatorConversationsQuery, IndicatorsQuery, IndicatorsReport } from '../../contracts/indicators.js';
import { exportIndicatorConversations, exportIndicatorTable } from '../../engine/exports/indicators-exports.js';
import { indicatorConversations, indicatorsReport } from '../../engine/queries/indicators.js';
import type { Runtime } from '../../engine/runtime.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';
import { VERSION } from '../version.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

const EXPORT_NOTE = `With \`format=csv\` (UTF-8 with BOM, \`;\`, CRLF) or \`format=xlsx\` a download with the seed's column names, in the
Accept-Language's words and the contact center's time zone, durations as HH:MM:SS, its row count in \`x-total-count\`;
each export is audited (action export, entity indicators: who, the filters, the rows).`;

/** Indicadores (Início's tab): the seed's six tables over the conversations ended in a period (admins and supervisors, in their scope). */
export function indicatorsRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = runtime.engine;
  const tags = ['indicators'];
  api.get('/api/indicators', {
    config: { access: STAFF },
    schema: {
      tags, querystring: IndicatorsQuery, response: { 200: IndicatorsReport, ...errors },
      summary: 'Indicadores: Resumo por Serviço, por Canal, Produtividade de Agentes, Resumo por Status, Resumo do dia over the conversations ended in the period (default today)',
      description: `${EXPORT_NOTE} \`table\` names the table to download (byService, byChannel, byAgent, byStatus, daySummary).`,
    },
  }, async (req, reply) => {
    const { format, table, ...filter } = req.query;
    if (!format || !table) return indicatorsReport(db, req.actor, filter, clock.now());
    return sendExport(reply, await exportIndicatorTable(db, req.actor, { ...filter, table, format }, requestLanguage(req), clock.now()));
  });
  api.get('/api/indicators/conversations', {
    config: { access: STAFF },
    schema: {
      tags, querystring: IndicatorConversationsQuery, response: { 200: IndicatorConversationPage, ...errors },
      summary: 'Atendimentos OMNI: the conversations ended in the period, latest first (keyset pages; the first carries the total)',
      description: `${EXPORT_NOTE} The export streams every conversation of the period from a database cursor.`,
    },
  }, async (req, reply) => {
    const { format } = req.query;
    if (!format) return indicatorConversations(db, req.actor, req.query, clock.now(), VERSION);
    return sendExport(reply, await exportIndicatorConversations(db, req.actor, { ...req.query, format }, requestLanguage(req), clock.now(), VERSION));
  });
}
