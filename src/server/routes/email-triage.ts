import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../contracts/common.js';
import { ConversationView } from '../../contracts/conversations.js';
import { ConversationIdsBody, EmailTriagePage, EmailTriageQuery } from '../../contracts/email-triage.js';
import { acceptTriage, discardTriage, listTriage } from '../../engine/conversations/email-triage.js';
import type { Runtime } from '../../engine/runtime.js';
import { STAFF } from '../auth/plugin.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Moved = z.object({ items: z.array(ConversationView) });

/** Filtro de E-mail: the e-mails waiting in `triage` for the caller's services, Aceitar and Apagar. */
export function emailTriageRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { engine } = runtime;
  const tags = ['email-triage'];

  api.get('/api/email-triage', {
    config: { access: STAFF },
    schema: { tags, summary: 'Filtro de E-mail: the e-mails waiting in the filter, oldest first (Qtd E-mail(s) is `limit`)', querystring: EmailTriageQuery, response: { 200: EmailTriagePage, ...errors } },
  }, async (req) => listTriage(engine.db, req.actor, req.query));

  api.post('/api/email-triage/accept', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Aceitar e-mail(s): to the service’s queue; all or nothing (404 names unknown ids, 409 ids no longer in the filter)',
      body: ConversationIdsBody, response: { 200: Moved, ...errors },
    },
  }, async (req) => ({ items: await acceptTriage(engine, req.actor, req.body.conversationIds) }));

  api.post('/api/email-triage/discard', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Apagar e-mail(s): discarded, kept for the record; all or nothing (404 names unknown ids, 409 ids no longer in the filter)',
      body: ConversationIdsBody, response: { 200: Moved, ...errors },
    },
  }, async (req) => ({ items: await discardTriage(engine, req.actor, req.body.conversationIds) }));
}
