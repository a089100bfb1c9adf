import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';

// Issue 2's acceptance path: an admin signs in, creates a team (Departamentos → Vincular) and a
// service, switches the language, and a screenshot is saved; the database holds what the screens said.
describeBrowser('administration', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const teamName = `Equipe Navegador ${Date.now() % 100000}`;
  const serviceName = `WhatsApp Navegador ${Date.now() % 100000}`;

  beforeAll(async () => {
    server = await startWebServer();
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

  it('creates a team through Departamentos → Vincular with its per-agent limit', async () => {
    await page.getByRole('link', { name: 'Departamentos' }).click();
    await page.getByRole('heading', { name: 'Departamentos' }).waitFor();
    await page.getByRole('button', { name: 'Vincular', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /Equipe/ }).fill(teamName);
    await dialog.getByText(`Será criada a equipe “${teamName}”.`).waitFor();
    const limit = dialog.getByRole('textbox', { name: /chat\/mensagens/ });
    await limit.fill('4');
    await dialog.getByRole('button', { name: 'ATIVAR DEPARTAMENTO' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: teamName, exact: true }).waitFor();
    const { rows } = await server.db.query<{ omni_enabled: boolean; max_chat: number }>('SELECT omni_enabled, max_chat FROM teams WHERE name = $1', [teamName]);
    expect(rows[0]).toEqual({ omni_enabled: true, max_chat: 4 });
    await screenshot(page, 'admin-teams-pt-BR');
  });

  it('creates a WhatsApp service served by that team', async () => {
    await page.getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('heading', { name: 'Serviços' }).waitFor();
    await page.getByRole('button', { name: /Novo serviço|Criar/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Nome', exact: true }).fill(serviceName);
    await dialog.getByRole('combobox', { name: /Canal/ }).click();
    await page.getByRole('option', { name: 'WhatsApp', exact: true }).click();
    await dialog.getByRole('combobox', { name: /Departamentos/ }).click();
    await page.getByRole('option', { name: teamName }).click();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: serviceName, exact: true }).waitFor();
    const { rows } = await server.db.query<{ channel: string; teams: string[] }>(
      `SELECT s.channel, array(SELECT t.name FROM service_teams st JOIN teams t ON t.id = st.team_id WHERE st.service_id = s.id) AS teams
         FROM services s WHERE s.name = $1`,
      [serviceName],
    );
    expect(rows[0]).toEqual({ channel: 'whatsapp', teams: [teamName] });
    const audit = await server.db.query<{ entity: string }>(`SELECT entity FROM audit_log WHERE action = 'create' AND entity IN ('team', 'service') ORDER BY id`);
    expect(audit.rows.map((r) => r.entity)).toEqual(['team', 'service']);
    await screenshot(page, 'admin-services-pt-BR');
  });

  it('shows the server’s refusal under the field it names: a duplicate e-mail in Usuários', async () => {
    await page.getByRole('link', { name: 'Usuários' }).click();
    await page.getByRole('heading', { name: 'Usuários' }).waitFor();
    await page.getByRole('button', { name: 'Criar', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo usuário' });
    await dialog.getByRole('textbox', { name: 'Nome', exact: true }).fill('Outra Pessoa');
    const email = dialog.getByRole('textbox', { name: 'E-mail', exact: true });
    // the admin's own e-mail, in capitals: the server compares e-mails ignoring case and answers 409
    await email.fill(server.admin.email.toUpperCase());
    await dialog.locator('input[type="password"]').fill('password-123');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const message = 'já existe um usuário com este e-mail';
    // under the field (Mantine ties the error to the input by aria-describedby), and the field marked invalid
    const errorId = await dialog.locator('[id$="-error"]').filter({ hasText: message }).getAttribute('id', { timeout: 15_000 });
    expect(await email.getAttribute('aria-describedby')).toContain(errorId);
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    // the other fields carry no error
    expect(await dialog.getByRole('textbox', { name: 'Nome', exact: true }).getAttribute('aria-invalid')).not.toBe('true');
    await screenshot(page, 'admin-user-duplicate-email', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE name = $1', ['Outra Pessoa']);
    expect(rows[0].n).toBe(0);
    // back where the next step expects to be
    await page.getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('heading', { name: 'Serviços' }).waitFor();
  });

  it('switches to English and keeps working', async () => {
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    await page.getByRole('link', { name: 'Departments' }).click();
    await page.getByRole('cell', { name: teamName, exact: true }).waitFor();
    await screenshot(page, 'admin-teams-en');
    expect(errors).toEqual([]);
  });
});
