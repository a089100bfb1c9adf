import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// The agent desk end to end: an agent signs in, goes Livre, receives a conversation sent through
// the API channel, answers it, talks with the supervisor, and concludes it with a classification.
describeBrowser('agent desk (Atendimento)', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let supervisor: Client;
  let agent: { id: string; email: string; password: string; name: string };
  let service: { id: string; name: string };
  let token: string;
  let classification: { id: string; name: string };
  let first: { conversationId: string; protocol: string };

  const inbound = async (externalId: string, name: string, text: string) => {
    const res = await fetch(`${server.url}/api/channels/api/${service.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contact: { externalId, name }, externalId: unique('msg').replace(/\s/g, '-'), text }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { conversationId: string; protocol: string };
  };
  const rows = () => page.getByTestId('desk-conversation');

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);

    const team = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    const sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    supervisor = new Client(server.url);
    expect((await supervisor.post('/api/auth/login', { email: sup.email, password: sup.password })).status).toBe(200);
    service = await createService(admin, { name: 'Segunda via de boleto', channel: 'api', teamIds: [team.id] });
    const creds = await admin.post(`/api/services/${service.id}/api-credentials`);
    expect(creds.status).toBeLessThan(300);
    token = creds.body.token;
    classification = (await admin.post('/api/classifications', { code: unique('RES').replace(/\s/g, ''), name: 'Dúvida resolvida', serviceIds: [service.id] })).body;

    browser = await launchBrowser();
    ({ context, page, errors } = await newPage(browser));
    await context.grantPermissions(['notifications'], { origin: server.url });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs the agent in to Atendimento and goes Livre', async () => {
    await page.goto(server.url);
    await signIn(page, agent.email, agent.password);
    await page.getByRole('link', { name: 'Atendimento' }).click();
    await page.waitForURL(/\/desk$/);
    await expect(page.getByTestId('agent-state').textContent()).resolves.toContain('Offline');
    await page.getByTestId('desk-empty').getByText('Clique em Entrar').waitFor();
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByTestId('agent-state').getByText('Livre').waitFor();
    await page.getByTestId('connection').getByText('Conectado').waitFor();
    await screenshot(page, 'desk-livre-pt-BR');
  });

  it('receives a conversation from the API channel live, with the customer’s name', async () => {
    first = await inbound('cli-maria', 'Maria Souza', 'Olá, preciso da segunda via do boleto de maio.');
    const row = rows().filter({ hasText: 'Maria Souza' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(service.name);
    await page.getByTestId('agent-state').getByText('Em atendimento').waitFor();
  });

  it('opens it: protocol on top, the customer’s message in the history; the answer appears', async () => {
    await rows().filter({ hasText: 'Maria Souza' }).click();
    await expect(page.getByTestId('desk-protocol').textContent()).resolves.toBe(first.protocol);
    const history = page.getByTestId('desk-history');
    await history.getByText('Olá, preciso da segunda via do boleto de maio.').waitFor();
    await history.getByText(first.protocol).first().waitFor(); // the system message told the customer the protocol

    const composer = page.getByTestId('desk-composer');
    await composer.fill('Bom dia, Maria! Vou gerar a segunda via agora.');
    await composer.press('Enter');
    await history.locator('[data-author="agent"]').getByText('Bom dia, Maria! Vou gerar a segunda via agora.').waitFor();
    // the composer empties when the send's answer comes, which may follow the message's push
    await expect.poll(() => composer.inputValue()).toBe('');

    // Shift+Enter breaks the line instead of sending
    await composer.fill('Linha um');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('linha dois');
    await expect(composer.inputValue()).resolves.toBe('Linha um\nlinha dois');
    await composer.fill('');

    // the customer answers: it arrives live in the open conversation
    await inbound('cli-maria', 'Maria Souza', 'Obrigada! Pode mandar por aqui mesmo.');
    await history.getByText('Obrigada! Pode mandar por aqui mesmo.').waitFor();
    await screenshot(page, 'desk-conversation-pt-BR');
  });

  it('marks another conversation unread, counts it in the tab title, and Alt+↓ reaches it', async () => {
    await inbound('cli-joao', 'João Pereira', 'Boa tarde, meu boleto veio com valor errado.');
    const joao = rows().filter({ hasText: 'João Pereira' });
    await joao.getByTestId('unread-mark').waitFor();
    await page.waitForFunction(() => document.title.startsWith('(1)'));
    await page.keyboard.press('Alt+ArrowDown');
    await expect(page.getByTestId('desk-conversation-pane').getByText('João Pereira').first().isVisible()).resolves.toBe(true);
    await joao.getByTestId('unread-mark').waitFor({ state: 'detached' });
    await page.waitForFunction(() => !document.title.startsWith('('));
    await page.keyboard.press('Alt+ArrowUp');
    await expect(page.getByTestId('desk-protocol').textContent()).resolves.toBe(first.protocol);
  });

  it('lights the supervisor-chat badge when the supervisor writes; the agent reads and answers there', async () => {
    const button = page.getByTestId('supervisor-chat-button');
    await expect(button.getAttribute('data-unread')).resolves.toBe('0');
    const w = await supervisor.post(`/api/conversations/${first.conversationId}/whispers`, { text: 'Confira se há juros antes de enviar.' });
    expect(w.status).toBe(201);
    await page.waitForSelector('[data-testid="supervisor-chat-button"][data-unread="1"]');
    await screenshot(page, 'desk-supervisor-badge-pt-BR');

    await button.click();
    const panel = page.getByTestId('supervisor-chat');
    await panel.getByText('Confira se há juros antes de enviar.').waitFor();
    await page.waitForSelector('[data-testid="supervisor-chat-button"][data-unread="0"]');
    const input = page.getByTestId('whisper-input');
    await input.fill('Conferido: sem juros, envio já.');
    await input.press('Enter');
    // the reply arrives twice (HTTP answer and pushed event) and must show once
    await expect.poll(() => panel.getByText('Conferido: sem juros, envio já.').count()).toBe(1);
    // until a supervisor reads the answer it says so; their read shows live
    const answer = panel.getByTestId('whisper').filter({ hasText: 'Conferido: sem juros, envio já.' });
    await answer.getByTestId('whisper-read').getByText('Ainda não lida').waitFor();
    expect((await supervisor.post(`/api/conversations/${first.conversationId}/whispers/read`)).status).toBe(204);
    await answer.getByTestId('whisper-read').getByText(/Lida pelo supervisor às \d{2}:\d{2}/).waitFor();
    await screenshot(page, 'desk-supervisor-chat-pt-BR');

    const detail = (await supervisor.get(`/api/conversations/${first.conversationId}`)).body;
    expect(detail.whispers.map((x: any) => x.body)).toEqual(['Confira se há juros antes de enviar.', 'Conferido: sem juros, envio já.']);
    expect(detail.whispers[0].readAt).not.toBeNull();
    expect(detail.messages.map((m: any) => m.body)).not.toContain('Conferido: sem juros, envio já.');

    await input.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('concludes with a classification: the conversation leaves the list, completed in the API', async () => {
    await page.getByRole('button', { name: 'Concluir', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Concluir atendimento' });
    await dialog.waitFor();
    await dialog.getByTestId('wrapup-classification').click();
    await page.getByRole('option', { name: new RegExp(classification.name) }).click();
    await dialog.getByLabel('Observações').fill('Segunda via enviada pelo canal.');
    await screenshot(page, 'desk-wrapup-pt-BR');
    await dialog.getByRole('button', { name: 'Concluir atendimento' }).click();
    await dialog.waitFor({ state: 'detached' });
    await rows().filter({ hasText: 'Maria Souza' }).waitFor({ state: 'detached' });
    await expect(rows().count()).resolves.toBe(1);
    await screenshot(page, 'desk-after-finish-pt-BR');

    const done = (await admin.get(`/api/conversations/${first.conversationId}`)).body.conversation;
    expect(done).toMatchObject({ state: 'completed', finishedBy: 'agent', classificationId: classification.id, notes: 'Segunda via enviada pelo canal.' });
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
