import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AgentConversationsQuery, AgentsQuery, AgentsReport, ConversationPage, OutboundQuery, QueueQuery, QueueReport } from '../../contracts/analysis.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { agentConversations, agentsReport, outboundConversations, queueReport } from '../../engine/queries/analysis.js';
import type { Runtime } from '../../engine/runtime.js';
import { exportAgents, exportOutbound, exportQueue } from '../../engine/exports/analysis-exports.js';
import { STAFF } from '../auth/plugin.js';
import { requestLanguage } from '../language.js';
import { sendExport } from '../send-export.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const EXPORT_NOTE = `With \`format=csv\` (UTF-8 with BOM, \`;\`, CRLF) or \`format=xlsx\` the whole list is a download in
the Accept-Language's words (pt-BR or English) and the contact center's time zone, durations as HH:MM:SS, its
row count in the \`x-total-count\` header; each export is audited (action export: who, the filters, the rows).`;

/** Análise da Operação: Atendentes, Fila, Mensagens ativas (admins and supervisors, in their scope). */
export function analysisRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = runtime.engine;
  const tags = ['analysis'];
  api.get('/api/analysis/agents', {
    config: { access: STAFF },
    schema: {
      tags, querystring: AgentsQuery, response: { 200: AgentsReport, ...errors },
      summary: 'Atendentes: per agent, in service now and finished (completed, cancelled, other) in the period; default today; CSV and XLSX exports',
      description: `${EXPORT_NOTE} Export columns: agent, state, pause reason, since, in service, completed, cancelled, other finished, TMA.`,
    },
  }, async (req, reply) => {
    const { format } = req.query;
    if (!format) return agentsReport(db, req.actor, req.query, clock.now());
    return sendExport(reply, await exportAgents(db, req.actor, { ...req.query, format }, requestLanguage(req), clock.now()));
  });
  api.get('/api/analysis/agents/:id/conversations', {
    config: { access: STAFF },
    schema: {
      tags, params: IdParams, querystring: AgentConversationsQuery, response: { 200: ConversationPage, ...errors },
      summary: 'The conversations behind an agent’s row: those held now, then those ended in the period (keyset pages)',
    },
  }, async (req) => agentConversations(db, req.actor, req.params.id, req.query, clock.now()));
  api.get('/api/analysis/queue', {
    config: { access: STAFF },
    schema: {
      tags, querystring: QueueQuery, response: { 200: QueueReport, ...errors },
      summary: 'Fila: what waits for an agent, per department, and why (its agents logged in, paused, at their limit); CSV and XLSX exports',
      description: `${EXPORT_NOTE} The export has every waiting conversation (not only a department's first 200) under each department that serves its service, the department and the reason its queue waits as the first columns.`,
    },
  }, async (req, reply) => {
    const { format } = req.query;
    if (!format) return queueReport(db, req.actor, req.query, clock.now());
    return sendExport(reply, await exportQueue(db, req.actor, { ...req.query, format }, requestLanguage(req), clock.now()));
  });
  api.get('/api/analysis/outbound', {
    config: { access: STAFF },
    schema: {
      tags, querystring: OutboundQuery, response: { 200: ConversationPage, ...errors },
      summary: 'Mensagens ativas: the outbound conversations, with the conversation filter, newest first (keyset pages); CSV and XLSX exports',
      description: `${EXPORT_NOTE} The export streams every outbound conversation the filter selects from a database cursor.`,
    },
  }, async (req, reply) => {
    const { format } = req.query;
    if (!format) return outboundConversations(db, req.actor, req.query);
    return sendExport(reply, await exportOutbound(db, req.actor, { ...req.query, format }, requestLanguage(req)));
  });
}
