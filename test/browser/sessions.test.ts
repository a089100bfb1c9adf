// Issue 12, "Sessions": Meu perfil lists where the account is signed in and ends the others; the
// browser whose session ended goes to the sign-in page by itself (its /ws closes with 4401). An admin
// ends a user's sessions from Administração → Usuários.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';

describeBrowser('open sessions', () => {
  let server: WebServer;
  let browser: Browser;
  let here: { page: Page; errors: string[] };
  let there: { page: Page; errors: string[] };

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    here = await newPage(browser);
    there = await newPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = async (page: Page) => {
    await page.goto(server.url);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  };

  it('shows both sessions in Meu perfil, ends the other one, and that browser is signed out', async () => {
    await signedIn(there.page);
    // the other browser stays on Início, with its live connection
    await there.page.getByRole('tab', { name: 'Posição Geral' }).waitFor();
    await signedIn(here.page);
    await here.page.getByRole('link', { name: 'Meu perfil' }).click();
    const card = here.page.getByTestId('sessions');
    await card.getByRole('heading', { name: 'Sessões abertas' }).waitFor();
    const rows = card.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const current = rows.filter({ hasText: 'Esta sessão' });
    await expect(current.count()).resolves.toBe(1);
    await expect(current.getByRole('button', { name: /^Encerrar/ }).count()).resolves.toBe(0);
    const other = rows.filter({ hasNotText: 'Esta sessão' });
    // the browser named as a person reads it, and where it came from
    await expect(other.textContent()).resolves.toMatch(/Chrome( Headless)? \d+ em Linux/);
    await expect(other.textContent()).resolves.toContain('127.0.0.1');
    await screenshot(here.page, 'profile-sessions');

    await other.getByRole('button', { name: /^Encerrar a sessão de/ }).click();
    await here.page.getByText('Sessão encerrada').first().waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    await card.getByText('Só esta sessão está aberta.').waitFor();
    await expect(card.getByRole('button', { name: 'Encerrar as outras sessões' }).isDisabled()).resolves.toBe(true);

    // the other browser did nothing: its socket was closed, and it shows the sign-in page
    await there.page.getByRole('heading', { name: 'Entrar no Mirante' }).waitFor();
    await screenshot(there.page, 'session-ended-signed-out');
    await screenshot(here.page, 'profile-sessions-ended');
    expect(here.errors).toEqual([]);
    expect(there.errors).toEqual([]);
  });

  it('an admin ends a user’s sessions from Usuários', async () => {
    await signedIn(there.page);
    await here.page.getByRole('link', { name: 'Usuários' }).click();
    const row = here.page.getByRole('row').filter({ hasText: server.admin.email });
    await row.waitFor();
    // not on their own row: Meu perfil does that
    await expect(row.getByRole('button', { name: /^Encerrar sessões/ }).count()).resolves.toBe(0);

    const r = await here.page.request.post(`${server.url}/api/users`, {
      data: { email: 'maria.souza@test.local', name: 'Maria Souza', role: 'supervisor', password: 'password-123' },
      headers: { origin: server.url },
    });
    expect(r.status()).toBe(201);
    const maria = await newPage(browser);
    await maria.page.goto(server.url);
    await signIn(maria.page, 'maria.souza@test.local', 'password-123');
    await maria.page.getByRole('button', { name: 'Sair' }).waitFor();

    await here.page.reload();
    await here.page.getByRole('button', { name: 'Encerrar sessões: Maria Souza' }).click();
    const dialog = here.page.getByRole('dialog', { name: 'Encerrar as sessões de Maria Souza?' });
    await dialog.waitFor();
    await screenshot(here.page, 'users-end-sessions-confirm');
    await dialog.getByRole('button', { name: 'Encerrar sessões' }).click();
    await here.page.getByText('1 sessão de Maria Souza encerrada').waitFor();
    await maria.page.getByRole('heading', { name: 'Entrar no Mirante' }).waitFor();
    expect(maria.errors).toEqual([]);
  });
});
