import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { csvTable } from '../support/csv.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Monitorar end to end: the four views, the period selector, a conversation that changes state
// moving between Status groups without a reload (pushed over the WebSocket), a new one appearing,
// the day periods with a finished and a yesterday's conversation, the "—" of a missing subject with
// its reason, and the balloon opening the conversation and the supervisor chat.
describeBrowser('Monitorar', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let agentDesk: Client;
  let beat: ReturnType<typeof setInterval> | null = null;
  let agent: { id: string; email: string; password: string; name: string };
  let sup: { email: string; password: string };
  let sales: { id: string; name: string };
  let support: { id: string; name: string };
  let foreign: { id: string; name: string };
  const tokens: Record<string, string> = {};

  const inbound = async (svc: { id: string }, name: string, text: string) => {
    const res = await fetch(`${server.url}/api/channels/api/${svc.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[svc.id]}` },
      body: JSON.stringify({ contact: { externalId: unique('cli').replace(/\s/g, '-'), name }, externalId: unique('msg').replace(/\s/g, '-'), text }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { conversationId: string; protocol: string };
  };
  /** A message with a subject, as the e-mail adapter hands one to the engine (the API channel has none). */
  const withSubject = async (svc: { id: string }, name: string, text: string, subject: string) => {
    const r = await receiveInbound(server.runtime.engine, {
      serviceId: svc.id, channel: 'api', contact: { externalId: unique('cli'), name }, externalId: unique('msg'), text, subject,
    });
    return { conversationId: r.conversationId, protocol: r.protocol };
  };
  const group = (key: string) => page.locator(`[data-testid="monitorar-group"][data-key="${key}"]`);
  const countOf = (key: string, n: number) =>
    page.waitForFunction(([k, want]) => document.querySelector(`[data-testid="monitorar-group"][data-key="${k}"]`)?.getAttribute('data-count') === String(want), [key, n] as const);
  const gone = (key: string) => page.waitForFunction((k) => !document.querySelector(`[data-testid="monitorar-group"][data-key="${k}"]`), key);
  const open = async (key: string) => {
    const toggle = group(key).getByTestId('monitorar-group-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  };
  const choose = async (control: 'monitorar-view' | 'monitorar-period', label: string) => {
    await page.getByTestId(control).getByText(label, { exact: true }).click();
  };

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 3 });
    const other = await createTeam(admin);
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    sales = await createService(admin, { name: 'Vendas API', channel: 'api', teamIds: [team.id] });
    support = await createService(admin, { name: 'Suporte API', channel: 'api', teamIds: [team.id] });
    foreign = await createService(admin, { name: 'Outra equipe API', channel: 'api', teamIds: [other.id] });
    for (const s of [sales, support, foreign]) tokens[s.id] = (await admin.post(`/api/services/${s.id}/api-credentials`)).body.token;
    agentDesk = new Client(server.url);
    expect((await agentDesk.post('/api/auth/login', { email: agent.email, password: agent.password })).status).toBe(200);

    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    if (beat) clearInterval(beat);
    await browser?.close();
    await server?.close();
  });

  let maria: { conversationId: string; protocol: string };
  let joao: { conversationId: string; protocol: string };

  it('opens Monitorar from the menu, next to Início: Status, Em andamento, the queue live', async () => {
    maria = await withSubject(sales, 'Maria Souza', 'Quero contratar o plano anual.', 'Plano anual');
    await inbound(foreign, 'Cliente de outra equipe', 'Olá');
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor$/);
    const links = page.getByRole('navigation').getByRole('link');
    await expect(links.nth(0).textContent()).resolves.toContain('Início');
    await expect(links.nth(1).textContent()).resolves.toContain('Monitorar');
    await links.nth(1).click();
    await page.waitForURL(/\/monitorar$/);
    await page.getByTestId('monitor-live').getByText('Ao vivo').waitFor();
    for (const v of ['Status', 'Serviço', 'Agentes', 'Detalhes']) await page.getByTestId('monitorar-view').getByText(v, { exact: true }).waitFor();
    for (const p of ['Em andamento', 'Todos do dia', 'Dia anterior']) await page.getByTestId('monitorar-period').getByText(p, { exact: true }).waitFor();

    await countOf('queued', 1);
    await group('queued').getByTestId('monitorar-group-toggle').getByText('Aguardando em fila').waitFor();
    const row = group('queued').getByTestId('monitorar-row').filter({ hasText: maria.protocol });
    await row.getByText('Maria Souza').waitFor();
    for (const h of ['Código', 'Canal', 'Cliente', 'Agente', 'Início', 'Duração', 'ÚltMsg', 'Assunto', 'Serviço', 'Situação']) {
      await group('queued').getByRole('columnheader', { name: h, exact: true }).waitFor();
    }
    await row.getByText('Plano anual').waitFor();
    await row.getByText('Vendas API').waitFor();
    // the other team's conversation is not there
    await expect(page.getByText('Cliente de outra equipe').count()).resolves.toBe(0);
    await expect(page.getByTestId('monitorar-total').getAttribute('data-total')).resolves.toBe('1');
  });

  it('moves a conversation between Status groups and shows a new one, without a reload', async () => {
    const url = page.url();
    // the agent logs in: routing hands Maria's conversation to them, the event moves it
    expect((await agentDesk.post('/api/agent/login')).status).toBe(200);
    beat = setInterval(() => void agentDesk.post('/api/agent/heartbeat').catch(() => undefined), 10_000);
    await gone('queued');
    await countOf('in_service', 1);
    await open('in_service');
    const row = group('in_service').getByTestId('monitorar-row').filter({ hasText: maria.protocol });
    await row.getByText(agent.name).waitFor();
    await row.getByText('Em andamento').waitFor();
    // a new customer arrives: a second one with the agent (capacity 3)
    joao = await inbound(support, 'João Pereira', 'Meu pedido não chegou.');
    await countOf('in_service', 2);
    await group('in_service').getByTestId('monitorar-row').filter({ hasText: joao.protocol }).waitFor();
    // no subject: a dash that says why
    const dash = group('in_service').getByTestId('monitorar-row').filter({ hasText: joao.protocol }).getByTestId('dash').first();
    await expect(dash.getAttribute('aria-label')).resolves.toMatch(/Sem assunto/);
    await dash.hover();
    await page.getByRole('tooltip').getByText(/Sem assunto/).waitFor();
    expect(page.url()).toBe(url);
    await screenshot(page, 'monitorar-status-open-pt-BR');
  });

  it('groups the same conversations by Serviço, Agentes and Detalhes (by channel, with T.Fila and T.Atd)', async () => {
    await choose('monitorar-view', 'Serviço');
    await page.waitForURL(/view=service/);
    await countOf(sales.id, 1);
    await countOf(support.id, 1);
    await group(support.id).getByText('Suporte API').first().waitFor();

    await choose('monitorar-view', 'Agentes');
    await countOf(agent.id, 2);
    await group(agent.id).getByText(agent.name).first().waitFor();

    await choose('monitorar-view', 'Detalhes');
    await countOf('api', 2);
    for (const h of ['Código', 'T.Fila', 'T.Atd', 'ÚltMsg', 'Canal', 'Cliente', 'Agente', 'Assunto']) {
      await group('api').getByRole('columnheader', { name: h, exact: true }).waitFor();
    }
    await expect(group('api').getByRole('columnheader', { name: 'Situação', exact: true }).count()).resolves.toBe(0);
    await screenshot(page, 'monitorar-details-open-pt-BR');
  });

  it('Exportar CSV by Serviço: every open row of every group, the group first, in the supervisor’s scope', async () => {
    await choose('monitorar-view', 'Serviço');
    await page.waitForURL(/view=service/);
    await countOf(sales.id, 1);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('monitorar-servico-em-aberto.csv');
    const table = await csvTable((await file.path())!);
    expect(table[0].slice(0, 3)).toEqual(['Serviço', 'Código', 'Cliente']);
    const { rows } = await server.db.query<{ name: string; protocol: string }>(
      `SELECT s.name, c.protocol FROM conversations c JOIN services s ON s.id = c.service_id
        WHERE c.state IN ('triage', 'bot', 'queued', 'in_service') AND c.service_id = ANY($1::uuid[])`,
      [[sales.id, support.id]],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(table.slice(1).map((r) => `${r[0]}|${r[1]}`).sort()).toEqual(rows.map((r) => `${r.name}|${r.protocol}`).sort());
    expect(table.some((r) => r[0] === foreign.name)).toBe(false);
    await expect.poll(() => page.getByTestId('export-message').textContent()).toBe(`Exportação concluída: ${rows.length} linhas`);
    await screenshot(page, 'monitorar-exported-pt-BR', { fullPage: false });
  });

  it('the balloon opens the conversation with the supervisor chat, while it is in progress', async () => {
    await choose('monitorar-view', 'Status');
    await open('in_service');
    const row = group('in_service').getByTestId('monitorar-row').filter({ hasText: maria.protocol });
    await row.getByTestId('row-balloon').click();
    const modal = page.getByRole('dialog', { name: new RegExp(maria.protocol) });
    await modal.getByTestId('monitor-history').getByText('Quero contratar o plano anual.').waitFor();
    const input = modal.getByTestId('monitor-whisper-input');
    await input.fill('Ofereça o desconto de 10%.');
    await input.press('Enter');
    await modal.getByTestId('monitor-whisper').filter({ hasText: 'Ofereça o desconto de 10%.' }).waitFor();
    const answer = await agentDesk.post(`/api/conversations/${maria.conversationId}/whispers`, { text: 'Combinado.' });
    expect(answer.status).toBe(201);
    await modal.getByTestId('monitor-whisper').filter({ hasText: 'Combinado.' }).waitFor();
    await screenshot(page, 'monitorar-balloon-chat-pt-BR');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    const detail = (await agentDesk.get(`/api/conversations/${maria.conversationId}`)).body;
    expect(detail.whispers.map((w: { body: string }) => w.body)).toEqual(['Ofereça o desconto de 10%.', 'Combinado.']);
  });

  it('Em andamento: a finished conversation leaves; Todos do dia keeps it as Concluído and updates on the day’s events', async () => {
    expect((await agentDesk.post(`/api/conversations/${maria.conversationId}/finish`, { outcome: 'completed' })).status).toBe(200);
    await countOf('in_service', 1);
    await expect(page.getByText(maria.protocol).count()).resolves.toBe(0);

    await choose('monitorar-period', 'Todos do dia');
    await page.waitForURL(/period=today/);
    await countOf('completed', 1);
    await countOf('in_service', 1);
    await expect(page.getByTestId('monitorar-total').getAttribute('data-total')).resolves.toBe('2');
    // the same figures as the API, which the integration tests check against the database
    const api = (await admin.get(`/api/monitor/conversations?view=status&period=today&serviceId=${sales.id}`)).body;
    expect(api.groups).toEqual([{ key: 'completed', label: null, count: 1 }]);
    await open('completed');
    const row = group('completed').getByTestId('monitorar-row').filter({ hasText: maria.protocol });
    await row.getByText('Concluído').waitFor();

    // the agent finishes João's: the day's view reloads by itself, no polling
    expect((await agentDesk.post(`/api/conversations/${joao.conversationId}/finish`, { outcome: 'cancelled' })).status).toBe(200);
    await countOf('cancelled', 1);
    await gone('in_service');
    await screenshot(page, 'monitorar-status-today-pt-BR');

    // the balloon of a finished conversation opens its history, without the chat
    await row.getByTestId('row-balloon').click();
    const modal = page.getByRole('dialog', { name: new RegExp(maria.protocol) });
    await modal.getByTestId('monitor-history').getByText('Quero contratar o plano anual.').waitFor();
    await expect(modal.getByTestId('monitor-chat').count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('Dia anterior shows the conversations that started yesterday', async () => {
    await server.db.query(`UPDATE conversations SET created_at = created_at - interval '1 day' WHERE id = $1`, [joao.conversationId]);
    await choose('monitorar-period', 'Dia anterior');
    await page.waitForURL(/period=yesterday/);
    await countOf('cancelled', 1);
    // the total repaints with the new period's page: wait for it (it read the day's 2 for a moment)
    await page.waitForFunction(() => document.querySelector('[data-testid="monitorar-total"]')?.getAttribute('data-total') === '1');
    await open('cancelled');
    await group('cancelled').getByTestId('monitorar-row').filter({ hasText: joao.protocol }).waitFor();
    await choose('monitorar-view', 'Agentes');
    await countOf(agent.id, 1);
    await screenshot(page, 'monitorar-agents-yesterday-pt-BR');
    // in English too
    await page.getByText('EN', { exact: true }).click();
    await page.getByTestId('monitorar-period').getByText('Yesterday', { exact: true }).waitFor();
    await page.getByTestId('monitorar-view').getByText('Agents', { exact: true }).waitFor();
    await page.getByText('1 conversation', { exact: true }).waitFor();
    await screenshot(page, 'monitorar-agents-yesterday-en');
    expect(errors).toEqual([]);
  });
});
