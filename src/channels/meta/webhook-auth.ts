import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { WebhookReply, WebhookRequest } from '../adapter.js';
import { sameSecret } from '../same-secret.js';

// Meta's webhooks (WhatsApp Cloud API, Messenger, Instagram) are authenticated the same way:
// `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body keyed with the app secret
// (Meta's own Node SDK, src/utils.ts), and a GET handshake that echoes `hub.challenge` when
// `hub.mode` is `subscribe` and `hub.verify_token` is the account's.

/** The signature Meta sends for `rawBody`. */
export const hubSignature = (appSecret: string, rawBody: Buffer | string) => `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

/** Constant-time check of `X-Hub-Signature-256` over the exact bytes; false without an app secret. */
export function verifyHubSignature(appSecret: string | undefined, rawBody: Buffer, header: string | string[] | undefined): boolean {
  if (!appSecret || typeof header !== 'string') return false;
  const got = Buffer.from(header.trim().toLowerCase());
  const expected = Buffer.from(hubSignature(appSecret, rawBody));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** The GET handshake: the challenge echoed as text for the account's verify token, else null (403). */
export function hubChallenge(account: LoadedChannelAccount, req: WebhookRequest): WebhookReply | null {
  if (req.query['hub.mode'] !== 'subscribe' || !sameSecret(account.credentials.verifyToken, req.query['hub.verify_token'])) return null;
  return { status: 200, contentType: 'text/plain', body: req.query['hub.challenge'] ?? '' };
}
