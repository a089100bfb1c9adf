import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConversationCalls } from '../../contracts/calls.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import {
  AgentView, AssignBody, ConversationDetail, ConversationListQuery, ConversationView, FinishBody, MessageView, PauseBody,
  SendMessageBody, TransferBody, WhisperBody, WhisperView,
} from '../../contracts/conversations.js';
import type { Runtime } from '../../engine/runtime.js';
import { agentHeartbeat, agentLogin, agentLogout, agentPause, agentResume } from '../../engine/agents/presence.js';
import { loadAgent } from '../../engine/agents/present.js';
import { assignManually, assignManyManually, finishByAgent, markWhispersRead, returnManyToQueue, returnToQueue, transfer, whisper } from '../../engine/conversations/agent-actions.js';
import { sendAgentMessage } from '../../engine/conversations/agent-send.js';
import { conversationCalls } from '../../engine/calls/store.js';
import { conversationDetail, listConversations, transferTargets } from '../../engine/conversations/queries.js';
import { BulkAssignBody, ConversationIdsBody } from '../../contracts/email-triage.js';
import { ALL_ROLES, STAFF } from '../auth/plugin.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** The agent desk and the supervisor's actions on conversations, as an HTTP API. */
export function conversationRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { engine } = runtime;
  const db = engine.db;
  const tags = ['conversations'];
  const agentTags = ['agent'];

  api.get('/api/agent/presence', {
    config: { access: ALL_ROLES },
    schema: { tags: agentTags, summary: 'My presence as an agent', response: { 200: AgentView, ...errors } },
  }, async (req) => (await loadAgent(db, req.actor.id!))!);
  api.post('/api/agent/login', {
    config: { access: ALL_ROLES },
    schema: { tags: agentTags, summary: 'Log in to the queues (Livre)', response: { 200: AgentView, ...errors } },
  }, async (req) => agentLogin(engine, req.actor));
  api.post('/api/agent/logout', {
    config: { access: ALL_ROLES },
    schema: { tags: agentTags, summary: 'Log out of the queues (Sair); refused with open conversations', response: { 200: AgentView, ...errors } },
  }, async (req) => agentLogout(engine, req.actor));
  api.post('/api/agent/pause', {
    config: { access: ALL_ROLES },
    schema: { tags: agentTags, summary: 'Pause with a reason; pending while conversations are open', body: PauseBody, response: { 200: AgentView, ...errors } },
  }, async (req) => agentPause(engine, req.actor, req.body.reasonId));
  api.post('/api/agent/resume', {
    config: { access: ALL_ROLES },
    schema: { tags: agentTags, summary: 'End the pause (or cancel a pending one)', response: { 200: AgentView, ...errors } },
  }, async (req) => agentResume(engine, req.actor));
  api.post('/api/agent/heartbeat', {
    config: { access: ALL_ROLES },
    schema: { tags: agentTags, summary: 'Keep-alive for integrations without a WebSocket', response: { 200: AgentView, ...errors } },
  }, async (req) => agentHeartbeat(engine, req.actor));

  api.get('/api/conversations', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Conversations I may see (default: open ones; with `protocol` and no `state`, in any state)', querystring: ConversationListQuery, response: { 200: z.object({ items: z.array(ConversationView) }), ...errors } },
  }, async (req) => ({ items: await listConversations(db, req.actor, { ...req.query, mine: req.query.mine === 'true' }) }));

  api.get('/api/conversations/:id', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'A conversation with its history and supervisor chat', params: IdParams, response: { 200: ConversationDetail, ...errors } },
  }, async (req) => conversationDetail(db, req.actor, req.params.id));

  api.get('/api/conversations/:id/calls', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Its WebChat calls, oldest first, with T.Audio and T.Video (the Ficha de Atendimento)', params: IdParams, response: { 200: ConversationCalls, ...errors } },
  }, async (req) => conversationCalls(db, req.actor, req.params.id, engine.clock.now()));

  api.post('/api/conversations/:id/messages', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'The agent writes to the customer: text, one file with a caption, or an approved template (409 window_closed outside the window)', params: IdParams, body: SendMessageBody, response: { 201: MessageView, ...errors } },
  }, async (req, reply) => reply.code(201).send(await sendAgentMessage(engine, req.actor, req.params.id, req.body)));

  api.post('/api/conversations/:id/finish', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Concluir or Cancelar, with the wrap-up', params: IdParams, body: FinishBody, response: { 200: ConversationView, ...errors } },
  }, async (req) => finishByAgent(engine, req.actor, req.params.id, req.body.outcome, req.body));

  api.post('/api/conversations/:id/transfer', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Transfer to an agent or to another service', params: IdParams, body: TransferBody, response: { 200: ConversationView, ...errors } },
  }, async (req) => transfer(engine, req.actor, req.params.id, req.body));

  api.get('/api/conversations/:id/transfer-targets', {
    config: { access: ALL_ROLES },
    schema: {
      tags, summary: 'Agents (of the service’s teams) and services (same channel) this conversation can go to', params: IdParams,
      response: {
        200: z.object({
          agents: z.array(z.object({ id: z.string(), name: z.string(), state: AgentView.shape.state, open: z.number() })),
          services: z.array(z.object({ id: z.string(), name: z.string() })),
        }),
        ...errors,
      },
    },
  }, async (req) => transferTargets(db, req.actor, req.params.id));

  api.post('/api/conversations/:id/assign', {
    config: { access: STAFF },
    schema: { tags, summary: 'Alocar responsável: a queued conversation goes first to this agent', params: IdParams, body: AssignBody, response: { 200: ConversationView, ...errors } },
  }, async (req) => assignManually(engine, req.actor, req.params.id, req.body.agentId));

  api.post('/api/conversations/:id/return-to-queue', {
    config: { access: STAFF },
    schema: { tags, summary: 'Retornar para grupo do serviço', params: IdParams, response: { 200: ConversationView, ...errors } },
  }, async (req) => returnToQueue(engine, req.actor, req.params.id));

  api.post('/api/conversations/assign', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Alocar responsável for a selection of queued conversations; all or nothing (404 names unknown ids, 409 ids not queued)',
      body: BulkAssignBody, response: { 200: z.object({ items: z.array(ConversationView) }), ...errors },
    },
  }, async (req) => ({ items: await assignManyManually(engine, req.actor, req.body.conversationIds, req.body.agentId) }));

  api.post('/api/conversations/return-to-queue', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Retornar para grupo do serviço for a selection (queued or in service); all or nothing (404 names unknown ids, 409 ids in another state)',
      body: ConversationIdsBody, response: { 200: z.object({ items: z.array(ConversationView) }), ...errors },
    },
  }, async (req) => ({ items: await returnManyToQueue(engine, req.actor, req.body.conversationIds) }));

  api.post('/api/conversations/:id/whispers', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Supervisor chat about this conversation (never seen by the customer)', params: IdParams, body: WhisperBody, response: { 201: WhisperView, ...errors } },
  }, async (req, reply) => reply.code(201).send(await whisper(engine, req.actor, req.params.id, req.body.text)));

  api.post('/api/conversations/:id/whispers/read', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Mark the supervisor chat as read: an agent reads what supervisors wrote to them, a supervisor the agent’s answers', params: IdParams, response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    await markWhispersRead(engine, req.actor, req.params.id);
    return reply.code(204).send(null);
  });
}
