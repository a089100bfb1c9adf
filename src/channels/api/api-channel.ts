import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../engine/actor.js';
import { writeAudit } from '../../engine/audit.js';
import { CatalogCache } from '../../engine/catalog-cache.js';
import type { OutboundHook } from '../../engine/engine.js';
import { AppError, at, notFound, NOUNS } from '../../engine/errors.js';
import { enqueueOutbox, PermanentFailure, type OutboxSender } from '../../engine/outbox.js';
import { decryptSecret, encryptSecret, type SecretKey } from '../../engine/secrets.js';
import { assertLiteralTarget, guardedLookup, urlHost } from '../../engine/webhook-targets.js';
import { newWebhookSecret, webhookHeaders } from './signature.js';

// The generic API channel: any system brings conversations in with a per-service token, and
// receives the agent's (and the platform's) messages on its webhook, signed as Standard Webhooks
// signs (docs/WEBHOOKS.md).

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Issues (or rotates) the service's inbound token and webhook secret; shown once. */
export async function issueApiCredentials(db: Database, actor: Actor, serviceId: string, key: SecretKey) {
  const token = `mrt_${randomBytes(24).toString('base64url')}`;
  const webhookSecret = newWebhookSecret();
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE services SET api_token_hash = $2, outbound_webhook_secret_encrypted = $3, updated_at = now() WHERE id = $1 AND channel = 'api'`,
      [serviceId, sha256(token), encryptSecret(key, webhookSecret)],
    );
    if (!rowCount) {
      const { rows } = await tx.query('SELECT channel FROM services WHERE id = $1', [serviceId]);
      if (!rows[0]) throw notFound(NOUNS.service, serviceId);
      throw new AppError(422, 'validation_error', at('serviceId', { en: 'only API-channel services have API credentials', pt: 'só serviços do canal API têm credenciais de API' }));
    }
    await writeAudit(tx, actor, { action: 'issue_api_credentials', entity: 'service', entityId: serviceId });
    return { token, webhookSecret };
  });
}

interface TokenRow {
  api_token_hash: string | null;
  channel: string;
  active: boolean;
}

/**
 * Checks the Bearer token of an inbound call; 401 without the right one, 404 for an unknown service.
 * The service's token hash is kept per node for a few seconds (an integration posts many messages a
 * second) and dropped at once when services change anywhere (catalog.updated) or the token rotates.
 */
export class InboundAuthenticator {
  private readonly cache: CatalogCache<TokenRow | null>;

  constructor(
    private readonly db: Database,
    ttlMs = 10_000,
  ) {
    this.cache = new CatalogCache(ttlMs);
  }

  async check(serviceId: string, authorization: string | undefined): Promise<void> {
    const s = await this.cache.get(serviceId, async () => {
      const { rows } = await this.db.query<TokenRow>('SELECT api_token_hash, channel, active FROM services WHERE id = $1', [serviceId]);
      return rows[0] ?? null;
    });
    if (!s || s.channel !== 'api' || !s.active) throw notFound(NOUNS.apiService, serviceId);
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const ok = token && s.api_token_hash && timingSafeEqual(Buffer.from(sha256(token)), Buffer.from(s.api_token_hash));
    if (!ok) throw new AppError(401, 'unauthenticated', at('Authorization', { en: 'a valid Bearer token of this service is required', pt: 'é preciso um token Bearer válido deste serviço' }));
  }

  clear(): void {
    this.cache.clear();
  }
}

/** Agent, bot and system messages of API-channel conversations go to the service's webhook. */
export const apiOutboundHook: OutboundHook = async (u, conversation, message) => {
  const { rows } = await u.tx.query<{ url: string | null; external_id: string | null }>(
    `SELECT s.outbound_webhook_url AS url,
        (SELECT external_id FROM contact_identities WHERE contact_id = $2 AND channel = 'api' LIMIT 1) AS external_id
       FROM services s WHERE s.id = $1`,
    [conversation.serviceId, conversation.contactId],
  );
  if (!rows[0]?.url) return;
  await enqueueOutbox(
    u.tx,
    {
      kind: 'api_webhook',
      messageId: message.id,
      target: rows[0].url,
      payload: {
        serviceId: conversation.serviceId,
        type: 'message',
        conversation: { id: conversation.id, protocol: conversation.protocol, state: conversation.state },
        contact: { externalId: rows[0].external_id },
        message: { id: message.id, authorType: message.authorType, authorName: message.authorName, text: message.body, createdAt: message.createdAt },
      },
    },
    u.now,
  );
};

/**
 * POSTs one outbox item to the webhook, signed; anything but 2xx (a redirect included: never
 * followed) is retried with back-off. Unless Parâmetros allow private targets, a host that is or
 * resolves to a loopback, private or link-local address fails the delivery for good; the connection
 * goes to the address that was checked. `webhook-id` is the outbox item's, the same on every retry.
 * A 2xx whose JSON body has an `id` gives the message its provider id (delivery receipts name it).
 */
export function apiWebhookSender(db: Database, key: SecretKey, now: () => number = Date.now): OutboxSender {
  // keep-alive sockets of the strict agents only ever reached checked addresses. An idle socket is
  // closed by us first: after 30 s, or a second before the receiver's announced `Keep-Alive:
  // timeout=n` (Node's agent honours the hint only below a timeout of its own): without it the
  // receiver closed idle sockets as the next send went out on them, "socket hang up" (the demo's
  // receiver, twice in ten minutes)
  const options = { keepAlive: true, timeout: 30_000 };
  const agents = {
    strict: { http: new http.Agent(options), https: new https.Agent(options) },
    open: { http: new http.Agent(options), https: new https.Agent(options) },
  };
  return async (item) => {
    const { rows } = await db.query<{ secret: string | null; allow: unknown }>(
      `SELECT outbound_webhook_secret_encrypted AS secret,
          (SELECT value FROM settings WHERE key = 'allowPrivateWebhookTargets') AS allow
         FROM services WHERE id = $1`,
      [item.payload.serviceId],
    );
    const allowPrivate = rows[0]?.allow === true;
    const url = URL.parse(item.target ?? '');
    if (!url) throw new PermanentFailure('webhook URL is not a URL');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PermanentFailure(`webhook URL scheme ${url.protocol} is not http or https`);
    const host = urlHost(url);
    if (!allowPrivate) assertLiteralTarget(host);
    const body = JSON.stringify(item.payload);
    const secret = rows[0]?.secret ? decryptSecret(key, rows[0].secret) : null;
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'Mirante-Webhook/1',
      ...webhookHeaders(secret, `msg_${item.id}`, Math.floor(now() / 1000), body),
    };
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const { status, body: answer } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = (scheme === 'https' ? https : http).request(
        {
          protocol: url.protocol,
          hostname: host,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers,
          auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
          agent: agents[allowPrivate ? 'open' : 'strict'][scheme],
          lookup: allowPrivate ? undefined : guardedLookup,
          signal: AbortSignal.timeout(10_000),
        },
        (res) => {
          // the status is the answer, and the receiver's id of the message if its body names one;
          // past 64 KiB the body is dropped (an abort later must not throw)
          res.on('error', () => undefined);
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < 65_536) text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          // cut short (an abort): the status still counts; a promise settles once, so after 'end' this is a no-op
          res.on('close', () => resolve({ status: res.statusCode ?? 0, body: '' }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    if (status >= 300 && status < 400) throw new Error(`webhook answered ${status} (redirects are not followed)`);
    if (status < 200 || status >= 300) throw new Error(`webhook answered ${status}`);
    return { providerMessageId: receiverMessageId(answer) };
  };
}

/** The receiver's id of the message, when its 2xx answer is JSON with a string or number `id` (or `messageId`). */
function receiverMessageId(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    const id = (parsed as { id?: unknown; messageId?: unknown }).id ?? (parsed as { messageId?: unknown }).messageId;
    if ((typeof id === 'string' && id.length > 0 && id.length <= 200) || typeof id === 'number') return String(id);
  } catch {
    /* not JSON: no id */
  }
  return undefined;
}
