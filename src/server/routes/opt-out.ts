import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { ContactOptOut, SetOptOut } from '../../contracts/opt-out.js';
import { conversationContactOptOut, setContactOptOut } from '../../engine/opt-out.js';
import { ALL_ROLES } from '../auth/plugin.js';
import type { RouteDeps } from './index.js';

// Opt-out from the desk's contact panel: the conversation's contact, read and marked or unmarked by
// whoever sees the conversation (its agent, its supervisors, the admins); audited.
export function optOutRoutes(app: FastifyInstance, { db, runtime }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  api.get('/api/conversations/:id/contact/opt-out', {
    config: { access: ALL_ROLES },
    schema: { tags: ['conversations'], summary: 'Whether the conversation\'s contact opted out of active messages, when, why and by whom', params: IdParams, response: { 200: ContactOptOut, ...errors } },
  }, async (req) => conversationContactOptOut(db, req.actor, req.params.id));
  api.put('/api/conversations/:id/contact/opt-out', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['conversations'],
      summary: 'Marks (optedOut: true, with an optional reason) or unmarks the conversation\'s contact as opted out of active messages (audited)',
      params: IdParams, body: SetOptOut, response: { 200: ContactOptOut, ...errors },
    },
  }, async (req) => setContactOptOut(runtime.engine, req.actor, req.params.id, req.body.optedOut, req.body.reason ?? null));
}
