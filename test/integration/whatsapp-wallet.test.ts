import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollWallet, walletWorker } from '../../src/channels/whatsapp/wallet.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { createGupshup } from '../../src/sandbox/gupshup.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { eventually, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// Carteira WhatsApp: each account's wallet and number read from the provider (the sandbox) and
// stored, then served by GET /api/whatsapp/wallet?serviceId= to the service's supervisors and the
// admins; 404 outside their scope, 422 with "configure no cadastro do serviço" when it cannot be read.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const gs = createGupshup();
const wa = createMetaWhatsApp();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([gs.provider, wa.provider]);
});
afterAll(() => sb?.close());

const key = deriveSecretKey(TEST_SECRET_KEY);
const hex = () => randomBytes(5).toString('hex');

async function gupshupService(over: { config?: Record<string, unknown>; credentials?: Record<string, unknown> } = {}) {
  const config = { appName: `Loja${hex()}`, appId: `app-${hex()}`, sourceNumber: '551140000000', apiBaseUrl: `${sb.url}/gupshup`, ...over.config };
  const credentials = { apiKey: `k-${hex()}`, appToken: `sk_${hex()}`, webhookSecret: hex(), ...over.credentials };
  const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('Gupshup'), provider: 'gupshup', config, credentials })).body;
  const team = await createTeam(admin);
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
  return { account, service, team, config, credentials };
}
const wallet = (who: Client, serviceId: string) => who.get(`/api/whatsapp/wallet?serviceId=${serviceId}`);
const poll = async (accountId: string) => pollWallet(t.runtime.engine, await loadChannelAccount(t.db, key, 'whatsapp', accountId));

describe('Carteira WhatsApp', () => {
  it('Gupshup: balance, currency, quality and limit as the Partner API gives them; a failed reading keeps the figures and says why', async () => {
    const s = await gupshupService();
    gs.connect({ ...s.config, ...s.credentials, webhookUrl: `${t.url}/webhooks/whatsapp/${s.account.id}`, wallet: { currency: 'USD', currentBalance: 41.938, overDraftLimit: -20 }, ratings: { currentLimit: 'Tier1K', quality: 'GREEN' } });
    // before the first reading: the service and its account, no figures yet
    expect((await wallet(admin, s.service.id)).body).toMatchObject({ serviceId: s.service.id, accountId: s.account.id, provider: 'gupshup', balance: null, readAt: null, error: null });

    expect(await poll(s.account.id)).toBe('read');
    expect((await wallet(admin, s.service.id)).body).toMatchObject({ balance: 41.938, currency: 'USD', overdraftLimit: -20, quality: 'GREEN', messagingLimit: 'Tier1K', error: null, consoleUrl: 'https://www.gupshup.io/' });
    expect(sb.requestsTo('gupshup', 'GET', `/partner/app/${s.config.appId}/wallet/balance`).at(-1)!.headers.authorization).toBe(s.credentials.appToken);

    gs.update(s.config.appName, { wallet: { currency: 'BRL', currentBalance: 3.5, overDraftLimit: 0 }, ratings: { currentLimit: 'Tier10K', quality: 'YELLOW' } });
    await poll(s.account.id);
    expect((await wallet(admin, s.service.id)).body).toMatchObject({ balance: 3.5, currency: 'BRL', quality: 'YELLOW', messagingLimit: 'Tier10K' });

    gs.update(s.config.appName, { appToken: 'rotated' });
    expect(await poll(s.account.id)).toBe('failed');
    const after = (await wallet(admin, s.service.id)).body;
    expect(after).toMatchObject({ balance: 3.5, currency: 'BRL', error: 'Invalid Token' });
    expect(after.errorAt).not.toBeNull();
  });

  it('Meta Cloud API: the number\'s quality and limit, no wallet', async () => {
    const phoneNumberId = `pn${hex()}`;
    const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
    const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA'), provider: 'meta', config: { phoneNumberId, wabaId: '1', apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials })).body;
    const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id });
    wa.connect({ phoneNumberId, ...credentials, webhookUrl: `${t.url}/webhooks/whatsapp/${account.id}`, quality: 'RED', messagingLimit: 'TIER_250' });
    expect(await poll(account.id)).toBe('read');
    expect((await wallet(admin, service.id)).body).toMatchObject({ provider: 'meta', balance: null, currency: null, quality: 'RED', messagingLimit: 'TIER_250' });
  });

  it('the service\'s supervisors and the admins see it; another supervisor and an unknown service are 404; an agent 403', async () => {
    const s = await gupshupService();
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [s.team.id] });
    const otherTeam = await createTeam(admin);
    const other = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [otherTeam.id] });
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [s.team.id] });
    expect((await wallet(await t.login(sup.email, sup.password), s.service.id)).status).toBe(200);
    expect((await wallet(await t.login(other.email, other.password), s.service.id)).status).toBe(404);
    expect((await wallet(await t.login(agent.email, agent.password), s.service.id)).status).toBe(403);
    expect((await wallet(admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await wallet(admin, 'nope')).status).toBe(400);
    expect((await admin.get(`/api/whatsapp/wallet?serviceId=${s.service.id}&x=1`)).status).toBe(400);
  });

  it('422 when it cannot be read: App Id / App Token missing, no account, another channel', async () => {
    const s = await gupshupService({ config: { appId: '' }, credentials: { appToken: '' } });
    const r = await wallet(admin, s.service.id);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('wallet_not_configured');
    const pt = await admin.request('GET', `/api/whatsapp/wallet?serviceId=${s.service.id}`, undefined, { 'accept-language': 'pt-BR' });
    expect(pt.body.error.message).toBe('App Id / App Token ausentes: configure no cadastro do serviço');
    expect(await poll(s.account.id)).toBe('not_configured');
    const bare = await createService(admin, { channel: 'whatsapp' });
    expect((await wallet(admin, bare.id)).body.error.code).toBe('wallet_not_configured');
    const web = await createService(admin, { channel: 'webchat' });
    expect((await wallet(admin, web.id)).body.error.code).toBe('not_whatsapp');
  });

  it('the worker reads at once when its lease starts it, and stops when the lease is lost', async () => {
    const s = await gupshupService();
    gs.connect({ ...s.config, ...s.credentials, webhookUrl: `${t.url}/webhooks/whatsapp/${s.account.id}`, wallet: { currency: 'USD', currentBalance: 7, overDraftLimit: 0 } });
    const stop = new AbortController();
    const account = await loadChannelAccount(t.db, key, 'whatsapp', s.account.id);
    const running = walletWorker.run({ account, engine: t.runtime.engine, signal: stop.signal, deliver: async () => [] });
    await eventually(async () => expect((await wallet(admin, s.service.id)).body.balance).toBe(7));
    stop.abort();
    await running;
  });
});
