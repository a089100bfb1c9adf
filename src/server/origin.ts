import type { FastifyRequest } from 'fastify';

/**
 * Whether a browser request comes from Mirante's own pages. With `PUBLIC_URL` its origin is the only
 * one accepted; without it, the Origin's host must be the Host the request was sent to (the scheme is
 * not compared: a TLS-terminating proxy makes the two differ). A request with no Origin (curl, an
 * integration) is not a cross-site browser request and passes; `Sec-Fetch-Site`, when the browser
 * sends it, must say same-origin (or none: typed in the address bar). A `PUBLIC_URL` on loopback (the
 * demo's `http://localhost:3000`, a developer's machine) also accepts loopback's other names for it
 * (127.0.0.1, [::1]) on the same scheme and port when the page was served from that very host: no page
 * of another site has a loopback origin, and a newcomer who types 127.0.0.1 can sign in.
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
  if (publicUrl) {
    const p = new URL(publicUrl);
    if (o.origin === p.origin) return true;
    return LOOPBACK.has(p.hostname) && LOOPBACK.has(o.hostname) && o.protocol === p.protocol && o.port === p.port && o.host === req.headers.host;
  }
  return o.host === req.headers.host;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
