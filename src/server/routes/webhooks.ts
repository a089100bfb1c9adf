import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelRegistry, WebhookParseError, type WebhookReply, type WebhookRequest } from '../../channels/adapter.js';
import { ingest } from '../../channels/ingest.js';
import { ErrorBody } from '../../contracts/common.js';
import { CatalogCache } from '../../engine/catalog-cache.js';
import { loadChannelAccount, serviceOfAccount, type LoadedChannelAccount } from '../../engine/channel-accounts.js';
import { AppError, notFound } from '../../engine/errors.js';
import type { Runtime } from '../../engine/runtime.js';
import type { SecretKey } from '../../engine/secrets.js';
import type { WebhookFailure } from '../metrics.js';

// The one public entry of every provider: POST /webhooks/{channel}/{accountId} (and GET, for the
// providers that verify with a challenge). The body is kept as the exact bytes (a signature covers
// them: re-serialised JSON differs on escapes and accents), the adapter verifies them (401, nothing
// stored), parses them, and the answer leaves only once every message is committed. No cookie, no
// session: the provider's signature or secret is the authentication.

/** A provider's webhook is small (Meta batches up to ~1000 statuses in well under this). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const Params = z.strictObject({ channel: z.string().max(40), accountId: z.string().max(100) });

const WEBHOOK = { en: 'Webhook', pt: 'Webhook' };

export interface WebhookDeps {
  runtime: Runtime;
  secretKey: SecretKey;
  /** PUBLIC_URL: the address providers call (Twilio signs it); unset, the request's own */
  publicUrl?: string;
  /** told of every refused webhook (/metrics counts them by channel and reason) */
  onFailure?: (channel: string, reason: WebhookFailure) => void;
}

function webhookRequest(req: FastifyRequest, publicUrl: string | undefined): WebhookRequest {
  const query: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, string | string[] | undefined>)) query[k] = Array.isArray(v) ? v[0] : v;
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.host}`;
  return {
    method: req.method === 'GET' ? 'GET' : 'POST',
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    headers: req.headers,
    query,
    url: base + req.url,
  };
}

const send = (reply: FastifyReply, r: WebhookReply) => {
  reply.code(r.status);
  if (r.contentType) reply.type(r.contentType);
  return reply.send(r.body ?? '');
};

export async function registerWebhooks(app: FastifyInstance, { runtime, secretKey, publicUrl, onFailure = () => undefined }: WebhookDeps): Promise<void> {
  // the channel label only ever names a channel that exists: a scan of made-up paths adds no series
  const failed = (channel: string, reason: WebhookFailure) => onFailure(channelRegistry.get(channel) ? channel : 'unknown', reason);
  // an encapsulated scope: its parser keeps every body as a Buffer, for these routes only
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const api = scope.withTypeProvider<ZodTypeProvider>();

    // the account (its credentials decrypted) and the service its messages go to, a few seconds per
    // node: a provider's webhooks come in bursts, each would read and decrypt them again; dropped at
    // once when services or accounts change on any node (catalog.updated). Only found accounts are kept.
    const accounts = new CatalogCache<{ account: LoadedChannelAccount; serviceId: string | null }>(5000);
    const stopClearing = runtime.projection.onCatalogUpdated(() => accounts.clear());
    scope.addHook('onClose', async () => stopClearing());
    const account = async (channel: string, accountId: string) => {
      const adapter = channelRegistry.get(channel);
      try {
        // a channel without webhooks (WebChat, the API channel) is not an address either
        if (!adapter?.webhook) throw notFound(WEBHOOK, `${channel}/${accountId}`);
        const found = await accounts.get(`${channel}/${accountId}`, async () => {
          const loaded = await loadChannelAccount(runtime.engine.db, secretKey, channel, accountId);
          return { account: loaded, serviceId: await serviceOfAccount(runtime.engine.db, loaded.id) };
        });
        return { handler: adapter.webhook, ...found };
      } catch (err) {
        if (err instanceof AppError && err.status === 404) failed(channel, 'not_found');
        throw err;
      }
    };

    api.get('/webhooks/:channel/:accountId', {
      config: { access: 'public' },
      schema: {
        tags: ['channels'],
        summary: 'A provider verifies the webhook (Meta: hub.mode, hub.verify_token, hub.challenge)',
        params: Params,
        response: { 403: ErrorBody, 404: ErrorBody },
      },
    }, async (req, reply) => {
      const { handler, account: a } = await account(req.params.channel, req.params.accountId);
      if (!handler.challenge) {
        failed(req.params.channel, 'not_found');
        throw notFound(WEBHOOK, `${req.params.channel}/${req.params.accountId}`);
      }
      const r = handler.challenge(a, webhookRequest(req, publicUrl));
      if (!r) {
        failed(a.channel, 'signature');
        throw new AppError(403, 'forbidden', { en: 'the verification token does not match', pt: 'o token de verificação não confere' });
      }
      return send(reply, r);
    });

    api.post('/webhooks/:channel/:accountId', {
      config: { access: 'public' },
      schema: {
        tags: ['channels'],
        summary: 'A provider delivers messages and receipts (answered once they are durable)',
        params: Params,
        response: { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 413: ErrorBody },
      },
    }, async (req, reply) => {
      const { handler, account: a, serviceId } = await account(req.params.channel, req.params.accountId);
      const wr = webhookRequest(req, publicUrl);
      if (!(await handler.verify(a, wr))) {
        failed(a.channel, 'signature');
        throw new AppError(401, 'invalid_signature', { en: 'the request signature is missing or does not match', pt: 'a assinatura da requisição está ausente ou não confere' });
      }
      let parsed;
      try {
        parsed = await handler.parse(a, wr, { db: runtime.engine.db });
      } catch (err) {
        failed(a.channel, 'parse');
        if (err instanceof WebhookParseError) throw new AppError(400, 'validation_error', { en: `not a ${a.channel} webhook: ${err.message}`, pt: `não é um webhook de ${a.channel}: ${err.message}` });
        throw err;
      }
      const result = await ingest(runtime.engine, { channel: a.channel, accountId: a.id, ...(serviceId ? { serviceId } : {}) }, parsed);
      return send(reply, handler.ack?.(result) ?? { status: 200, contentType: 'application/json', body: JSON.stringify({ messages: result.messages.length, receipts: result.receipts }) });
    });
  });
}
