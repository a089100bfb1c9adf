import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { csvTable } from '../support/csv.js';
import { eventually, startTestSandbox } from '../support/provider-sandbox.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Mensagens ativas → Campanhas in Chromium, as a supervisor (issue 17): Nova campanha with an
// approved WhatsApp template, the example CSV built from its parameters, a CSV with good, duplicate,
// invalid, opted-out and incomplete rows validated line by line, the campaign started and followed
// live to its end through the provider sandbox (the list is not read again: the monitor stream's
// campaign.updated events move it), the recipients by status with their reasons, the export read
// back, Pausar / Retomar / Cancelar, and checkScreen on both tabs and the modal in pt-BR and en.
describeBrowser('Mensagens ativas → Campanhas', () => {
  let server: WebServer;
  let sb: Sandbox;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let supApi: Client;
  const wa = createMetaWhatsApp();
  const hex = () => randomBytes(4).toString('hex');
  const phoneNumberId = `pn${hex()}`;
  let service: { id: string; name: string };
  let templateId: string;
  /** requests the page made, by "METHOD path" (the query left out) */
  const requests: string[] = [];

  // the CSV of the test, and what each line must come to, written here (not read from the server)
  const GOOD = ['+5511955550001', '+5511955550002'];
  const OPTED_OUT = '+5511955550003';
  const CSV = [
    'telefone;nome;param1;param2',
    `${GOOD[0]};Ana Souza;Ana;2026-000123`, // line 2: goes
    `${GOOD[1]};Bruno Lima;Bruno;2026-000124`, // line 3: goes
    `${GOOD[0]};Ana de novo;Ana;2026-000125`, // line 4: the same phone as line 2
    '12345;Número curto;Carla;2026-000126', // line 5: not a phone
    `${OPTED_OUT};Diego Alves;Diego;2026-000127`, // line 6: asked not to receive messages
    '+5511955550004;Elisa Prado;Elisa', // line 7: param2 missing
  ].join('\r\n');
  const PROBLEMS = [
    { line: 4, reason: 'duplicate' },
    { line: 5, reason: 'invalid_phone' },
    { line: 6, reason: 'opted_out' },
    { line: 7, reason: 'missing_parameter' },
  ];

  beforeAll(async () => {
    server = await startWebServer();
    sb = await startTestSandbox([wa.provider]);
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const wabaId = `waba${hex()}`;
    const credentials = { accessToken: `EAAG${hex()}`, appSecret: hex(), verifyToken: hex() };
    const account = await admin.post('/api/channel-accounts', {
      channel: 'whatsapp', provider: 'meta', name: 'WhatsApp Cobrança', config: { phoneNumberId, wabaId, apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials,
    });
    expect(account.status).toBe(201);
    wa.connect({ phoneNumberId, wabaId, ...credentials, webhookUrl: `${server.url}/webhooks/whatsapp/${account.body.id}`, autoReceipts: { delayMs: 100 } });
    const team = await createTeam(admin, { name: 'Cobrança Ativa' });
    const sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    service = await createService(admin, { name: 'Cobrança pelo WhatsApp', channel: 'whatsapp', channelAccountId: account.body.id, teamIds: [team.id] });

    // an approved template with two parameters (submitted; the sandbox approves it through its webhook),
    // and one still a draft, which the form does not offer
    const category = await admin.post('/api/template-categories', { code: 30, title: 'Cobrança', type: 'billing' });
    expect(category.status).toBe(201);
    const base = { categoryId: category.body.id, language: 'pt_BR', channel: 'whatsapp', channelAccountId: account.body.id, providerCategory: 'UTILITY' };
    const tpl = await admin.post('/api/templates', { ...base, name: 'Boleto vencendo', providerTemplate: `boleto_${hex()}`, body: 'Olá {{1}}, o boleto {{2}} vence amanhã.', examples: ['Ana', '2026-000123'] });
    expect(tpl.status).toBe(201);
    templateId = tpl.body.id;
    expect((await admin.post(`/api/templates/${templateId}/submit`)).status).toBe(200);
    expect((await admin.post('/api/templates', { ...base, name: 'Rascunho não enviado', providerTemplate: `rascunho_${hex()}`, body: 'Olá {{1}}', examples: ['Ana'] })).status).toBe(201);
    await eventually(async () => expect((await server.db.query<{ status: string }>('SELECT status FROM templates WHERE id = $1', [templateId])).rows[0]?.status).toBe('APPROVED'), 10_000);

    // the contact who asked not to receive messages
    await server.db.query(`INSERT INTO contacts (name, phone, opted_out_at, opted_out_reason) VALUES ('Diego Alves', $1, now(), 'customer: SAIR')`, [OPTED_OUT]);

    supApi = new Client(server.url);
    expect((await supApi.post('/api/auth/login', { email: sup.email, password: sup.password })).status).toBe(200);
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) requests.push(`${r.method()} ${u.pathname}`);
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sb?.close();
  });

  const modal = () => page.getByTestId('campaign-modal');
  const pick = async (testId: string, option: string | RegExp) => {
    await modal().getByTestId(testId).click();
    await page.getByRole('option', { name: option }).click();
  };
  const row = (name: string) => page.locator(`[data-testid="campaign-row"][data-name="${name}"]`);
  const count = (scope: ReturnType<Page['locator']>, k: string) => scope.locator(`[data-count="${k}"]`).first().getAttribute('data-value').then(Number);

  it('says there is no campaign yet; Nova campanha offers the approved template and its example CSV', async () => {
    await page.getByRole('link', { name: 'Mensagens ativas' }).click();
    await page.waitForURL(/\/analise\/mensagens-ativas$/);
    await page.getByRole('heading', { name: 'Mensagens ativas', level: 1 }).waitFor();
    await page.getByTestId('campaigns-empty').waitFor();
    await page.getByTestId('campaign-new').click();
    await modal().getByTestId('campaign-name').fill('Boletos de dezembro');
    // the whole day: the form's default (09:00–18:00, São Paulo) would hold it back when the test runs in the evening
    await modal().getByTestId('campaign-from').fill('00:00');
    await modal().getByTestId('campaign-to').fill('23:59');
    // no template before a service
    expect(await modal().getByTestId('campaign-template').isDisabled()).toBe(true);
    await pick('campaign-service', service.name);
    await modal().getByTestId('campaign-template').click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['Boleto vencendo (pt_BR)']);
    await page.getByRole('option', { name: 'Boleto vencendo (pt_BR)' }).click();
    await modal().getByTestId('campaign-parameters').getByText('Este template pede 2 parâmetros: as colunas param1…param2 do CSV.').waitFor();

    const download = page.waitForEvent('download');
    await modal().getByTestId('campaign-example').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^exemplo-boleto_[0-9a-f]+\.csv$/);
    const example = await csvTable((await file.path())!);
    expect(example[0]).toEqual(['telefone', 'nome', 'param1', 'param2']);
    expect(example.slice(1).map((r) => r.slice(2))).toEqual([['Ana', '2026-000123'], ['Ana', '2026-000123']]);
    // the example itself passes the server's validation (the same columns it reads)
    const check = await supApi.post('/api/campaigns/validate', { templateId, serviceId: service.id, csv: readFileSync((await file.path())!, 'utf8') });
    expect(check.status).toBe(200);
    expect({ rows: check.body.rows, ok: check.body.ok }).toEqual({ rows: 2, ok: 2 });
  });

  it('validates the CSV row by row: every row that will not go, with its line and its reason in words', async () => {
    // dropped on the drop area (a DataTransfer built in the page, as a drag from the desktop gives)
    await modal().getByTestId('campaign-drop').evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'contatos.csv', { type: 'text/csv' }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, CSV);
    await modal().getByTestId('campaign-file-read').getByText('contatos.csv: 6 linhas').waitFor();
    await modal().getByTestId('campaign-validate').click();
    const v = modal().getByTestId('campaign-validation');
    await v.waitFor();
    expect(await v.getByTestId('validation-rows').textContent()).toBe('Linhas: 6');
    expect(await v.getByTestId('validation-ok').textContent()).toBe('Serão enviadas: 2');
    expect(await v.getByTestId('validation-skipped').textContent()).toBe('Não serão enviadas: 4');
    const problems = await v.getByTestId('validation-problem').evaluateAll((rows) => rows.map((r) => ({ line: Number(r.getAttribute('data-line')), reason: r.getAttribute('data-reason') })));
    expect(problems).toEqual(PROBLEMS);
    // the reason in words (shared/campaign-reasons.ts), and what exactly is wrong with the line
    await v.locator('[data-line="6"]').getByText(/pediu para não receber mensagens/).first().waitFor();
    await v.locator('[data-line="4"]').getByText('o mesmo número está em uma linha anterior', { exact: true }).waitFor();
    await v.locator('[data-line="4"]').getByText(/o mesmo número da linha 2/).waitFor();
    await v.locator('[data-line="5"]').getByText('não é um número de telefone válido: 12345', { exact: true }).waitFor();
    await v.locator('[data-line="7"]').getByText('um parâmetro do template está vazio', { exact: true }).waitFor();
    await v.locator('[data-line="7"]').getByText(/param2 está vazio/).waitFor();
    await screenshot(page, 'campaign-validation-pt-BR', { fullPage: false });
    expect(await checkScreen(page, 'campaign-modal-validated', { restore: { width: 1440, height: 900 } })).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('starts the campaign and follows it live to its end, without reading the list again', async () => {
    const listReads = () => requests.filter((r) => r === 'GET /api/campaigns').length;
    const before = listReads();
    await modal().getByTestId('campaign-start').click();
    await modal().waitFor({ state: 'hidden' });
    const r = row('Boletos de dezembro');
    await r.waitFor();
    // the sandbox takes both good rows and sends the receipts: the row gets there by the stream alone
    await expect.poll(() => r.getByTestId('campaign-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('finished');
    await expect.poll(() => count(r, 'read'), { timeout: 10_000 }).toBe(2);
    expect(listReads()).toBe(before);

    // the figures against what the provider received (the sandbox's own record)
    const sentTo = wa.sent.filter((m) => m.phoneNumberId === phoneNumberId).map((m) => `+${m.to.replace(/^\+/, '')}`).sort();
    expect(sentTo).toEqual([...GOOD].sort());
    expect(await count(r, 'queued')).toBe(0);
    expect(await count(r, 'skipped')).toBe(PROBLEMS.length);
    expect(await r.getByTestId('campaign-progress').getAttribute('data-total')).toBe(String(GOOD.length + PROBLEMS.length));
    await screenshot(page, 'campaigns-finished-pt-BR', { fullPage: false });
  });

  it('shows the recipients by status with the reasons, and exports them', async () => {
    const drawer = page.getByTestId('campaign-drawer');
    // Iniciar opened the campaign's page
    await drawer.getByTestId('campaign-detail').waitFor();
    await expect.poll(() => drawer.getByTestId('recipient-row').count()).toBe(6);
    const lines = await drawer.getByTestId('recipient-row').evaluateAll((rows) => rows.map((x) => Number(x.getAttribute('data-line'))));
    expect([...lines].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);

    await drawer.getByTestId('recipient-status').click();
    await page.getByRole('option', { name: /^Ignorada/ }).click();
    await expect.poll(() => drawer.getByTestId('recipient-row').evaluateAll((rows) => rows.map((x) => Number(x.getAttribute('data-line'))).sort((a, b) => a - b))).toEqual([4, 5, 6, 7]);
    await drawer.locator('[data-testid="recipient-row"][data-line="6"]').getByTestId('recipient-reason').getByText(/pediu para não receber mensagens/).waitFor();
    await screenshot(page, 'campaign-recipients-skipped-pt-BR', { fullPage: false });

    const download = page.waitForEvent('download');
    await drawer.getByTestId('export-csv').click();
    const file = await download;
    const table = await csvTable((await file.path())!);
    // the skipped rows only, each phone once (the invalid one as it was written)
    const body = table.slice(1);
    expect(body).toHaveLength(4);
    const flat = body.map((r) => r.join(' '));
    expect(flat.some((x) => x.includes(OPTED_OUT))).toBe(true);
    expect(flat.some((x) => x.includes('12345'))).toBe(true);
    expect(flat.some((x) => x.includes(GOOD[1]!))).toBe(false);
    await page.keyboard.press('Escape');
    await drawer.getByTestId('campaign-detail').waitFor({ state: 'hidden' });
  });

  it('pauses, resumes and cancels a campaign after confirmation, live', async () => {
    // one that waits for tomorrow: it stays scheduled while the buttons are tried
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
    const made = await supApi.post('/api/campaigns', {
      name: 'Aviso de amanhã', templateId, serviceId: service.id, csv: `telefone;nome;param1;param2\r\n+5511955550009;Fabio;Fabio;2026-000200\r\n`, window: { from: '08:00', to: '20:00' }, startAt: tomorrow,
    });
    expect(made.status).toBe(201);
    const r = row('Aviso de amanhã');
    // created by someone else's request: the stream brings it to the list
    await r.waitFor();
    expect(await r.getByTestId('campaign-status').getAttribute('data-status')).toBe('scheduled');

    await r.getByTestId('campaign-pause').click();
    const dialog = page.getByRole('dialog', { name: 'Pausar a campanha?' });
    await dialog.getByRole('button', { name: 'Pausar' }).click();
    await expect.poll(() => r.getByTestId('campaign-status').getAttribute('data-status')).toBe('paused');
    expect((await supApi.get(`/api/campaigns/${made.body.id}`)).body.status).toBe('paused');

    await r.getByTestId('campaign-resume').click();
    await page.getByRole('dialog', { name: 'Retomar a campanha?' }).getByRole('button', { name: 'Retomar' }).click();
    await expect.poll(() => r.getByTestId('campaign-status').getAttribute('data-status')).not.toBe('paused');
    expect((await supApi.get(`/api/campaigns/${made.body.id}`)).body.status).not.toBe('paused');

    // Voltar leaves it as it is
    await r.getByTestId('campaign-cancel').click();
    await page.getByRole('dialog', { name: 'Cancelar a campanha?' }).getByRole('button', { name: 'Voltar' }).click();
    expect((await supApi.get(`/api/campaigns/${made.body.id}`)).body.status).not.toBe('cancelled');
    await r.getByTestId('campaign-cancel').click();
    await page.getByRole('dialog', { name: 'Cancelar a campanha?' }).getByRole('button', { name: 'Cancelar' }).click();
    await expect.poll(() => r.getByTestId('campaign-status').getAttribute('data-status')).toBe('cancelled');
    expect(await r.getByTestId('campaign-cancel').count()).toBe(0);
    // nothing went to that number
    expect(wa.sent.some((m) => m.to.endsWith('5511955550009'))).toBe(false);
  });

  it('shows the API’s refusal in the form, never swallowed', async () => {
    await page.getByTestId('campaign-new').click();
    await modal().getByTestId('campaign-name').fill('Só problemas');
    await pick('campaign-service', service.name);
    await pick('campaign-template', 'Boleto vencendo (pt_BR)');
    await modal().locator('input[type="file"]').setInputFiles({ name: 'ruim.csv', mimeType: 'text/csv', buffer: Buffer.from('nome;param1\r\nAna;x\r\n') });
    await modal().getByTestId('campaign-validate').click();
    // a CSV without a phone column: the server's 400 names the field and says why, the screen shows it
    await modal().getByTestId('campaign-error').getByText('a primeira linha deve nomear as colunas, uma delas telefone (ou phone)').waitFor();
    expect(await modal().getByTestId('campaign-validation').count()).toBe(0);
    expect(await modal().getByTestId('campaign-start').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  const switchLanguage = async (language: 'en' | 'pt-BR') => {
    expect((await supApi.patch('/api/auth/me', { language })).status).toBe(200);
    await page.reload();
    await page.locator('h1').first().waitFor();
  };

  it('checkScreen: Campanhas, Conversas ativas and Nova campanha, in pt-BR and en', async () => {
    const found: string[] = [];
    for (const language of ['pt-BR', 'en'] as const) {
      if (language === 'en') await switchLanguage('en');
      await page.goto(`${server.url}/analise/mensagens-ativas`);
      await page.getByTestId('campaigns-table').waitFor();
      found.push(...(await checkScreen(page, `campaigns-${language}`, { screenshotAt: [1366] })));
      await page.getByTestId('campaign-new').click();
      await modal().getByTestId('campaign-form').waitFor();
      found.push(...(await checkScreen(page, `campaign-modal-${language}`, { screenshotAt: [390] })));
      await page.keyboard.press('Escape');
      await page.goto(`${server.url}/analise/mensagens-ativas?tab=conversations`);
      await page.getByTestId('outbound-conversations').waitFor();
      found.push(...(await checkScreen(page, `outbound-conversations-${language}`)));
    }
    await page.goto(`${server.url}/analise/mensagens-ativas`);
    await page.getByRole('heading', { name: 'Active messages', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Campaigns' }).waitFor();
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
    await switchLanguage('pt-BR');
  }, 180_000);
});
