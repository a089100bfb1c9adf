import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { submitTemplate, syncTemplate } from '../../channels/whatsapp/templates.js';
import { Template } from '../../contracts/admin.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { templates } from '../../engine/admin/definitions.js';
import { getResource } from '../../engine/admin/resource.js';
import { ADMIN } from '../auth/plugin.js';
import type { RouteDeps } from './index.js';

// Templates that a provider approves: "Enviar para aprovação" and "Sincronizar" on a template of a
// WhatsApp account (Cloud API or Gupshup); the status then also arrives by the provider's webhook.
export function templateRoutes(app: FastifyInstance, { db, secretKey, runtime }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
  api.post('/api/templates/:id/submit', {
    config: { access: ADMIN },
    schema: {
      tags: ['templates'],
      summary: 'Enviar para aprovação: submits the template to its WhatsApp account\'s provider; answers the template with the provider\'s id and status (PENDING until the provider\'s webhook)',
      description: '409 `already_submitted` while PENDING or APPROVED; 422 `not_provider_template` without a WhatsApp account, `provider_refused` with the provider\'s words.',
      params: IdParams,
      response: { 200: Template, ...errors },
    },
  }, async (req) => {
    await submitTemplate(runtime.engine, secretKey, req.actor, req.params.id);
    return getResource(db, templates, req.actor, req.params.id);
  });
  api.post('/api/templates/:id/sync', {
    config: { access: ADMIN },
    schema: {
      tags: ['templates'],
      summary: 'Sincronizar: reads the statuses and quality of the templates of this template\'s WhatsApp account from the provider; answers this template',
      params: IdParams,
      response: { 200: Template, ...errors },
    },
  }, async (req) => {
    await syncTemplate(runtime.engine, secretKey, req.actor, req.params.id);
    return getResource(db, templates, req.actor, req.params.id);
  });
}
