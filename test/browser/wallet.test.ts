import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pollWallet } from '../../src/channels/whatsapp/wallet.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { createGupshup } from '../../src/sandbox/gupshup.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Início → Carteira WhatsApp in Chromium, as a supervisor: "Selecione um serviço de WhatsApp" before a
// choice; a Gupshup account in the provider sandbox with its balance, overdraft, quality and limit;
// a new reading (pollWallet, as the worker does every 15 min) repaints the card live; the 422 of a
// service without App Id / App Token; a Meta number without a wallet; pt-BR and en.
describeBrowser('Início → Carteira WhatsApp', () => {
  let server: WebServer;
  let sb: Sandbox;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const gs = createGupshup();
  const wa = createMetaWhatsApp();
  const hex = () => randomBytes(5).toString('hex');
  const gupshupApp = { appName: `Loja${hex()}`, appId: `app-${hex()}`, sourceNumber: '551140000000' };
  let vendas: { id: string; name: string };
  let cobranca: { id: string; name: string };
  let suporte: { id: string; name: string };
  let gupshupAccountId: string;
  let metaAccountId: string;
  let supApi: Client;

  // the worker's reading, here and now (it reads the provider every 15 minutes on the node holding the lease)
  const read = async (accountId: string) =>
    pollWallet(server.runtime.engine, await loadChannelAccount(server.db, deriveSecretKey('browser-test-secret-key'), 'whatsapp', accountId));

  beforeAll(async () => {
    sb = await startSandbox({ providers: [gs.provider, wa.provider] });
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { name: 'Varejo Digital' });
    const other = await createTeam(admin, { name: 'Jurídico' });
    const sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });

    const credentials = { apiKey: `k-${hex()}`, appToken: `sk_${hex()}`, webhookSecret: hex() };
    const gupshup = await admin.post('/api/channel-accounts', {
      channel: 'whatsapp', provider: 'gupshup', name: 'Gupshup Vendas', config: { ...gupshupApp, apiBaseUrl: `${sb.url}/gupshup` }, credentials,
    });
    expect(gupshup.status).toBe(201);
    gupshupAccountId = gupshup.body.id;
    gs.connect({ ...gupshupApp, ...credentials, webhookUrl: `${server.url}/webhooks/whatsapp/${gupshupAccountId}`, wallet: { currency: 'USD', currentBalance: 41.938, overDraftLimit: -20 }, ratings: { currentLimit: 'Tier1K', quality: 'GREEN' } });
    vendas = await createService(admin, { name: 'Vendas pelo WhatsApp', channel: 'whatsapp', channelAccountId: gupshupAccountId, teamIds: [team.id] });

    const bare = await admin.post('/api/channel-accounts', {
      channel: 'whatsapp', provider: 'gupshup', name: 'Gupshup Cobrança', config: { appName: `Cob${hex()}`, sourceNumber: '551140000001', apiBaseUrl: `${sb.url}/gupshup` },
      credentials: { apiKey: `k-${hex()}`, webhookSecret: hex() },
    });
    expect(bare.status).toBe(201);
    cobranca = await createService(admin, { name: 'Cobrança pelo WhatsApp', channel: 'whatsapp', channelAccountId: bare.body.id, teamIds: [team.id] });

    const phoneNumberId = `pn${hex()}`;
    const metaCreds = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
    const meta = await admin.post('/api/channel-accounts', {
      channel: 'whatsapp', provider: 'meta', name: 'Meta Suporte', config: { phoneNumberId, wabaId: '1', apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials: metaCreds,
    });
    expect(meta.status).toBe(201);
    metaAccountId = meta.body.id;
    wa.connect({ phoneNumberId, ...metaCreds, webhookUrl: `${server.url}/webhooks/whatsapp/${metaAccountId}`, quality: 'RED', messagingLimit: 'TIER_UNLIMITED' });
    suporte = await createService(admin, { name: 'Suporte pelo WhatsApp', channel: 'whatsapp', channelAccountId: metaAccountId, teamIds: [team.id] });
    // not in the selector: another channel, another team's WhatsApp
    await createService(admin, { name: 'Central WebChat', channel: 'webchat', teamIds: [team.id] });
    await createService(admin, { name: 'Jurídico pelo WhatsApp', channel: 'whatsapp', teamIds: [other.id] });

    expect(await read(gupshupAccountId)).toBe('read');
    expect(await read(metaAccountId)).toBe('read');

    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    supApi = new Client(server.url);
    expect((await supApi.post('/api/auth/login', { email: sup.email, password: sup.password })).status).toBe(200);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sb?.close();
  });

  const text = (testId: string) => page.getByTestId(testId).textContent().then((s) => (s ?? '').replace(/\s+/g, ' ').trim());
  const shows = async (testId: string, expected: string | RegExp) => {
    await expect.poll(() => text(testId), { timeout: 10_000 }).toMatch(expected instanceof RegExp ? expected : new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  };
  const choose = async (name: string) => {
    await page.getByRole('combobox', { name: /Serviço de WhatsApp|WhatsApp service/ }).click();
    await page.getByRole('option', { name, exact: true }).click();
  };

  it('asks for a WhatsApp service first; lists the supervisor’s WhatsApp services only', async () => {
    await page.goto(`${server.url}/monitor`);
    await page.getByTestId('tab-wallet').click();
    await page.waitForURL(/\/monitor\?tab=wallet$/);
    await page.getByTestId('wallet-tab').waitFor();
    await shows('wallet-choose', 'Selecione um serviço de WhatsApp');
    await page.getByRole('combobox', { name: 'Serviço de WhatsApp' }).click();
    const options = await page.getByRole('option').allTextContents();
    expect(options).toEqual(['Cobrança pelo WhatsApp', 'Suporte pelo WhatsApp', 'Vendas pelo WhatsApp']);
    await page.keyboard.press('Escape');
    await screenshot(page, 'wallet-choose-pt-BR');
    expect(await checkScreen(page, 'wallet-choose', { restore: { width: 1440, height: 900 } })).toEqual([]);
  });

  it('shows the Gupshup wallet, its quality and limit in pt-BR, with Adicionar to the provider’s console', async () => {
    await choose(vendas.name);
    await shows('wallet-balance-value', 'US$ 41,94');
    await shows('wallet-overdraft', 'Limite de crédito (overdraft): -US$ 20,00');
    await shows('wallet-quality-value', 'Alta');
    await shows('wallet-limit-value', '1.000 conversas iniciadas por 24 h');
    // when it was read, in the contact center's time zone (America/Sao_Paulo by default)
    const { rows } = await server.db.query<{ read_at: Date }>('SELECT read_at FROM whatsapp_wallets WHERE channel_account_id = $1', [gupshupAccountId]);
    const local = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'medium' }).format(rows[0].read_at);
    await shows('wallet-read-at', new RegExp(`^Lido do provedor em ${local.replace(/[/]/g, '\\/')} `));
    const add = page.getByTestId('wallet-add');
    expect(await add.textContent()).toContain('Adicionar');
    expect(await add.getAttribute('href')).toBe('https://www.gupshup.io/');
    expect(await add.getAttribute('target')).toBe('_blank');
    expect(await add.getAttribute('rel')).toContain('noopener');
    expect(page.url()).toContain(`service=${vendas.id}`);
    // the chosen service is the tab's: another tab drops it, the address brings it back
    await page.getByTestId('tab-panel').click();
    await page.waitForURL(/\/monitor\?tab=panel$/);
    await page.goto(`${server.url}/monitor?tab=wallet&service=${vendas.id}`);
    await shows('wallet-quality-value', 'Alta');
  });

  it('repaints live when a reading finds the balance down and the quality lower; the alert reaches the bell', async () => {
    gs.update(gupshupApp.appName, { wallet: { currency: 'USD', currentBalance: 3.5, overDraftLimit: -20 }, ratings: { currentLimit: 'Tier10K', quality: 'YELLOW' } });
    expect(await read(gupshupAccountId)).toBe('read');
    await shows('wallet-balance-value', 'US$ 3,50');
    await shows('wallet-quality-value', 'Média');
    await shows('wallet-limit-value', '10.000 conversas iniciadas por 24 h');
    // two alerts on this service: balance under the default minimum (10) and the quality down; the
    // bell counts what the supervisor has unread (other rules may add their own meanwhile)
    await expect.poll(async () => ((await supApi.get('/api/alerts?unread=true')).body.items as { rule: string; serviceId: string | null }[])
      .filter((a) => a.serviceId === vendas.id).map((a) => a.rule).sort(), { timeout: 10_000 }).toEqual(['number_quality_dropped', 'wallet_balance_low']);
    await expect.poll(async () => Number(await page.getByTestId('alerts-button').getAttribute('data-unread')) === (await supApi.get('/api/alerts')).body.unread, { timeout: 10_000 }).toBe(true);
    await page.mouse.move(0, 0);
    await screenshot(page, 'wallet-gupshup-pt-BR');
    expect(await checkScreen(page, 'wallet-gupshup', { restore: { width: 1440, height: 900 } })).toEqual([]);

    // a failed reading keeps the figures and says why
    gs.update(gupshupApp.appName, { appToken: 'rotated' });
    expect(await read(gupshupAccountId)).toBe('failed');
    await shows('wallet-error', /^A última leitura falhou \(.+\): Invalid Token\. Os valores acima são da leitura anterior\.$/);
    await shows('wallet-balance-value', 'US$ 3,50');
  });

  it('says what to configure when App Id / App Token are missing, and that a Meta number has no wallet', async () => {
    await choose(cobranca.name);
    await shows('wallet-problem', 'App Id / App Token ausentes: configure no cadastro do serviço');
    expect(await page.getByTestId('wallet-add').count()).toBe(0);
    await choose(suporte.name);
    await shows('wallet-no-wallet', 'Sem carteira: a cobrança é feita diretamente pela Meta.');
    await shows('wallet-quality-value', 'Baixa');
    await shows('wallet-limit-value', 'Ilimitado');
    expect(await page.getByTestId('wallet-add').getAttribute('href')).toBe('https://business.facebook.com/');
  });

  it('in English', async () => {
    await page.getByText('EN', { exact: true }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await shows('wallet-limit-value', 'Unlimited');
    await shows('wallet-quality-value', 'Low');
    await choose(vendas.name);
    await shows('wallet-balance-value', '$3.50');
    await shows('wallet-overdraft', 'Overdraft limit: -$20.00');
    await shows('wallet-quality-value', 'Medium');
    await shows('wallet-limit-value', '10,000 business-initiated conversations per 24 h');
    await choose(cobranca.name);
    await shows('wallet-problem', 'App Id / App Token missing: set it in the service\'s settings');
    await choose(vendas.name);
    await page.getByTestId('wallet-balance-value').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'wallet-gupshup-en');
    expect(await checkScreen(page, 'wallet-gupshup-en', { restore: { width: 1440, height: 900 } })).toEqual([]);
    await page.getByText('PT', { exact: true }).click();
    expect(errors).toEqual([]);
  });
});
