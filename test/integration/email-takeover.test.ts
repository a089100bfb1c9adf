import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelWorkerPool } from '../../src/channels/workers.js';
import { openPostgres, type Database } from '../../src/db/database.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { DOVECOT_PASSWORD, dovecotSkipReason, startDovecot, type Dovecot } from '../support/dovecot.js';
import { composeEmail } from '../support/smtp-receiver.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createService, createTeam, freshDatabase, TEST_SECRET_KEY, unique } from '../support/test-app.js';
import { severalNodesSkipReason, startAppNode, type AppNode } from '../support/two-nodes.js';

// Two Mirante nodes on one PostgreSQL, each with its worker pool: one watches the mailbox. The holder
// dies (its database pool is gone: it can neither renew the lease nor store anything); within the
// lease time the other node takes the watcher over and reads what came meanwhile, and no message is
// lost or stored twice. PGlite runs in one process, so two nodes need PostgreSQL.

const TTL = 2_000;
const KEY = deriveSecretKey(TEST_SECRET_KEY);
const skip = dovecotSkipReason() ?? (process.env.DATABASE_URL ? null : 'two nodes need PostgreSQL (set DATABASE_URL); PGlite lives in one process');

let dovecot: Dovecot;
let nodes: AppNode[] = [];
let dbB: Database;
let drop: () => Promise<void>;
let why: string | null = skip;

beforeAll(async () => {
  why ??= await severalNodesSkipReason();
  if (why) {
    console.warn(`e-mail watcher takeover test skipped: ${why}`);
    return;
  }
  dovecot = await startDovecot();
  const fresh = await freshDatabase();
  drop = fresh.drop;
  dbB = openPostgres(fresh.url!);
  await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
  nodes = [await startAppNode('A', fresh.db), await startAppNode('B', dbB)];
}, 90_000);

afterAll(async () => {
  for (const n of nodes) {
    await n.app.close().catch(() => undefined);
    await n.runtime.stop().catch(() => undefined);
  }
  await dbB?.close().catch(() => undefined);
  await drop?.().catch(() => undefined);
  await dovecot?.stop();
});

describe('the mailbox watcher on two nodes', () => {
  it('the holder dies: the other node takes over within the lease time; nothing lost or doubled', async (ctx) => {
    if (why) ctx.skip();
    const [a, b] = nodes;
    const admin = new Client(a.url);
    expect((await admin.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(200);
    const mailbox = unique('takeover').replace(/\s+/g, '-').toLowerCase();
    const account = await admin.post('/api/channel-accounts', {
      channel: 'email', name: unique('Caixa'), provider: 'imap',
      config: { imapHost: '127.0.0.1', imapPort: String(dovecot.port), imapTls: 'false', imapUser: mailbox, smtpHost: '127.0.0.1', fromAddress: 'suporte@loja.test' },
      credentials: { imapPassword: DOVECOT_PASSWORD },
    });
    expect(account.status).toBe(201);
    const team = await createTeam(admin, {});
    const service = await createService(admin, { channel: 'email', channelAccountId: account.body.id, teamIds: [team.id] });
    const errors: unknown[] = [];
    const poolA = new ChannelWorkerPool(a.runtime.engine, KEY, { ttlMs: TTL, rescanMs: 200, onError: (e) => errors.push(e) });
    const poolB = new ChannelWorkerPool(b.runtime.engine, KEY, { ttlMs: TTL, rescanMs: 200, onError: (e) => errors.push(e) });
    const holder = async () => (await dbB.query<{ holder: string }>('SELECT holder FROM channel_worker_leases WHERE worker_key = $1', [`email:${account.body.id}`])).rows[0]?.holder;
    const stored = async () => (await dbB.query<{ external_id: string }>(`SELECT m.external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer' ORDER BY m.external_id`, [service.id])).rows.map((r) => r.external_id);
    const mail = (n: number) => composeEmail({ from: `cliente${n}@cliente.test`, to: 'suporte@loja.test', subject: `Pedido ${n}`, messageId: `<pedido-${n}@cliente.test>`, text: `pedido ${n}` });
    try {
      poolA.start();
      await expect.poll(holder, { timeout: 10_000 }).toBe(poolA.holder);
      poolB.start();
      for (const n of [1, 2, 3]) await dovecot.append(mailbox, await mail(n));
      await expect.poll(stored, { timeout: 15_000 }).toEqual(['pedido-1@cliente.test', 'pedido-2@cliente.test', 'pedido-3@cliente.test']);
      expect(await holder()).toBe(poolA.holder);

      // node A dies: its database is gone, it cannot renew; mail keeps arriving
      const died = Date.now();
      await a.db.close();
      for (const n of [4, 5, 6]) await dovecot.append(mailbox, await mail(n));
      await expect.poll(holder, { timeout: TTL * 4, interval: 100 }).toBe(poolB.holder);
      // B claimed only once A's lease had expired, and within a few lease renewals of it
      expect(Date.now() - died).toBeLessThan(TTL * 4);
      await expect.poll(stored, { timeout: 15_000 }).toEqual([1, 2, 3, 4, 5, 6].map((n) => `pedido-${n}@cliente.test`));
      const conversations = (await dbB.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE service_id = $1', [service.id])).rows[0].n;
      expect(conversations).toBe(6);
    } finally {
      await poolB.stop();
      await poolA.stop().catch(() => undefined);
    }
  });
});
