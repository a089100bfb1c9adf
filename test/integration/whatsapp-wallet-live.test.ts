import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollWallet } from '../../src/channels/whatsapp/wallet.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { createGupshup } from '../../src/sandbox/gupshup.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

// Carteira WhatsApp, live: each reading is pushed to the supervisors of the account's services (and
// to no one else), and raises or resolves the wallet's alerts: balance under settings.alerts.walletMinBalance
// and the number's quality dropped. The monitor's 5-second alert engine leaves those alerts alone.

let t: TestApp;
let admin: Client;
let sb: Sandbox;
const gs = createGupshup();
const wa = createMetaWhatsApp();
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  sb = await startTestSandbox([gs.provider, wa.provider]);
  const alerts = { pauseMinutes: 15, queueWaitOverTarget: true, noInteractionMinutes: 10, longServiceMinutes: 30, queueLength: 10, serviceLevelPercent: 80, walletMinBalance: 10 };
  expect((await admin.put('/api/settings/alerts', { value: alerts })).status).toBe(200);
});
afterAll(() => sb?.close());

const key = deriveSecretKey(TEST_SECRET_KEY);
const hex = () => randomBytes(5).toString('hex');
const poll = async (accountId: string) => pollWallet(t.runtime.engine, await loadChannelAccount(t.db, key, 'whatsapp', accountId));

/** A Gupshup account in the sandbox with `services` services of one team on it. */
async function gupshup(wallet: { currency: string; currentBalance: number; overDraftLimit: number }, quality: 'GREEN' | 'YELLOW' | 'RED' = 'GREEN', services = 1) {
  const config = { appName: `Loja${hex()}`, appId: `app-${hex()}`, sourceNumber: '551140000000', apiBaseUrl: `${sb.url}/gupshup` };
  const credentials = { apiKey: `k-${hex()}`, appToken: `sk_${hex()}`, webhookSecret: hex() };
  const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('Gupshup'), provider: 'gupshup', config, credentials })).body;
  const team = await createTeam(admin);
  const list = [];
  for (let i = 0; i < services; i++) list.push(await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] }));
  gs.connect({ ...config, ...credentials, webhookUrl: `${t.url}/webhooks/whatsapp/${account.id}`, wallet, ratings: { currentLimit: 'Tier1K', quality } });
  const set = (change: { wallet?: typeof wallet; quality?: 'GREEN' | 'YELLOW' | 'RED' }) =>
    gs.update(config.appName, { ...(change.wallet && { wallet: change.wallet }), ...(change.quality && { ratings: { currentLimit: 'Tier1K', quality: change.quality } }) });
  return { account, team, services: list, config, set };
}

async function supervisorSocket(teamId: string) {
  const u = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamId] });
  const client = await t.login(u.email, u.password);
  const ws = await WsClient.open(t.url, client.cookie);
  ws.send({ type: 'subscribe', stream: 'monitor' });
  await ws.next((m) => m.type === 'caught_up');
  return { client, ws };
}

const walletEvent = (serviceId: string, pred: (w: any) => boolean = () => true) => (m: any) =>
  m.type === 'event' && m.event.type === 'whatsapp.wallet.updated' && m.event.serviceId === serviceId && pred(m.event.wallet);

async function openAlerts(serviceId: string, rule: string) {
  const { rows } = await t.db.query<{ id: number; severity: string; payload: Record<string, unknown>; message: string }>(
    `SELECT id, severity, payload, message FROM alerts WHERE subject_type = 'service' AND subject_id = $1 AND rule = $2 AND resolved_at IS NULL`,
    [serviceId, rule],
  );
  return rows;
}

describe('Carteira WhatsApp, live', () => {
  it('a reading is pushed to the supervisors of each service of the account, a failed one with its error; another team’s supervisor gets nothing of it', async () => {
    const a = await gupshup({ currency: 'USD', currentBalance: 41.5, overDraftLimit: -20 }, 'GREEN', 2);
    const b = await gupshup({ currency: 'BRL', currentBalance: 99, overDraftLimit: 0 });
    const mine = await supervisorSocket(a.team.id);
    const other = await supervisorSocket(b.team.id);

    expect(await poll(a.account.id)).toBe('read');
    for (const s of a.services) {
      const m = await mine.ws.next<any>(walletEvent(s.id));
      expect(m.event.wallet).toMatchObject({ serviceId: s.id, accountId: a.account.id, provider: 'gupshup', balance: 41.5, currency: 'USD', overdraftLimit: -20, quality: 'GREEN', messagingLimit: 'Tier1K', error: null });
      // the pushed figures are the route's
      expect((await mine.client.get(`/api/whatsapp/wallet?serviceId=${s.id}`)).body).toEqual(m.event.wallet);
    }
    // the other supervisor's own service's reading arrives; the first account's never did
    await poll(b.account.id);
    await other.ws.next(walletEvent(b.services[0].id));
    expect(other.ws.events().filter((e) => e.type === 'whatsapp.wallet.updated' && e.serviceId !== b.services[0].id)).toEqual([]);

    gs.update(a.config.appName, { appToken: 'rotated' });
    expect(await poll(a.account.id)).toBe('failed');
    const failed = await mine.ws.next<any>(walletEvent(a.services[0].id, (w) => w.error !== null));
    expect(failed.event.wallet).toMatchObject({ balance: 41.5, error: 'Invalid Token' });
    await mine.ws.close();
    await other.ws.close();
  });

  it('a balance under the minimum raises one alert per service, kept by the 5-second engine, resolved when credit is added', async () => {
    const a = await gupshup({ currency: 'USD', currentBalance: 3.5, overDraftLimit: 0 }, 'GREEN', 2);
    const sup = await supervisorSocket(a.team.id);
    await poll(a.account.id);
    for (const s of a.services) {
      const open = await openAlerts(s.id, 'wallet_balance_low');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ severity: 'warning', payload: { balance: 3.5, currency: 'USD', minimum: 10 } });
      expect(open[0].message).toBe(`Saldo da carteira WhatsApp de ${s.name} em USD 3,50 (mínimo USD 10,00)`);
      await sup.ws.next((m: any) => m.type === 'event' && m.event.type === 'alert.created' && m.event.alert.subjectId === s.id && m.event.alert.rule === 'wallet_balance_low');
    }
    const inbox = (await sup.client.get('/api/alerts')).body.items.filter((x: any) => x.rule === 'wallet_balance_low' && a.services.some((s) => s.id === x.subjectId));
    expect(inbox).toHaveLength(2);

    // read again, still low: no second alert; the monitor's engine does not end it
    await poll(a.account.id);
    await t.runtime.alerts.evaluate();
    expect(await openAlerts(a.services[0].id, 'wallet_balance_low')).toHaveLength(1);

    // credit added: resolved on every service; at zero or below it comes back as critical
    a.set({ wallet: { currency: 'USD', currentBalance: 50, overDraftLimit: 0 } });
    await poll(a.account.id);
    for (const s of a.services) {
      expect(await openAlerts(s.id, 'wallet_balance_low')).toEqual([]);
      await sup.ws.next((m: any) => m.type === 'event' && m.event.type === 'alert.resolved' && m.event.alert.subjectId === s.id && m.event.alert.rule === 'wallet_balance_low');
    }
    a.set({ wallet: { currency: 'USD', currentBalance: 0, overDraftLimit: 0 } });
    await poll(a.account.id);
    expect((await openAlerts(a.services[0].id, 'wallet_balance_low'))[0]).toMatchObject({ severity: 'critical', payload: { balance: 0 } });
    await sup.ws.close();
  });

  it('the number’s quality: Média raises an alert, Baixa replaces it, a failed reading keeps it, Alta resolves it', async () => {
    const a = await gupshup({ currency: 'USD', currentBalance: 500, overDraftLimit: 0 }, 'GREEN');
    const s = a.services[0];
    await poll(a.account.id);
    expect(await openAlerts(s.id, 'number_quality_dropped')).toEqual([]);

    a.set({ quality: 'YELLOW' });
    await poll(a.account.id);
    const yellow = await openAlerts(s.id, 'number_quality_dropped');
    expect(yellow).toHaveLength(1);
    expect(yellow[0]).toMatchObject({ severity: 'warning', payload: { quality: 'YELLOW', previousQuality: 'GREEN' } });
    expect(yellow[0].message).toBe(`Qualidade do número de ${s.name}: Média (era Alta)`);
    await poll(a.account.id);
    expect((await openAlerts(s.id, 'number_quality_dropped'))[0].id).toBe(yellow[0].id);

    a.set({ quality: 'RED' });
    await poll(a.account.id);
    const red = await openAlerts(s.id, 'number_quality_dropped');
    expect(red).toHaveLength(1);
    expect(red[0].id).not.toBe(yellow[0].id);
    expect(red[0]).toMatchObject({ severity: 'critical', payload: { quality: 'RED', previousQuality: 'YELLOW' } });
    const { rows } = await t.db.query('SELECT resolved_at FROM alerts WHERE id = $1', [yellow[0].id]);
    expect(rows[0].resolved_at).not.toBeNull();

    await t.runtime.alerts.evaluate();
    gs.update(a.config.appName, { appToken: 'rotated' });
    expect(await poll(a.account.id)).toBe('failed');
    expect((await openAlerts(s.id, 'number_quality_dropped'))[0]?.id).toBe(red[0].id);
  });

  it('the quality back to Alta resolves it; Meta (no wallet) raises no balance alert', async () => {
    const a = await gupshup({ currency: 'USD', currentBalance: 500, overDraftLimit: 0 }, 'RED');
    await poll(a.account.id);
    expect(await openAlerts(a.services[0].id, 'number_quality_dropped')).toHaveLength(1);
    a.set({ quality: 'GREEN' });
    await poll(a.account.id);
    expect(await openAlerts(a.services[0].id, 'number_quality_dropped')).toEqual([]);

    const phoneNumberId = `pn${hex()}`;
    const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
    const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA'), provider: 'meta', config: { phoneNumberId, wabaId: '1', apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials })).body;
    const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id });
    wa.connect({ phoneNumberId, ...credentials, webhookUrl: `${t.url}/webhooks/whatsapp/${account.id}`, quality: 'GREEN', messagingLimit: 'TIER_1K' });
    expect(await poll(account.id)).toBe('read');
    expect(await openAlerts(service.id, 'wallet_balance_low')).toEqual([]);
  });

  it('the minimum balance is a parameter: a client that predates it keeps the default', async () => {
    const before = { pauseMinutes: 15, queueWaitOverTarget: true, noInteractionMinutes: 10, longServiceMinutes: 30, queueLength: 10, serviceLevelPercent: 80 };
    const r = await admin.put('/api/settings/alerts', { value: before });
    expect(r.status).toBe(200);
    expect(r.body.value.walletMinBalance).toBe(10);
    const bad = await admin.put('/api/settings/alerts', { value: { ...before, walletMinBalance: -1 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('walletMinBalance');
    // an alerts group stored before the field existed reads with its default
    await t.db.query(`UPDATE settings SET value = $1 WHERE key = 'alerts'`, [JSON.stringify(before)]);
    expect((await admin.get('/api/settings')).body.alerts.walletMinBalance).toBe(10);
  });
});
