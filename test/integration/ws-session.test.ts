// Issue 12, defect 5: a /ws socket lives no longer than its session, and sees no more than its
// user's scope does now. Sign-out, a password change, a deactivation or an admin's "end sessions"
// close the sockets of the sessions that ended (4401, which the web app reads as "sign in again"),
// on every node; a supervisor removed from a team gets a fresh snapshot of the smaller scope and
// none of that team's events after it. A browser page of another site may not open the socket.
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/contracts/events.js';
import { openPostgres, type Database } from '../../src/db/database.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, appForFile, Client, createApiService, createTeam, createUser, freshDatabase, TEST_SECRET_KEY, unique,
  type TestApp,
} from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';
import { REDIS_URL, severalNodesSkipReason } from '../support/two-nodes.js';

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

/** Opens a socket with this client's session and subscribes; resolves once caught up. */
async function subscribed(c: Client, stream: 'agent' | 'monitor' = 'agent', base = t.url): Promise<WsClient & { closed: Promise<{ code: number; reason: string }> }> {
  const ws = await WsClient.open(base, c.cookie);
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.socket.once('close', (code, reason) => r({ code, reason: String(reason) })));
  ws.send({ type: 'subscribe', stream });
  await ws.next((m) => m.type === 'caught_up');
  return Object.assign(ws, { closed });
}

/** A round trip on the socket: it is open and served. */
async function answers(ws: WsClient): Promise<boolean> {
  const before = ws.messages.filter((m) => m.type === 'pong').length;
  ws.send({ type: 'ping' });
  await ws.next(() => ws.messages.filter((m) => m.type === 'pong').length > before);
  return true;
}

describe('a /ws socket and its session', () => {
  it('is closed when its user signs out', async () => {
    const u = await createUser(admin, { agentEnabled: true });
    const c = await t.login(u.email, u.password);
    const ws = await subscribed(c);
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    expect(await ws.closed).toEqual({ code: 4401, reason: 'session ended' });
  });

  it('a password change closes the sockets of the other sessions and keeps this one', async () => {
    const u = await createUser(admin, { agentEnabled: true });
    const here = await t.login(u.email, u.password);
    const elsewhere = await t.login(u.email, u.password);
    const mine = await subscribed(here);
    const other = await subscribed(elsewhere);
    const r = await here.patch('/api/auth/me', { currentPassword: u.password, newPassword: 'a-new-password-9' });
    expect(r.status).toBe(200);
    expect((await other.closed).code).toBe(4401);
    expect(await answers(mine)).toBe(true);
    expect((await here.get('/api/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    await mine.close();
  });

  it('is closed when an admin deactivates the user', async () => {
    const u = await createUser(admin, { agentEnabled: true });
    const ws = await subscribed(await t.login(u.email, u.password));
    expect((await admin.del(`/api/users/${u.id}`)).status).toBe(200);
    expect((await ws.closed).code).toBe(4401);
  });

  it('is closed when an admin ends the user’s sessions', async () => {
    const u = await createUser(admin, { role: 'supervisor' });
    const c = await t.login(u.email, u.password);
    const ws = await subscribed(c, 'monitor');
    expect((await admin.post(`/api/users/${u.id}/end-sessions`)).status).toBe(200);
    expect((await ws.closed).code).toBe(4401);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  for (const how of ['the user’s supervised teams', 'the team’s supervisors'] as const) {
    it(`a supervisor removed from a team (through ${how}) stops receiving its events`, async () => {
      const team = await createTeam(admin);
      const kept = await createTeam(admin);
      const { service, send } = await createApiService(t, admin, { teamIds: [team.id] });
      const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id, kept.id] });
      const before = await send({ contact: { externalId: unique('c'), name: 'Cliente' }, externalId: unique('m'), text: 'antes' });
      expect(before.status).toBe(202);
      await t.settle();
      const ws = await subscribed(await t.login(sup.email, sup.password), 'monitor');
      const first = ws.messages.find((m) => m.type === 'snapshot') as Extract<ServerMessage, { type: 'snapshot' }>;
      expect(first.conversations.map((c) => c.id)).toContain(before.body.conversationId);

      const r =
        how === 'the user’s supervised teams'
          ? await admin.patch(`/api/users/${sup.id}`, { supervisedTeamIds: [kept.id] })
          : await admin.patch(`/api/teams/${team.id}`, { supervisorIds: [] });
      expect(r.status).toBe(200);
      // the socket is re-scoped: a fresh snapshot without the team's conversations
      const snapshots = () => ws.messages.filter((m): m is Extract<ServerMessage, { type: 'snapshot' }> => m.type === 'snapshot');
      await ws.next(() => snapshots().length === 2);
      expect(snapshots()[1].conversations.map((c) => c.id)).not.toContain(before.body.conversationId);
      const from = ws.messages.length;

      const after = await send({ contact: { externalId: unique('c'), name: 'Cliente' }, externalId: unique('m'), text: 'depois' });
      expect(after.status).toBe(202);
      await t.settle();
      // a later event the supervisor still sees: everything before it has been filtered already
      expect((await admin.patch(`/api/teams/${kept.id}`, { name: unique('Equipe') })).status).toBe(200);
      await ws.next((m) => m.type === 'event' && m.event.type === 'catalog.updated' && ws.messages.indexOf(m) >= from);
      const seen = ws.messages.slice(from).flatMap((m) => (m.type === 'event' ? [m.event] : []));
      expect(seen.filter((e) => e.serviceId === service.id)).toEqual([]);
      expect(seen.some((e) => 'conversation' in e && e.conversation.id === after.body.conversationId)).toBe(false);
      await ws.close();
    });
  }

  it('a supervisor made an agent loses the monitor stream', async () => {
    const sup = await createUser(admin, { role: 'supervisor' });
    const ws = await subscribed(await t.login(sup.email, sup.password), 'monitor');
    expect((await admin.patch(`/api/users/${sup.id}`, { role: 'agent', supervisedTeamIds: [] })).status).toBe(200);
    expect((await ws.closed).code).toBe(4403);
  });

  it('refuses the upgrade from a page of another site (403), and takes its own and non-browser clients', async () => {
    const c = await t.login();
    const upgrade = (origin?: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(t.url.replace(/^http/, 'ws') + '/ws', { headers: { cookie: c.cookie, ...(origin ? { origin } : {}) } });
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('error', reject);
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('null')).toBe(403);
    expect(await upgrade(t.url)).toBe(101);
    expect(await upgrade()).toBe(101);
  });
});

const skipReason = await severalNodesSkipReason();

describe.skipIf(skipReason !== null)(`sockets on two nodes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const nodes: { url: string; app: FastifyInstance; runtime: Runtime; db: Database }[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const db of [fresh.db, openPostgres(fresh.url!)]) {
      const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY, redisUrl: REDIS_URL };
      const runtime = await startRuntime(db, { redisUrl: REDIS_URL, background: false });
      const app = await buildApp({ db, config, runtime });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      nodes.push({ db, app, runtime, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
    }
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) {
      await n.app.close();
      await n.runtime.stop();
    }
    await nodes[1]?.db.close();
    await drop?.();
  });

  it('a sign-out on node A closes the socket held on node B', async () => {
    const [a, b] = nodes;
    const root = new Client(a.url);
    expect((await root.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(200);
    const u = await createUser(root, { agentEnabled: true });
    const c = new Client(a.url);
    expect((await c.post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(200);
    const ws = await subscribed(c, 'agent', b.url);
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    expect((await ws.closed).code).toBe(4401);
  });
});
