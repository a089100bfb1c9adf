import type { FastifyRequest } from 'fastify';

/**
 * Whether a browser request comes from Mirante's own pages. With `PUBLIC_URL` its origin is the only
 * one accepted; without it, the Origin's host must be the Host the request was sent to (the scheme is
 * not compared: a TLS-terminating proxy makes the two differ). A request with no Origin (curl, an
 * integration) is not a cross-site browser request and passes; `Sec-Fetch-Site`, when the browser
 * sends it, must say same-origin (or none: typed in the address bar).
 */
export function isOwnOrigin(req: Pick<FastifyRequest, 'headers'>, publicUrl: string | undefined): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl) return o.origin === new URL(publicUrl).origin;
  return o.host === req.headers.host;
}
