import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { startTestSandbox } from '../support/provider-sandbox.js';
import { Client } from '../support/test-app.js';

// Templates de comunicação (issue 17): the admin creates a WhatsApp template in the form (the bubble's
// preview follows what is typed), submits it ("Enviar para aprovação"), and sees the status change
// to Aprovado once the provider sandbox approves it and its webhook reaches Mirante.

describeBrowser('the templates screen', () => {
  let server: WebServer;
  let sb: Sandbox;
  let browser: Browser;
  let page: Page;
  const wa = createMetaWhatsApp();
  const hex = () => randomBytes(4).toString('hex');
  const providerName = `boleto_${hex()}`;

  beforeAll(async () => {
    server = await startWebServer();
    sb = await startTestSandbox([wa.provider]);
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const phoneNumberId = `pn${hex()}`;
    const wabaId = `waba${hex()}`;
    const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
    const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: 'WhatsApp Cobrança', provider: 'meta', config: { phoneNumberId, wabaId, apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials })).body;
    wa.connect({ phoneNumberId, wabaId, ...credentials, webhookUrl: `${server.url}/webhooks/whatsapp/${account.id}`, autoReceipts: false });
    expect((await admin.post('/api/template-categories', { code: 20, title: 'Boletos', type: 'billing' })).status).toBe(201);
    browser = await launchBrowser();
    ({ page } = await newPage(browser));
    await page.goto(server.url);
    await signIn(page, server.admin.email, server.admin.password);
    // signed in once the login form is gone
    await page.getByLabel(/^(Senha|Password)/).waitFor({ state: 'detached' });
  });
  afterAll(async () => {
    await browser?.close();
    await sb?.close();
    await server?.close();
  });

  it('creates a template with its preview, submits it and sees it approved', async () => {
    await page.goto(`${server.url}/admin/templates`);
    await page.getByRole('heading', { name: 'Templates de comunicação' }).waitFor();
    await page.getByRole('button', { name: 'Criar', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /^Categoria( \*)?$/ }).click();
    await page.getByRole('option', { name: '20 · Boletos' }).click();
    await dialog.getByRole('textbox', { name: /^Nome/ }).fill('Boleto vencendo');
    await dialog.getByRole('combobox', { name: /^Conta de WhatsApp/ }).click();
    await page.getByRole('option', { name: /WhatsApp Cobrança/ }).click();
    await dialog.getByRole('textbox', { name: /^Template aprovado no provedor/ }).fill(providerName);
    await dialog.getByRole('combobox', { name: /^Categoria no provedor/ }).click();
    await page.getByRole('option', { name: 'Utilidade' }).click();
    await dialog.getByRole('textbox', { name: /^Cabeçalho/ }).fill('Seu boleto');
    await dialog.getByRole('textbox', { name: /^Texto da mensagem/ }).fill('Olá {{1}}, o boleto {{2}} vence amanhã.');
    await dialog.getByRole('textbox', { name: /^Exemplos dos parâmetros/ }).fill('Ana\n2026-000123');
    // the bubble shows the body with the examples in place
    await dialog.getByTestId('template-preview').getByText('Olá Ana, o boleto 2026-000123 vence amanhã.').waitFor();
    await screenshot(page, 'admin-template-form-pt-BR');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Boleto vencendo/ });
    await row.getByText('Rascunho').waitFor();

    await page.getByRole('button', { name: 'Enviar para aprovação: Boleto vencendo' }).click();
    // the sandbox approves after a moment and posts the status webhook; the list shows it on refresh
    await expect.poll(async () => (await server.db.query<{ status: string }>('SELECT status FROM templates WHERE provider_template = $1', [providerName])).rows[0]?.status, { timeout: 10_000 }).toBe('APPROVED');
    await page.getByRole('button', { name: 'Sincronizar: Boleto vencendo' }).click();
    await row.getByText('Aprovado').waitFor();
    await screenshot(page, 'admin-templates-pt-BR');
  });
});
