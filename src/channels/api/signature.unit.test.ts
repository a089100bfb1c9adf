import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './signature.js';

// The published test vector of Standard Webhooks (standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts, "sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signature', () => {
  it('matches the specification’s test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    // the key is the same with or without the whsec_ prefix, as the reference library reads it
    expect(signWebhook(VECTOR.secret.slice('whsec_'.length), VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('a new secret is whsec_ + base64 of 32 bytes, and signs as a plain HMAC over id.timestamp.body', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    const plain = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update('msg_1.1700000000.{}').digest('base64');
    expect(signWebhook(secret, 'msg_1', 1700000000, '{}')).toBe(`v1,${plain}`);
  });

  it('verifies within the tolerance only, with the right secret and body, among several signatures', () => {
    const headers = webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(headers).toEqual({ 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature });
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 299)).toBe(true);
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 301)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp - 301)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, headers, `${VECTOR.body} `, VECTOR.timestamp)).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), headers, VECTOR.body, VECTOR.timestamp)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body, VECTOR.timestamp)).toBe(false);
    const rotated = { ...headers, 'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${VECTOR.signature}` };
    expect(verifyWebhook(VECTOR.secret, rotated, VECTOR.body, VECTOR.timestamp)).toBe(true);
    expect(webhookHeaders(null, 'msg_2', 1, '{}')).toEqual({ 'webhook-id': 'msg_2', 'webhook-timestamp': '1' });
  });
});
