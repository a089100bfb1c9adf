import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { channelRegistry, type ChannelAdapter } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { decryptSecret, deriveSecretKey } from '../../src/engine/secrets.js';
import { describeBrowser, launchBrowser, newPage, screenshot, startWebServer, type WebServer } from '../support/browser.js';
import { checkScreen } from '../support/screen-check.js';
import { Client } from '../support/test-app.js';

// Administração → Canais, as an admin sets up a WhatsApp Cloud API number: the form of the provider,
// the webhook URL to paste (from the browser's origin, with the warning: this server has no
// PUBLIC_URL), the copy button, the verify token, and "Testar conexão" answered by a stand-in adapter
// in the server's process (the token decides), the secrets "definido", the services using the account.
describeBrowser('Administração → Canais', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let restore: (() => void) | undefined;
  const name = `WhatsApp Vendas ${Date.now() % 100000}`;

  beforeAll(async () => {
    server = await startWebServer();
    const standIn: ChannelAdapter = {
      channel: 'whatsapp',
      capabilities: CHANNEL_CAPABILITIES.whatsapp,
      async testConnection({ account }) {
        if (account.credentials.accessToken === 'EAAG-valid') return { ok: true, detail: { en: `number ${String(account.config.phoneNumberId)} reachable`, pt: `número ${String(account.config.phoneNumberId)} acessível` } };
        return { ok: false, problem: { en: 'the access token was refused (190)', pt: 'o token de acesso foi recusado (190)' } };
      },
    };
    // after the app started: only "Testar conexão" asks for it, at request time
    restore = channelRegistry.register(standIn);
    browser = await launchBrowser();
    ({ context, page, errors } = await newPage(browser));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect((await page.request.post(`${server.url}/api/auth/login`, { data: server.admin })).status()).toBe(200);
  });
  afterAll(async () => {
    restore?.();
    await browser?.close();
    await server?.close();
  });

  it('creates a WhatsApp (Meta) account through the form, shows the webhook URL and the verify token, copies, tests the connection', async () => {
    await page.goto(`${server.url}/monitor`);
    await page.getByRole('link', { name: 'Canais' }).click();
    await page.getByRole('heading', { level: 1, name: 'Canais' }).waitFor();
    await page.getByTestId('empty-state').waitFor();

    await page.getByRole('button', { name: 'Nova conta' }).click();
    const form = page.getByRole('dialog', { name: 'Nova conta de canal' });
    await form.getByRole('combobox', { name: 'Canal e provedor' }).click();
    await page.getByRole('option', { name: 'WhatsApp Cloud API (Meta)' }).click();
    await form.getByRole('textbox', { name: /^Nome da conta/ }).fill(name);
    await form.getByRole('textbox', { name: /^ID do número de telefone/ }).fill('106540352242922');
    await form.getByLabel(/^Token de acesso/).fill('EAAG-expired');
    await form.getByLabel(/^Chave secreta do app/).fill('app-secret-1');
    await form.getByLabel(/^Token de verificação/).fill('palavra-secreta-42');
    // secrets are password inputs
    expect(await form.getByLabel(/^Token de acesso/).getAttribute('type')).toBe('password');
    // the form and the setup panel fit a laptop and a phone, and pass axe
    const layout = await checkScreen(page, 'channel-account-form', { restore: { width: 1440, height: 900 } });
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.waitFor({ state: 'hidden' });

    const { rows } = await server.db.query<{ id: string; provider: string; config: Record<string, string>; credentials_encrypted: string }>(
      'SELECT id, provider, config, credentials_encrypted FROM channel_accounts WHERE name = $1', [name],
    );
    expect(rows[0]).toMatchObject({ provider: 'meta', config: { phoneNumberId: '106540352242922' } });
    expect(JSON.parse(decryptSecret(deriveSecretKey('browser-test-secret-key'), rows[0].credentials_encrypted))).toEqual({
      accessToken: 'EAAG-expired', appSecret: 'app-secret-1', verifyToken: 'palavra-secreta-42',
    });
    const id = rows[0].id;

    // right after the create: what to paste in Meta's console
    const setup = page.getByRole('dialog', { name: `Configurar no provedor: ${name}` });
    const url = `${server.url}/webhooks/whatsapp/${id}`;
    expect(await setup.getByTestId('webhook-url').innerText()).toBe(url);
    await setup.getByTestId('no-public-url').filter({ hasText: 'PUBLIC_URL' }).waitFor();
    expect(await setup.getByTestId('verify-token').innerText()).toBe('palavra-secreta-42');
    await setup.getByRole('button', { name: 'Copiar a URL do webhook' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await setup.getByRole('button', { name: 'Copiar o token de verificação' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('palavra-secreta-42');
    for (const secret of ['Token de acesso', 'Chave secreta do app', 'Token de verificação']) {
      await setup.getByRole('listitem').filter({ hasText: secret }).getByText('definido', { exact: true }).waitFor();
    }
    await setup.getByText(/Nenhum serviço usa esta conta ainda/).waitFor();
    await setup.getByRole('button', { name: 'Testar conexão' }).click();
    const result = setup.getByTestId('connection-result');
    await result.filter({ hasText: 'o token de acesso foi recusado (190)' }).waitFor();
    expect(await result.innerText()).toContain('A conexão falhou');
    await screenshot(page, 'channel-accounts-setup-pt-BR', { fullPage: false });
    layout.push(...(await checkScreen(page, 'channel-account-setup', { restore: { width: 1440, height: 900 } })));
    expect(layout).toEqual([]);
    await setup.getByRole('button', { name: 'Fechar' }).last().click();
    await setup.waitFor({ state: 'hidden' });

    // a WhatsApp service picks the account in Serviços (an SMS account is not offered to it)
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    expect((await admin.post('/api/channel-accounts', { channel: 'sms', provider: 'twilio', name: 'SMS Cobrança', config: { accountSid: 'AC1', fromNumber: '+5511999990000' }, credentials: { authToken: 't' } })).status).toBe(201);
    await page.getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('heading', { level: 1, name: 'Serviços' }).waitFor();
    await page.getByRole('button', { name: /Novo serviço|Criar/ }).click();
    const service = page.getByRole('dialog');
    await service.getByRole('textbox', { name: 'Nome', exact: true }).fill('Vendas WhatsApp');
    await service.getByRole('combobox', { name: /Canal/ }).first().click();
    await page.getByRole('option', { name: 'WhatsApp', exact: true }).click();
    await service.getByRole('combobox', { name: /Conta do canal/ }).click();
    expect(await page.getByRole('option', { name: 'SMS Cobrança' }).count()).toBe(0);
    await page.getByRole('option', { name }).click();
    await service.getByRole('button', { name: 'Salvar' }).click();
    await service.waitFor({ state: 'hidden' });
    expect((await server.db.query<{ channel_account_id: string }>(`SELECT channel_account_id FROM services WHERE name = 'Vendas WhatsApp'`)).rows).toEqual([{ channel_account_id: id }]);

    // the list, by channel, with its provider and the services that use it
    await page.getByRole('link', { name: 'Canais' }).click();
    const whatsapp = page.getByRole('region', { name: 'WhatsApp' });
    const row = whatsapp.getByRole('row').filter({ hasText: name });
    await row.getByText('Vendas WhatsApp').waitFor();
    await row.getByText('WhatsApp Cloud API (Meta)').waitFor();
    await row.getByText('Ativo').waitFor();

    // a new token typed on edit (the others kept), then the test passes
    await row.getByRole('button', { name: `Editar: ${name}` }).first().click();
    const edit = page.getByRole('dialog', { name: 'Editar conta de canal' });
    expect(await edit.getByLabel(/^Chave secreta do app/).inputValue()).toBe('');
    await edit.getByText(/Definido\. Deixe vazio para manter o valor atual\./).first().waitFor();
    await edit.getByLabel(/^Token de acesso/).fill('EAAG-valid');
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'hidden' });
    const stored = (await server.db.query<{ credentials_encrypted: string }>('SELECT credentials_encrypted FROM channel_accounts WHERE id = $1', [id])).rows[0];
    expect(JSON.parse(decryptSecret(deriveSecretKey('browser-test-secret-key'), stored.credentials_encrypted))).toEqual({
      accessToken: 'EAAG-valid', appSecret: 'app-secret-1', verifyToken: 'palavra-secreta-42',
    });
    await row.getByRole('button', { name: `Configurar no provedor: ${name}` }).first().click();
    const again = page.getByRole('dialog', { name: `Configurar no provedor: ${name}` });
    // the verify token is not shown again once the form is gone
    await again.getByText(/não é mostrado de novo/).waitFor();
    await again.getByText('Vendas WhatsApp').waitFor();
    await again.getByRole('button', { name: 'Testar conexão' }).click();
    await again.getByTestId('connection-result').filter({ hasText: 'número 106540352242922 acessível' }).waitFor();
    expect(await again.getByTestId('connection-result').innerText()).toContain('Conexão OK');
    expect(errors).toEqual([]);
  }, 180_000);

  it('an e-mail account received by SMTP: the IMAP fields go away, the addresses received appear, and it saves without them', async () => {
    await page.goto(`${server.url}/monitor`);
    await page.getByRole('link', { name: 'Canais' }).click();
    await page.getByRole('heading', { level: 1, name: 'Canais' }).waitFor();
    await page.getByRole('button', { name: 'Nova conta' }).click();
    const form = page.getByRole('dialog', { name: 'Nova conta de canal' });
    await form.getByRole('combobox', { name: 'Canal e provedor' }).click();
    await page.getByRole('option', { name: 'Caixa de e-mail (IMAP + SMTP)' }).click();
    // by default the mailbox is read by IMAP: its fields are there, required
    await form.getByRole('textbox', { name: /^Servidor IMAP/ }).waitFor();
    expect(await form.getByRole('textbox', { name: /^Servidor IMAP/ }).getAttribute('required')).not.toBeNull();
    expect(await form.getByRole('textbox', { name: /^Endereços recebidos/ }).count()).toBe(0);
    await form.getByRole('combobox', { name: /^Receber por/ }).click();
    await page.getByRole('option', { name: 'SMTP' }).click();
    await form.getByRole('textbox', { name: /^Endereços recebidos \(SMTP\)/ }).waitFor();
    expect(await form.getByRole('textbox', { name: /^Servidor IMAP/ }).count()).toBe(0);
    expect(await form.getByLabel(/^Senha IMAP/).count()).toBe(0);
    const mailName = `E-mail SAC ${Date.now() % 100000}`;
    await form.getByRole('textbox', { name: /^Nome da conta/ }).fill(mailName);
    await form.getByRole('textbox', { name: /^Endereços recebidos/ }).fill('sac@loja.test, Contato@loja.test');
    await form.getByRole('textbox', { name: /^Servidor SMTP/ }).fill('smtp.loja.test');
    await form.getByRole('textbox', { name: /^Endereço do remetente/ }).fill('sac@loja.test');
    await screenshot(page, 'channel-account-email-smtp-pt-BR', { fullPage: false });
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.waitFor({ state: 'hidden' });
    const { rows } = await server.db.query<{ provider: string; config: Record<string, string> }>('SELECT provider, config FROM channel_accounts WHERE name = $1', [mailName]);
    expect(rows[0]).toEqual({ provider: 'imap', config: { inbound: 'smtp', inboundAddresses: 'sac@loja.test, Contato@loja.test', smtpHost: 'smtp.loja.test', fromAddress: 'sac@loja.test' } });
    expect(errors).toEqual([]);
  }, 120_000);
});
