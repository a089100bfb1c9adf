import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import type { RealtimeEvent } from '../../src/contracts/events.js';
import { startRuntime } from '../../src/engine/runtime.js';
import { decryptSecret, resolveSecretKey } from '../../src/engine/secrets.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, freshDatabase, TEST_SECRET_KEY, unique } from '../support/test-app.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function listen(app: Awaited<ReturnType<typeof buildApp>>): Promise<Client> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return new Client(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
}

describe.skipIf(!!process.env.DATABASE_URL)('PGlite on disk', () => {
  it('keeps what was written across a restart, credentials included', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mirante-data-'));
    dirs.push(dataDir);
    // no MIRANTE_SECRET_KEY: the first start generates one next to the data
    const config = { ...loadConfig({ DATA_DIR: dataDir }), webDir: '/nonexistent' };
    expect(config.secretKey).toBeUndefined();

    // first run: create a team and a channel account over HTTP, then stop
    let db = await openPGlite(dataDir);
    await migrate(db);
    await ensureFirstAdmin(db, ADMIN_EMAIL, ADMIN_PASSWORD);
    let app = await buildApp({ db, config });
    let c = await listen(app);
    expect((await c.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(200);
    const name = unique('Persistente');
    const team = await c.post('/api/teams', { name, maxChat: 4 });
    expect(team.status).toBe(201);
    const account = await c.post('/api/channel-accounts', { channel: 'telegram', name: unique('Bot'), credentials: { botToken: 'kept-across-restarts' } });
    expect(account.status).toBe(201);
    await app.close();
    await db.close();
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

    // second run on the same folder: nothing to migrate, the data and the session are there
    db = await openPGlite(dataDir);
    expect(await migrate(db)).toEqual([]);
    expect(await ensureFirstAdmin(db, ADMIN_EMAIL, ADMIN_PASSWORD)).toBeNull();
    app = await buildApp({ db, config });
    const cookie = c.cookie;
    c = await listen(app);
    c.cookie = cookie;
    try {
      const again = await c.get(`/api/teams/${team.body.id}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(team.body);
      expect((await c.get(`/api/teams?q=${encodeURIComponent(name)}`)).body.items).toHaveLength(1);
      // the same generated key reads the credentials written before the restart
      const raw = (await db.query<{ credentials_encrypted: string }>('SELECT credentials_encrypted FROM channel_accounts WHERE id = $1', [account.body.id])).rows[0];
      expect(JSON.parse(decryptSecret(resolveSecretKey({ dataDir }), raw.credentials_encrypted))).toEqual({ botToken: 'kept-across-restarts' });
    } finally {
      await app.close();
      await db.close();
    }
  }, 90_000); // two PGlite starts on disk: slow on a busy machine
});

describe('health', () => {
  it('GET /healthz answers 503 {status: unavailable} once the database is closed', async () => {
    const { db, drop } = await freshDatabase();
    const app = await buildApp({ db, config: { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY } });
    const c = await listen(app);
    try {
      expect((await c.get('/healthz')).body).toEqual({ status: 'ok' });
      await drop();
      const r = await c.get('/healthz');
      expect(r.status).toBe(503);
      expect(r.body).toEqual({ status: 'unavailable' });
    } finally {
      await app.close();
    }
  });
});

// openPostgres sends BEGIN with a transaction's first statement and COMMIT behind its last one (pipeline
// mode); PGlite runs them in turn. Both must give the same answers.
describe('transactions', () => {
  it('a statement the work did not await still belongs to its transaction: committed with it, or failing it', async () => {
    const { db, drop } = await freshDatabase();
    try {
      await db.exec('CREATE TABLE tx_probe (k text PRIMARY KEY)');
      const result = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['a']);
        void tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['b']);
        return 'done';
      });
      expect(result).toBe('done');
      const keys = async () => (await db.query<{ k: string }>('SELECT k FROM tx_probe ORDER BY k')).rows.map((r) => r.k);
      expect(await keys()).toEqual(['a', 'b']);

      // the last statement fails after the work returned: nothing of the transaction stays
      const failing = db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['c']);
        tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['a']).catch(() => undefined);
        return 'not done';
      });
      await expect(failing).rejects.toMatchObject({ code: '23505' });
      expect(await keys()).toEqual(['a', 'b']);

      // the connection is clean again for the next transaction
      await db.transaction((tx) => tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['d']));
      expect(await keys()).toEqual(['a', 'b', 'd']);
    } finally {
      await drop();
    }
  });

  it('a failure swallowed without a savepoint fails the transaction instead of losing its writes silently', async () => {
    const { db, drop } = await freshDatabase();
    try {
      await db.exec('CREATE TABLE tx_probe (k text PRIMARY KEY)');
      const swallowed = db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['a']);
        await tx.query('SELECT 1 / 0').catch(() => undefined);
        return 'looks done';
      });
      await expect(swallowed).rejects.toThrow(/rolled back/);
      expect((await db.query('SELECT k FROM tx_probe')).rows).toEqual([]);

      // behind a savepoint the same failure is harmless
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe (k) VALUES ($1)', ['a']);
        await tx.query('SAVEPOINT probe');
        await tx.query('SELECT 1 / 0').catch(() => tx.query('ROLLBACK TO SAVEPOINT probe'));
      });
      expect((await db.query('SELECT k FROM tx_probe')).rows).toEqual([{ k: 'a' }]);
    } finally {
      await drop();
    }
  });

  it("a command whose events cannot be written changes nothing and publishes nothing (the events travel with COMMIT)", async () => {
    const { db, drop } = await freshDatabase();
    const runtime = await startRuntime(db, { background: false });
    try {
      const published: RealtimeEvent[] = [];
      runtime.bus.subscribe((events) => published.push(...events));
      const command = (agentId: string) =>
        runtime.engine.execute(async (u) => {
          await u.tx.query(`INSERT INTO settings (key, value) VALUES ('probe', '"x"'::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
          // (the event's agentId column is a uuid: a catalog event made to carry one, to make its INSERT fail)
          u.emit({ type: 'catalog.updated', serviceId: null, agentId: agentId as unknown as null });
          return 'applied';
        });
      // an agent id that is not a uuid: the events' INSERT fails after the command returned
      await expect(command('not-a-uuid')).rejects.toMatchObject({ code: '22P02' });
      expect((await db.query(`SELECT 1 FROM settings WHERE key = 'probe'`)).rows).toEqual([]);
      expect(published).toEqual([]);

      const agentId = (await db.query<{ id: string }>(`SELECT gen_random_uuid()::text AS id`)).rows[0].id;
      expect(await command(agentId)).toBe('applied');
      expect((await db.query(`SELECT 1 FROM settings WHERE key = 'probe'`)).rows).toHaveLength(1);
      expect(published.map((e) => [e.type, e.agentId, typeof e.seq])).toEqual([['catalog.updated', agentId, 'number']]);
    } finally {
      await runtime.stop();
      await drop();
    }
  });
});
