import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';

describeBrowser('login and language', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    // an English browser: Portuguese must still be the default
    ({ page, errors } = await newPage(browser, { locale: 'en-US' }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the login page in Portuguese', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Entrar no Mirante' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    await expect(page.getByLabel(/^E-mail/).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel(/^Senha/).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Entrar' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'login-pt-BR');
  });

  it('says so when the password is wrong', async () => {
    await signIn(page, server.admin.email, 'not-the-password');
    const alert = page.getByRole('alert').filter({ hasText: 'E-mail ou senha incorretos' });
    await alert.waitFor();
    await screenshot(page, 'login-wrong-password');
  });

  it('says the server is out of reach, not that the password is wrong, when nothing answers', async () => {
    await page.route('**/api/auth/login', (route) => route.abort('connectionrefused'));
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('alert').filter({ hasText: 'Sem conexão com o servidor. Verifique a rede e tente de novo.' }).waitFor();
    await expect(page.getByText('E-mail ou senha incorretos').count()).resolves.toBe(0);
    await page.unroute('**/api/auth/login');
  });

  it('signs the admin in to the menu and the pause reasons', async () => {
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
    await page.getByRole('navigation').getByText('Administração', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Motivos de pausa' }).click();
    await page.getByRole('heading', { name: 'Motivos de pausa' }).waitFor();
    const table = page.getByRole('table');
    for (const reason of ['Banheiro', 'Almoço', 'Descanso']) {
      await table.getByRole('cell', { name: reason, exact: true }).waitFor();
    }
    await screenshot(page, 'pause-reasons-pt-BR');
  });

  it('switches to English, and remembers it for the user across a reload and a new browser', async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH');
    await page.getByText('EN', { exact: true }).click();
    expect((await saved).status()).toBe(200);
    await page.getByRole('heading', { name: 'Pause reasons' }).waitFor();
    await page.getByRole('link', { name: 'Pause reasons' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await screenshot(page, 'pause-reasons-en');

    // the choice lives with the user, not only in this browser's storage
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByRole('heading', { name: 'Pause reasons' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const other = await newPage(browser);
    try {
      await other.page.goto(server.url);
      await other.page.getByRole('heading', { name: 'Entrar no Mirante' }).waitFor();
      await signIn(other.page, server.admin.email, server.admin.password);
      await other.page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(other.errors).toEqual([]);
    } finally {
      await other.context.close();
    }
    const { rows } = await server.db.query<{ language: string }>('SELECT language FROM users WHERE email = $1', [server.admin.email]);
    expect(rows[0].language).toBe('en');
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
