import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core';
import { SAMPLE_FLOW_PT_BR } from '../../src/core/bot-flow-sample.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';
import { WsClient } from '../support/ws-client.js';

// WebChat end to end: a customer on the demo page (the widget exactly as a customer's site embeds
// it) talks to the bot, waits in the queue, is answered by an agent at the desk (a second browser
// context) and sees the closing message; another customer leaves the queue (abandoned).
describeBrowser('WebChat widget', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: Client;
  let agent: { email: string; password: string; name: string };
  let service: { id: string; key: string; name: string };
  /** a service whose team has no agent: conversations stay queued */
  let unattended: { id: string; key: string };
  let customer: { context: BrowserContext; page: Page; errors: string[] };
  let desk: { context: BrowserContext; page: Page; errors: string[] };
  let protocol: string;
  /** the customer's widget sockets go through here, so a test can cut the network under them */
  const link = { down: false, open: [] as { page: WebSocketRoute; server: WebSocketRoute }[] };

  /** The widget's shadow root; Playwright's locators pierce open shadow roots. */
  const widget = (page: Page): Locator => page.locator('[data-mirante-webchat]');
  const openWidget = async (page: Page, key: string, name = 'Abrir chat de atendimento') => {
    await page.goto(`${server.url}/webchat/demo?service=${key}`);
    await widget(page).getByRole('button', { name }).click();
    await widget(page).getByRole('dialog').waitFor();
  };

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    service = await createService(admin, { name: 'Central de Atendimento', channel: 'webchat', teamIds: [team.id], botFlow: SAMPLE_FLOW_PT_BR });
    const empty = await createTeam(admin, {});
    unattended = await createService(admin, { name: 'Ouvidoria', channel: 'webchat', teamIds: [empty.id], botFlow: SAMPLE_FLOW_PT_BR });

    browser = await launchBrowser();
    customer = await newPage(browser);
    await customer.page.setViewportSize({ width: 1366, height: 768 });
    await customer.context.routeWebSocket(/\/webchat\/ws/, (ws) => {
      if (link.down) return void ws.close();
      link.open.push({ page: ws, server: ws.connectToServer() });
    });
    desk = await newPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the customer answers the bot menu, enters the queue and sees position 1 and the protocol', async () => {
    const { page } = customer;
    await openWidget(page, service.key);
    const w = widget(page);
    // the bot greets with the protocol and shows its menu as buttons
    const header = w.locator('#mw-sub');
    await header.getByText(/^Protocolo \d+$/).waitFor();
    protocol = (await header.textContent())!.replace('Protocolo ', '');
    await w.getByRole('log').getByText(`Seu protocolo é ${protocol}`).first().waitFor();
    await page.waitForTimeout(300); // the panel's opening animation
    await screenshot(page, 'webchat-bot-menu-desktop');

    // Esc closes the panel and gives the focus back to the launcher; the launcher opens it again
    await page.keyboard.press('Escape');
    await w.getByRole('dialog').waitFor({ state: 'hidden' });
    const launcher = w.getByRole('button', { name: 'Abrir chat de atendimento' });
    await expect(launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false');
    await page.keyboard.press('Enter');
    await w.getByRole('dialog').waitFor();
    await expect(w.getByRole('textbox', { name: 'Mensagem' }).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);

    await w.getByRole('button', { name: 'Falar com atendente' }).click();
    await w.getByRole('status').getByText('Você está na fila: posição 1').waitFor();
    await expect(w.getByRole('button', { name: 'Financeiro' }).isDisabled()).resolves.toBe(true);
    // the choice sits before the bot's answer to it
    const bubbles = await w.getByRole('log').locator('.msg').allTextContents();
    const picked = bubbles.findIndex((b) => b.includes('Falar com atendente'));
    expect(picked).toBeGreaterThan(0);
    expect(bubbles.slice(picked + 1).join(' ')).toContain('Vamos transferir você para um atendente');
    await screenshot(page, 'webchat-queued-desktop');

    await page.setViewportSize({ width: 390, height: 844 });
    await w.getByRole('status').getByText('Você está na fila: posição 1').waitFor();
    await screenshot(page, 'webchat-queued-phone');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the agent receives it and answers; the customer sees the agent typing and the reply', async () => {
    const { page } = desk;
    await page.goto(server.url);
    await signIn(page, agent.email, agent.password);
    await page.getByRole('link', { name: 'Atendimento' }).click();
    await page.waitForURL(/\/desk$/);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByTestId('agent-state').getByText('Em atendimento').waitFor();
    await page.getByTestId('desk-conversation').first().click();
    await expect(page.getByTestId('desk-protocol').textContent()).resolves.toBe(protocol);

    const w = widget(customer.page);
    await w.getByRole('status').getByText('Em atendimento com Ana Beatriz Souza').waitFor();

    // the agent types: the widget says so (the typing signal goes over the agent's realtime socket,
    // as the desk sends it)
    const composer = page.getByTestId('desk-composer');
    await composer.pressSequentially('Olá! Sou a Ana', { delay: 20 });
    const cookie = (await desk.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const agentSocket = await WsClient.open(server.url, cookie);
    const conversationId = (await admin.get(`/api/conversations?protocol=${protocol}`)).body.items[0].id;
    agentSocket.send({ type: 'typing', conversationId });
    await w.getByText('Ana Beatriz Souza está digitando…').waitFor();
    await agentSocket.close();
    await screenshot(customer.page, 'webchat-agent-typing-desktop');
    await composer.pressSequentially(', como posso ajudar?');
    await composer.press('Enter');
    await w.getByRole('log').getByText('Olá! Sou a Ana, como posso ajudar?').waitFor();
    await w.getByText('Ana Beatriz Souza está digitando…').waitFor({ state: 'detached' });
    await w.getByRole('log').locator('.who', { hasText: 'Ana Beatriz Souza' }).first().waitFor();

    // the customer answers with Enter; HTML stays text
    const input = w.getByRole('textbox', { name: 'Mensagem' });
    await input.fill('Quero a <b>segunda via</b> <img src=x onerror="window.__xss=1">');
    await input.press('Enter');
    await page.getByTestId('desk-history').getByText('Quero a <b>segunda via</b>', { exact: false }).waitFor();
    await w.getByRole('log').getByText('Quero a <b>segunda via</b>', { exact: false }).waitFor();
    await expect(w.getByRole('log').locator('b, img[src="x"]').count()).resolves.toBe(0);
    expect(await customer.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await screenshot(customer.page, 'webchat-in-service-desktop');
    await customer.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(customer.page, 'webchat-in-service-phone');
    await customer.page.setViewportSize({ width: 1366, height: 768 });
  });

  it('keeps what the customer types while the network is down and sends it when it is back', async () => {
    const { page } = customer;
    const w = widget(page);
    link.down = true;
    for (const s of link.open.splice(0)) {
      await s.server.close();
      await s.page.close();
    }
    await w.getByText('Sem conexão. Suas mensagens serão enviadas quando a conexão voltar.').waitFor();
    const input = w.getByRole('textbox', { name: 'Mensagem' });
    await input.fill('Mensagem escrita sem conexão');
    await input.press('Enter');
    await w.getByRole('log').locator('.pend', { hasText: 'Mensagem escrita sem conexão' }).getByText('Aguardando conexão').waitFor();
    await screenshot(page, 'webchat-offline-pending-desktop');

    link.down = false;
    await page.evaluate(() => dispatchEvent(new Event('online')));
    await desk.page.getByTestId('desk-history').getByText('Mensagem escrita sem conexão').waitFor();
    await w.getByRole('log').locator('.pend').waitFor({ state: 'detached' });
    await w.getByText('Sem conexão. Suas mensagens serão enviadas quando a conexão voltar.').waitFor({ state: 'detached' });
    // stored once, though it may have been sent twice
    const detail = (await admin.get(`/api/conversations/${(await admin.get(`/api/conversations?protocol=${protocol}`)).body.items[0].id}`)).body;
    expect(detail.messages.filter((m: any) => m.body === 'Mensagem escrita sem conexão')).toHaveLength(1);
  });

  it('the agent finishes; the customer sees the closing message with the protocol', async () => {
    const { page } = desk;
    await page.getByRole('button', { name: 'Concluir', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Concluir atendimento' });
    await dialog.getByRole('button', { name: 'Concluir atendimento' }).click();
    await dialog.waitFor({ state: 'detached' });

    const w = widget(customer.page);
    const closing = w.getByTestId('closing-message');
    await closing.getByText(`Atendimento concluído. Seu protocolo é ${protocol}.`).waitFor();
    await w.getByRole('button', { name: 'Iniciar nova conversa' }).waitFor();
    await expect(w.getByRole('button', { name: 'Encerrar conversa' }).count()).resolves.toBe(0);
    await screenshot(customer.page, 'webchat-closed-desktop');
    const done = (await admin.get(`/api/conversations?protocol=${protocol}&state=completed`)).body.items;
    expect(done).toHaveLength(1);
  });

  it('a customer who ends the chat while queued is abandoned', async () => {
    const other = await newPage(browser);
    try {
      const { page } = other;
      await page.setViewportSize({ width: 390, height: 844 });
      await openWidget(page, unattended.key);
      const w = widget(page);
      await w.getByRole('button', { name: 'Falar com atendente' }).click();
      await w.getByRole('status').getByText('Você está na fila: posição 1').waitFor();
      const own = (await w.locator('#mw-sub').textContent())!.replace('Protocolo ', '');

      await w.getByRole('button', { name: 'Encerrar conversa' }).click();
      const confirm = w.getByRole('alertdialog', { name: 'Encerrar esta conversa?' });
      await confirm.waitFor();
      await screenshot(page, 'webchat-end-confirm-phone');
      await confirm.getByRole('button', { name: 'Sim, encerrar' }).click();
      await w.getByTestId('closing-message').getByText(`Você saiu da fila. Seu protocolo é ${own}.`).waitFor();
      await screenshot(page, 'webchat-abandoned-phone');

      const r = await admin.get(`/api/conversations?protocol=${own}&state=abandoned`);
      expect(r.body.items.map((c: any) => c.state)).toEqual(['abandoned']);
      expect(other.errors).toEqual([]);
    } finally {
      await other.context.close();
    }
  });

  it('resumes the same conversation after a reload', async () => {
    const other = await newPage(browser);
    try {
      const { page } = other;
      await openWidget(page, unattended.key);
      const w = widget(page);
      await w.getByRole('button', { name: 'Falar com atendente' }).click();
      await w.getByRole('status').getByText(/Você está na fila: posição \d/).waitFor();
      const own = await w.locator('#mw-sub').textContent();
      await page.reload();
      // it was open: it opens again, with the history and the queue position
      await w.getByRole('status').getByText(/Você está na fila: posição \d/).waitFor();
      await expect(w.locator('#mw-sub').textContent()).resolves.toBe(own);
      await w.getByRole('log').locator('.msg.me', { hasText: 'Falar com atendente' }).waitFor();
      await w.getByRole('button', { name: 'Encerrar conversa' }).click();
      await w.getByRole('button', { name: 'Sim, encerrar' }).click();
      await w.getByTestId('closing-message').waitFor();
    } finally {
      await other.context.close();
    }
  });

  it('follows the page’s language (English) and says so when the service key is unknown', async () => {
    const other = await newPage(browser, { locale: 'en-US' });
    try {
      const { page } = other;
      await page.setViewportSize({ width: 1366, height: 768 });
      // a site in English: the demo page with <html lang="en"> (set as the page is parsed; a page
      // served by route.fulfill would not be allowed to reach the local server)
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.documentElement) return;
          document.documentElement.lang = 'en';
          observer.disconnect();
        }).observe(document, { childList: true });
      });
      await openWidget(page, service.key, 'Open customer service chat');
      const w = widget(page);
      // the widget's words follow the page; the bot's are the flow's own (Portuguese here)
      await w.getByRole('button', { name: 'Falar com atendente' }).waitFor();
      await w.getByRole('textbox', { name: 'Message' }).waitFor();
      await w.getByRole('button', { name: 'End the conversation' }).waitFor();
      await page.waitForTimeout(300);
      await screenshot(page, 'webchat-bot-menu-en-desktop');
      await w.getByRole('button', { name: 'End the conversation' }).click();
      await w.getByRole('button', { name: 'Yes, end it' }).click();
      await w.getByTestId('closing-message').waitFor();
      await screenshot(page, 'webchat-closed-en-desktop');

      await openWidget(page, 'no-such-service', 'Open customer service chat');
      await w.getByText('Chat unavailable').waitFor();
      await expect(w.getByRole('textbox').count()).resolves.toBe(0);
      await page.waitForTimeout(300);
      await screenshot(page, 'webchat-unavailable-en-desktop');
    } finally {
      await other.context.close();
    }
    const pt = await newPage(browser);
    try {
      await pt.page.setViewportSize({ width: 390, height: 844 });
      await openWidget(pt.page, 'no-such-service');
      await widget(pt.page).getByText('Chat indisponível').waitFor();
      await pt.page.waitForTimeout(300);
      await screenshot(pt.page, 'webchat-unavailable-pt-BR-phone');
    } finally {
      await pt.context.close();
    }
  });

  it('threw no error in the pages', () => {
    expect(customer.errors).toEqual([]);
    expect(desk.errors).toEqual([]);
  });
});
