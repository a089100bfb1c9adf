import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { loggerOptions, redactUrl } from '../../src/server/logging.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { startRuntime, type Runtime } from '../../src/engine/runtime.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, createApiService, freshDatabase, TEST_SECRET_KEY, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';

// Everything a request carries that opens a door — the visitor's token in the widget's socket URL, the
// session cookie, a password, an API token — must stay out of the logs, at the most verbose level.

let app: FastifyInstance;
let runtime: Runtime;
let drop: () => Promise<void>;
let url: string;
const lines: string[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  await ensureFirstAdmin(fresh.db, ADMIN_EMAIL, ADMIN_PASSWORD);
  runtime = await startRuntime(fresh.db, { background: false });
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY, trustProxy: ['loopback'] };
  app = await buildApp({ db: fresh.db, config, runtime, logger: { ...loggerOptions('trace'), stream } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await app.close();
  await runtime.stop();
  await drop();
});

describe('secrets in logs', () => {
  it('no visitor token, cookie, password or API token appears in any log line, while the requests are logged', async () => {
    const admin = new Client(url);
    expect((await admin.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(200);
    const cookieValue = admin.cookie.split('=')[1];
    // a failed sign-in with a password in the body
    await new Client(url).post('/api/auth/login', { email: ADMIN_EMAIL, password: 'a-wrong-password-42' });
    const service = (await admin.post('/api/services', { name: 'Chat do site', channel: 'webchat' })).body;
    const id = await newVisitor(url, service.key);
    const { client } = await WidgetClient.connect(url, service.key, id);
    client.socket.close();
    await fetch(`${url}/webchat/messages?token=${id.token}&visitor=${id.visitorId}`).catch(() => {});
    const t = { url, anonymous: () => new Client(url) } as unknown as TestApp;
    const { creds, send } = await createApiService(t, admin);
    expect((await send({ contact: { externalId: 'c' }, externalId: 'e', text: 'oi' })).status).toBe(202);

    const log = lines.join('');
    expect(log).toContain('/webchat/ws?'); // the socket's request line is there…
    expect(log).toContain('token=[REDACTED]'); // …with its token hidden
    for (const secret of [id.token, cookieValue, ADMIN_PASSWORD, 'a-wrong-password-42', creds.token, creds.webhookSecret]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log.includes(secret), `a secret (${secret.slice(0, 4)}…) reached the log`).toBe(false);
    }
  });

  it('redactUrl hides only the secret parameters', () => {
    expect(redactUrl('/webchat/ws?service=abc&visitor=v1&token=s3cr3t')).toBe('/webchat/ws?service=abc&visitor=v1&token=[REDACTED]');
    expect(redactUrl('/webhooks/whatsapp/1?hub.mode=subscribe&hub.verify_token=x&hub.challenge=42')).toBe('/webhooks/whatsapp/1?hub.mode=subscribe&hub.verify_token=[REDACTED]&hub.challenge=42');
    expect(redactUrl('/api/teams')).toBe('/api/teams');
  });
});
