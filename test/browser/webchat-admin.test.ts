import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_FLOW_PT_BR } from '../../src/core/bot-flow-sample.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam } from '../support/test-app.js';

// The admin side of WebChat: the bot flow editor (sample flow, edit, the server's refusal shown on
// the step, preview, export) and the business hours with the pre-chat form.
describeBrowser('WebChat admin: bot flow editor, business hours and pre-chat form', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let service: { id: string; name: string; key: string };

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, {});
    service = await createService(admin, { name: 'Site — Central de Atendimento', channel: 'webchat', teamIds: [team.id] });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the flow editor from Serviços, loads the sample flow and saves it', async () => {
    await page.getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('link', { name: `Fluxo do bot: ${service.name}` }).click();
    await page.getByRole('heading', { name: `Fluxo do bot: ${service.name}` }).waitFor();
    await page.getByText('Este serviço não tem fluxo').waitFor();
    await page.getByRole('button', { name: 'Usar fluxo de exemplo' }).click();

    // the tree from the start: options as children, a step met again as a link
    const tree = page.getByRole('navigation', { name: 'Passos do fluxo, a partir do início' });
    await tree.locator('[data-step="menu_principal"]').waitFor();
    await tree.getByTestId('flow-option').getByText('Falar com atendente').waitFor();
    await expect(tree.getByTestId('flow-link').filter({ hasText: 'menu_principal' }).count()).resolves.toBeGreaterThan(0);
    await page.getByText('Sem problemas encontrados').waitFor();

    // the preview follows the flow: the greeting with a sample protocol, the menu as buttons
    const preview = page.getByTestId('flow-preview');
    await preview.getByText('Seu protocolo é 20260000012345.').waitFor();
    await preview.getByRole('button', { name: 'Financeiro' }).click();
    await preview.getByText('Financeiro: o que você precisa?').waitFor();
    await preview.getByRole('button', { name: 'Voltar ao menu principal' }).click();
    await preview.getByRole('button', { name: 'Falar com atendente' }).click();
    await preview.getByText(`Transferido para a fila: ${service.name}`).waitFor();
    await screenshot(page, 'bot-flow-editor-pt-BR');

    await page.getByRole('button', { name: 'Salvar fluxo' }).click();
    await page.getByText('Fluxo salvo').waitFor();
    const saved = (await admin.get(`/api/services/${service.id}`)).body.botFlow;
    expect(saved).toEqual(SAMPLE_FLOW_PT_BR);
  });

  it('edits a menu: reorders options, and shows the server’s refusal on the step it names', async () => {
    const tree = page.getByRole('navigation', { name: 'Passos do fluxo, a partir do início' });
    await tree.locator('[data-step="menu_principal"]').click();
    const editor = page.getByTestId('step-editor');
    await editor.getByText('menu_principal', { exact: true }).waitFor();
    // move "Suporte técnico" above "Financeiro"
    await editor.getByTestId('menu-option').nth(1).getByRole('button', { name: 'Mover para cima' }).click();
    await expect(editor.getByTestId('menu-option').first().getByLabel('Rótulo').inputValue()).resolves.toBe('Suporte técnico');

    // a new option without a next step: flagged at once, refused by the server on save
    await editor.getByRole('button', { name: 'Adicionar opção' }).click();
    await page.getByTestId('flow-problem-count').waitFor();
    await editor.getByTestId('step-problems').getByText('opção “Nova opção 6”: escolha o próximo passo.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Salvar fluxo' }).click();
    const refused = page.getByTestId('server-problems');
    await refused.getByText('menu_principal:', { exact: false }).waitFor();
    await tree.locator('[data-step="menu_principal"]').getByTestId('flow-step-problems').waitFor();
    await screenshot(page, 'bot-flow-editor-refused-pt-BR');

    // pointing it at the end fixes it
    const added = editor.getByTestId('menu-option').last();
    await added.getByLabel('Próximo passo').click();
    await page.getByRole('option', { name: 'fim · Encerramento' }).click();
    await page.getByText('Sem problemas encontrados').waitFor();
    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/services/${service.id}`) && r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Salvar fluxo' }).click();
    expect((await patched).status()).toBe(200);
    await page.getByText('Alterações não salvas').waitFor({ state: 'detached' });
    const saved = (await admin.get(`/api/services/${service.id}`)).body.botFlow;
    expect(saved.steps.menu_principal.options.map((o: any) => o.id)).toEqual(['suporte', 'financeiro', 'horario', 'atendente', 'encerrar', 'opcao_6']);
  });

  it('exports the flow as JSON', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exportar JSON' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`fluxo-${service.key}.json`);
    const json = JSON.parse(readFileSync((await file.path())!, 'utf8'));
    expect(json.start).toBe('boas_vindas');
    expect(Object.keys(json.steps)).toContain('menu_principal');
  });

  it('sets business hours with the national holidays, and an optional pre-chat field', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('link', { name: `Horário e pré-chat: ${service.name}` }).click();
    await page.getByRole('heading', { name: `Horário de atendimento: ${service.name}` }).waitFor();
    await page.getByRole('switch', { name: /Atendimento 24 horas/ }).click({ force: true });
    await page.getByTestId('weekly-hours').waitFor();
    const year = new Date().getFullYear();
    await page.getByRole('button', { name: `Preencher feriados nacionais de ${year}` }).click();
    await expect(page.getByTestId('holidays').locator('tbody tr').count()).resolves.toBe(year >= 2024 ? 10 : 9);
    await page.getByLabel('Mensagem fora do horário').fill('Voltamos na segunda-feira às 8h.');
    await page.getByText('Oferecer “Deixe sua mensagem”').click();
    await page.getByText('Decreto nº 11.034/2022').waitFor();
    await page.getByRole('checkbox', { name: 'Nome' }).check();
    await screenshot(page, 'business-hours-pt-BR');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText('Horário salvo').waitFor();

    const s = (await admin.get(`/api/services/${service.id}`)).body;
    expect(s.businessHours.weekly.mon).toEqual([{ start: '08:00', end: '20:00' }]);
    expect(s.businessHours.weekly.sun ?? []).toEqual([]);
    expect(s.businessHours.outsideHours).toBe('leave_message');
    expect(s.businessHours.closedMessage).toBe('Voltamos na segunda-feira às 8h.');
    expect(s.businessHours.holidays.map((h: any) => h.name)).toContain('Sexta-feira Santa');
    expect(s.prechatForm).toEqual([{ field: 'name', required: false }]);
  });

  it('reads in English too', async () => {
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: `Business hours: ${service.name}` }).waitFor();
    // what was saved is what the screen shows
    await expect(page.getByRole('switch', { name: /Open 24 hours/ }).isChecked()).resolves.toBe(false);
    await expect(page.getByRole('checkbox', { name: 'Name' }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Message outside hours').inputValue()).resolves.toBe('Voltamos na segunda-feira às 8h.');
    await screenshot(page, 'business-hours-en');
    await page.goto(`${server.url}/admin/services/${service.id}/bot-flow`);
    await page.getByRole('heading', { name: `Bot flow: ${service.name}` }).waitFor();
    await page.getByText('No problems found').waitFor();
    await screenshot(page, 'bot-flow-editor-en');
    await page.getByText('PT', { exact: true }).click();
    await page.getByRole('heading', { name: `Fluxo do bot: ${service.name}` }).waitFor();
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
