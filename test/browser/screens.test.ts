import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Issue 22, "keep it so": every screen a supervisor, an admin and an agent uses, at 1366×768,
// 1920×1080 and 390×844, in pt-BR and English: no horizontal overflow of the page or of a card, no
// clipped text, modals inside the viewport, a level-one heading, and no serious or critical axe
// violation. A new screen is one more line in a list below.
describeBrowser('every screen fits, reads and passes axe (pt-BR and English)', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: Client;
  let page: Page;
  let errors: string[];
  let service: { id: string; name: string; key: string };
  let webchat: { id: string; key: string };
  let token: string;
  let agent: { id: string; email: string; password: string; name: string };
  let sup: { id: string; email: string; password: string; name: string };
  let conversation: { conversationId: string; protocol: string };

  const inbound = async (externalId: string, name: string, text: string) => {
    const res = await fetch(`${server.url}/api/channels/api/${service.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contact: { externalId, name }, externalId: unique('msg').replace(/\s/g, '-'), text }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { conversationId: string; protocol: string };
  };

  /** The screen has drawn its data: a level-one heading (or the given locator), no loader, the network quiet. */
  const ready = async (p: Page, selector = 'h1') => {
    await p.locator(selector).first().waitFor();
    await p.waitForLoadState('networkidle').catch(() => undefined);
    await p.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), undefined, { timeout: 5000 }).catch(() => undefined);
  };
  /** The header's language switch (PT/EN), then the screen redrawn in it. */
  const switchLanguage = async (p: Page, to: 'pt-BR' | 'en') => {
    const control = p.getByRole('radiogroup', { name: /Idioma|Language/ });
    // the header's control, unless the screen covers the header (the wallboard)
    const reachable = (await control.isVisible()) && (await control.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    }));
    if (reachable) await control.getByText(to === 'en' ? 'EN' : 'PT', { exact: true }).click();
    else {
      // the same preference as the header's control sets, then the page again
      await p.evaluate(async (l) => {
        await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: l }) });
        localStorage.setItem('mirante.language', l);
      }, to);
      await p.reload();
    }
    await p.waitForFunction((l) => document.documentElement.lang === l, to);
  };
  /** Checks the screen in the language it shows, then in the other one: problems of both. */
  const bothLanguages = async (p: Page, name: string, opts: Parameters<typeof checkScreen>[2] = {}) => {
    const first = (await p.evaluate(() => document.documentElement.lang)) as 'pt-BR' | 'en';
    const found = await checkScreen(p, name, opts);
    await switchLanguage(p, first === 'en' ? 'pt-BR' : 'en');
    await ready(p, opts.noHeading ? 'body' : 'h1');
    found.push(...(await checkScreen(p, name, opts)));
    return found;
  };

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    service = await createService(admin, { name: 'Segunda via de boleto', channel: 'api', teamIds: [team.id] });
    webchat = await createService(admin, { name: 'Central de Atendimento', channel: 'webchat', teamIds: [team.id] });
    token = (await admin.post(`/api/services/${service.id}/api-credentials`)).body.token;
    const category = (await admin.post('/api/template-categories', { code: 10, title: 'Cobrança', type: 'protocol_update' })).body;
    expect((await admin.post('/api/templates', { categoryId: category.id, name: 'Boleto enviado', language: 'pt_BR', body: 'Olá! Segue o seu boleto.' })).status).toBe(201);
    expect((await admin.post('/api/classifications', { code: 'RES1', name: 'Dúvida resolvida', serviceIds: [service.id] })).status).toBe(201);
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    // signed in as the admin through the API (the login page has a test of its own, on its own page)
    expect((await page.request.post(`${server.url}/api/auth/login`, { data: server.admin })).status()).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the login page', async () => {
    const { page, context } = await newPage(browser);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    const found = await checkScreen(page, 'login');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    found.push(...(await checkScreen(page, 'login')));
    await context.close();
    expect(found).toEqual([]);
  });

  const adminScreens: [string, string][] = [
    ['users', '/admin/users'],
    ['agents', '/admin/agents'],
    ['teams', '/admin/teams'],
    ['services', '/admin/services'],
    ['pause-reasons', '/admin/pause-reasons'],
    ['classifications', '/admin/classifications'],
    ['template-categories', '/admin/template-categories'],
    ['templates', '/admin/templates'],
    ['settings', '/admin/settings'],
    ['audit', '/admin/audit'],
    ['profile', '/profile'],
  ];

  it('the administration screens', async () => {
    const found: string[] = [];
    for (const [name, path] of [
      ...adminScreens,
      ['service-hours', `/admin/services/${service.id}/hours`],
      ['wrapup-fields', `/admin/services/${service.id}/wrapup-fields`],
      ['bot-flow', `/admin/services/${webchat.id}/bot-flow`],
    ]) {
      await page.goto(`${server.url}${path}`);
      await ready(page);
      found.push(...(await bothLanguages(page, name, { screenshotAt: name === 'services' ? [1366] : [] })));
    }
    expect(found).toEqual([]);
  });

  it('Início’s tabs, Monitorar and the wallboard', async () => {
    await page.goto(`${server.url}/monitor`);
    await ready(page);
    await page.getByTestId('monitor-live').filter({ hasText: /ao vivo|live/i }).waitFor();
    const found: string[] = [];
    for (const tab of ['position', 'services', 'agents', 'panel']) {
      await page.getByTestId(`tab-${tab}`).click();
      await ready(page);
      found.push(...(await bothLanguages(page, `monitor-${tab}`, { screenshotAt: tab === 'services' ? [1366] : [] })));
    }
    await page.goto(`${server.url}/monitorar`);
    await ready(page);
    found.push(...(await bothLanguages(page, 'monitorar')));
    await page.goto(`${server.url}/monitor/wallboard`);
    await ready(page);
    found.push(...(await bothLanguages(page, 'wallboard', { viewports: [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }, { width: 1366, height: 768 }], screenshotAt: [1920, 3840] })));
    expect(found).toEqual([]);
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
