import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, createTeam, createUser } from '../support/test-app.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';

// Início on a fresh installation: instead of a monitor of zeros, the admin is told what to do next
// (a team, people, a service, or the demo), with links that lead there; a supervisor of no team is
// told to ask an administrator. Once a service exists the monitor shows as usual.
describeBrowser('Início on a fresh installation', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: Client;

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (email: string, password: string): Promise<{ page: Page; errors: string[] }> => {
    const { page, errors } = await newPage(browser);
    await page.goto(server.url);
    await signIn(page, email, password);
    await page.waitForURL(/\/monitor$/);
    return { page, errors };
  };

  it('tells a fresh admin what to do next, and the links lead there', async () => {
    const { page, errors } = await open(server.admin.email, server.admin.password);
    const card = page.getByTestId('getting-started');
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('Comece por aqui');
    await expect(card.textContent()).resolves.toContain('npm run demo');
    await screenshot(page, 'getting-started-admin');
    await card.getByRole('link', { name: 'Crie um serviço' }).click();
    await page.waitForURL(/\/admin\/services$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('tells a supervisor of no team to ask an administrator; once a service is theirs, the monitor shows', async () => {
    const team = await createTeam(admin);
    const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    const { page, errors } = await open(sup.email, sup.password);
    await page.getByTestId('getting-started').waitFor();
    await expect(page.getByTestId('getting-started').textContent()).resolves.toContain('Peça a um administrador');
    await page.context().close();

    await admin.post('/api/services', { name: 'Primeiro serviço', channel: 'webchat', teamIds: [team.id] });
    const again = await open(sup.email, sup.password);
    await again.page.getByTestId('tab-position').waitFor();
    expect(await again.page.getByTestId('getting-started').count()).toBe(0);
    expect([...errors, ...again.errors]).toEqual([]);
    await again.page.context().close();
  });
});
