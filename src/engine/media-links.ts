import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretKey } from './secrets.js';

// Signed, expiring public addresses of an attachment, for a provider that fetches an outbound file
// from a URL (Twilio's MediaUrl). `GET /media/{id}?exp=<unix seconds>&sig=<base64url>`, the signature
// HMAC-SHA256 over "id.exp" with a key derived from MIRANTE_SECRET_KEY (its own purpose, so a link
// signature can never stand for anything else the secret key protects). No cookie: whoever holds the
// link may fetch the file until it expires, so links are made only for a message being sent.

/** How long a link works: the provider's fetch comes within seconds, retries within a few hours. */
export const MEDIA_LINK_TTL_MS = 4 * 3_600_000;

const linkKeys = new WeakMap<SecretKey, Buffer>();
function linkKey(key: SecretKey): Buffer {
  let k = linkKeys.get(key);
  if (!k) linkKeys.set(key, (k = createHmac('sha256', key).update('mirante/media-link/v1').digest()));
  return k;
}

export function mediaLinkSignature(key: SecretKey, attachmentId: string, exp: number): string {
  return createHmac('sha256', linkKey(key)).update(`${attachmentId}.${exp}`).digest('base64url');
}

/** The public address of an attachment, valid `ttlMs` from `now`; `publicUrl` is PUBLIC_URL. */
export function signedMediaUrl(key: SecretKey, publicUrl: string, attachmentId: string, now: Date, ttlMs = MEDIA_LINK_TTL_MS): string {
  const exp = Math.floor((now.getTime() + ttlMs) / 1000);
  return `${publicUrl.replace(/\/+$/, '')}/media/${encodeURIComponent(attachmentId)}?exp=${exp}&sig=${mediaLinkSignature(key, attachmentId, exp)}`;
}

/** Whether a link's `exp` and `sig` hold for this attachment at `now` (constant-time compare). */
export function checkMediaLink(key: SecretKey, attachmentId: string, exp: string, sig: string, now: Date): 'valid' | 'expired' | 'invalid' {
  if (!/^\d{1,12}$/.test(exp)) return 'invalid';
  const expected = Buffer.from(mediaLinkSignature(key, attachmentId, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Number(exp) * 1000 <= now.getTime() ? 'expired' : 'valid';
}
