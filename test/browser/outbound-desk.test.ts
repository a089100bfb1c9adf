import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { eventually, startTestSandbox } from '../support/provider-sandbox.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Issue 17 in the browser: the agent starts an outbound conversation from the desk ("Nova conversa
// ativa": find the contact, the service, the template, its parameters, the preview, Enviar) and it
// appears on the desk while the template reaches the WhatsApp sandbox; a refusal is shown in the
// modal in Portuguese. The admin's template form edits buttons, shown in the preview and the list,
// and the server's refusal of a button is shown on the field.

describeBrowser('outbound conversations and template buttons', () => {
  let server: WebServer;
  let sb: Sandbox;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const wa = createMetaWhatsApp();
  const hex = () => randomBytes(4).toString('hex');
  const waId = `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`;
  let agent: { email: string; password: string };
  let accountName: string;
  let templateName: string;

  beforeAll(async () => {
    server = await startWebServer();
    sb = await startTestSandbox([wa.provider]);
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const phoneNumberId = `pn${hex()}`;
    const wabaId = `waba${hex()}`;
    const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
    accountName = `WhatsApp Relacionamento ${hex()}`;
    const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: accountName, provider: 'meta', config: { phoneNumberId, wabaId, apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials })).body;
    wa.connect({ phoneNumberId, wabaId, ...credentials, webhookUrl: `${server.url}/webhooks/whatsapp/${account.id}`, autoReceipts: false });
    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Bruno Carvalho', agentEnabled: true, teamIds: [team.id] });
    await createService(admin, { name: 'Relacionamento WhatsApp', channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
    const category = (await admin.post('/api/template-categories', { code: 31, title: 'Retornos', type: 'notification' })).body;
    templateName = 'Retorno do pedido';
    // approved outside Mirante: named by hand, no account
    expect((await admin.post('/api/templates', { categoryId: category.id, name: templateName, channel: 'whatsapp', providerTemplate: `retorno_${hex()}`, language: 'pt_BR', body: 'Olá {{1}}, seu pedido {{2}} saiu para entrega.' })).status).toBe(201);

    // a contact of the agent's own: Helena wrote, the agent answered and cancelled
    const desk = new Client(server.url);
    expect((await desk.post('/api/auth/login', { email: agent.email, password: agent.password })).status).toBe(200);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    expect((await wa.customerSays(phoneNumberId, { waId, name: 'Helena Prado' }, 'bom dia')).status).toBe(200);
    const cid = await eventually(async () => {
      const { rows } = await server.db.query<{ id: string; state: string }>(`SELECT c.id, c.state FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.name = 'Helena Prado'`);
      expect(rows[0]?.state).toBe('in_service');
      return rows[0].id;
    }, 10_000);
    expect((await desk.post(`/api/conversations/${cid}/finish`, { outcome: 'cancelled' })).status).toBe(200);
    expect((await desk.post('/api/agent/logout')).status).toBe(200);

    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await sb?.close();
    await server?.close();
  });

  it('the agent starts an outbound conversation from the desk; it appears on the desk and the template reaches WhatsApp', async () => {
    await page.goto(server.url);
    await signIn(page, agent.email, agent.password);
    await page.getByLabel(/^(Senha|Password)/).waitFor({ state: 'detached' });
    await page.goto(`${server.url}/desk`);
    await page.getByTestId('agent-state').getByText('Offline').waitFor();
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByTestId('agent-state').getByText('Livre').waitFor();
    await page.getByTestId('outbound-open').click();
    const dialog = page.getByRole('dialog', { name: 'Nova conversa ativa' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: /^Contato/ }).fill('Helena');
    await dialog.getByTestId('outbound-contact-option').filter({ hasText: 'Helena Prado' }).click();
    await dialog.getByTestId('outbound-contact').getByText('Helena Prado').waitFor();
    await dialog.getByRole('combobox', { name: /^Serviço/ }).click();
    await page.getByRole('option', { name: 'Relacionamento WhatsApp · WhatsApp' }).click();
    await dialog.getByRole('combobox', { name: /^Template/ }).click();
    await page.getByRole('option', { name: `${templateName} (pt_BR)` }).click();
    await dialog.getByRole('textbox', { name: 'Parâmetro 1' }).fill('Helena');
    await dialog.getByRole('textbox', { name: 'Parâmetro 2' }).fill('4471');
    await dialog.getByTestId('outbound-preview').getByText('Olá Helena, seu pedido 4471 saiu para entrega.').waitFor();
    expect(await checkScreen(page, 'desk-outbound-modal', { noHeading: true, screenshotAt: [1366] })).toEqual([]);
    await dialog.getByTestId('outbound-send').click();
    await dialog.waitFor({ state: 'hidden' });
    // on the desk, open, with the template in its thread
    const row = page.getByTestId('desk-conversation').filter({ hasText: 'Helena Prado' });
    await row.waitFor();
    await page.getByText('Olá Helena, seu pedido 4471 saiu para entrega.').first().waitFor();
    const stored = (await server.db.query<{ direction: string; state: string; protocol: string }>(`SELECT c.direction, c.state, c.protocol FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.name = 'Helena Prado' AND c.direction = 'outbound'`)).rows;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ direction: 'outbound', state: 'in_service' });
    await expect.poll(() => wa.sent.filter((m) => m.to === waId && (m.body as { type?: string }).type === 'template').length, { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'desk-outbound-started-pt-BR');

    // again for Helena on the same service: refused, in Portuguese, naming the open protocol
    await page.getByTestId('outbound-open').click();
    await dialog.getByRole('textbox', { name: /^Contato/ }).fill('Helena');
    await dialog.getByTestId('outbound-contact-option').filter({ hasText: 'Helena Prado' }).click();
    await dialog.getByRole('combobox', { name: /^Serviço/ }).click();
    await page.getByRole('option', { name: 'Relacionamento WhatsApp · WhatsApp' }).click();
    await dialog.getByRole('combobox', { name: /^Template/ }).click();
    await page.getByRole('option', { name: `${templateName} (pt_BR)` }).click();
    await dialog.getByRole('textbox', { name: 'Parâmetro 1' }).fill('Helena');
    await dialog.getByRole('textbox', { name: 'Parâmetro 2' }).fill('4472');
    await dialog.getByTestId('outbound-send').click();
    await dialog.getByTestId('outbound-error').getByText(`o contato já tem um atendimento aberto neste serviço: protocolo ${stored[0].protocol}`).waitFor();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
  });

  it('the admin\'s template form edits buttons, shown in the preview and the list; a bad one is refused on the field', async () => {
    await page.context().clearCookies();
    await page.goto(server.url);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByLabel(/^(Senha|Password)/).waitFor({ state: 'detached' });
    await page.goto(`${server.url}/admin/templates`);
    await page.getByRole('heading', { name: 'Templates de comunicação' }).waitFor();
    await page.getByRole('button', { name: 'Criar', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /^Categoria( \*)?$/ }).click();
    await page.getByRole('option', { name: '31 · Retornos' }).click();
    await dialog.getByRole('textbox', { name: /^Nome/ }).fill('Pesquisa com botões');
    await dialog.getByRole('combobox', { name: /^Conta de WhatsApp/ }).click();
    await page.getByRole('option', { name: new RegExp(accountName) }).click();
    await dialog.getByRole('textbox', { name: /^Template aprovado no provedor/ }).fill(`pesquisa_${hex()}`);
    await dialog.getByRole('combobox', { name: /^Categoria no provedor/ }).click();
    await page.getByRole('option', { name: 'Utilidade' }).click();
    await dialog.getByRole('textbox', { name: /^Texto da mensagem/ }).fill('Como foi o atendimento?');
    await dialog.getByRole('button', { name: 'Adicionar botão: Resposta rápida' }).click();
    await dialog.getByTestId('template-button-0').getByRole('textbox', { name: 'Texto do botão' }).fill('Ótimo');
    await dialog.getByRole('button', { name: 'Adicionar botão: Link' }).click();
    await dialog.getByTestId('template-button-1').getByRole('textbox', { name: 'Texto do botão' }).fill('Ver pedido');
    await dialog.getByTestId('template-button-1').getByRole('textbox', { name: /^Link/ }).fill('nao-e-um-link');
    await dialog.getByRole('button', { name: 'Adicionar botão: Ligar' }).click();
    await dialog.getByTestId('template-button-2').getByRole('textbox', { name: 'Texto do botão' }).fill('Central');
    await dialog.getByTestId('template-button-2').getByRole('textbox', { name: /^Telefone/ }).fill('+551140000000');
    // one phone button at most: the button to add another is off
    expect(await dialog.getByRole('button', { name: 'Adicionar botão: Ligar' }).isDisabled()).toBe(true);
    await dialog.getByTestId('template-preview-buttons').getByText('Ótimo').waitFor();
    await dialog.getByTestId('template-preview-buttons').getByText('Central').waitFor();
    expect(await checkScreen(page, 'admin-template-buttons', { noHeading: true, screenshotAt: [1366] })).toEqual([]);
    // the server refuses the link, naming the button's field
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.getByTestId('template-buttons').getByText(/URL/i).first().waitFor();
    await dialog.getByTestId('template-button-1').getByRole('textbox', { name: /^Link/ }).fill('https://loja.example.com.br/pedido');
    await dialog.getByRole('button', { name: 'Remover botão 3' }).click();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Pesquisa com botões/ });
    await row.getByTestId('template-buttons-cell').getByText('Resposta rápida: Ótimo').waitFor();
    await row.getByTestId('template-buttons-cell').getByText('Link: Ver pedido').waitFor();
    const saved = (await server.db.query<{ buttons: unknown }>(`SELECT buttons FROM templates WHERE name = 'Pesquisa com botões'`)).rows[0].buttons;
    expect(saved).toEqual([{ type: 'QUICK_REPLY', text: 'Ótimo' }, { type: 'URL', text: 'Ver pedido', url: 'https://loja.example.com.br/pedido' }]);
  });
});
