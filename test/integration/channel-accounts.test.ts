import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelRegistry } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { decryptSecret, deriveSecretKey, SecretDecryptError } from '../../src/engine/secrets.js';
import { appForFile, createService, createUser, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// the accounts' CRUD only: stand-ins that call no provider after a save (each channel's own tests
// cover its accountSaved), registered before the app starts
for (const channel of ['whatsapp', 'sms', 'telegram'] as const) channelRegistry.register({ channel, capabilities: CHANNEL_CAPABILITIES[channel] });

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const key = deriveSecretKey(TEST_SECRET_KEY);
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);
const rawCredentials = async (id: string) =>
  (await t.db.query<{ credentials_encrypted: string | null }>('SELECT credentials_encrypted FROM channel_accounts WHERE id = $1', [id])).rows[0]
    .credentials_encrypted;

async function createAccount(over: Record<string, unknown> = {}) {
  const r = await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WhatsApp'), ...over });
  if (r.status !== 201) throw new Error(`createAccount: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

describe('channel accounts: CRUD', () => {
  it('create → 201 with the object and its id; the credentials only as hasCredentials', async () => {
    const body = {
      channel: 'whatsapp',
      name: unique('WhatsApp Vendas'),
      provider: 'meta',
      config: { phoneNumberId: '1234567890', wabaId: '987' },
      credentials: { accessToken: `EAAG-${randomUUID()}`, appSecret: `s-${randomUUID()}`, verifyToken: 'palavra' },
    };
    const r = await admin.post('/api/channel-accounts', body);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      channel: 'whatsapp',
      name: body.name,
      provider: 'meta',
      config: body.config,
      hasCredentials: true,
      credentialsSet: ['accessToken', 'appSecret', 'verifyToken'],
      serviceIds: [],
      webhookUrl: null,
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await admin.get(`/api/channel-accounts/${r.body.id}`)).body).toEqual(r.body);
  });

  it('without credentials or config: hasCredentials false, config {} and provider null', async () => {
    const a = await createAccount({ channel: 'webchat' });
    expect(a).toMatchObject({ channel: 'webchat', provider: null, config: {}, hasCredentials: false });
    expect(await rawCredentials(a.id)).toBeNull();
  });

  it('lists with ?q= and ?active=', async () => {
    const tag = unique('Conta').replace(/\s/g, '');
    const a = await createAccount({ name: `${tag} SMS`, channel: 'sms' });
    const b = await createAccount({ name: `${tag} Email`, channel: 'email' });
    await admin.del(`/api/channel-accounts/${b.id}`);
    expect(ids(await admin.get(`/api/channel-accounts?q=${encodeURIComponent(tag.toLowerCase())}`)).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await admin.get(`/api/channel-accounts?q=${encodeURIComponent(tag)}&active=true`))).toEqual([a.id]);
    expect(ids(await admin.get(`/api/channel-accounts?q=${encodeURIComponent(tag)}&active=false`))).toEqual([b.id]);
  });

  it('PATCH changes the given fields and keeps the credentials when none are given', async () => {
    // without a provider the fields are free (contracts/channel-account-fields.ts); naming the provider checks them
    const a = await createAccount({ channel: 'email', credentials: { token: 'first' }, config: { a: 1 } });
    const before = await rawCredentials(a.id);
    const r = await admin.patch(`/api/channel-accounts/${a.id}`, { name: `${a.name} 2`, config: { b: 2 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: a.id, channel: 'email', name: `${a.name} 2`, config: { b: 2 }, provider: null, hasCredentials: true });
    expect(await rawCredentials(a.id)).toBe(before);
    const checked = await admin.patch(`/api/channel-accounts/${a.id}`, { provider: 'imap' });
    expect(checked.status).toBe(400);
    expect(checked.body.error.issues.map((i: { path: string }) => i.path)).toContain('body.config.imapHost');
  });

  it('DELETE deactivates: active false, still readable, listed with ?active=false; a service keeps pointing at it', async () => {
    const a = await createAccount();
    const service = await createService(admin, { channel: 'whatsapp', channelAccountId: a.id });
    expect(service.channelAccountId).toBe(a.id);
    const r = await admin.del(`/api/channel-accounts/${a.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: a.id, active: false });
    expect((await admin.get(`/api/channel-accounts/${a.id}`)).body.active).toBe(false);
    expect(ids(await admin.get('/api/channel-accounts?active=false'))).toContain(a.id);
    expect((await admin.get(`/api/services/${service.id}`)).body.channelAccountId).toBe(a.id);
  });
});

describe('channel accounts: credentials at rest', () => {
  it('the column holds v1 ciphertext, not the plaintext, and decrypts back', async () => {
    const credentials = { accessToken: `tok-${randomUUID()}`, password: 'çà-ü ✓' };
    const a = await createAccount({ credentials });
    const raw = await rawCredentials(a.id);
    expect(raw).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(raw).not.toContain(credentials.accessToken);
    expect(raw).not.toContain('accessToken');
    expect(Buffer.from(raw!.split(':')[3], 'base64url').toString('latin1')).not.toContain(credentials.accessToken);
    expect(JSON.parse(decryptSecret(key, raw!))).toEqual(credentials);
    // and only with the right key
    expect(() => decryptSecret(deriveSecretKey('some-other-secret-key-entirely'), raw!)).toThrow(SecretDecryptError);
  });

  it('PATCH with credentials replaces those it names, keeps the others, removes those set to null; a fresh ciphertext', async () => {
    const a = await createAccount({ credentials: { token: 'old-token-value', other: 'kept-value', gone: 'removed-value' } });
    const before = await rawCredentials(a.id);
    const r = await admin.patch(`/api/channel-accounts/${a.id}`, { credentials: { token: 'new-token-value', gone: null } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ hasCredentials: true, credentialsSet: ['other', 'token'] });
    const after = await rawCredentials(a.id);
    expect(after).not.toBe(before);
    expect(JSON.parse(decryptSecret(key, after!))).toEqual({ token: 'new-token-value', other: 'kept-value' });
    const emptied = await admin.patch(`/api/channel-accounts/${a.id}`, { credentials: { token: null, other: null } });
    expect(emptied.body).toMatchObject({ hasCredentials: false, credentialsSet: [] });
    expect(await rawCredentials(a.id)).toBeNull();
  });

  it('never appear in a response nor in the audit log, where they are [redacted]', async () => {
    const secret = `very-secret-${randomUUID()}`;
    const rotated = `rotated-${randomUUID()}`;
    const created = await admin.post('/api/channel-accounts', { channel: 'telegram', name: unique('Telegram'), credentials: { botToken: secret } });
    const id = created.body.id;
    const responses = [
      created,
      await admin.get(`/api/channel-accounts/${id}`),
      await admin.get('/api/channel-accounts'),
      await admin.patch(`/api/channel-accounts/${id}`, { credentials: { botToken: rotated } }),
      await admin.patch(`/api/channel-accounts/${id}`, { name: unique('Telegram 2') }),
      await admin.del(`/api/channel-accounts/${id}`),
    ];
    const audit = await admin.get(`/api/audit?entity=channel_account&entityId=${id}`);
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(['deactivate', 'update', 'update', 'create']);
    const raw = (await rawCredentials(id))!;
    for (const r of [...responses, audit]) {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(rotated);
      // the names of the secrets that are set show (the screen says "definido"), nowhere else
      expect(text.replace(/"credentialsSet":\["botToken"\]/g, '')).not.toContain('botToken');
      expect(text).not.toContain(raw.split(':')[3]);
      expect(text).not.toContain('credentials_encrypted');
    }
    const [, rename, rotate, create] = audit.body.items;
    expect(create.after).toMatchObject({ credentials: '[redacted]', hasCredentials: true });
    expect(rotate.after.credentials).toBe('[redacted]');
    // a change that did not touch the credentials does not claim it did
    expect(rename.after).not.toHaveProperty('credentials');
  });
});

describe('channel accounts: errors and access', () => {
  it('unknown id → 404, malformed id → 400', async () => {
    const missing = randomUUID();
    expect((await admin.get(`/api/channel-accounts/${missing}`)).status).toBe(404);
    expect((await admin.patch(`/api/channel-accounts/${missing}`, { name: 'x' })).status).toBe(404);
    expect((await admin.del(`/api/channel-accounts/${missing}`)).status).toBe(404);
    const bad = await admin.get('/api/channel-accounts/nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('params.id');
  });

  it('missing, unknown and bad fields are a 400 naming them', async () => {
    for (const [body, field] of [
      [{ name: unique('Sem canal') }, 'body.channel'],
      [{ channel: 'sms' }, 'body.name'],
      [{ channel: 'carrier-pigeon', name: unique('X') }, 'body.channel'],
      [{ channel: 'sms', name: unique('X'), secret: 'x' }, 'body.secret'],
      [{ channel: 'sms', name: 'n'.repeat(121) }, 'body.name'],
      [{ channel: 'sms', name: unique('X'), credentials: { token: 123 } }, 'body.credentials.token'],
      [{ channel: 'sms', name: unique('X'), credentials: 'token' }, 'body.credentials'],
      [{ channel: 'sms', name: unique('X'), config: [1, 2] }, 'body.config'],
      [{ channel: 'sms', name: unique('X'), credentials: { token: 't'.repeat(16_385) } }, 'body.credentials.token'],
    ] as const) {
      const r = await admin.post('/api/channel-accounts', body);
      expect(r.status, field).toBe(400);
      expect(r.body.error.message, field).toContain(field);
    }
    const a = await createAccount();
    const channel = await admin.patch(`/api/channel-accounts/${a.id}`, { channel: 'sms' });
    expect(channel.status).toBe(400);
    expect(channel.body.error.message).toContain('body.channel');
    const hasCredentials = await admin.patch(`/api/channel-accounts/${a.id}`, { hasCredentials: false });
    expect(hasCredentials.status).toBe(400);
    expect(hasCredentials.body.error.message).toContain('body.hasCredentials');
  });

  it('a body over 1 MiB is a 413', async () => {
    const r = await admin.post('/api/channel-accounts', { channel: 'email', name: unique('Grande'), config: { blob: 'x'.repeat(1024 * 1024) } });
    expect(r.status).toBe(413);
  });

  it('is for admins only: agents and supervisors get 403, reading included', async () => {
    const a = await createAccount({ credentials: { token: 'x' } });
    for (const role of ['agent', 'supervisor']) {
      const u = await createUser(admin, { role });
      const c = await t.login(u.email, u.password);
      expect((await c.get('/api/channel-accounts')).status, role).toBe(403);
      expect((await c.get(`/api/channel-accounts/${a.id}`)).status, role).toBe(403);
      expect((await c.post('/api/channel-accounts', { channel: 'sms', name: unique('X') })).status, role).toBe(403);
      expect((await c.patch(`/api/channel-accounts/${a.id}`, { credentials: { token: 'mine' } })).status, role).toBe(403);
      expect((await c.del(`/api/channel-accounts/${a.id}`)).status, role).toBe(403);
    }
    expect(JSON.parse(decryptSecret(key, (await rawCredentials(a.id))!))).toEqual({ token: 'x' });
  });

  it('is in the OpenAPI document, with credentials write-only', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body;
    expect(doc.paths).toHaveProperty(['/api/channel-accounts']);
    expect(doc.paths).toHaveProperty(['/api/channel-accounts/{id}']);
    // the answer is the shared ChannelAccount component
    const ref: string = doc.paths['/api/channel-accounts/{id}'].get.responses['200'].content['application/json'].schema.$ref;
    expect(ref).toBe('#/components/schemas/ChannelAccount');
    const response = JSON.stringify(doc.components.schemas.ChannelAccount);
    expect(response).toContain('hasCredentials');
    expect(response).not.toContain('"credentials"');
  });
});
