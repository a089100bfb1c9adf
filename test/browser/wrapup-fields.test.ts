import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Campos da ficha end to end: an admin defines a service's wrap-up fields (one a required list of
// options); an agent concluding a conversation of that service sees them (and a required yes/no),
// cannot conclude without the required ones, answers and concludes; the values land in the
// conversation's wrap-up.
describeBrowser('wrap-up fields (Campos da ficha): the admin defines them, the agent fills them on Concluir', () => {
  let server: WebServer;
  let browser: Browser;
  let adminPage: Page;
  let agentPage: Page;
  let errors: string[][] = [];
  let admin: Client;
  let agent: { email: string; password: string };
  let service: { id: string; name: string };
  let token: string;
  let concluded: { id: string; protocol: string } | null = null;

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Carla Menezes', agentEnabled: true, teamIds: [team.id] });
    service = await createService(admin, { name: 'Cobrança — API', channel: 'api', teamIds: [team.id] });
    token = (await admin.post(`/api/services/${service.id}/api-credentials`)).body.token;
    await admin.post('/api/classifications', { code: unique('NEG').replace(/\s/g, ''), name: 'Negociação', serviceIds: [service.id] });

    browser = await launchBrowser();
    const a = await newPage(browser);
    const b = await newPage(browser);
    adminPage = a.page;
    agentPage = b.page;
    errors = [a.errors, b.errors];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the admin adds, orders and saves the fields from Serviços; mistakes are shown on the field', async () => {
    const page = adminPage;
    await page.goto(server.url);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('link', { name: `Campos da ficha: ${service.name}` }).click();
    await page.getByRole('heading', { name: `Campos da ficha: ${service.name}` }).waitFor();
    await page.getByText('Nenhum campo').waitFor();
    const rows = page.getByTestId('wrapup-field-row');

    // the first field: a required list of options; its key follows the label
    await page.getByRole('button', { name: 'Adicionar campo' }).click();
    await page.keyboard.type('Motivo do contato'); // the new field's label has the focus
    const first = rows.nth(0);
    await expect(first.getByLabel('Chave').inputValue()).resolves.toBe('motivo_do_contato');
    await first.getByRole('combobox', { name: 'Tipo' }).click();
    await page.getByRole('option', { name: 'Lista de opções' }).click();
    const options = first.getByLabel('Opções');
    for (const o of ['Segunda via', 'Negociação de dívida', 'Contestação']) {
      await options.fill(o);
      await options.press('Enter');
    }
    await first.getByRole('switch', { name: 'Obrigatório' }).click({ force: true });
    await expect(first.getByRole('switch', { name: 'Obrigatório' }).isChecked()).resolves.toBe(true);

    // a second and a third field, then the third moved above the second
    await page.getByRole('button', { name: 'Adicionar campo' }).click();
    await page.keyboard.type('Número do contrato');
    await page.getByRole('button', { name: 'Adicionar campo' }).click();
    await page.keyboard.type('Parcelas');
    await rows.nth(2).getByRole('combobox', { name: 'Tipo' }).click();
    await page.getByRole('option', { name: 'Número' }).click();
    await page.getByRole('button', { name: 'Mover para cima: Parcelas' }).click();
    await expect(rows.nth(1).getByLabel('Rótulo').inputValue()).resolves.toBe('Parcelas');

    // a field without a label and a key typed by hand that another field uses: refused on the field
    await page.getByRole('button', { name: 'Adicionar campo' }).click();
    const bad = rows.nth(3);
    await bad.getByLabel('Chave').fill('parcelas');
    await page.getByRole('button', { name: 'Salvar campos' }).click();
    await bad.getByText('Informe o rótulo').waitFor();
    await bad.getByText('Outro campo já usa esta chave').waitFor();
    await page.getByRole('alert').getByText('Corrija os campos marcados antes de salvar.').waitFor();
    await screenshot(page, 'wrapup-fields-admin-errors-pt-BR');
    await page.getByRole('button', { name: 'Remover campo: Campo 4' }).click();

    await page.getByRole('button', { name: 'Salvar campos' }).click();
    await page.getByText('Campos da ficha salvos').waitFor();
    await page.getByText('Alterações não salvas').waitFor({ state: 'detached' });
    await screenshot(page, 'wrapup-fields-admin-pt-BR');

    const saved = (await admin.get(`/api/services/${service.id}/wrapup-fields`)).body.items;
    expect(saved).toEqual([
      { key: 'motivo_do_contato', label: 'Motivo do contato', type: 'select', options: ['Segunda via', 'Negociação de dívida', 'Contestação'], required: true, position: 0 },
      { key: 'parcelas', label: 'Parcelas', type: 'number', required: false, position: 1 },
      { key: 'numero_do_contrato', label: 'Número do contrato', type: 'text', required: false, position: 2 },
    ]);
  });

  it('the agent cannot conclude without the required field; with it, the values are stored', async () => {
    const page = agentPage;
    // a required yes/no besides what the admin made above: Sim or Não must be chosen
    const defined = (await admin.get(`/api/services/${service.id}/wrapup-fields`)).body.items;
    expect((await admin.put(`/api/services/${service.id}/wrapup-fields`, { items: [...defined, { key: 'acordo_fechado', label: 'Acordo fechado', type: 'boolean', required: true }] })).status).toBe(200);
    await page.goto(server.url);
    await signIn(page, agent.email, agent.password);
    await page.getByRole('link', { name: 'Atendimento' }).click();
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByTestId('agent-state').getByText('Livre').waitFor();

    const res = await fetch(`${server.url}/api/channels/api/${service.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contact: { externalId: 'cli-rafael', name: 'Rafael Lima' }, externalId: 'm-1', text: 'Quero negociar a fatura de março.' }),
    });
    expect(res.status).toBe(202);
    const { conversationId } = (await res.json()) as { conversationId: string };
    await page.getByTestId('desk-conversation').filter({ hasText: 'Rafael Lima' }).click();

    await page.getByRole('button', { name: 'Concluir', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Concluir atendimento' });
    const form = dialog.getByTestId('wrapup-fields');
    await form.getByLabel('Motivo do contato').waitFor();
    await expect(form.locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).resolves.toEqual(['motivo_do_contato', 'parcelas', 'numero_do_contrato', 'acordo_fechado']);

    // the classification but not the required field: refused here, the conversation still open
    await dialog.getByTestId('wrapup-classification').click();
    await page.getByRole('option', { name: /Negociação/ }).click();
    await dialog.getByRole('button', { name: 'Concluir atendimento' }).click();
    // the list of options and the yes/no both say so
    await expect.poll(() => form.getByText('Obrigatório').count()).toBe(2);
    await expect(form.getByRole('radio', { checked: true }).count()).resolves.toBe(0);
    await screenshot(page, 'wrapup-fields-concluir-missing-pt-BR');
    expect((await admin.get(`/api/conversations/${conversationId}`)).body.conversation.state).toBe('in_service');

    // by keyboard: the list opens with the arrow, Enter picks
    await form.getByLabel('Motivo do contato').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'Negociação de dívida' }).waitFor();
    // the arrow moves the highlight (whether the opening arrow already highlighted the first option
    // depends on timing): down until the wanted one is highlighted, then Enter picks it
    const highlighted = page.locator('[role="option"][data-combobox-selected]');
    for (let i = 0; i < 6 && (await highlighted.count() === 0 || (await highlighted.textContent()) !== 'Negociação de dívida'); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await expect(form.getByLabel('Motivo do contato').inputValue()).resolves.toBe('Negociação de dívida');
    await expect.poll(() => form.getByText('Obrigatório').count()).toBe(1);
    await form.getByRole('radio', { name: 'Não' }).check();
    await form.getByText('Obrigatório').waitFor({ state: 'detached' });
    await form.getByLabel('Parcelas').fill('6');
    await form.getByLabel('Número do contrato').fill('CT-2024-0815');
    await dialog.getByLabel('Observações').fill('Acordo em 6 parcelas.');
    await screenshot(page, 'wrapup-fields-concluir-pt-BR');

    await dialog.getByRole('button', { name: 'Concluir atendimento' }).click();
    await dialog.waitFor({ state: 'detached' });
    const done = (await admin.get(`/api/conversations/${conversationId}`)).body.conversation;
    expect(done).toMatchObject({
      state: 'completed',
      finishedBy: 'agent',
      notes: 'Acordo em 6 parcelas.',
      wrapup: { motivo_do_contato: 'Negociação de dívida', parcelas: 6, numero_do_contrato: 'CT-2024-0815', acordo_fechado: false },
    });
    concluded = { id: done.id, protocol: done.protocol };
  });

  it('on Início, the protocol the customer quotes opens the finished conversation with its ficha', async () => {
    const page = adminPage;
    await page.goto(`${server.url}/monitor`);
    const search = page.getByRole('search', { name: 'Buscar protocolo' });
    // a protocol that does not exist says so where it was typed
    await search.getByRole('textbox').fill('20000101999999');
    await search.getByRole('button', { name: 'Buscar' }).click();
    await search.getByText('Nenhum atendimento com o protocolo 20000101999999 nos seus serviços.').waitFor();

    await search.getByRole('textbox').fill(concluded!.protocol);
    await page.keyboard.press('Enter');
    const modal = page.getByRole('dialog', { name: new RegExp(concluded!.protocol) });
    const record = modal.getByTestId('conversation-record');
    await record.getByText('Concluído').waitFor();
    await expect(record.getByTestId('record-finished-by').innerText()).resolves.toContain('Agente');
    await expect(record.getByTestId('record-classification').innerText()).resolves.toMatch(/Negociação \(NEG/);
    const fields = await record.getByTestId('record-field').allInnerTexts();
    expect(fields.map((f) => f.replace(/\s*\n\s*/g, ': '))).toEqual([
      'Motivo do contato: Negociação de dívida',
      'Parcelas: 6',
      'Número do contrato: CT-2024-0815',
      'Acordo fechado: Não',
    ]);
    await expect(record.getByTestId('record-notes').innerText()).resolves.toContain('Acordo em 6 parcelas.');
    await modal.getByTestId('monitor-history').getByText('Quero negociar a fatura de março.').waitFor();
    await screenshot(page, 'monitor-protocol-record-pt-BR', { fullPage: false });
  });

  it('threw no error in the pages', () => {
    expect(errors.flat()).toEqual([]);
  });
});
