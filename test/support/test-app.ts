import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openPGlite, openPostgres, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { buildApp } from '../../src/server/app.js';
import type { WebchatLimits } from '../../src/server/rate-limit.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { ManualClock } from '../../src/engine/clock.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { expectOutbound } from './outbound-guard.js';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'admin-password-1';
/** MIRANTE_SECRET_KEY of every test app (PostgreSQL refuses to start without one). */
export const TEST_SECRET_KEY = 'test-secret-key-for-mirante-tests';

export interface TestApp {
  url: string;
  db: Database;
  app: FastifyInstance;
  /** the engine, its projection, router and scheduler; loops do not run on their own in tests */
  runtime: Runtime;
  /** the engine's clock: move it, then `runtime.scheduler.tick()` fires what is due */
  clock: ManualClock;
  /** waits for routing to settle and the projection to apply every event */
  settle(): Promise<void>;
  close(): Promise<void>;
  /** A signed-in client: keeps the session cookie. */
  login(email?: string, password?: string): Promise<Client>;
  anonymous(): Client;
}

/**
 * A fresh database for this test file: PGlite in memory, or a clone of the migrated template on
 * PostgreSQL; there, `url` lets a test open a second pool to it, as another node would.
 */
export async function freshDatabase(): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openPGlite();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `mirante_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = openPostgres(u.toString());
  return {
    db,
    url: u.toString(),
    async drop() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * One app for the whole test file: started before its tests and closed after them; `assign` gets it
 * with its signed-in admin (`appForFile((app) => ({ t, admin } = app))`).
 */
export function appForFile(assign: (app: { t: TestApp; admin: Client }) => void, over: Partial<Config> = {}): void {
  beforeAll(async () => {
    const t = await startTestApp(over);
    assign({ t, admin: await t.login() });
    return () => t.close();
  });
}

export async function startTestApp(over: Partial<Config> = {}, opts: { webchatLimits?: Partial<WebchatLimits> } = {}): Promise<TestApp> {
  const { db, drop } = await freshDatabase();
  await ensureFirstAdmin(db, ADMIN_EMAIL, ADMIN_PASSWORD);
  // test clients stand in for the proxy in front of Mirante: their X-Forwarded-For is believed (TRUST_PROXY=loopback)
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY, trustProxy: ['loopback'], ...over };
  const clock = new ManualClock();
  const runtime = await startRuntime(db, { clock, background: false });
  const app = await buildApp({ db, config, runtime, webchatLimits: opts.webchatLimits });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  // the test's own client calls (and the app's calls to itself) are expected (outbound-guard.ts)
  const unexpect = expectOutbound(url);
  return {
    url,
    db,
    app,
    runtime,
    clock,
    async settle() {
      await runtime.router.idle();
      await runtime.projection.settled();
    },
    async close() {
      await app.close();
      await runtime.stop();
      await drop();
      unexpect();
    },
    async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
      const c = new Client(url);
      const r = await c.post('/api/auth/login', { email, password });
      if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
    anonymous: () => new Client(url),
  };
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  cookie = '';
  /** A client of the app at `base`: its requests are expected (outbound-guard.ts). */
  constructor(readonly base: string) {
    expectOutbound(base);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair] = c.split(';');
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get = <T = any>(p: string) => this.request<T>('GET', p);
  post = <T = any>(p: string, b?: unknown) => this.request<T>('POST', p, b ?? {});
  patch = <T = any>(p: string, b: unknown) => this.request<T>('PATCH', p, b);
  put = <T = any>(p: string, b: unknown) => this.request<T>('PUT', p, b);
  del = <T = any>(p: string) => this.request<T>('DELETE', p);
}

let seq = 0;
/** Factories: each test builds its own data, with unique names. */
export const unique = (prefix: string) => `${prefix} ${process.pid}-${++seq}-${randomBytes(2).toString('hex')}`;

export async function createUser(admin: Client, over: Record<string, unknown> = {}) {
  const email = `${unique('u').replace(/\s/g, '-')}@test.local`.toLowerCase();
  const r = await admin.post('/api/users', { email, name: unique('Usuária'), role: 'agent', password: 'password-123', ...over });
  if (r.status !== 201) throw new Error(`createUser: ${r.status} ${JSON.stringify(r.body)}`);
  return { ...r.body, password: (over.password as string) ?? 'password-123' };
}

export async function createTeam(admin: Client, over: Record<string, unknown> = {}) {
  const r = await admin.post('/api/teams', { name: unique('Equipe'), ...over });
  if (r.status !== 201) throw new Error(`createTeam: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function createService(admin: Client, over: Record<string, unknown> = {}) {
  const r = await admin.post('/api/services', { name: unique('Serviço'), channel: 'webchat', ...over });
  if (r.status !== 201) throw new Error(`createService: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A bot flow for tests: a menu whose first option goes to the queue and second ends the chat. */
export const TWO_STEP = {
  version: 1,
  start: 'menu',
  steps: {
    menu: { kind: 'menu', text: 'Escolha:', options: [{ id: 'a', label: 'Atendente', next: 'fila' }, { id: 'b', label: 'Sair', next: 'fim' }] },
    fila: { kind: 'transfer', text: 'Transferindo.' },
    fim: { kind: 'end', text: 'Até logo.' },
  },
};

/**
 * Lets API-channel webhooks reach loopback, as test receivers on 127.0.0.1 need (Parâmetros →
 * allowPrivateWebhookTargets; off by default).
 */
export async function allowPrivateWebhookTargets(admin: Client, allow = true) {
  const r = await admin.patch('/api/settings', { allowPrivateWebhookTargets: allow });
  if (r.status !== 200) throw new Error(`allowPrivateWebhookTargets: ${r.status} ${JSON.stringify(r.body)}`);
}

/** An API-channel service with its credentials, and `send`: a customer message posted with its token. */
export async function createApiService(t: TestApp, admin: Client, over: Record<string, unknown> = {}) {
  const service = await createService(admin, { channel: 'api', ...over });
  const creds = (await admin.post(`/api/services/${service.id}/api-credentials`)).body as { token: string; webhookSecret: string };
  const send = (body: Record<string, unknown>, token = creds.token) =>
    t.anonymous().request('POST', `/api/channels/api/${service.id}/messages`, body, { authorization: `Bearer ${token}` });
  return { service, creds, send };
}
