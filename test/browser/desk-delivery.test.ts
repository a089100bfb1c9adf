import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { applyReceipts } from '../../src/engine/conversations/receipts.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { FakeProvider } from '../support/fake-provider.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// The delivery state of the agent's messages on the desk (issue 11, point 3): a reply whose webhook
// target is refused for good says "Falhou" and why; a reply taken by the receiver shows one tick,
// and the provider's receipts, applied through the engine, turn it into two ticks, then blue ones, live.
describeBrowser('agent desk: delivery ticks', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let receiver: FakeProvider;
  let agent: { email: string; password: string };
  const services: Record<'refused' | 'taken', { id: string; token: string }> = {} as never;

  const inbound = async (which: 'refused' | 'taken', name: string, text: string) => {
    const s = services[which];
    const res = await fetch(`${server.url}/api/channels/api/${s.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify({ contact: { externalId: unique('cli').replace(/\s/g, '-'), name }, externalId: unique('msg').replace(/\s/g, '-'), text }),
    });
    expect(res.status).toBe(202);
  };

  const reply = async (name: string, text: string) => {
    await page.getByTestId('desk-conversation').filter({ hasText: name }).click();
    const composer = page.getByTestId('desk-composer');
    await composer.fill(text);
    await composer.press('Enter');
    return page.getByTestId('desk-history').locator('[data-author="agent"]').filter({ hasText: text });
  };

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    receiver = await FakeProvider.start();
    // the receiver answers with its id of the message: the receipts below name it
    receiver.on('POST', '/hook', (req) => ({ json: { id: `rcv-${(req.json as { message: { id: number } }).message.id}` } }));

    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    // both webhooks are on loopback: allowed while the services are saved; then refused again, so
    // the first service's deliveries fail for good at send time
    expect((await admin.patch('/api/settings', { allowPrivateWebhookTargets: true })).status).toBe(200);
    for (const [which, url] of [['refused', 'http://127.0.0.1:9/hook'], ['taken', `${receiver.url}/hook`]] as const) {
      const service = await createService(admin, { name: unique(`Entrega ${which}`), channel: 'api', teamIds: [team.id], outboundWebhookUrl: url });
      const creds = await admin.post(`/api/services/${service.id}/api-credentials`);
      services[which] = { id: service.id, token: creds.body.token };
    }

    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.goto(server.url);
    await signIn(page, agent.email, agent.password);
    await page.getByRole('link', { name: 'Atendimento' }).click();
    await page.waitForURL(/\/desk$/);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByTestId('agent-state').getByText('Livre').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it('a reply refused for good says "Falhou" with the reason, in words and on its mark', async () => {
    await inbound('refused', 'Carla Mendes', 'Meu pedido não chegou.');
    await page.getByTestId('desk-conversation').filter({ hasText: 'Carla Mendes' }).waitFor();
    expect((await admin.patch('/api/settings', { allowPrivateWebhookTargets: false })).status).toBe(200);
    const bubble = await reply('Carla Mendes', 'Vou verificar o seu pedido.');
    // the outbox runs on its own: the failure arrives as message.updated
    const failure = bubble.getByTestId('delivery-failure');
    await failure.waitFor();
    await expect(failure.textContent()).resolves.toMatch(/^Falhou: o webhook do serviço aponta para um endereço interno/);
    const mark = bubble.getByTestId('delivery-mark');
    await expect(mark.getAttribute('data-status')).resolves.toBe('failed');
    await expect(mark.getAttribute('aria-label')).resolves.toMatch(/^Falhou: /);
    await mark.hover();
    await page.getByRole('tooltip').filter({ hasText: /^Falhou: / }).waitFor();
    await screenshot(page, 'desk-delivery-failed-pt-BR');
  });

  it('a reply taken by the receiver: one tick, then the receipts make two ticks and blue ones, live', async () => {
    // the receiver on loopback may be called again
    expect((await admin.patch('/api/settings', { allowPrivateWebhookTargets: true })).status).toBe(200);
    await inbound('taken', 'Rafael Lima', 'Qual o prazo de entrega?');
    await page.getByTestId('desk-conversation').filter({ hasText: 'Rafael Lima' }).waitFor();
    const bubble = await reply('Rafael Lima', 'O prazo é de 3 dias úteis.');
    const mark = bubble.getByTestId('delivery-mark');
    await bubble.locator('[data-testid="delivery-mark"][data-status="sent"]').waitFor();
    await expect(mark.getAttribute('aria-label')).resolves.toBe('Enviada');

    const hit = await receiver.waitFor((r) => (r.json as { message?: { text?: string } }).message?.text === 'O prazo é de 3 dias úteis.');
    const providerMessageId = `rcv-${(hit.json as { message: { id: number } }).message.id}`;
    await applyReceipts(server.runtime.engine, null, [{ providerMessageId, status: 'delivered', at: new Date() }]);
    await bubble.locator('[data-testid="delivery-mark"][data-status="delivered"]').waitFor();
    await expect(mark.getAttribute('aria-label')).resolves.toBe('Entregue');
    await screenshot(page, 'desk-delivery-delivered-pt-BR');

    await applyReceipts(server.runtime.engine, null, [{ providerMessageId, status: 'read', at: new Date() }]);
    await bubble.locator('[data-testid="delivery-mark"][data-status="read"]').waitFor();
    await expect(mark.getAttribute('aria-label')).resolves.toBe('Lida');
    // blue, as the theme's blue
    const [color, blue] = await mark.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--mantine-color-blue-6)';
      document.body.append(probe);
      const b = getComputedStyle(probe).color;
      probe.remove();
      return [getComputedStyle(el).color, b];
    });
    expect(color).toBe(blue);
    await screenshot(page, 'desk-delivery-read-pt-BR');
    expect(errors).toEqual([]);
  });
});
