import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AgentConversationsQuery, AgentsQuery, AgentsReport, ConversationPage, OutboundQuery, QueueQuery, QueueReport } from '../../contracts/analysis.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { agentConversations, agentsReport, outboundConversations, queueReport } from '../../engine/queries/analysis.js';
import type { Runtime } from '../../engine/runtime.js';
import { STAFF } from '../auth/plugin.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Análise da Operação: Atendentes, Fila, Mensagens ativas (admins and supervisors, in their scope). */
export function analysisRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = runtime.engine;
  const tags = ['analysis'];
  api.get('/api/analysis/agents', {
    config: { access: STAFF },
    schema: {
      tags, querystring: AgentsQuery, response: { 200: AgentsReport, ...errors },
      summary: 'Atendentes: per agent, in service now and finished (completed, cancelled, other) in the period; default today',
    },
  }, async (req) => agentsReport(db, req.actor, req.query, clock.now()));
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
      summary: 'Fila: what waits for an agent, per department, and why (its agents logged in, paused, at their limit)',
    },
  }, async (req) => queueReport(db, req.actor, req.query, clock.now()));
  api.get('/api/analysis/outbound', {
    config: { access: STAFF },
    schema: {
      tags, querystring: OutboundQuery, response: { 200: ConversationPage, ...errors },
      summary: 'Mensagens ativas: the outbound conversations, with the conversation filter, newest first (keyset pages)',
    },
  }, async (req) => outboundConversations(db, req.actor, req.query));
}
