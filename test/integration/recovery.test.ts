// Restart recovery (issue 3, "Bad input and faults"): a node stops in the middle of traffic, with
// conversations queued and in service and queue timers pending; a new node on the same data must
// rebuild the live projection, keep routing and firing timers, and have lost no accepted message.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { ManualClock } from '../../src/engine/clock.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, createUser, TEST_SECRET_KEY, unique } from '../support/test-app.js';
import { deferAfterAll, storages } from '../support/storages.js';

interface Node {
  url: string;
  db: Database;
  runtime: Runtime;
  app: FastifyInstance;
  settle(): Promise<void>;
  /** Stops at once: open requests lose their connection, nothing is finished or drained first. */
  crash(): Promise<void>;
}

async function startNode(db: Database, clock: ManualClock): Promise<Node> {
  await ensureFirstAdmin(db, ADMIN_EMAIL, ADMIN_PASSWORD);
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY };
  const runtime = await startRuntime(db, { clock, background: false });
  const app = await buildApp({ db, config, runtime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    db,
    runtime,
    app,
    async settle() {
      await runtime.router.idle();
      await runtime.projection.settled();
    },
    async crash() {
      app.server.closeAllConnections();
      await app.close();
      await runtime.stop();
      await db.close();
    },
  };
}

/** The same signed-in user on another node: sessions live in the database. */
function sameSession(c: Client, node: Node): Client {
  const moved = new Client(node.url);
  moved.cookie = c.cookie;
  return moved;
}

async function signIn(node: Node, email: string, password: string): Promise<Client> {
  const c = new Client(node.url);
  const r = await c.post('/api/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return c;
}

const openStates = async (db: Database) => {
  const { rows } = await db.query<{ id: string; state: string; agent_id: string | null }>(
    `SELECT id, state, agent_id FROM conversations WHERE state IN ('triage', 'bot', 'queued', 'in_service')`,
  );
  return new Map(rows.map((r) => [r.id, `${r.state}/${r.agent_id}`]));
};

const projected = (node: Node) => new Map([...node.runtime.projection.conversations.values()].map((c) => [c.id, `${c.state}/${c.agentId}`]));

describe.each(storages())('restart recovery on $name', ({ make }) => {
  const defer = deferAfterAll();

  it('after an abrupt stop: projection rebuilt, queues routed, timers fired, no accepted message lost, duplicates still ignored', async () => {
    const storage = await make();
    defer(() => storage.cleanup());
    const clock = new ManualClock();
    const first = await startNode(await storage.open(), clock);
    defer(() => first.crash().catch(() => undefined));

    // an operation: one team of capacity 1, two agents, an API-channel service with short queue give-up
    const admin = await signIn(first, ADMIN_EMAIL, ADMIN_PASSWORD);
    const settings = (await admin.get('/api/settings')).body;
    await admin.patch('/api/settings', { timeouts: { ...settings.timeouts, agentGraceSeconds: 3600 } });
    const team = await createTeam(admin, { maxChat: 1 });
    const agents = [await createUser(admin, { agentEnabled: true, teamIds: [team.id] }), await createUser(admin, { agentEnabled: true, teamIds: [team.id] })];
    const service = await createService(admin, { channel: 'api', teamIds: [team.id], queueTimeoutSeconds: 300, inactivityTimeoutSeconds: 3600 });
    const { token } = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
    const desks = await Promise.all(agents.map((a) => signIn(first, a.email, a.password)));
    for (const d of desks) expect((await d.post('/api/agent/login')).status).toBe(200);

    const send = (node: Node, customer: string, externalId: string, text: string) =>
      new Client(node.url).request('POST', `/api/channels/api/${service.id}/messages`, { contact: { externalId: customer }, externalId, text }, { authorization: `Bearer ${token}` });

    // two conversations in service (one per agent), two queued behind them with their give-up timers
    const conv: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await send(first, `cliente-${i}`, unique('m'), `primeira ${i}`);
      expect(r.status).toBe(202);
      conv.push(r.body.conversationId);
      await first.settle();
      clock.advance(1000);
    }
    const before = await openStates(first.db);
    expect([...before.values()].map((s) => s.split('/')[0])).toEqual(['in_service', 'in_service', 'queued', 'queued']);
    const { rows: timers } = await first.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM timers WHERE kind = 'queue_timeout'`);
    expect(timers[0].n).toBe(2);
    // who got which: the agent of the first conversation frees a slot after the restart
    const [holder, other] = before.get(conv[0])!.endsWith(agents[0].id) ? [0, 1] : [1, 0];

    // traffic in flight: 40 deliveries (follow-ups and new customers), 4 at a time, so transactions
    // are in flight when the node stops after 10 answers (messages arriving together share one)
    const burst = Array.from({ length: 40 }, (_, i) => ({
      customer: i % 2 ? `cliente-${i % 4}` : `novo-${i}`,
      externalId: unique('burst'),
      text: `rajada ${i}`,
    }));
    let answered = 0;
    let crashed!: Promise<void>;
    const results: PromiseSettledResult<Awaited<ReturnType<typeof send>>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < burst.length) {
          const i = next++;
          [results[i]] = await Promise.allSettled([send(first, burst[i].customer, burst[i].externalId, burst[i].text)]);
          if (results[i].status === 'fulfilled' && ++answered === 10) crashed = first.crash();
        }
      }),
    );
    await crashed;
    const accepted = results.flatMap((r, i) => (r.status === 'fulfilled' && r.value.status === 202 ? [{ ...burst[i], ...r.value.body }] : []));
    expect(accepted.length).toBeGreaterThanOrEqual(10);
    expect(accepted.length).toBeLessThan(burst.length); // the stop really cut traffic short
    // what the stopped node's projection held is what a new node must find again
    const lastSeen = projected(first);

    // a new process on the same data, its clock where the old one stopped
    const clock2 = new ManualClock(clock.now());
    const second = await startNode(await storage.open(), clock2);
    defer(() => second.crash().catch(() => undefined));
    const truth = await openStates(second.db);
    expect(projected(second)).toEqual(truth);
    for (const [id, state] of lastSeen) expect(truth.get(id), `conversation ${id}`).toBe(state);
    for (const id of conv) expect(second.runtime.projection.conversations.has(id)).toBe(true);
    for (const a of agents) expect(second.runtime.projection.agents.get(a.id)).toMatchObject({ presence: 'in_service', openChat: 1 });

    // no accepted message lost: each 202 is stored, under the id it was answered with
    for (const a of accepted) {
      const { rows } = await second.db.query<{ body: string; conversation_id: string }>('SELECT body, conversation_id FROM messages WHERE id = $1 AND external_id = $2', [a.messageId, a.externalId]);
      expect(rows, `accepted ${a.externalId}`).toEqual([{ body: a.text, conversation_id: a.conversationId }]);
    }
    // the provider redelivers everything: accepted ones are duplicates; the rest are stored now, once each
    for (const b of burst) {
      const r = await send(second, b.customer, b.externalId, b.text);
      expect(r.status).toBe(202);
      const was = accepted.find((a) => a.externalId === b.externalId);
      if (was) expect(r.body).toMatchObject({ duplicate: true, conversationId: was.conversationId, messageId: was.messageId });
    }
    const { rows: stored } = await second.db.query<{ external_id: string; n: number }>(
      `SELECT external_id, count(*)::int AS n FROM messages WHERE external_id = ANY($1::text[]) GROUP BY external_id`,
      [burst.map((b) => b.externalId)],
    );
    expect(stored).toHaveLength(burst.length);
    expect(stored.every((s) => s.n === 1)).toBe(true);

    // routing goes on: with both agents full nothing moves; when one frees a slot, the oldest queued one goes to them
    second.runtime.router.schedule();
    await second.settle();
    expect((await openStates(second.db)).get(conv[2])).toBe('queued/null');
    const desk = sameSession(desks[holder], second);
    const done = await desk.post(`/api/conversations/${conv[0]}/finish`, { outcome: 'completed' });
    expect(done.status).toBe(200);
    await second.settle();
    expect((await openStates(second.db)).get(conv[2])).toBe(`in_service/${agents[holder].id}`);
    expect(second.runtime.projection.conversations.get(conv[2])).toMatchObject({ state: 'in_service', agentId: agents[holder].id });

    // timers set before the stop still fire: past the queue deadline, whoever still waits gave up
    const waiting = [...(await openStates(second.db))].filter(([, s]) => s.startsWith('queued')).map(([id]) => id);
    expect(waiting).toContain(conv[3]);
    clock2.advance(service.queueTimeoutSeconds * 1000 + 1000);
    expect(await second.runtime.scheduler.tick()).toBe(waiting.length);
    await second.settle();
    const { rows: ended } = await second.db.query<{ id: string; state: string; finished_by: string }>(
      'SELECT id, state, finished_by FROM conversations WHERE id = ANY($1::uuid[])',
      [waiting],
    );
    expect(ended.map((c) => `${c.state}/${c.finished_by}`)).toEqual(waiting.map(() => 'customer_gave_up/system'));
    // the in-service ones and the agents are untouched by the move of the clock
    expect((await openStates(second.db)).get(conv[1])).toBe(`in_service/${agents[other].id}`);
    expect(projected(second)).toEqual(await openStates(second.db));

    // each agent's state history, across both processes: contiguous, and only the current state open
    for (const a of agents) {
      const { rows: history } = await second.db.query<{ state: string; started_at: Date; ended_at: Date | null }>(
        'SELECT state, started_at, ended_at FROM agent_state_history WHERE user_id = $1 ORDER BY started_at, id',
        [a.id],
      );
      expect(history.filter((h) => h.ended_at === null).map((h) => h.state)).toEqual(['in_service']);
      expect(history.at(-1)!.ended_at).toBeNull();
      history.slice(1).forEach((h, i) => expect(history[i].ended_at!.getTime()).toBe(h.started_at.getTime()));
    }
    const holderStates = (await second.db.query<{ state: string }>('SELECT state FROM agent_state_history WHERE user_id = $1 ORDER BY started_at, id', [agents[holder].id])).rows;
    expect(holderStates.map((h) => h.state)).toEqual(['available', 'in_service', 'available', 'in_service']);
  }, 60_000);
});
