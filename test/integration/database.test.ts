import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
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
