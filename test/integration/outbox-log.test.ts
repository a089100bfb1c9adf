import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_POLICY, OutboxAttemptFailed, OutboxWorker } from '../../src/engine/outbox.js';
import { registerChannels } from '../../src/channels/index.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { FakeProvider } from '../support/fake-provider.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { allowPrivateWebhookTargets, appForFile, createApiService, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// What the outbox tells the log about a failed send (the runtime's onError, logged by
// logLoopFailure): a dropped connection to a receiver is a warning naming the item, the attempt and
// the wait before the next one; only the attempt that gives the item up is an error.

let t: TestApp;
let admin: Client;
appForFile((a) => ({ t, admin } = a));

let fake: FakeProvider;
beforeAll(async () => {
  fake = await FakeProvider.start();
  // the receiver closes the connection without answering: Node's "socket hang up" (ECONNRESET)
  fake.on('POST', '/drop', { destroy: true });
  await allowPrivateWebhookTargets(admin);
});
afterAll(() => fake.close());

describe('the outbox’s failures as the log sees them', () => {
  it('a dropped connection is retried and reported as a warning with the item, the attempt and the wait; the last attempt as an error', async () => {
    const api = await createApiService(t, admin, { outboundWebhookUrl: `${fake.url}/drop` });
    const sent = await api.send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'Olá' });
    expect(sent.status).toBe(202);

    // a worker of its own, with the channels' senders and a short policy, whose reports are kept
    const reported: unknown[] = [];
    const worker = new OutboxWorker(t.runtime.engine, (err) => reported.push(err), { ...OUTBOX_POLICY, maxAttempts: 2 });
    registerChannels({ ...t.runtime, outbox: worker }, deriveSecretKey(TEST_SECRET_KEY));
    worker.random = () => 0.5;

    await worker.tick();
    const { rows } = await t.db.query<{ id: number; message_id: number; kind: string; attempts: number; next_attempt_at: Date; dead_at: Date | null; last_error: string }>(
      `SELECT id, message_id, kind, attempts, next_attempt_at, dead_at, last_error FROM outbox WHERE payload->>'serviceId' = $1`,
      [api.service.id],
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ attempts: 1, dead_at: null });
    expect(fake.requestsTo('POST', '/drop')).toHaveLength(1);

    expect(reported).toHaveLength(1);
    const first = reported[0] as OutboxAttemptFailed;
    expect(first).toBeInstanceOf(OutboxAttemptFailed);
    expect(first.logLevel).toBe('warn');
    expect(first.attempt).toBe(1);
    // the wait it reports is the one stored: half of the first ceiling (2 s) with the jitter at 0.5
    expect(first.retryInMs).toBe(row.next_attempt_at.getTime() - t.clock.now().getTime());
    expect(first.retryInMs).toBe(1000);
    expect(first.message).toBe(`outbox item ${row.id} (${row.kind}, message ${row.message_id}): attempt 1 failed, retried in 1.0 s`);
    expect((first.cause as Error).message).toBe(row.last_error);

    t.clock.advance(first.retryInMs!);
    await worker.tick();
    expect(reported).toHaveLength(2);
    const last = reported[1] as OutboxAttemptFailed;
    expect(last).toMatchObject({ logLevel: 'error', attempt: 2, retryInMs: null });
    expect(last.message).toBe(`outbox item ${row.id} (${row.kind}, message ${row.message_id}): attempt 2 failed, given up`);
    const { rows: after } = await t.db.query<{ dead_at: Date | null }>('SELECT dead_at FROM outbox WHERE id = $1', [row.id]);
    expect(after[0].dead_at).not.toBeNull();
  });
});

describe('the webhook’s idle connections', () => {
  it('are closed by Mirante before the receiver’s announced keep-alive ends, so a send never goes out on a socket being closed', async () => {
    // a receiver that keeps idle connections 2 s and says so (Keep-Alive: timeout=2)
    const sockets: { endedByClient: boolean; closed: Promise<void> }[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"r-1"}'));
    });
    receiver.keepAliveTimeout = 2_000;
    receiver.on('connection', (socket) => {
      const s = { endedByClient: false, closed: once(socket, 'close').then(() => undefined) };
      socket.on('end', () => (s.endedByClient = true));
      sockets.push(s);
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const port = (receiver.address() as AddressInfo).port;
    const unexpect = expectOutbound(`http://127.0.0.1:${port}/`);
    try {
      const api = await createApiService(t, admin, { outboundWebhookUrl: `http://127.0.0.1:${port}/hook` });
      expect((await api.send({ contact: { externalId: unique('cli') }, externalId: unique('m'), text: 'Olá' })).status).toBe(202);
      await t.runtime.outbox.tick();
      const { rows } = await t.db.query<{ delivered_at: Date | null }>(`SELECT delivered_at FROM outbox WHERE payload->>'serviceId' = $1`, [api.service.id]);
      expect(rows[0].delivered_at).not.toBeNull();
      expect(sockets).toHaveLength(1);
      await sockets[0].closed;
      // Mirante hung up (the receiver saw its end), not the receiver at its 2 s
      expect(sockets[0].endedByClient).toBe(true);
    } finally {
      unexpect();
      receiver.close();
    }
  });
});
