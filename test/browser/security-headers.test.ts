import { theme } from '../../src/web/ui/theme.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createApiService, createService, createTeam, createUser, unique, type TestApp } from '../support/test-app.js';

// The app and the WebChat widget under the server's Content-Security-Policy: every screen opened here
// must work with no violation reported (the browser fires `securitypolicyviolation` and logs a
// "Refused to …" console error for each blocked script, style, connection or image).
describeBrowser('the app and the widget under the Content-Security-Policy', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: Client;
  let agent: { email: string; password: string; name: string };
  let sup: { email: string; password: string };
  let webchat: { key: string };

  interface Watched {
    context: BrowserContext;
    page: Page;
    errors: string[];
    /** violations from the page's events and the console, in one list */
    violations: () => Promise<string[]>;
  }

  /** A fresh page that records every CSP violation: the event (init scripts are not subject to the page's CSP) and the console line. */
  const watched = async (): Promise<Watched> => {
    const { context, page, errors } = await newPage(browser);
    const console: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
    });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`), true);
    });
    const violations = async () => [...console, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
    return { context, page, errors, violations };
  };
  /** Opens a page and checks it came with its policy: without one, "no violation" would prove nothing. */
  const open = async (page: Page, url: string, directive: RegExp) => {
    const res = await page.goto(url);
    expect(res?.headers()['content-security-policy']).toMatch(directive);
  };
  const APP = /(^|; )script-src 'self'; style-src 'self' 'nonce-[^']+'(;|$)/;

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    const t = { url: server.url, anonymous: () => new Client(server.url) } as TestApp;
    const api = await createApiService(t, admin, { name: 'Segunda via de boleto', teamIds: [team.id] });
    expect((await api.send({ contact: { externalId: 'cli-maria', name: 'Maria Souza' }, externalId: unique('m'), text: 'Preciso da segunda via.' })).status).toBe(202);
    webchat = await createService(admin, { name: 'Central de Atendimento', channel: 'webchat', teamIds: [team.id] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the app with a CSP that has no unsafe-inline and no unsafe-eval', async () => {
    const res = await fetch(`${server.url}/`);
    const policy = res.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('the supervisor signs in and works on Início (Posição Geral, Serviços, Agentes, Painel) with no violation', async () => {
    const { page, errors, violations } = await watched();
    await open(page, server.url, APP);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor$/);
    await page.getByTestId('monitor-live').getByText('Ao vivo').waitFor();
    // the count of the queued conversation: data over HTTP and the socket
    await page.waitForFunction(() => document.querySelector('[data-testid="position-all-queued-value"]')?.textContent?.trim() === '1');
    // Mantine's theme (primary colour cyan, darkened for contrast; its stylesheet's default is blue) lives in a <style> element the policy admits by nonce
    await expect(page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--mantine-primary-color-filled').trim())).resolves.toBe(theme.colors!.cyan![6]);
    // the charts (ECharts, loaded as a chunk of their own) draw, and their tooltip shows
    await page.locator('canvas').first().waitFor();
    await page.locator('canvas').first().hover();
    await screenshot(page, 'csp-monitor-position');
    const shown = { services: 'service-row', agents: 'tab-agents', panel: 'panel-waiting-customer' };
    for (const tab of ['services', 'agents', 'panel'] as const) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForURL(new RegExp(`tab=${tab}`));
      await page.getByTestId(shown[tab]).first().waitFor();
    }
    await screenshot(page, 'csp-monitor-panel');
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
  });

  it('the agent works at the desk (the socket, a conversation, a reply) with no violation', async () => {
    const { page, errors, violations } = await watched();
    await open(page, server.url, APP);
    await signIn(page, agent.email, agent.password);
    await page.getByRole('link', { name: 'Atendimento' }).click();
    await page.waitForURL(/\/desk$/);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByTestId('connection').getByText('Conectado').waitFor();
    await page.getByTestId('desk-conversation').filter({ hasText: 'Maria Souza' }).click();
    await page.getByTestId('desk-history').getByText('Preciso da segunda via.').waitFor();
    await page.getByTestId('desk-composer').fill('Bom dia, Maria!');
    await page.getByTestId('desk-composer').press('Enter');
    await page.getByTestId('desk-history').locator('[data-author="agent"]').getByText('Bom dia, Maria!').waitFor();
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
  });

  it('the admin opens Serviços and its form, and Departamentos, with no violation', async () => {
    const { page, errors, violations } = await watched();
    await open(page, server.url, APP);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('link', { name: 'Serviços' }).click();
    await page.getByRole('cell', { name: 'Central de Atendimento', exact: true }).waitFor();
    await page.getByRole('button', { name: /Novo serviço|Criar/ }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Nome', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Departamentos' }).click();
    await page.getByRole('heading', { name: 'Departamentos' }).first().waitFor();
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
  });

  it('the widget on the demo page works under the demo page’s policy: styled, connected, a message sent', async () => {
    const { page, errors, violations } = await watched();
    await open(page, `${server.url}/webchat/demo?service=${webchat.key}`, /(^|; )default-src 'none'; script-src 'self'; style-src 'sha256-[^']+'(;|$)/);
    const w = page.locator('[data-mirante-webchat]');
    const launcher = w.getByRole('button', { name: 'Abrir chat de atendimento' });
    await launcher.click();
    await w.getByRole('dialog').waitFor();
    // its stylesheet applied: the panel floats over the page
    await expect(w.getByRole('dialog').evaluate((el) => getComputedStyle(el).position)).resolves.toBe('fixed');
    const box = w.getByRole('textbox', { name: 'Mensagem' });
    await box.fill('Olá, tudo bem?');
    await box.press('Enter');
    await w.getByRole('log').getByText('Olá, tudo bem?').waitFor();
    await w.locator('#mw-sub').getByText(/^Protocolo \d+$/).waitFor();
    await screenshot(page, 'csp-webchat-demo');
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
  });
});
