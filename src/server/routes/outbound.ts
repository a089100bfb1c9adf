import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { ContactSearchQuery, ContactSearchResult } from '../../contracts/contacts.js';
import { StartedOutbound, StartOutbound } from '../../contracts/outbound.js';
import { searchContacts } from '../../engine/contacts/registry.js';
import { startOutbound } from '../../engine/conversations/outbound.js';
import { ALL_ROLES } from '../auth/plugin.js';
import type { RouteDeps } from './index.js';

// The desk's "Nova conversa ativa" (issue 17): find the contact in the agent's own scope, then start
// an outbound conversation with a template. Any role may call; the engine lets only an omnichannel
// agent start one, on a service of the teams they work in.
export function outboundRoutes(app: FastifyInstance, { db, runtime }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
  api.get('/api/agent/contacts', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['conversations'], summary: 'The desk\'s contact search for an outbound conversation: by name, e-mail, phone or protocol, among the contacts of the caller\'s own conversations (a supervisor\'s: their services\'; an admin\'s: all)',
      querystring: ContactSearchQuery, response: { 200: ContactSearchResult, ...errors },
    },
  }, async (req) => searchContacts(db, req.actor, req.query));
  api.post('/api/conversations/outbound', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['conversations'],
      summary: 'Starts an outbound conversation (Mensagens ativas, ES Saída): in service with the calling agent, its own protocol, the template sent through the outbox (audited)',
      description: 'Refused: 403 not an omnichannel agent; 404 not one of the agent\'s services (or a contact outside their scope); 422 opted-out contact, a template not APPROVED (WhatsApp) or not for the channel, parameters missing; 409 an open conversation of the contact on the service (naming its protocol), or no free slot (logged out, paused, full).',
      body: StartOutbound, response: { 201: StartedOutbound, ...errors },
    },
  }, async (req, reply) => reply.code(201).send(await startOutbound(runtime.engine, req.actor, req.body)));
}
