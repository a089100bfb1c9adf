import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Início, the supervisor's live monitor, end to end: counts that move with the operation (over the
// WebSocket, no polling), agent tiles that change colour with time (the browser's clock, driven by
// Playwright), the supervisor chat with an agent, alerts with the sound muted, and the figures
// checked against an independent count in the database.
describeBrowser('supervisor monitor (Início)', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let agentDesk: Client;
  let beat: ReturnType<typeof setInterval> | null = null;
  let agent: { id: string; email: string; password: string; name: string };
  let sup: { id: string; email: string; password: string; name: string };
  let service: { id: string; name: string };
  let slowService: { id: string; name: string };
  let token: string;
  let slowToken: string;
  let first: { conversationId: string; protocol: string };

  const inbound = async (svc: { id: string }, tok: string, externalId: string, name: string, text: string) => {
    const res = await fetch(`${server.url}/api/channels/api/${svc.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
      body: JSON.stringify({ contact: { externalId, name }, externalId: unique('msg').replace(/\s/g, '-'), text }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { conversationId: string; protocol: string };
  };
  const value = (testId: string) => page.getByTestId(testId).textContent();
  /** Waits until the element shows exactly `text` (the page repaints within a moment of the event). */
  const shows = (testId: string, text: string) =>
    page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want, [testId, text] as const);
  const tab = async (name: 'position' | 'services' | 'agents' | 'panel') => {
    await page.getByTestId(`tab-${name}`).click();
    await page.waitForURL(name === 'position' ? /\/monitor$/ : new RegExp(`tab=${name}`));
  };

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);

    const team = await createTeam(admin, { maxChat: 3 });
    // nobody works in this one: its conversations stay in the queue (and raise alerts)
    const emptyTeam = await createTeam(admin, { maxChat: 3 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id, emptyTeam.id] });
    service = await createService(admin, { name: 'Segunda via de boleto', channel: 'api', teamIds: [team.id] });
    slowService = await createService(admin, { name: 'Ouvidoria API', channel: 'api', teamIds: [emptyTeam.id], serviceLevelSeconds: 1 });
    token = (await admin.post(`/api/services/${service.id}/api-credentials`)).body.token;
    slowToken = (await admin.post(`/api/services/${slowService.id}/api-credentials`)).body.token;
    expect(token && slowToken).toBeTruthy();

    agentDesk = new Client(server.url);
    expect((await agentDesk.post('/api/auth/login', { email: agent.email, password: agent.password })).status).toBe(200);

    browser = await launchBrowser();
    ({ context, page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    // counts the oscillators the alert chime starts: no sound means none
    await context.addInitScript(() => {
      const w = window as unknown as { __chimes: number };
      w.__chimes = 0;
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__chimes++;
        return create.call(this);
      };
    });
    // the tiles' colours are computed in the browser from its clock: a fake one that flows, moved by the test
    await page.clock.install();
  });
  afterAll(async () => {
    if (beat) clearInterval(beat);
    await browser?.close();
    await server?.close();
  });

  it('signs the supervisor in to Início, their home, first in the menu', async () => {
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor$/);
    const menu = page.getByRole('navigation').getByRole('link');
    await expect(menu.first().textContent()).resolves.toContain('Início');
    await page.getByTestId('monitor-live').getByText('Ao vivo').waitFor();
    for (const t of ['Posição Geral', 'Serviços', 'Agentes', 'Indicadores', 'Painel', 'Carteira WhatsApp']) await page.getByRole('tab', { name: t }).waitFor();
    await shows('position-api-queued-value', '0');
    await shows('position-all-total-value', '0');
  });

  it('sees the counts move live when a customer enters the queue and when an agent takes it', async () => {
    first = await inbound(service, token, 'cli-maria', 'Maria Souza', 'Olá, preciso da segunda via do boleto de maio.');
    await shows('position-api-queued-value', '1');
    await shows('position-all-queued-value', '1');
    await shows('position-api-inService-value', '0');

    // the detail list behind the count shows it, with the seed's columns
    await page.getByTestId('position-api-queued').click();
    const list = page.getByRole('dialog', { name: /Aguardando na fila/ });
    await list.getByText('Maria Souza').waitFor();
    for (const h of ['Grupo/Agente', 'Tipo Serviço', 'Serviço', 'Número Atendimento', 'Cliente', 'Início Atendimento', 'Duração Atendimento', 'Tempo Fila']) {
      await list.getByRole('columnheader', { name: h, exact: true }).waitFor();
    }
    await list.getByText(first.protocol).waitFor();
    await list.getByText('Aguard. Atendimento').waitFor();
    await screenshot(page, 'monitor-list-queued-pt-BR');

    // the agent logs in over HTTP: routing gives them the conversation, the list and the cards follow
    expect((await agentDesk.post('/api/agent/login')).status).toBe(200);
    beat = setInterval(() => void agentDesk.post('/api/agent/heartbeat').catch(() => undefined), 10_000);
    await list.getByTestId('list-empty').waitFor();
    await page.keyboard.press('Escape');
    await shows('position-api-queued-value', '0');
    await shows('position-api-inService-value', '1');
    await shows('agents-inService-general', '1');
    await shows('agents-total-general', '1');

    await tab('services');
    const row = page.getByTestId('service-row').filter({ hasText: service.name });
    await expect(row.getByTestId('service-inService').textContent()).resolves.toBe('1');
    await expect(row.getByTestId('service-queued').textContent()).resolves.toBe('0');

    await tab('agents');
    await shows('agents-column-inService-count', '1');
    const tile = page.getByTestId('agent-tile').filter({ hasText: agent.name });
    await expect(tile.getAttribute('data-level')).resolves.toBe('low');
  });

  it('supervisor chat: the supervisor writes in the modal, the agent answers over HTTP, the answer appears live', async () => {
    await tab('agents');
    await page.getByTestId('agent-tile').filter({ hasText: agent.name }).click();
    const agentModal = page.getByRole('dialog', { name: `Atendimentos de ${agent.name}` });
    const row = agentModal.getByTestId('agent-conversation').filter({ hasText: 'Maria Souza' });
    await row.getByText(first.protocol).waitFor();
    await row.getByRole('button', { name: 'Conversar com o agente' }).click();

    const modal = page.getByRole('dialog', { name: new RegExp(first.protocol) });
    await modal.getByTestId('monitor-history').getByText('Olá, preciso da segunda via do boleto de maio.').waitFor();
    const input = modal.getByTestId('monitor-whisper-input');
    await input.fill('Confira se há juros antes de enviar.');
    await input.press('Enter');
    const mine = modal.getByTestId('monitor-whisper').filter({ hasText: 'Confira se há juros antes de enviar.' });
    await mine.waitFor();
    await expect(input.inputValue()).resolves.toBe('');
    // the agent has not read it yet; once they do, the mark changes live
    await mine.getByTestId('monitor-whisper-read').getByText('Ainda não lida').waitFor();
    expect((await agentDesk.post(`/api/conversations/${first.conversationId}/whispers/read`)).status).toBe(204);
    await mine.getByTestId('monitor-whisper-read').getByText(/Lida às \d{2}:\d{2}/).waitFor();

    const answer = await agentDesk.post(`/api/conversations/${first.conversationId}/whispers`, { text: 'Conferido: sem juros, envio já.' });
    expect(answer.status).toBe(201);
    const answered = modal.getByTestId('monitor-whisper').filter({ hasText: 'Conferido: sem juros, envio já.' });
    await answered.waitFor();
    // the agent's own messages carry no read mark here; shown on the supervisor's screen, they are read
    await expect(answered.getByTestId('monitor-whisper-read').count()).resolves.toBe(0);
    await expect.poll(async () => (await agentDesk.get(`/api/conversations/${first.conversationId}`)).body.whispers.find((w: any) => w.body === 'Conferido: sem juros, envio já.').readAt).not.toBeNull();

    // the customer's conversation is live too, and read-only
    await agentDesk.post(`/api/conversations/${first.conversationId}/messages`, { text: 'Bom dia, Maria! Já envio a segunda via.' });
    await modal.getByTestId('monitor-history').getByText('Bom dia, Maria! Já envio a segunda via.').waitFor();
    await expect(modal.getByRole('textbox').count()).resolves.toBe(1);
    await screenshot(page, 'monitor-supervisor-chat-pt-BR');

    const detail = (await agentDesk.get(`/api/conversations/${first.conversationId}`)).body;
    expect(detail.whispers.map((w: any) => w.body)).toEqual(['Confira se há juros antes de enviar.', 'Conferido: sem juros, envio já.']);
    expect(detail.messages.map((m: any) => m.body)).not.toContain('Confira se há juros antes de enviar.');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await agentModal.waitFor({ state: 'detached' });
  });

  it('an alert arrives with the sound muted: no chime, the unread count rises', async () => {
    await tab('position');
    await page.getByTestId('filter-silence').click();
    await page.waitForFunction(() => localStorage.getItem('mirante.monitor.silenced') === 'true');
    const before = Number(await page.getByTestId('alerts-button').getAttribute('data-unread'));
    const chimesBefore = await page.evaluate(() => (window as unknown as { __chimes: number }).__chimes);

    // nobody serves this queue and its target is 1 s: the alert engine flags the wait within seconds
    const waiting = await inbound(slowService, slowToken, 'cli-joao', 'João Pereira', 'Boa tarde, meu boleto veio com valor errado.');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="alerts-button"]')?.getAttribute('data-unread')) > n, before, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { __chimes: number }).__chimes)).toBe(chimesBefore);

    await page.getByTestId('alerts-button').click();
    const drawer = page.getByRole('dialog', { name: 'Alertas' });
    const item = drawer.getByTestId('alert-item').filter({ hasText: waiting.protocol });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Espera acima da meta');
    await screenshot(page, 'monitor-alerts-pt-BR');
    await item.getByTestId('alert-read').click();
    await expect(item.getAttribute('data-read')).resolves.toBe('true');
    const unread = Number(await page.getByTestId('alerts-button').getAttribute('data-unread'));
    expect(unread).toBe(before);
    // the link opens the conversation it is about
    await item.getByTestId('alert-open').click();
    await page.getByRole('dialog', { name: new RegExp(waiting.protocol) }).waitFor();
    await page.keyboard.press('Escape');

    // in English the sentence is built from the alert's figures (the server writes Portuguese)
    await page.getByText('EN', { exact: true }).click();
    await page.getByTestId('alerts-button').click();
    const english = page.getByRole('dialog', { name: 'Alerts' }).getByTestId('alert-item').filter({ hasText: waiting.protocol });
    await expect(english.textContent()).resolves.toMatch(new RegExp(`João Pereira \\(protocol ${waiting.protocol}\\) has waited in the .+ queue for \\d+ s; the target is 1 s`));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Alerts' }).waitFor({ state: 'detached' });
    await page.getByText('PT', { exact: true }).click();
    await page.getByText('Posição Geral').waitFor();
  });

  it('shows every tab in pt-BR (screenshots at 1440×900)', async () => {
    // a little more operation: one finished, one in the bot-free queue already, one more in service
    const joana = await inbound(service, token, 'cli-joana', 'Joana Prado', 'Quero mudar a data de vencimento.');
    await shows('position-api-inService-value', '2');
    const done = await agentDesk.post(`/api/conversations/${joana.conversationId}/finish`, { outcome: 'completed' });
    expect(done.status).toBe(200);
    await shows('position-api-inService-value', '1');

    // the server's figures (the day's finished conversations) follow within a moment
    await tab('panel');
    await shows('panel-day-completed-value', '1');
    await screenshot(page, 'monitor-painel-pt-BR');
    await tab('position');
    await page.getByTestId('hourly-chart').waitFor();
    await page.waitForTimeout(1200); // the bars' animation
    await screenshot(page, 'monitor-posicao-geral-pt-BR');
    await tab('services');
    await page.getByTestId('day-pie').waitFor();
    await page.waitForTimeout(1200);
    await screenshot(page, 'monitor-servicos-pt-BR');
    await tab('agents');
    await screenshot(page, 'monitor-agentes-pt-BR');
    await page.getByTestId('open-wallboard').click();
    await page.getByTestId('wallboard').waitFor();
    await screenshot(page, 'monitor-wallboard-pt-BR');
    await page.getByRole('link', { name: 'Sair do modo TV' }).click();
    await page.getByTestId('monitor-page').waitFor();
  });

  it('figures match an independent count in the database', async () => {
    // more traffic: two more in service with the agent (capacity 3), and another waiting
    await inbound(service, token, 'cli-rui', 'Rui Barros', 'Meu pagamento não foi reconhecido.');
    await inbound(service, token, 'cli-lia', 'Lia Campos', 'Preciso de um boleto atualizado.');
    await inbound(service, token, 'cli-ivo', 'Ivo Matos', 'Posso parcelar?');
    await inbound(slowService, slowToken, 'cli-eva', 'Eva Luz', 'Quero registrar uma reclamação.');
    await tab('position');
    await shows('position-all-total-value', '6');

    const { rows } = await server.db.query<{ state: string; n: number }>(
      `SELECT c.state, count(*)::int AS n FROM conversations c
        WHERE c.state IN ('triage', 'bot', 'queued', 'in_service')
          AND c.service_id IN (SELECT st.service_id FROM service_teams st JOIN team_supervisors ts ON ts.team_id = st.team_id WHERE ts.user_id = $1)
        GROUP BY c.state`,
      [sup.id],
    );
    const db = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    expect(await value('position-api-queued-value')).toBe(String(db.queued ?? 0));
    expect(await value('position-api-inService-value')).toBe(String(db.in_service ?? 0));
    expect(await value('position-api-bot-value')).toBe(String(db.bot ?? 0));
    expect(await value('position-all-total-value')).toBe(String(Object.values(db).reduce((a, b) => a + b, 0)));
    expect(db).toMatchObject({ queued: 3, in_service: 3 });

    const agents = await server.db.query<{ state: string; n: number }>(
      `SELECT p.state, count(*)::int AS n FROM agent_presence p JOIN users u ON u.id = p.user_id
        WHERE u.agent_enabled AND u.active AND p.state <> 'offline'
          AND u.id IN (SELECT ta.user_id FROM team_agents ta JOIN team_supervisors ts ON ts.team_id = ta.team_id WHERE ts.user_id = $1)
        GROUP BY p.state`,
      [sup.id],
    );
    const ag = Object.fromEntries(agents.rows.map((r) => [r.state, r.n]));
    // the agent holds conversations: Em atendimento, whatever the stored presence says
    expect(await value('agents-inService-general')).toBe(String(ag.in_service ?? 0));
    expect(await value('agents-total-general')).toBe(String(Object.values(ag).reduce((a, b) => a + b, 0)));

    const completed = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE state = 'completed'`);
    await tab('panel');
    await shows('panel-day-completed-value', String(completed.rows[0].n));
    expect(await value('panel-day-queued-value')).toBe(String(db.queued));
    expect(await value('panel-day-inService-value')).toBe(String(db.in_service));

    // the server's own figures (GET /api/monitor/snapshot) agree too
    const supClient = new Client(server.url);
    await supClient.post('/api/auth/login', { email: sup.email, password: sup.password });
    const snap = (await supClient.get('/api/monitor/snapshot')).body;
    expect(snap.channels.find((c: any) => c.channel === 'api')).toMatchObject({ queued: db.queued, inService: db.in_service });
  });

  it('colours an agent tile by the time in state: green, then yellow past 5 min, red past 30 min', async () => {
    await tab('agents');
    const tile = page.getByTestId('agent-tile').filter({ hasText: agent.name });
    await expect(tile.getAttribute('data-level')).resolves.toBe('low');
    await page.clock.fastForward('05:30');
    await page.waitForFunction((name) => document.querySelector(`[data-testid="agent-tile"][data-agent="${name}"]`)?.getAttribute('data-level') === 'medium', agent.name);
    await screenshot(page, 'monitor-agentes-medium-pt-BR');
    await page.clock.fastForward('25:00');
    await page.waitForFunction((name) => document.querySelector(`[data-testid="agent-tile"][data-agent="${name}"]`)?.getAttribute('data-level') === 'high', agent.name);
    await expect(tile.getByTestId('tile-time').textContent()).resolves.toMatch(/^3\d:\d\d$/);
    await screenshot(page, 'monitor-agentes-high-pt-BR');
  });

  it('shows "reconectando" when the connection drops, and catches up', async () => {
    await tab('position');
    await context.setOffline(true);
    // the socket is not closed by going offline: the client's ping finds it dead
    await page.clock.fastForward('00:40');
    await page.getByTestId('monitor-reconnecting').waitFor();
    const missed = await inbound(service, token, 'cli-ana', 'Ana Dias', 'Ainda aguardo retorno.');
    await context.setOffline(false);
    await page.clock.fastForward('00:20');
    await page.getByTestId('monitor-reconnecting').waitFor({ state: 'detached' });
    await page.getByTestId('position-api-queued').click();
    await page.getByRole('dialog').getByText(missed.protocol).waitFor();
    await page.keyboard.press('Escape');
  });

  it('Período is typed as dd/mm/aaaa, whatever the browser’s language, and shows that day', async () => {
    const sp = (at: number, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', ...o }).format(at);
    const yesterday = Date.now() - 86_400_000;
    const period = page.getByTestId('filter-period');
    await expect(period.inputValue()).resolves.toBe(sp(Date.now(), { day: '2-digit', month: '2-digit', year: 'numeric' }));
    await period.fill(sp(yesterday, { day: '2-digit', month: '2-digit', year: 'numeric' }));
    await page.keyboard.press('Escape');
    await page.getByTestId('filter-reload').click();
    await page.getByText(`Exibindo ${sp(yesterday, { dateStyle: 'full' })}.`).waitFor();
    await page.getByTestId('filter-clear').click();
    await page.getByText(/^Exibindo /).waitFor({ state: 'detached' });
    await expect(period.inputValue()).resolves.toBe(sp(Date.now(), { day: '2-digit', month: '2-digit', year: 'numeric' }));
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
