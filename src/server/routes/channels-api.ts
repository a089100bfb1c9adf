import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiCredentials } from '../../contracts/admin.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { InboundApiMessage } from '../../contracts/conversations.js';
import { InboundAuthenticator, issueApiCredentials } from '../../channels/api/api-channel.js';
import { parseApiMessage } from '../../channels/api/index.js';
import { ingest } from '../../channels/ingest.js';
import type { Runtime } from '../../engine/runtime.js';
import type { SecretKey } from '../../engine/secrets.js';
import { MonitorService } from '../../engine/monitor/monitor-service.js';
import { ADMIN } from '../auth/plugin.js';

const InboundResult = z.object({
  conversationId: z.string(),
  protocol: z.string(),
  messageId: z.number().nullable(),
  duplicate: z.boolean().describe('true when this externalId was already received: accepted and ignored'),
});

export function apiChannelRoutes(app: FastifyInstance, { runtime, secretKey }: { runtime: Runtime; secretKey: SecretKey }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = runtime.engine.db;
  const tokens = new InboundAuthenticator(db);
  const stopClearing = runtime.projection.onCatalogUpdated(() => tokens.clear());
  app.addHook('onClose', async () => stopClearing());

  api.post('/api/channels/api/:serviceId/messages', {
    // not a session route: the caller is a system with the service's Bearer token
    config: { access: 'public' },
    schema: {
      tags: ['channels'],
      summary: 'API channel: a customer message comes in (answers after it is durable)',
      security: [{ bearer: [] }],
      params: z.strictObject({ serviceId: z.uuid() }),
      body: InboundApiMessage,
      response: { 202: InboundResult, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    await tokens.check(req.params.serviceId, req.headers.authorization);
    // the same path as every provider's webhook: parsed, then stored before the answer
    const { messages: [r] } = await ingest(runtime.engine, { channel: 'api', accountId: null, serviceId: req.params.serviceId }, { messages: [parseApiMessage(req.body)], receipts: [] });
    return reply.code(202).send({ conversationId: r.conversationId, protocol: r.protocol, messageId: r.messageId, duplicate: r.duplicate });
  });

  api.post('/api/services/:id/api-credentials', {
    config: { access: ADMIN },
    schema: { tags: ['services'], summary: 'Issue (or rotate) the API channel token and webhook secret; shown once', params: IdParams, response: { 201: ApiCredentials, 404: ErrorBody, 422: ErrorBody } },
  }, async (req, reply) => {
    const credentials = await issueApiCredentials(db, req.actor, req.params.id, secretKey);
    // the old token stops working at once, on every node
    tokens.clear();
    await MonitorService.announceCatalogChange(runtime.engine);
    return reply.code(201).send(credentials);
  });
}
