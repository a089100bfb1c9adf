import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Acessos a dados (LGPD) in Chromium: a supervisor without the DPO permission neither sees nor opens
// the screen; a supervisor marked "Encarregado de dados (DPO)" finds a contact by CPF and reads who
// viewed its messages, and downloads the list as CSV; the admin runs the retention dry run in
// Parâmetros.
describeBrowser('Acessos a dados (LGPD)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let sup: { email: string; password: string; name: string };
  let dpo: { email: string; password: string };

  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { name: 'Varejo Digital' });
    sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    dpo = await createUser(admin, { name: 'Helena Prado', role: 'supervisor', supervisedTeamIds: [], privacyOfficer: true });
    const service = await createService(admin, { name: 'Segunda via de boleto', channel: 'whatsapp', teamIds: [team.id] });
    // the CPF as the app stores it (digits: shared/fields.ts normalises); the search takes it punctuated
    const contact = (await server.db.query<{ id: string }>(
      `INSERT INTO contacts (name, phone, cpf) VALUES ('João da Silva', '+5585999990000', '12345678909') RETURNING id`,
    )).rows[0].id;
    const finished = new Date(Date.now() - 60_000);
    const conv = (await server.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, finished_at) VALUES ('20990101000001', $1, 'whatsapp', $2, 'completed', $3, $4) RETURNING id`,
      [service.id, contact, new Date(finished.getTime() - 600_000), finished],
    )).rows[0].id;
    // Mariana reads the conversation's messages: the access the DPO will find
    const supClient = new Client(server.url);
    expect((await supClient.post('/api/auth/login', { email: sup.email, password: sup.password })).status).toBe(200);
    expect((await supClient.get(`/api/conversations/${conv}`)).status).toBe(200);
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signInAs = async (email: string, password: string) => {
    await page.context().clearCookies();
    await page.goto(server.url);
    await signIn(page, email, password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  };

  it('is hidden from a supervisor without the permission, and its address sends them home', async () => {
    await signInAs(sup.email, sup.password);
    expect(await page.getByRole('link', { name: 'Acessos a dados' }).count()).toBe(0);
    await page.goto(`${server.url}/lgpd/acessos`);
    await page.waitForURL(/\/monitor$/);
  });

  it('lets the privacy officer find a contact by CPF and read who viewed its messages, and download them as CSV', async () => {
    await signInAs(dpo.email, dpo.password);
    await page.getByRole('link', { name: 'Acessos a dados' }).click();
    await page.getByRole('heading', { name: 'Acessos a dados (LGPD)' }).waitFor();
    await page.getByTestId('lgpd-search').fill('123.456.789-09');
    await page.getByRole('button', { name: 'Buscar' }).click();
    const contacts = page.getByTestId('lgpd-contacts');
    await contacts.getByText('João da Silva').waitFor();
    await contacts.getByRole('button', { name: 'Ver acessos' }).click();
    const list = page.getByTestId('lgpd-accesses');
    await list.getByRole('heading', { name: 'Acessos aos dados de João da Silva' }).waitFor();
    const row = list.locator('tbody tr[data-action="view_messages"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('Mariana Albuquerque');
    expect(cells[2]).toBe('Mensagens consultadas');
    expect(cells[4]).toMatch(/127\.0\.0\.1/);
    // the time in São Paulo, as Brazilians write it
    expect(cells[0]).toMatch(/^\d{2}\/\d{2}\/\d{4},? \d{2}:\d{2}:\d{2}$/);
    await screenshot(page, 'lgpd-data-access');
    await page.mouse.move(0, 0);
    expect(await checkScreen(page, 'lgpd-data-access')).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByTestId('lgpd-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^acessos-a-dados_[0-9a-f]{8}\.csv$/);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text).toContain('Data/hora;Quem;O quê;Registro;IP;Navegador');
    expect(text).toContain('Mariana Albuquerque;Mensagens consultadas');
    // the download is itself an access, listed under the contact
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await list.locator('tbody tr[data-action="export"]').waitFor();
    expect(errors).toEqual([]);
  });

  it('runs the retention dry run from the admin’s Parâmetros', async () => {
    await signInAs(server.admin.email, server.admin.password);
    await page.getByRole('link', { name: 'Parâmetros' }).click();
    const card = page.getByTestId('settings-retention');
    await card.getByRole('heading', { name: 'Retenção de dados (LGPD)' }).waitFor();
    await card.getByRole('button', { name: 'Simular agora' }).click();
    const dry = card.getByTestId('retention-dry-run');
    await dry.locator('tbody tr').nth(4).waitFor();
    const rules = await dry.locator('tbody tr td:first-child').allTextContents();
    expect(rules.map((r) => r.replace(/(Ligada|Desligada)$/, '').trim())).toEqual(['Mensagens', 'Corpo dos e-mails', 'Anexos', 'Registros de acesso', 'Auditoria']);
    // nothing finished five years ago: every service-record rule touches nothing; every rule starts off
    expect(await dry.getByTestId('retention-total-messages').textContent()).toBe('0');
    expect(await dry.getByText('Desligada').count()).toBe(5);
    await screenshot(page, 'lgpd-retention-dry-run');
    expect(errors).toEqual([]);
  });
});
