import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import { openPostgres, type Database } from '../../src/db/database.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/engine/runtime.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser, freshDatabase, TEST_SECRET_KEY } from './test-app.js';
import { newVisitor, WidgetClient } from './widget-client.js';
import { WsClient } from './ws-client.js';

// Tests of several nodes need a PostgreSQL server and a Redis; without them they skip, saying why.
export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL || (DATABASE_URL ? 'redis://127.0.0.1:6379' : undefined);

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Why a test of several nodes cannot run here, or null when PostgreSQL and Redis both answer. */
export async function severalNodesSkipReason(): Promise<string | null> {
  if (!DATABASE_URL) return 'needs DATABASE_URL (a PostgreSQL server) and Redis';
  if (!(await redisAnswers(REDIS_URL!))) return `Redis does not answer at ${REDIS_URL} (set REDIS_URL)`;
  return null;
}

/** One Mirante node on `db` with the Redis bus, listening on a loopback port (its loops as `opts` says). */
export interface AppNode {
  name: string;
  url: string;
  db: Database;
  runtime: Runtime;
  app: FastifyInstance;
}

export async function startAppNode(name: string, db: Database, opts: Omit<RuntimeOptions, 'redisUrl'> = {}): Promise<AppNode> {
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY, redisUrl: REDIS_URL };
  const runtime = await startRuntime(db, { ...opts, redisUrl: REDIS_URL });
  const app = await buildApp({ db, config, runtime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { name, db, runtime, app, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

/**
 * Nodes A and B, each with its own connection to one fresh PostgreSQL database, on the Redis bus,
 * their loops driven by the test (no background timers; `background: true` runs them as a node
 * does), for the enclosing describe block: started
 * before its tests, closed after them. `signIn` gives a cookie session on a node.
 */
export function useTwoNodes(
  opts: { background?: boolean } = {},
): { nodes: AppNode[]; signIn(node: AppNode, email: string, password: string): Promise<Client> } {
  let drop: (() => Promise<void>) | undefined;
  let dbB: Database | undefined;
  const nodes: AppNode[] = [];
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    dbB = openPostgres(fresh.url!);
    await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
    const background = opts.background ?? false;
    nodes.push(await startAppNode('A', fresh.db, { background }), await startAppNode('B', dbB, { background }));
  }, 60_000);
  afterAll(async () => {
    for (const n of nodes) {
      await n.app.close();
      await n.runtime.stop();
    }
    await dbB?.close();
    await drop?.();
  });
  const signIn = async (node: AppNode, email: string, password: string) => {
    const c = new Client(node.url);
    const r = await c.post('/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`sign-in of ${email} on node ${node.name}: ${r.status}`);
    return c;
  };
  return { nodes, signIn };
}

/**
 * A WebChat conversation across two nodes: the agent's desk (its socket subscribed to the agent
 * stream, signed in) on node `b`, a new customer's widget on node `a` writing `firstWords`; resolves
 * once the conversation is in service and its `assigned` event reached the desk.
 */
export async function webchatAcrossNodes(a: AppNode, b: AppNode, firstWords: string) {
  const admin = new Client(b.url);
  await admin.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const team = await createTeam(admin);
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { teamIds: [team.id] });

  const desk = new Client(b.url);
  await desk.post('/api/auth/login', { email: agent.email, password: agent.password });
  const agentWs = await WsClient.open(b.url, desk.cookie);
  agentWs.send({ type: 'subscribe', stream: 'agent' });
  await agentWs.next((m) => m.type === 'caught_up');
  await desk.post('/api/agent/login');

  const visitorId = await newVisitor(a.url, service.key);
  const { client } = await WidgetClient.connect(a.url, service.key, visitorId);
  client.say(firstWords);
  const inService = await client.state('in_service', 0, 10_000);
  const assigned = await agentWs.next<any>((m) => m.type === 'event' && 'reason' in m.event && m.event.reason === 'assigned', 10_000);
  return { admin, team, agent, service, desk, agentWs, visitorId, client, inService, conversationId: assigned.event.conversation.id as string };
}
