import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { loggerOptions } from '../../src/server/logging.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createApiService, freshDatabase, TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';

// The request log at the default level (info) keeps what an operator reads — refused and failed
// requests — and not one line per accepted message: at thousands of messages a second that cost the
// node a tenth of its CPU (issue 13). At debug every request has its line.

let runtime: Runtime;
let drop: () => Promise<void>;
const apps: FastifyInstance[] = [];

async function appLogging(level: string): Promise<{ url: string; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY, trustProxy: ['loopback'] };
  const app = await buildApp({ db: runtime.engine.db, config, runtime, logger: { ...loggerOptions(level), stream } });
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, lines };
}

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
  runtime = await startRuntime(fresh.db, { background: false });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await runtime.stop();
  await drop();
});

const requestLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l.req && (l.res as { statusCode?: number } | undefined)?.statusCode);

async function traffic(url: string) {
  const admin = new Client(url);
  expect((await admin.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(200);
  const { send } = await createApiService({ url, anonymous: () => new Client(url) } as unknown as TestApp, admin);
  for (let i = 0; i < 5; i++) expect((await send({ contact: { externalId: `c${i}` }, externalId: `e${i}`, text: 'oi' })).status).toBe(202);
  expect((await send({ contact: { externalId: 'c' }, externalId: 'x', text: 'oi' }, 'not-the-token')).status).toBe(401);
  expect((await admin.get('/api/teams/00000000-0000-4000-8000-000000000000')).status).toBe(404);
}

describe('the request log', () => {
  it('at info: a line for each refused request, none for the accepted ones', async () => {
    const { url, lines } = await appLogging('info');
    await traffic(url);
    const logged = requestLines(lines).map((l) => [(l.req as { url: string }).url.replace(/\/[0-9a-f-]{36}/g, '/:id'), (l.res as { statusCode: number }).statusCode, l.level]);
    expect(logged).toEqual([
      ['/api/channels/api/:id/messages', 401, 30],
      ['/api/teams/:id', 404, 30],
    ]);
    // each with its time taken
    for (const l of requestLines(lines)) expect(typeof l.responseTime).toBe('number');
  });

  it('at debug: every request', async () => {
    const { url, lines } = await appLogging('debug');
    await traffic(url);
    const statuses = requestLines(lines).map((l) => (l.res as { statusCode: number }).statusCode);
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses).toContain(401);
    expect(statuses).toContain(404);
  });

  it('an X-Request-Id: the one the request came with when it is safe, else a new one; returned, and on every line of the request', async () => {
    const { url, lines } = await appLogging('debug');
    const given = `edge-${Date.now()}.a_1:2`;
    const kept = await new Client(url).request('POST', '/api/auth/login', { email: ADMIN_EMAIL, password: 'a-wrong-password-42' }, { 'x-request-id': given });
    expect(kept.status).toBe(401);
    expect(kept.headers.get('x-request-id')).toBe(given);
    const mine = lines.filter((l) => l.reqId === given);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.some((l) => l.msg === 'request completed')).toBe(true);

    // too long, or characters that could forge a log line or a header: a fresh id instead
    for (const bad of ['x'.repeat(65), 'a b', 'a"b', '<script>', '']) {
      const r = await new Client(url).request('GET', '/healthz', undefined, { 'x-request-id': bad });
      const id = r.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(requestLines(lines).find((l) => l.reqId === id)).toBeDefined();
    }
    // made when none came, and different for each request
    const a = (await new Client(url).get('/healthz')).headers.get('x-request-id');
    const b = (await new Client(url).get('/healthz')).headers.get('x-request-id');
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    // an answer refused before any route (unknown path) has one too
    expect((await new Client(url).get('/api/no-such-route')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
