import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../engine/errors.js';
import type { Config } from './config.js';
import { SESSION_COOKIE } from './auth/plugin.js';
import { demoPage } from './routes/webchat-demo.js';

/** The global /api limit, per node and in memory: behind a load balancer a client gets at most nodes × these. */
export interface ApiRateLimits {
  /** requests of one signed-in session per window */
  perSession: number;
  /** requests per window of one IP without a valid session (sign-in, public routes) */
  perIp: number;
  windowMs: number;
}

/**
 * Measured in Chromium: Início sends 6 requests as it opens, then none (it lives on the WebSocket;
 * a minute of switching its tabs twice a second sent 1); a person clicking through protocols and
 * admin screens sends tens a minute. 600 leaves room for scripts on a user's own session.
 */
export const DEFAULT_API_RATE_LIMITS: ApiRateLimits = { perSession: 600, perIp: 300, windowMs: 60_000 };

export interface HardeningOptions {
  rateLimits?: Partial<ApiRateLimits>;
  /** JSON and assets smaller than this many bytes go out uncompressed */
  compressThreshold?: number;
}

/** Routes with credentials of their own and ingest rates far above a person's: no global limit, no compression. */
export const INGEST_ROUTES = new Set(['/api/channels/api/:serviceId/messages']);

/** The WebChat widget's endpoints, called from customers' sites: loadable cross-origin, no page policy of the app. */
const isWidgetPath = (path: string) => path === '/widget.js' || path.startsWith('/webchat/');

/**
 * Security headers, compression and the global /api rate limit: registered before every route, so
 * each route registered later gets them.
 */
export async function registerHttpHardening(app: FastifyInstance, config: Config, options: HardeningOptions = {}): Promise<void> {
  registerSecurityHeaders(app, config);
  await app.register(helmet, {
    // set per path by registerSecurityHeaders
    contentSecurityPolicy: false,
    // widget.js and the widget's files are loaded cross-origin: their routes (and the hook) say so
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // a browser that saw HSTS refuses plain HTTP for a year: only when Mirante is served over HTTPS
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

  const limits = { ...DEFAULT_API_RATE_LIMITS, ...options.rateLimits };
  await app.register(rateLimit, { global: false });
  const apiLimit = app.rateLimit({
    // after the session check (onRequest): only a valid session earns its own bucket, so made-up
    // cookies cannot mint fresh buckets; everything else counts against the IP
    hook: 'preHandler',
    timeWindow: limits.windowMs,
    keyGenerator: (req) => {
      const token = req.user ? req.cookies[SESSION_COOKIE] : undefined;
      return token ? `s:${createHash('sha256').update(token).digest('base64url')}` : `ip:${req.ip}`;
    },
    max: (_req, key) => (key.startsWith('s:') ? limits.perSession : limits.perIp),
    errorResponseBuilder: (_req, ctx) => {
      const s = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new AppError(429, 'rate_limited', { en: `too many requests: try again in ${s} s`, pt: `requisições demais: tente de novo em ${s} s` });
    },
  });

  // before @fastify/compress's own onRoute hook, which reads `compress`
  app.addHook('onRoute', (route) => {
    if (INGEST_ROUTES.has(route.url)) {
      route.compress = false;
      return;
    }
    if (!route.url.startsWith('/api/')) return;
    const hooks = route.preHandler;
    route.preHandler = hooks === undefined ? [apiLimit] : Array.isArray(hooks) ? [...hooks, apiLimit] : [hooks, apiLimit];
  });

  await app.register(compress, {
    threshold: options.compressThreshold ?? 1024,
    encodings: ['br', 'gzip'],
    // no request bodies arrive compressed: not decompressing them keeps a zip bomb out
    globalDecompression: false,
  });
}

/** Policies as directive lists; `'self'` covers ws(s) to the same host only in CSP level 3 browsers, hence the explicit socket origin. */
function policy(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => (values.length ? `${name} ${values.join(' ')}` : name))
    .join('; ');
}

function appPolicy(sockets: string[], styleNonce: string | undefined, secure: boolean): string {
  return policy({
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // Mantine writes its CSS variables in <style> elements: they carry the page's nonce
    'style-src': ["'self'", ...(styleNonce ? [`'nonce-${styleNonce}'`] : [])],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...sockets],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
  });
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** The demo page's one <style> (the same for every service key). */
const DEMO_STYLE = sha256(/<style>([\s\S]*?)<\/style>/.exec(demoPage(''))?.[1] ?? '');

/** The demo page is a customer's page: its <style> by hash, the widget's script, API and socket from Mirante. */
function demoPolicy(sockets: string[]): string {
  return policy({
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': [DEMO_STYLE],
    'img-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'", ...sockets],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  });
}

const WIDGET_POLICY = policy({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The Content-Security-Policy of each response, by path, and the style nonce of the web app's
 * index.html (a fresh one per response, in `<meta property="csp-nonce">` where Vite and the app read it).
 */
function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const indexPath = join(config.webDir, 'index.html');
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined;
  const fixed = config.publicUrl ? socketOrigins(new URL(config.publicUrl).host, config.publicUrl.startsWith('https:')) : undefined;
  const sockets = (req: FastifyRequest) => fixed ?? (HOST.test(req.headers.host ?? '') ? socketOrigins(req.headers.host!, req.protocol === 'https') : []);

  // every request carries the policy, ingest included: the last one built is kept (one host, mostly)
  let last = { key: '', value: '' };
  const appHeader = (req: FastifyRequest) => {
    const key = `${req.protocol} ${req.headers.host}`;
    if (last.key !== key) last = { key, value: appPolicy(sockets(req), undefined, config.cookieSecure) };
    return last.value;
  };

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0];
    if (path === '/webchat/demo') {
      reply.header('content-security-policy', demoPolicy(sockets(req)));
    } else if (isWidgetPath(path)) {
      reply.header('content-security-policy', WIDGET_POLICY).header('cross-origin-resource-policy', 'cross-origin');
    } else {
      reply.header('content-security-policy', appHeader(req));
    }
  });

  if (!indexHtml) return;
  app.addHook('onSend', async (req, reply, payload) => {
    const isIndex = payload === indexHtml || (req.url.split('?')[0] === '/index.html' && String(reply.getHeader('content-type')).startsWith('text/html'));
    if (!isIndex || reply.statusCode !== 200) return payload;
    if (payload !== indexHtml) (payload as Readable).destroy?.();
    return withNonce(reply, indexHtml, appPolicy(sockets(req), '%NONCE%', config.cookieSecure));
  });
}

function socketOrigins(host: string, https: boolean): string[] {
  return https ? [`wss://${host}`] : [`ws://${host}`, `wss://${host}`];
}

function withNonce(reply: FastifyReply, html: string, template: string): string {
  const nonce = randomBytes(16).toString('base64');
  reply
    .header('content-security-policy', template.replace('%NONCE%', nonce))
    .header('cache-control', 'no-store')
    .removeHeader('content-length')
    .removeHeader('etag')
    .removeHeader('last-modified');
  return html.replace('<head>', `<head>\n    <meta property="csp-nonce" nonce="${nonce}" />`);
}
