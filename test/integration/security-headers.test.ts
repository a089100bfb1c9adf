// Security headers, compression and the global /api rate limit (issue 12, web security), through
// the real app: its index.html, an /api JSON answer, the widget's script and demo page, an asset.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_RATE_LIMITS } from '../../src/server/http-hardening.js';
import { createApiService, createTeam, createUser, startTestApp, unique, type Client, type TestApp } from '../support/test-app.js';

const dir = mkdtempSync(join(tmpdir(), 'mirante-headers-'));
const webDir = join(dir, 'web');
const widgetDir = join(dir, 'widget');
mkdirSync(join(webDir, 'assets'), { recursive: true });
mkdirSync(widgetDir);
const INDEX = `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="UTF-8" />
    <title>Mirante</title>
    <script type="module" crossorigin src="/assets/index-test.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`;
// compressible, and well over the threshold
const ASSET = Buffer.from(Array.from({ length: 2000 }, (_, i) => `export const v${i} = ${i} * 2; // ${randomBytes(4).toString('hex')}\n`).join(''));
writeFileSync(join(webDir, 'index.html'), INDEX);
writeFileSync(join(webDir, 'assets', 'index-test.js'), ASSET);
writeFileSync(join(widgetDir, 'widget.js'), '(function(){/* the widget */})();\n'.repeat(200));

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request whose answer is not decompressed (fetch would undo the content-encoding). */
function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (r: Raw) =>
  r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;

/** Splits a Content-Security-Policy into its directives. */
function csp(header: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of String(header ?? '').split(';')) {
    const [name, ...values] = d.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

let t: TestApp;
let admin: Client;
let secure: TestApp;

beforeAll(async () => {
  t = await startTestApp({ webDir, widgetDir });
  admin = await t.login();
  secure = await startTestApp({ webDir, widgetDir, cookieSecure: true });
});
afterAll(async () => {
  await t?.close();
  await secure?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('the app’s index.html: a strict CSP, its style nonce in the page, no framing, nosniff, a referrer policy', async () => {
    const r = await raw(t.url, '/inicio');
    expect(r.status).toBe(200);
    const html = r.body.toString();
    const policy = csp(r.headers['content-security-policy']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('connect-src')).toEqual(expect.arrayContaining(["'self'", `ws://${new URL(t.url).host}`]));
    expect(String(r.headers['content-security-policy'])).not.toContain('unsafe-inline');
    expect(String(r.headers['content-security-policy'])).not.toContain('unsafe-eval');
    const nonce = /<meta property="csp-nonce" nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('no-store');

    const again = await raw(t.url, '/');
    const second = /<meta property="csp-nonce" nonce="([^"]+)"/.exec(again.body.toString())?.[1];
    expect(second).toBeTruthy();
    expect(second).not.toBe(nonce);
    expect(csp(again.headers['content-security-policy']).get('style-src')).toEqual(["'self'", `'nonce-${second}'`]);
    // the file itself, as @fastify/static serves it, gets a nonce too
    const file = await raw(t.url, '/index.html');
    const third = /<meta property="csp-nonce" nonce="([^"]+)"/.exec(file.body.toString())?.[1];
    expect(third).toBeTruthy();
    expect(csp(file.headers['content-security-policy']).get('style-src')).toEqual(["'self'", `'nonce-${third}'`]);
  });

  it('an /api JSON answer carries the same headers', async () => {
    const r = await admin.get('/api/auth/me');
    expect(r.status).toBe(200);
    const policy = csp(r.headers.get('content-security-policy'));
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });

  it('/widget.js stays loadable from customers’ sites: cross-origin resource policy and open CORS', async () => {
    const r = await raw(t.url, '/widget.js', { origin: 'https://loja.example.com', 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'script' });
    expect(r.status).toBe(200);
    expect(r.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-type']).toMatch(/^application\/javascript/);
    // and the widget's API answers too (the widget calls it with fetch from the customer's page)
    const config = await raw(t.url, '/webchat/config/nao-existe', { origin: 'https://loja.example.com' });
    expect(config.headers['access-control-allow-origin']).toBe('*');
    expect(config.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('the demo page has its own policy: its one <style> by hash, the widget from Mirante, the socket', async () => {
    const r = await raw(t.url, '/webchat/demo?service=abc');
    expect(r.status).toBe(200);
    const policy = csp(r.headers['content-security-policy']);
    const style = /<style>([\s\S]*?)<\/style>/.exec(r.body.toString())![1];
    expect(policy.get('style-src')).toEqual([`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(expect.arrayContaining(["'self'", `ws://${new URL(t.url).host}`]));
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('HSTS only when the cookie is Secure (COOKIE_SECURE=true), with upgrade-insecure-requests', async () => {
    const plain = await raw(t.url, '/api/version');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(csp(plain.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(false);
    const r = await raw(secure.url, '/api/version');
    expect(r.headers['strict-transport-security']).toMatch(/^max-age=31536000/);
    expect(csp(r.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('compression', () => {
  it('an asset comes back in brotli or gzip, as asked, and decompresses to the same bytes', async () => {
    const plain = await raw(t.url, '/assets/index-test.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(ASSET)).toBe(true);
    for (const encoding of ['br', 'gzip']) {
      const r = await raw(t.url, '/assets/index-test.js', { 'accept-encoding': encoding });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe(encoding);
      expect(r.headers.vary).toMatch(/accept-encoding/i);
      expect(r.body.length).toBeLessThan(ASSET.length / 2);
      expect(decode(r).equals(ASSET)).toBe(true);
    }
  });

  it('a large JSON list comes back compressed, a small answer does not', async () => {
    for (let i = 0; i < 15; i++) await createTeam(admin, { name: unique('Equipe comprimida') });
    const headers = { cookie: admin.cookie };
    const plain = await raw(t.url, '/api/teams', headers);
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(1024);
    const r = await raw(t.url, '/api/teams', { ...headers, 'accept-encoding': 'br, gzip' });
    expect(r.headers['content-encoding']).toBe('br');
    expect(decode(r).equals(plain.body)).toBe(true);
    const small = await raw(t.url, '/api/version', { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});

describe('global /api rate limit', () => {
  const burst = async (client: Client, path: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 25) {
      const rs = await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => client.get(path)));
      statuses.push(...rs.map((r) => r.status));
    }
    return statuses;
  };

  it(`one session past ${DEFAULT_API_RATE_LIMITS.perSession} a minute gets 429 with Retry-After, in its language; another session does not`, async () => {
    const user = await createUser(admin, { role: 'supervisor' });
    const busy = await t.login(user.email, user.password);
    const other = await t.login(user.email, user.password);
    const statuses = await burst(busy, '/api/auth/me', DEFAULT_API_RATE_LIMITS.perSession);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const refused = await busy.request('GET', '/api/auth/me', undefined, { 'accept-language': 'pt-BR' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^requisições demais: tente de novo em \d+ s$/) } });
    const english = await busy.get('/api/auth/me');
    expect(english.body.error.message).toMatch(/^too many requests: try again in \d+ s$/);

    // the same user's other session, and the admin, are their own buckets
    expect((await other.get('/api/auth/me')).status).toBe(200);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it(`requests without a valid session count against the IP (${DEFAULT_API_RATE_LIMITS.perIp} a minute); made-up cookies do not mint buckets; sessions and ingest go on`, async () => {
    const api = await createApiService(t, admin);
    const anonymous = t.anonymous();
    anonymous.cookie = `mirante_session=${randomBytes(24).toString('base64url')}`;
    // a made-up cookie on a public route is counted against the IP, like no cookie (the sign-ins
    // above counted too: the IP's bucket is a few requests short of full)
    const first = await burst(anonymous, '/api/version', DEFAULT_API_RATE_LIMITS.perIp - 10);
    expect(first.every((s) => s === 200)).toBe(true);
    anonymous.cookie = `mirante_session=${randomBytes(24).toString('base64url')}`;
    const rest = await burst(anonymous, '/api/version', 10);
    expect(rest.at(-1)).toBe(429);
    const refused = await anonymous.get('/api/version');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body.error.code).toBe('rate_limited');
    // the sign-in route is an /api route without a session: refused as well
    expect((await t.anonymous().post('/api/auth/login', { email: 'x@y.com', password: 'whatever-123' })).status).toBe(429);

    // a signed-in session from the same IP is not behind the IP's limit
    expect((await admin.get('/api/auth/me')).status).toBe(200);
    // nor is the API channel's customer-message route (its own token, ingest rates)
    const sent = await Promise.all(Array.from({ length: 5 }, () => api.send({ contact: { externalId: unique('c') }, externalId: unique('m'), text: 'oi' })));
    expect(sent.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    // nor health, static files or the widget
    expect((await raw(t.url, '/healthz')).status).toBe(200);
    expect((await raw(t.url, '/assets/index-test.js')).status).toBe(200);
    expect((await raw(t.url, '/widget.js')).status).toBe(200);
  });
});
