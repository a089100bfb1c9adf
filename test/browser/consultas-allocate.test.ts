import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { receiveEmail } from '../support/email-inbound.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Consultas → E-mail in Chromium (issue 14, seed "Alocando responsável ao atendimento"): the supervisor
// filters Status "Aguardando em fila" (Em Espera), selects two e-mails, allocates them to an agent of
// the service's department (Responsável shows her), then returns one to the service's group.
describeBrowser('Consultas → E-mail: Alocar Responsável', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let ana: { id: string; name: string };
  let bruno: { email: string; password: string };
  const protocols = new Map<string, string>();
  const stateOf = async (subject: string) => (await server.db.query<{ state: string; priority: string; preferred_agent_id: string | null }>(
    'SELECT state, priority, preferred_agent_id FROM conversations WHERE protocol = $1', [protocols.get(subject)])).rows[0];
  const rowOf = (subject: string) => page.locator(`[data-testid="lookback-row"][data-protocol="${protocols.get(subject)}"]`);

  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    await admin.post('/api/auth/login', server.admin);
    const team = await createTeam(admin, { name: unique('Ouvidoria'), maxEmail: 5 });
    const mail = await createService(admin, { name: 'Ouvidoria E-mail', channel: 'email', teamIds: [team.id] });
    ana = await createUser(admin, { name: 'Ana Lima', agentEnabled: true, teamIds: [team.id] });
    bruno = await createUser(admin, { name: 'Bruno Reis', agentEnabled: true, teamIds: [team.id] });
    // an agent of another department: never offered for this service's e-mails
    const other = await createTeam(admin, { name: unique('Vendas') });
    await createUser(admin, { name: 'Carla Outra', agentEnabled: true, teamIds: [other.id] });
    const sup = await createUser(admin, { role: 'supervisor', name: 'Sônia Supervisora', supervisedTeamIds: [team.id] });
    for (const subject of ['Pedido 1', 'Pedido 2', 'Pedido 3']) {
      const r = await receiveEmail(server.runtime.engine, mail.id, { from: `${unique('c').replace(/\W/g, '')}@cliente.test`, subject, text: `Texto de ${subject}.` });
      protocols.set(subject, r.protocol);
    }
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('filters Em Espera, allocates two e-mails to an agent, shows her as Responsável, returns one to the group', async () => {
    await page.goto(`${server.url}/consultas?tab=email`);
    await page.getByTestId('lookback-table').waitFor();
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'Aguardando em fila', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/states=queued/);
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe('3 atendimentos');
    await expect.poll(() => page.getByTestId('select-row').count()).toBe(3);
    await rowOf('Pedido 1').getByTestId('select-row').check();
    await rowOf('Pedido 2').getByTestId('select-row').check();
    expect(await page.getByTestId('lookback-selected').textContent()).toBe('2 e-mails selecionados');
    // none allocated yet: nothing to return
    expect(await page.getByTestId('lookback-return').isDisabled()).toBe(true);
    expect(await checkScreen(page, 'consultas-email-selection', { screenshotAt: [390], restore: { width: 1440, height: 900 } })).toEqual([]);

    await page.getByTestId('lookback-allocate').click();
    const modal = page.getByTestId('allocate-modal');
    await modal.getByText('2 atendimentos selecionados').waitFor();
    await modal.getByTestId('allocate-agent').click();
    // the agents of the service's department, and no one else
    await expect.poll(() => page.getByRole('option').allTextContents()).toEqual([expect.stringMatching(/^Ana Lima — /), expect.stringMatching(/^Bruno Reis — /)]);
    await page.getByRole('option', { name: /^Ana Lima/ }).click();
    await modal.getByTestId('allocate-confirm').click();
    await page.getByText('2 atendimentos alocados para Ana Lima.').waitFor();
    for (const s of ['Pedido 1', 'Pedido 2']) {
      await expect.poll(() => rowOf(s).getByTestId('allocated-agent').textContent()).toBe('Ana Lima');
      expect(await stateOf(s)).toEqual({ state: 'queued', priority: 'manual', preferred_agent_id: ana.id });
    }
    expect(await rowOf('Pedido 3').getByTestId('allocated-agent').count()).toBe(0);
    // the selection cleared
    expect(await page.getByTestId('lookback-selected').textContent()).toBe('Nenhum e-mail selecionado');
    await screenshot(page, 'consultas-email-allocated');

    // Retornar para grupo do serviço for one of them
    await rowOf('Pedido 2').getByTestId('select-row').check();
    await page.getByTestId('lookback-return').click();
    await page.getByText('1 e-mail voltou para a fila do serviço.').waitFor();
    await expect.poll(() => rowOf('Pedido 2').getByTestId('allocated-agent').count()).toBe(0);
    expect(await stateOf('Pedido 2')).toEqual({ state: 'queued', priority: 'returned', preferred_agent_id: null });
    expect(await rowOf('Pedido 1').getByTestId('allocated-agent').textContent()).toBe('Ana Lima');
    expect(await page.getByTestId('lookback-selected').textContent()).toBe('Nenhum e-mail selecionado');
    await screenshot(page, 'consultas-email-returned');

    // a stale selection: Bruno logs in and takes Pedido 3 while the list still shows it waiting; the
    // refusal names it by its Nr.Ocorr and nothing changes (all or nothing: Pedido 1 stays Ana's)
    await rowOf('Pedido 1').getByTestId('select-row').check();
    await rowOf('Pedido 3').getByTestId('select-row').check();
    const desk = new Client(server.url);
    await desk.post('/api/auth/login', { email: bruno.email, password: bruno.password });
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    await expect.poll(async () => (await stateOf('Pedido 3')).state, { timeout: 10_000 }).toBe('in_service');
    await page.getByTestId('lookback-allocate').click();
    await modal.getByTestId('allocate-agent').click();
    await page.getByRole('option', { name: /^Bruno Reis/ }).click();
    await modal.getByTestId('allocate-confirm').click();
    await expect.poll(() => modal.getByTestId('allocate-error').textContent()).toBe(`não estão mais aguardando em fila: ${protocols.get('Pedido 3')} (em andamento)`);
    await screenshot(page, 'consultas-email-refused', { fullPage: false });
    expect((await stateOf('Pedido 3')).preferred_agent_id).toBeNull();
    expect(await stateOf('Pedido 1')).toEqual({ state: 'queued', priority: 'manual', preferred_agent_id: ana.id });
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
  });
});
