import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Outbound webhooks are signed as Standard Webhooks (standardwebhooks.com) signs them: the
// signature covers the message id, the time of the attempt and the body, so a receiver can refuse
// a replay (an old timestamp) or a second delivery (an id it has seen). docs/WEBHOOKS.md.

const PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the HMAC key is the decoded bytes). */
export const newWebhookSecret = () => PREFIX + randomBytes(32).toString('base64');

const keyOf = (secret: string) => Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/** `v1,` + base64 of HMAC-SHA256(key, `${id}.${timestamp}.${body}`). */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three headers of one delivery attempt; without a secret (no credentials issued), no signature. */
export function webhookHeaders(secret: string | null, id: string, timestamp: number, body: string): Record<string, string> {
  const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
  if (secret) headers['webhook-signature'] = signWebhook(secret, id, timestamp, body);
  return headers;
}

/**
 * A receiver's check: the timestamp within `toleranceSeconds` of now and one of the header's
 * space-separated `v1,` signatures matching.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const [id, ts, sigs] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => headers[h]);
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string' || !/^\d+$/.test(ts)) return false;
  if (Math.abs(nowSeconds - Number(ts)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, id, ts, body));
  return sigs.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
