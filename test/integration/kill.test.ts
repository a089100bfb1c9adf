// Killing the server mid-traffic (issue 3, "Bad input and faults"), for real: Mirante runs as its own
// process (src/server/main.ts, as `npm start` runs it), customers post on the API channel with 16
// requests in flight, and the process gets SIGKILL while they do. A new process on the same data must
// hold every message that was answered 202, each once, and no conversation may be left stuck: every
// waiting one has its give-up timer, so it is routed or given up on. (recovery.test.ts stops a node
// in-process and checks routing and timers after the restart in detail.)
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startServer as startProcess } from '../support/server-process.js';
import { deferAfterAll, storages } from '../support/storages.js';
import { Client } from '../support/test-app.js';

const ADMIN = { email: 'kill@test.local', password: 'kill-password-1' };
const startServer = (env: Record<string, string>) => startProcess(env, ADMIN);

describe.each(storages())('SIGKILL mid-traffic on $name', ({ make }) => {
  const defer = deferAfterAll();

  it('loses no accepted message and leaves no conversation stuck', async () => {
    const storage = await make();
    defer(() => storage.cleanup());
    const first = await startServer(storage.env);
    defer(async () => first.proc.kill('SIGKILL'));

    const admin = new Client(first.url);
    expect((await admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    const team = (await admin.post('/api/teams', { name: 'Equipe', maxChat: 3 })).body;
    const service = (await admin.post('/api/services', { name: 'API', channel: 'api', teamIds: [team.id], queueTimeoutSeconds: 600 })).body;
    const { token } = (await admin.post(`/api/services/${service.id}/api-credentials`)).body;

    // 40 customers, 16 posts in flight, until the process is killed under them
    const accepted: string[] = [];
    let next = 0;
    let killed = false;
    const post = async (i: number) => {
      const res = await fetch(`${first.url}/api/channels/api/${service.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ contact: { externalId: `cliente-${i % 40}` }, externalId: `m-${i}`, text: `mensagem ${i}` }),
      }).catch(() => null);
      if (res?.status === 202) accepted.push(`m-${i}`);
      else if (!killed) throw new Error(`refused before the kill: ${res?.status}`);
    };
    const senders = Array.from({ length: 16 }, async () => {
      while (!killed) await post(next++);
    });
    while (accepted.length < 300) await new Promise((r) => setTimeout(r, 10));
    first.proc.kill('SIGKILL');
    killed = true;
    await once(first.proc, 'exit');
    await Promise.all(senders);
    expect(accepted.length).toBeGreaterThanOrEqual(300);

    // a new process on the same data: it starts, and a repeated delivery of an accepted message is
    // still recognized as already received
    const second = await startServer(storage.env);
    defer(async () => second.proc.kill('SIGKILL'));
    const again = await new Client(second.url).request(
      'POST', `/api/channels/api/${service.id}/messages`,
      { contact: { externalId: 'cliente-0' }, externalId: accepted[0], text: 'de novo' }, { authorization: `Bearer ${token}` },
    );
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
    second.proc.kill('SIGTERM');
    await once(second.proc, 'exit');

    const db = await storage.open();
    defer(() => db.close());
    const { rows } = await db.query<{ external_id: string; n: number }>(
      `SELECT m.external_id, count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.service_id = $1 AND m.author_type = 'customer' GROUP BY m.external_id`,
      [service.id],
    );
    const stored = new Map(rows.map((r) => [r.external_id, r.n]));
    expect(accepted.filter((id) => stored.get(id) !== 1)).toEqual([]);
    // nothing stuck: one open conversation per customer, each waiting with its give-up timer
    const open = await db.query<{ id: string; state: string; timers: number }>(
      `SELECT c.id, c.state, (SELECT count(*)::int FROM timers t WHERE t.conversation_id = c.id AND t.kind = 'queue_timeout') AS timers
         FROM conversations c WHERE c.service_id = $1`,
      [service.id],
    );
    expect(open.rows.length).toBeLessThanOrEqual(40);
    expect(open.rows.filter((c) => c.state !== 'queued' || c.timers !== 1)).toEqual([]);
  }, 90_000);
});
