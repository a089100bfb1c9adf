// Stopping a node under load (issue 12, defect 11): SIGTERM right after a burst failed 4 of 32 customer
// messages in flight with "Cannot use a pool after calling end on the pool". Mirante runs as its own
// process (src/server/main.ts). On SIGTERM it must stop accepting, answer every request it already
// took (a message waiting in the inbound batcher included), close its WebSockets with "going away",
// and only then close the pool and exit 0; a request that comes too late is refused (connection
// refused or 503), never a 500. Two nodes on PostgreSQL and Redis restarted one after the other under
// load, behind a client that retries refused requests on the other node, fail no request.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { deferAfterAll, storages } from '../support/storages.js';
import { Client } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';
import { REDIS_URL, severalNodesSkipReason } from '../support/two-nodes.js';

const ADMIN = { email: 'shutdown@test.local', password: 'shutdown-password-1' };

type Outcome =
  | { kind: 'accepted'; duplicate: boolean }
  /** not taken: 503 from a node that is closing, or the connection refused */
  | { kind: 'refused'; how: string }
  /** the connection closed without an answer */
  | { kind: 'dropped'; how: string }
  | { kind: 'failed'; status: number; body: string };

interface Api {
  serviceId: string;
  token: string;
}

async function postMessage(url: string, api: Api, body: { contact: { externalId: string }; externalId: string; text: string }): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/channels/api/${api.serviceId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
      body: JSON.stringify(body),
    });
  } catch (err) {
    const code = String((err as { cause?: { code?: string } }).cause?.code ?? err);
    return code === 'ECONNREFUSED' ? { kind: 'refused', how: code } : { kind: 'dropped', how: code };
  }
  const text = await res.text().catch((err) => `(body lost: ${err})`);
  if (res.status === 202) return { kind: 'accepted', duplicate: JSON.parse(text).duplicate === true };
  if (res.status === 503) return { kind: 'refused', how: '503' };
  return { kind: 'failed', status: res.status, body: text };
}

/** A contact center with one API service and two agents at work, so routing runs during the load. */
async function setUp(url: string): Promise<Api> {
  const admin = new Client(url);
  expect((await admin.post('/api/auth/login', ADMIN)).status).toBe(200);
  // the agents work over HTTP without a desk socket: a long grace keeps them logged in
  const settings = (await admin.get('/api/settings')).body;
  expect((await admin.patch('/api/settings', { timeouts: { ...settings.timeouts, agentGraceSeconds: 3600 } })).status).toBe(200);
  const team = (await admin.post('/api/teams', { name: 'Equipe', maxChat: 3 })).body;
  const service = (await admin.post('/api/services', { name: 'API', channel: 'api', teamIds: [team.id], queueTimeoutSeconds: 600 })).body;
  const { token } = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;
  for (const n of [1, 2]) {
    const email = `agente${n}@shutdown.local`;
    expect((await admin.post('/api/users', { email, name: `Agente ${n}`, role: 'agent', password: 'password-123', agentEnabled: true, teamIds: [team.id] })).status).toBe(201);
    const desk = new Client(url);
    expect((await desk.post('/api/auth/login', { email, password: 'password-123' })).status).toBe(200);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
  }
  return { serviceId: service.id, token };
}

/** Lines the server logged at error level or above (pino: 50 error, 60 fatal). */
const errorLines = (log: string) => log.split('\n').filter((l) => /"level":(50|60)/.test(l) || /Cannot use a pool|pool after/i.test(l));

async function storedCounts(db: { query: <T>(sql: string, params: unknown[]) => Promise<{ rows: T[] }> }, serviceId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ external_id: string; n: number }>(
    `SELECT m.external_id, count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.service_id = $1 AND m.author_type = 'customer' GROUP BY m.external_id`,
    [serviceId],
  );
  return new Map(rows.map((r) => [r.external_id, r.n]));
}

/** Reads the status of one HTTP response on a raw socket (after an interim 100 Continue). */
function readStatus(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.on('data', (d) => {
      data = (data + d).replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      if (data.includes('\r\n\r\n')) resolve(Number(data.slice(9, 12)));
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without an answer: ${JSON.stringify(data)}`)));
  });
}

describe.each(storages())('SIGTERM under a burst on $name', ({ make }) => {
  const defer = deferAfterAll();

  it('answers every request it took, refuses the others cleanly, closes sockets with going-away, and exits 0', async () => {
    const storage = await make();
    defer(() => storage.cleanup());
    const node = await startServer(storage.env, ADMIN);
    defer(async () => node.proc.kill('SIGKILL'));
    const api = await setUp(node.url);

    const watcher = new Client(node.url);
    await watcher.post('/api/auth/login', ADMIN);
    const ws = await WsClient.open(node.url, watcher.cookie);
    ws.send({ type: 'subscribe', stream: 'monitor' });
    await ws.next((m) => m.type === 'caught_up');
    const wsClosed = once(ws.socket, 'close').then(([code]) => code as number);

    // 64 senders, each with one customer message in flight at all times, until the node refuses them
    const SENDERS = 64;
    const outcomes = new Map<string, Outcome>();
    let stopping = false;
    let next = 0;
    let inFlight = 0;
    let inFlightAtSignal = 0;
    const failuresBefore: Outcome[] = [];
    const senders = Array.from({ length: SENDERS }, async () => {
      for (;;) {
        const id = `m-${next++}`;
        inFlight++;
        const o = await postMessage(node.url, api, { contact: { externalId: `cliente-${next % 40}` }, externalId: id, text: `mensagem ${id}` });
        inFlight--;
        outcomes.set(id, o);
        if (o.kind === 'accepted') continue;
        if (!stopping) failuresBefore.push(o);
        return;
      }
    });
    while ([...outcomes.values()].filter((o) => o.kind === 'accepted').length < 200 && !failuresBefore.length) await new Promise((r) => setTimeout(r, 10));
    expect(failuresBefore).toEqual([]);

    // one more message whose headers the node has read (it answered 100 Continue) but whose body has
    // not arrived when the signal does: the node must wait for it, and take it
    const slowBody = JSON.stringify({ contact: { externalId: 'cliente-lento' }, externalId: 'lento', text: 'mensagem lenta' });
    const slow = connect(node.port, '127.0.0.1');
    await once(slow, 'connect');
    defer(async () => slow.destroy());
    const slowAnswer = readStatus(slow);
    slow.write(
      `POST /api/channels/api/${api.serviceId}/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${api.token}\r\nContent-Length: ${Buffer.byteLength(slowBody)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await new Promise<void>((resolve) => slow.on('data', (d) => String(d).startsWith('HTTP/1.1 100') && resolve()));

    inFlightAtSignal = inFlight;
    stopping = true;
    node.proc.kill('SIGTERM');
    // from the signal on, the node refuses new requests with 503, /healthz included (the load balancer
    // takes it out), while it still waits for the slow message
    let health: number | string;
    for (;;) {
      health = await fetch(`${node.url}/healthz`, { headers: { connection: 'close' } }).then(
        (r) => r.status,
        (err) => String((err as { cause?: { code?: string } }).cause?.code ?? err),
      );
      if (health !== 200) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect.soft(health).toBe(503);
    expect(node.proc.exitCode).toBeNull();
    slow.write(slowBody);
    expect(await slowAnswer).toBe(202);
    outcomes.set('lento', { kind: 'accepted', duplicate: false });

    await Promise.all(senders);
    // the desk and monitor sockets were told "going away" (1001), so they reconnect elsewhere
    expect.soft(await wsClosed).toBe(1001);
    // the node drained and closed in order, within its deadline (an idle keep-alive socket, this
    // slow one included, must not hold it up)
    expect.soft(await node.exited).toBe(0);
    expect.soft(errorLines(node.log())).toEqual([]);

    const all = [...outcomes.entries()];
    const count = (kind: Outcome['kind']) => all.filter(([, o]) => o.kind === kind).length;
    console.log(
      `SIGTERM with ${inFlightAtSignal} customer messages in flight (+1 slow): ${all.length} sent, ${count('accepted')} accepted, ` +
        `${count('refused')} refused, ${count('dropped')} dropped without an answer, ${count('failed')} failed`,
    );
    expect(inFlightAtSignal).toBeGreaterThanOrEqual(SENDERS / 2);
    expect.soft(all.filter(([, o]) => o.kind === 'failed')).toEqual([]);

    // a new process on the same data: every accepted message is stored once, nothing else is
    const again = await startServer(storage.env, ADMIN);
    defer(async () => again.proc.kill('SIGKILL'));
    const repeat = await postMessage(again.url, api, { contact: { externalId: 'cliente-lento' }, externalId: 'lento', text: 'de novo' });
    expect(repeat).toEqual({ kind: 'accepted', duplicate: true });
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);

    const db = await storage.open();
    defer(() => db.close());
    const stored = await storedCounts(db, api.serviceId);
    expect(all.filter(([id, o]) => o.kind === 'accepted' && stored.get(id) !== 1).map(([id]) => id)).toEqual([]);
    expect(all.filter(([id, o]) => o.kind !== 'accepted' && stored.has(id)).map(([id, o]) => `${id}: ${JSON.stringify(o)}`)).toEqual([]);
  }, 90_000);
});

// ---- a rolling restart of two nodes (PostgreSQL and Redis) ----------------------------------------

const skipReason = await severalNodesSkipReason();

describe.skipIf(skipReason !== null)(`rolling restart of two nodes on PostgreSQL and Redis${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const defer = deferAfterAll();

  it('restarts node 1, then node 2, under load: no request fails, and the monitors move to the other node', async () => {
    const storage = storages().find((s) => s.name === 'PostgreSQL')!;
    const pg = await storage.make();
    defer(() => pg.cleanup());
    const env = { ...pg.env, REDIS_URL: REDIS_URL! };
    const nodes: ServerProcess[] = [await startServer(env, ADMIN)];
    nodes.push(await startServer(env, ADMIN));
    defer(async () => nodes.forEach((n) => n.proc.kill('SIGKILL')));
    const api = await setUp(nodes[0].url);

    // a supervisor's monitor on each node
    const supervisor = new Client(nodes[0].url);
    await supervisor.post('/api/auth/login', ADMIN);
    const lastSeq = (w: WsClient) =>
      Math.max(0, ...w.messages.map((m) => (m.type === 'snapshot' || m.type === 'caught_up' ? m.seq : m.type === 'event' ? m.event.seq : 0)));
    const monitorOn = async (url: string, after?: number) => {
      const w = await WsClient.open(url, supervisor.cookie);
      w.send({ type: 'subscribe', stream: 'monitor', lastSeq: after });
      await w.next((m) => m.type === 'caught_up');
      return w;
    };
    const monitors = await Promise.all(nodes.map((n) => monitorOn(n.url)));
    defer(async () => Promise.all(monitors.map((m) => m.close())));

    // the load balancer: a node that refused (503, connection refused or closed unanswered) is out
    // until its /healthz answers 200 again; a message refused goes to the other node, with its id, so
    // a repeated delivery is deduplicated
    const down = [false, false];
    let running = true;
    const markDown = (i: number) => {
      if (down[i]) return;
      down[i] = true;
      void (async () => {
        while (running && !(await fetch(`${nodes[i].url}/healthz`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 50));
        down[i] = false;
      })();
    };
    const sent: string[] = [];
    const failures: string[] = [];
    const figures = { accepted: 0, retried: 0, dropped: 0 };
    let next = 0;
    const deliver = async (id: string, first: number) => {
      const body = { contact: { externalId: `cliente-${next % 60}` }, externalId: id, text: `mensagem ${id}` };
      for (let attempt = 0; attempt < 1000; attempt++) {
        const i = !down[first] ? first : !down[1 - first] ? 1 - first : null;
        if (i === null) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const o = await postMessage(nodes[i].url, api, body);
        if (o.kind === 'accepted') return void figures.accepted++;
        if (o.kind === 'failed') return void failures.push(`${id}: ${o.status} ${o.body}`);
        if (o.kind === 'dropped') figures.dropped++;
        figures.retried++;
        markDown(i);
      }
      failures.push(`${id}: no node took it`);
    };
    const senders = Array.from({ length: 32 }, async (_, s) => {
      while (running) {
        const id = `r-${next++}`;
        sent.push(id);
        await deliver(id, s % 2);
      }
    });
    const acceptedAtLeast = async (n: number) => {
      while (figures.accepted < n && !failures.length) await new Promise((r) => setTimeout(r, 10));
    };

    const exits: (number | null)[] = [];
    const closeCodes: number[] = [];
    await acceptedAtLeast(150);
    for (const i of [0, 1]) {
      // SIGTERM one node mid-load; its monitor is told "going away" and catches up on the other node;
      // the node starts again where the load balancer expects it, and the load goes on
      const old = nodes[i];
      const closed = once(monitors[i].socket, 'close').then(([code]) => code as number);
      old.proc.kill('SIGTERM');
      closeCodes.push(await closed);
      monitors[i] = await monitorOn(nodes[1 - i].url, lastSeq(monitors[i]));
      exits.push(await old.exited);
      expect(errorLines(old.log())).toEqual([]);
      nodes[i] = await startServer(env, ADMIN, { port: old.port });
      await acceptedAtLeast(figures.accepted + 150);
    }
    running = false;
    await Promise.all(senders);
    console.log(
      `rolling restart: ${sent.length} messages sent over two nodes, ${figures.accepted} accepted, ${figures.retried} refused and sent again ` +
        `(${figures.dropped} of them closed unanswered), ${failures.length} failed`,
    );
    expect(failures).toEqual([]);
    expect(closeCodes).toEqual([1001, 1001]);
    expect(exits).toEqual([0, 0]);

    const db = await pg.open();
    defer(() => db.close());
    const stored = await storedCounts(db, api.serviceId);
    expect(sent.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(stored.size).toBe(sent.length);
    await Promise.all(monitors.map((m) => m.close()));
    for (const n of nodes) n.proc.kill('SIGTERM');
    expect(await Promise.all(nodes.map((n) => n.exited))).toEqual([0, 0]);
  }, 90_000);
});
