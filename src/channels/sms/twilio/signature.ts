import { createHmac, timingSafeEqual } from 'node:crypto';

// Twilio's webhook signature (twilio-node src/webhooks/webhooks.ts): X-Twilio-Signature =
// base64(HMAC-SHA1(auth token, the URL Twilio called + every form field as key+value, keys sorted;
// a repeated key's values sorted too)). The URL is the public one (PUBLIC_URL + path, with its query).

/** The signature Twilio sends for a form POST to `url`. */
export function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): string {
  const pairs = [...params].sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const data = url + pairs.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** The URL with and without the scheme's default port: Twilio may have signed either (twilio-node checks both). */
function urlForms(url: string): string[] {
  const m = /^(https?):\/\/([^/:?#]+)(:\d+)?(.*)$/i.exec(url);
  if (!m) return [url];
  const port = m[1].toLowerCase() === 'https' ? ':443' : ':80';
  if (!m[3]) return [url, `${m[1]}://${m[2]}${port}${m[4]}`];
  return m[3] === port ? [url, `${m[1]}://${m[2]}${m[4]}`] : [url];
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Constant-time check of X-Twilio-Signature for a form body; false without a token or a header. */
export function verifyTwilioSignature(authToken: string | undefined, url: string, rawBody: Buffer, header: string | string[] | undefined): boolean {
  if (!authToken || typeof header !== 'string' || !header) return false;
  const params = [...new URLSearchParams(rawBody.toString('utf8'))];
  let ok = false;
  // every form is computed, so the time does not tell which one matched
  for (const u of urlForms(url)) ok = same(twilioSignature(authToken, u, params), header.trim()) || ok;
  return ok;
}
