import { afterAll, describe, expect, it } from 'vitest';
import { channelRegistry, type AccountContext, type ChannelAdapter } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { AppError } from '../../src/engine/errors.js';
import { appForFile, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// "Testar conexão" (POST /api/channel-accounts/:id/test) and the provider's setup after a save
// (`accountSaved`), through stand-in adapters registered here: `sms` answers by its auth token,
// `instagram` has no connection test. The stand-ins replace whatever adapter the build has.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app), { publicUrl: 'https://mirante.example.com.br' });

const saved: AccountContext[] = [];
let setupFails: Error | null = null;

const sms: ChannelAdapter = {
  channel: 'sms',
  capabilities: CHANNEL_CAPABILITIES.sms,
  async testConnection({ account }) {
    const token = account.credentials.authToken;
    if (token === 'good-token') return { ok: true, detail: { en: `number ${String(account.config.fromNumber)} found`, pt: `número ${String(account.config.fromNumber)} encontrado` } };
    if (token === 'plain-ok') return { ok: true };
    if (token.startsWith('throws')) throw new Error(`connect ECONNREFUSED https://api.example/${token}/Accounts`);
    return { ok: false, problem: { en: 'the auth token was refused (401)', pt: 'o auth token foi recusado (401)' } };
  },
  async accountSaved(ctx) {
    saved.push(ctx);
    if (setupFails) throw setupFails;
  },
};
const instagram: ChannelAdapter = { channel: 'instagram', capabilities: CHANNEL_CAPABILITIES.instagram };
const restore = [channelRegistry.register(sms), channelRegistry.register(instagram)];
afterAll(() => restore.forEach((r) => r()));

const smsAccount = async (authToken: string, over: Record<string, unknown> = {}) => {
  const r = await admin.post('/api/channel-accounts', {
    channel: 'sms', provider: 'twilio', name: unique('SMS'), config: { accountSid: 'AC1', fromNumber: '+5511999990000' }, credentials: { authToken }, ...over,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; warnings?: { code: string; message: string }[] };
};
const test = (c: Client, id: string, lang = 'pt-BR') => c.request('POST', `/api/channel-accounts/${id}/test`, undefined, { 'accept-language': lang });

describe('Testar conexão', () => {
  it('answers what the adapter said, in the request\'s language', async () => {
    const good = await smsAccount('good-token');
    expect((await test(admin, good.id)).body).toEqual({ ok: true, message: 'número +5511999990000 encontrado' });
    expect((await test(admin, good.id, 'en')).body).toEqual({ ok: true, message: 'number +5511999990000 found' });
    const plain = await smsAccount('plain-ok');
    expect((await test(admin, plain.id)).body).toEqual({ ok: true, message: 'Conexão OK' });
    const bad = await smsAccount('wrong-token');
    const r = await test(admin, bad.id);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: false, message: 'o auth token foi recusado (401)' });
    expect((await test(admin, bad.id, 'en')).body).toEqual({ ok: false, message: 'the auth token was refused (401)' });
  });

  it('an adapter that throws is a not-ok answer without the account\'s secrets, never a 500', async () => {
    const a = await smsAccount('throws-secret-123');
    const r = await test(admin, a.id);
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.message).toContain('ECONNREFUSED');
    expect(r.body.message).not.toContain('throws-secret-123');
  });

  it('a channel whose adapter has no test is a clear 422; an unknown id a 404', async () => {
    const ig = (await admin.post('/api/channel-accounts', { channel: 'instagram', name: unique('IG') })).body;
    const r = await test(admin, ig.id);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'no_connection_test', message: 'este canal não tem teste de conexão' });
    expect((await test(admin, ig.id, 'en')).body.error.message).toBe('this channel has no connection test');
    expect((await test(admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('is for admins: supervisors and agents get 403, anonymous 401', async () => {
    const a = await smsAccount('good-token');
    for (const role of ['supervisor', 'agent']) {
      const u = await createUser(admin, { role });
      expect((await test(await t.login(u.email, u.password), a.id)).status, role).toBe(403);
    }
    expect((await test(t.anonymous(), a.id)).status).toBe(401);
  });
});

describe('the provider\'s setup after a save (accountSaved)', () => {
  it('is called with the decrypted account and PUBLIC_URL after a create and after a change of its fields, not after a rename', async () => {
    saved.length = 0;
    const a = await smsAccount('good-token');
    expect(a.warnings).toBeUndefined();
    expect(saved).toHaveLength(1);
    expect(saved[0].account).toMatchObject({ id: a.id, provider: 'twilio', credentials: { authToken: 'good-token' }, active: true });
    expect(saved[0].publicUrl).toBe('https://mirante.example.com.br');
    await admin.patch(`/api/channel-accounts/${a.id}`, { credentials: { authToken: 'new-token' } });
    expect(saved).toHaveLength(2);
    expect(saved[1].account.credentials.authToken).toBe('new-token');
    await admin.patch(`/api/channel-accounts/${a.id}`, { name: unique('Renomeada') });
    expect(saved).toHaveLength(2);
  });

  it('is not called for an inactive account; reactivating calls it', async () => {
    saved.length = 0;
    const a = await smsAccount('good-token', { active: false });
    expect(saved).toHaveLength(0);
    await admin.patch(`/api/channel-accounts/${a.id}`, { active: true });
    expect(saved.map((s) => s.account.id)).toEqual([a.id]);
  });

  it('a failure keeps the account saved and comes back as a warning in the request\'s language, without secrets', async () => {
    setupFails = new AppError(422, 'setwebhook_failed', { en: 'setWebhook refused: bad token', pt: 'setWebhook recusado: token inválido' });
    try {
      const r = await admin.request('POST', '/api/channel-accounts', {
        channel: 'sms', provider: 'twilio', name: unique('SMS'), config: { accountSid: 'AC1', fromNumber: '+5511999990000' }, credentials: { authToken: 'x-secret-token' },
      }, { 'accept-language': 'pt-BR' });
      expect(r.status).toBe(201);
      expect(r.body.warnings).toEqual([{ code: 'provider_setup_failed', message: 'A conta foi salva, mas a configuração no provedor falhou: setWebhook recusado: token inválido' }]);
      expect((await admin.get(`/api/channel-accounts/${r.body.id}`)).body).toMatchObject({ id: r.body.id, active: true, credentialsSet: ['authToken'] });
      setupFails = new Error('fetch failed for /botx-secret-token/setWebhook');
      const p = await admin.request('PATCH', `/api/channel-accounts/${r.body.id}`, { config: { accountSid: 'AC2', fromNumber: '+5511999990000' } }, { 'accept-language': 'en' });
      expect(p.status).toBe(200);
      expect(p.body.config.accountSid).toBe('AC2');
      expect(p.body.warnings[0].message).toMatch(/^The account is saved, but setting it up at the provider failed: fetch failed/);
      expect(JSON.stringify(p.body)).not.toContain('x-secret-token');
    } finally {
      setupFails = null;
    }
  });
});
