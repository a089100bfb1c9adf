// Two Mirante nodes on one PostgreSQL and one Redis (issue 3, "Tests"): 500 conversations arrive at
// once for 50 agents of capacity 3, spread over both nodes' HTTP endpoints. The database guard must
// keep every agent at 3 or below and assign every conversation once; Redis must carry each node's
// events to the other, so both live projections end equal to the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, RealtimeEvent } from '../../src/contracts/events.js';
import { openPostgres, type Database } from '../../src/db/database.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser, freshDatabase, unique } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';
import { severalNodesSkipReason, startAppNode, type AppNode } from '../support/two-nodes.js';

const skipReason = await severalNodesSkipReason();

const AGENTS = 50;
const MAX_CHAT = 3;
const CONVERSATIONS = 500;

type Node = AppNode;

describe.skipIf(skipReason !== null)(`two Mirante nodes on one PostgreSQL and Redis${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let drop: () => Promise<void>;
  let dbB: Database;
  const nodes: Node[] = [];
  const loopErrors: unknown[] = [];
  let admin: Client;
  let team: { id: string };
  let services: { id: string; token: string }[] = [];
  let agentIds: string[] = [];

  async function signIn(node: Node, email: string, password: string): Promise<Client> {
    const c = new Client(node.url);
    const r = await c.post('/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`login ${email} on ${node.name}: ${r.status} ${JSON.stringify(r.body)}`);
    return c;
  }

  const inbound = (node: Node, s: { id: string; token: string }, customer: string, text: string) =>
    new Client(node.url).request('POST', `/api/channels/api/${s.id}/messages`, { contact: { externalId: customer, name: customer }, externalId: unique('m'), text }, {
      authorization: `Bearer ${s.token}`,
    });

  /** Runs `fn` over `items`, at most `width` at a time (argon2 hashing is CPU-bound on two cores). */
  async function inBatches<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const out: R[] = [];
    for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map((x, j) => fn(x, i + j)))));
    return out;
  }

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    // node B has its own pool to the same database, as a second process would
    dbB = openPostgres(fresh.url!);
    await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
    const loops = { background: true, onError: (err: unknown) => loopErrors.push(err) };
    nodes.push(await startAppNode('A', fresh.db, loops), await startAppNode('B', dbB, loops));
    admin = await signIn(nodes[0], ADMIN_EMAIL, ADMIN_PASSWORD);
    // the agents log in over HTTP without a desk socket: a long grace keeps them from timing out mid-test
    const settings = (await admin.get('/api/settings')).body;
    expect((await admin.patch('/api/settings', { timeouts: { ...settings.timeouts, agentGraceSeconds: 3600 } })).status).toBe(200);

    team = await createTeam(admin, { maxChat: MAX_CHAT });
    services = await Promise.all(
      [0, 1].map(async () => {
        const s = await createService(admin, { channel: 'api', teamIds: [team.id] });
        const creds = (await admin.post(`/api/services/${s.id}/api-credentials`)).body;
        return { id: s.id as string, token: creds.token as string };
      }),
    );
    const agents = await inBatches(Array.from({ length: AGENTS }), 10, () => createUser(admin, { agentEnabled: true, teamIds: [team.id] }));
    agentIds = agents.map((a) => a.id);
    // every agent logs in on alternating nodes
    await inBatches(agents, 10, async (a, i) => {
      const desk = await signIn(nodes[i % 2], a.email, a.password);
      const r = await desk.post('/api/agent/login');
      if (r.status !== 200 || r.body.state !== 'available') throw new Error(`agent login: ${r.status} ${JSON.stringify(r.body)}`);
    });
  }, 90_000);

  afterAll(async () => {
    for (const n of nodes) {
      await n.app.close();
      await n.runtime.stop();
    }
    await dbB?.close();
    await drop?.();
  });

  it('500 conversations for 50 agents of capacity 3: nobody above 3, each assigned once, both projections equal the database', async () => {
    const sent = await Promise.all(
      Array.from({ length: CONVERSATIONS }, (_, i) => inbound(nodes[i % 2], services[i % services.length], `cliente-${i}`, `mensagem ${i}`)),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(CONVERSATIONS).fill(202));
    const ids = new Set(sent.map((r) => r.body.conversationId as string));
    expect(ids.size).toBe(CONVERSATIONS);

    const counts = async () => {
      const { rows } = await nodes[0].db.query<{ state: string; n: number }>(
        `SELECT state, count(*)::int AS n FROM conversations WHERE service_id = ANY($1::uuid[]) GROUP BY state`,
        [services.map((s) => s.id)],
      );
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    };
    await expect.poll(counts, { timeout: 40_000, interval: 200 }).toEqual({ in_service: AGENTS * MAX_CHAT, queued: CONVERSATIONS - AGENTS * MAX_CHAT });
    // let any pass still running on either node finish, then look again: nothing more may move
    for (const n of nodes) await n.runtime.router.idle();
    expect(await counts()).toEqual({ in_service: AGENTS * MAX_CHAT, queued: CONVERSATIONS - AGENTS * MAX_CHAT });

    const db = nodes[0].db;
    // no agent above 3, now (counter and real conversations agree) …
    const presence = await db.query<{ user_id: string; open_chat: number; state: string }>(
      'SELECT user_id, open_chat, state FROM agent_presence WHERE user_id = ANY($1::uuid[])',
      [agentIds],
    );
    expect(presence.rows).toHaveLength(AGENTS);
    for (const p of presence.rows) expect(p).toMatchObject({ open_chat: MAX_CHAT, state: 'in_service' });
    const perAgent = await db.query<{ agent_id: string; n: number }>(
      `SELECT agent_id, count(*)::int AS n FROM conversations WHERE state = 'in_service' AND service_id = ANY($1::uuid[]) GROUP BY agent_id`,
      [services.map((s) => s.id)],
    );
    expect(perAgent.rows).toHaveLength(AGENTS);
    expect(Math.max(...perAgent.rows.map((r) => r.n))).toBeLessThanOrEqual(MAX_CHAT);
    // … and never: every agent view the log ever carried
    const ever = await db.query<{ max: number | null }>(
      `SELECT max((payload->'agent'->>'openChat')::int) AS max FROM events WHERE type = 'agent.updated' AND agent_id = ANY($1::uuid[])`,
      [agentIds],
    );
    expect(ever.rows[0].max).toBe(MAX_CHAT);

    // every conversation assigned exactly once: one 'assigned' event for each of the 150, none for the rest
    const assigned = await db.query<{ conversation_id: string; n: number }>(
      `SELECT conversation_id, count(*)::int AS n FROM events
        WHERE type = 'conversation.updated' AND payload->>'reason' = 'assigned' AND conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`,
      [[...ids]],
    );
    expect(assigned.rows).toHaveLength(AGENTS * MAX_CHAT);
    expect(assigned.rows.every((r) => r.n === 1)).toBe(true);
    const convs = await db.query<{ id: string; state: string; agent_id: string | null }>(
      'SELECT id, state, agent_id FROM conversations WHERE id = ANY($1::uuid[])',
      [[...ids]],
    );
    const inService = convs.rows.filter((c) => c.state === 'in_service');
    expect(new Set(inService.map((c) => c.id))).toEqual(new Set(assigned.rows.map((r) => r.conversation_id)));
    expect(inService.every((c) => c.agent_id !== null && agentIds.includes(c.agent_id))).toBe(true);
    expect(convs.rows.filter((c) => c.state === 'queued').every((c) => c.agent_id === null)).toBe(true);
    // every accepted customer message is stored once
    const stored = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE author_type = 'customer' AND conversation_id = ANY($1::uuid[])`,
      [[...ids]],
    );
    expect(stored.rows[0].n).toBe(CONVERSATIONS);

    // both nodes' live projections: the same open conversations, states and agents as the database
    const truth = new Map(convs.rows.map((c) => [c.id, `${c.state}/${c.agent_id}`]));
    const agentTruth = new Map(presence.rows.map((p) => [p.user_id, `${p.state}/${p.open_chat}`]));
    for (const n of nodes) {
      await expect
        .poll(
          async () => {
            await n.runtime.projection.settled();
            const seen = new Map<string, string>();
            for (const c of n.runtime.projection.conversations.values()) if (ids.has(c.id)) seen.set(c.id, `${c.state}/${c.agentId}`);
            return seen;
          },
          { timeout: 10_000, message: `projection of node ${n.name}` },
        )
        .toEqual(truth);
      const agentsSeen = new Map(agentIds.map((id) => {
        const a = n.runtime.projection.agents.get(id);
        return [id, `${a?.presence}/${a?.openChat}`];
      }));
      expect(agentsSeen, `agents in the projection of node ${n.name}`).toEqual(agentTruth);
    }
    expect(loopErrors).toEqual([]);
  }, 60_000);

  it('Redis fan-out: a supervisor watching on node B sees a conversation created through node A', async () => {
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    const supervisor = await signIn(nodes[1], sup.email, sup.password);
    const ws = await WsClient.open(nodes[1].url, supervisor.cookie);
    ws.send({ type: 'subscribe', stream: 'monitor' });
    await ws.next((m) => m.type === 'caught_up');
    // what reaches node B's bus from outside: only Redis can bring an event node A published
    const onB: RealtimeEvent[] = [];
    const off = nodes[1].runtime.bus.subscribe((events) => onB.push(...events));

    const r = await inbound(nodes[0], services[0], unique('fan-out'), 'olá pelo nó A');
    expect(r.status).toBe(202);
    const created = await ws.next<{ type: 'event'; event: EventOf<'conversation.created'> }>(
      (m) => m.type === 'event' && m.event.type === 'conversation.created' && m.event.conversation.id === r.body.conversationId,
    );
    expect(created.event.conversation).toMatchObject({ serviceId: services[0].id, state: 'queued' });
    await ws.next((m) => m.type === 'event' && m.event.type === 'message.created' && m.event.message.body === 'olá pelo nó A');
    expect(onB.some((e) => 'conversation' in e && e.conversation.id === r.body.conversationId)).toBe(true);
    off();
    await ws.close();
  });
});
