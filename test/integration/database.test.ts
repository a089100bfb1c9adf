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

// PGlite prepares a transaction's statements once per text (database.ts PreparedStatements); on
// PostgreSQL node-postgres names them. Either way a transaction's answers equal the same statements'
// outside one, whatever the parameters' types, and a failure leaves the next transaction working.
describe("transactions' statements, prepared once", () => {
  const SQL = `SELECT $1::uuid[] AS ids, $2::jsonb AS doc, $3::timestamptz AS at, $4::bigint AS big, $5::boolean AS yes,
                      $6::text AS words, $7::numeric AS amount, $8::int AS none, array_length($1::uuid[], 1) AS n`;
  const cases: unknown[][] = [
    [['6f1c2a3e-1111-4222-8333-944455556666'], { a: 1, b: ['x', null] }, new Date('2026-03-02T13:00:00.123Z'), 9_007_199_254_740_991, true, 'ação “aspas”', '12.50', null],
    [[], {}, new Date('2026-12-07T00:00:00Z'), 0, false, '', '-0.001', null],
    [['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'], { nested: { deep: [1, 2] }, 'chave ç': 'valor' }, new Date(0), -5, false, 'x'.repeat(5_000), '1e3', null],
  ];

  it('answer as the same statements outside a transaction, for every parameter type, many times over', async () => {
    const { db, drop } = await freshDatabase();
    try {
      for (const params of cases) {
        const outside = (await db.query(SQL, params)).rows;
        for (let i = 0; i < 7; i++) {
          expect(await db.transaction(async (tx) => (await tx.query(SQL, params)).rows)).toEqual(outside);
        }
      }
      // writes: rowCount and RETURNING as outside
      await db.exec('CREATE TABLE prep_probe (k int PRIMARY KEY, v text)');
      const counts = await db.transaction(async (tx) => {
        const ins = await tx.query('INSERT INTO prep_probe (k, v) SELECT g, $1 FROM generate_series(1, $2::int) g', ['a', 5]);
        const upd = await tx.query<{ k: number }>('UPDATE prep_probe SET v = $1 WHERE k > $2 RETURNING k', ['b', 2]);
        return [ins.rowCount, upd.rowCount, upd.rows.map((r) => r.k).sort()];
      });
      expect(counts).toEqual([5, 3, [3, 4, 5]]);
    } finally {
      await drop();
    }
  });

  it('a failed statement fails its transaction, with its code; the same text works in the next one', async () => {
    const { db, drop } = await freshDatabase();
    try {
      await db.exec('CREATE TABLE prep_probe (k int PRIMARY KEY)');
      const insert = 'INSERT INTO prep_probe (k) VALUES ($1)';
      await db.transaction((tx) => tx.query(insert, [1]));
      await expect(db.transaction((tx) => tx.query(insert, [1]))).rejects.toMatchObject({ code: '23505' });
      // a statement that cannot be prepared, then a good one
      await expect(db.transaction((tx) => tx.query('SELEC $1', [1]))).rejects.toMatchObject({ code: '42601' });
      // an aborted transaction's next statement fails, and is not kept
      await expect(db.transaction(async (tx) => {
        await tx.query(insert, [1]).catch(() => undefined);
        await tx.query('SELECT count(*) AS n FROM prep_probe WHERE k > $1', [0]);
      })).rejects.toMatchObject({ code: '25P02' });
      await db.transaction((tx) => tx.query(insert, [2]));
      const { rows } = await db.transaction((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM prep_probe WHERE k > $1', [0]));
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await drop();
    }
  });

  it.skipIf(!!process.env.DATABASE_URL)('PGlite: more texts than it keeps, and a table whose shape changed, are prepared again', async () => {
    const { db, drop } = await freshDatabase();
    try {
      // 520 texts (it keeps 500): the first ones were closed, and answer again
      const texts = Array.from({ length: 520 }, (_, k) => `SELECT $1::int + ${k} AS v`);
      const sums = await db.transaction(async (tx) => {
        const out: number[] = [];
        for (const text of [...texts, ...texts.slice(0, 30)]) out.push((await tx.query<{ v: number }>(text, [1])).rows[0].v);
        return out;
      });
      expect(sums).toEqual([...texts.keys(), ...texts.slice(0, 30).keys()].map((k) => k + 1));
      // prepared under names, and no more than 500 kept
      const kept = await db.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'mirante\\_%'`);
      expect(kept.rows.length).toBe(500);
      expect(kept.rows.map((r) => r.statement)).toContain(texts[0]);
      expect(kept.rows.map((r) => r.statement)).not.toContain(texts[30]);
      // a column added under a prepared SELECT *: that transaction fails (the server refuses a
      // result of another shape), the next one prepares the text again and sees the column
      await db.exec('CREATE TABLE prep_shape (k int)');
      await db.exec('INSERT INTO prep_shape VALUES (1)');
      const star = 'SELECT * FROM prep_shape WHERE k = $1';
      expect(await db.transaction(async (tx) => (await tx.query(star, [1])).rows)).toEqual([{ k: 1 }]);
      await db.exec(`ALTER TABLE prep_shape ADD COLUMN v text DEFAULT 'x'`);
      const again = async () => db.transaction(async (tx) => (await tx.query(star, [1])).rows);
      const first = await again().catch((err: { code?: string }) => err.code);
      // the server may answer with the new shape at once, or refuse that once
      expect([JSON.stringify([{ k: 1, v: 'x' }]), JSON.stringify('0A000')]).toContain(JSON.stringify(first));
      expect(await again()).toEqual([{ k: 1, v: 'x' }]);
      // every statement dropped behind its back (DEALLOCATE ALL): one transaction fails, saying so, then it works again
      await db.exec('DEALLOCATE ALL');
      await expect(again()).rejects.toMatchObject({ code: '26000' });
      expect(await again()).toEqual([{ k: 1, v: 'x' }]);
    } finally {
      await drop();
    }
  });
});
