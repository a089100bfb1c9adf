import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { EXPORT_TOTAL_HEADER, LOOKBACK_SORTS, LookbackPage, LookbackQuery } from '../../contracts/lookback.js';
import type { Database } from '../../db/database.js';
import { openExport } from '../../engine/queries/lookback-export.js';
import { searchConversations } from '../../engine/queries/lookback.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';

const DESCRIPTION = `Consultas (the tabs Chat, E-mail and Messaging: \`family\`) and Histórico (no family: every
channel). The conversations the filter selects in the caller's scope, a page at a time: \`{ rows, next,
total, totalExact }\`; pass \`next\` as \`after\` for the following page. \`sort\` is one of
${LOOKBACK_SORTS.join(', ')} (start: the conversation's start; queueTime and handleTime in seconds;
contact, origin, service, agent and classification by name), \`dir\` asc or desc (default: start,
newest first). With \`format=csv\` (UTF-8 with BOM, \`;\`) or \`format=xlsx\` the whole selection is a
download in the Accept-Language's words and the contact center's time zone, its row count in the
\`${EXPORT_TOTAL_HEADER}\` header; each export is audited.`;

export function lookbackRoutes(app: FastifyInstance, { db }: { db: Database }): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/lookback/conversations', {
    config: { access: STAFF },
    schema: {
      tags: ['lookback'],
      summary: 'Consultas and Histórico: conversations by period, protocol, status, service, origin, classification and agent; CSV and XLSX exports',
      description: DESCRIPTION,
      querystring: LookbackQuery,
      response: { 200: LookbackPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (req, reply) => {
    const { format } = req.query;
    if (!format) return searchConversations(db, req.actor, req.query);
    const lang = requestLanguage(req);
    const file = await openExport(db, req.actor, { ...req.query, format }, lang);
    return sendExport(reply, file);
  });
}
