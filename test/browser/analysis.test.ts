import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { csvTable } from '../support/csv.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Análise da Operação in Chromium, as a supervisor: Atendentes (an agent's figures, their
// conversations, the Ficha and the conversation from Ações), Fila (why it waits, the wait ticking, a
// new wait arriving without a reload) and Mensagens ativas (said empty, then listing a real one).
// Each figure on screen is checked against the database.
describeBrowser('Análise da Operação', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: Client;
  let desk: Client;
  let supClient: Client;
  let beat: ReturnType<typeof setInterval> | null = null;
  let service: { id: string; name: string };
  let token: string;
  let agent: { id: string; name: string };
  let other: { id: string; name: string };

  const inbound = async (name: string) => {
    const res = await fetch(`${server.url}/api/channels/api/${service.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contact: { externalId: unique('cli').replace(/\s/g, '-'), name }, externalId: unique('msg').replace(/\s/g, '-'), text: 'Preciso da segunda via' }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { conversationId: string; protocol: string };
  };
  const until = async (check: () => Promise<boolean>, ms = 5000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const queued = async () => (await server.db.query<{ protocol: string }>(`SELECT protocol FROM conversations WHERE state = 'queued' AND service_id = $1 ORDER BY queued_at`, [service.id])).rows.map((r) => r.protocol);

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { name: 'Varejo Digital', maxChat: 1 });
    const otherTeam = await createTeam(admin, { name: 'Cobrança', maxChat: 2 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    other = await createUser(admin, { name: 'Carlos Eduardo Lima', agentEnabled: true, teamIds: [otherTeam.id] });
    const sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    service = await createService(admin, { name: 'Segunda via de boleto', channel: 'api', teamIds: [team.id] });
    token = (await admin.post(`/api/services/${service.id}/api-credentials`)).body.token;
    desk = new Client(server.url);
    expect((await desk.post('/api/auth/login', { email: (agent as any).email, password: (agent as any).password })).status).toBe(200);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    beat = setInterval(() => void desk.post('/api/agent/heartbeat').catch(() => undefined), 10_000);
    // Ana takes the first and completes it; then she holds one (her limit) and two wait
    const first = await inbound('João da Silva');
    await until(async () => (await desk.get('/api/conversations?mine=true')).body.items.length === 1);
    expect((await desk.post(`/api/conversations/${first.conversationId}/finish`, { outcome: 'completed', notes: 'Boleto reenviado por e-mail' })).status).toBe(200);
    await inbound('Maria Souza');
    await until(async () => (await desk.get('/api/conversations?mine=true')).body.items.length === 1);
    await inbound('Pedro Henrique');
    await inbound('Luiza Fernandes');
    await until(async () => (await queued()).length === 2);

    supClient = new Client(server.url);
    expect((await supClient.post('/api/auth/login', { email: sup.email, password: sup.password })).status).toBe(200);
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    if (beat) clearInterval(beat);
    await browser?.close();
    await server?.close();
  });

  it('Atendentes: the agent’s figures, their conversations, the Ficha and the conversation from Ações', async () => {
    await page.getByText('Análise da Operação').waitFor();
    await page.getByRole('link', { name: 'Atendentes' }).click();
    await page.waitForURL(/\/analise\/atendentes$/);
    await page.getByRole('heading', { name: 'Atendentes' }).waitFor();
    const row = page.locator('[data-testid="agent-row"][data-agent="Ana Beatriz Souza"]');
    await row.waitFor();
    const { rows } = await server.db.query<{ in_service: number; completed: number; cancelled: number }>(
      `SELECT count(*) FILTER (WHERE state = 'in_service')::int AS in_service, count(*) FILTER (WHERE state = 'completed')::int AS completed,
              count(*) FILTER (WHERE state = 'cancelled')::int AS cancelled FROM conversations WHERE agent_id = $1`,
      [agent.id],
    );
    expect(rows[0]).toEqual({ in_service: 1, completed: 1, cancelled: 0 });
    expect(await row.getByTestId('in-service').textContent()).toBe(String(rows[0].in_service));
    expect(await row.getByTestId('completed').textContent()).toBe(String(rows[0].completed));
    expect(await row.getByTestId('cancelled').textContent()).toBe(String(rows[0].cancelled));
    expect(await row.getByTestId('agent-state').textContent()).toContain('Em atendimento');
    // the supervisor of Varejo Digital does not see Cobrança's agent
    expect(await page.locator('[data-testid="agent-row"]').count()).toBe(1);
    expect(await page.getByText(other.name).count()).toBe(0);
    // the definitions are in tooltips
    await page.getByText('Concluídos', { exact: true }).hover();
    await page.getByText(/terminaram como Concluído no período/).waitFor();

    await row.getByRole('button', { name: /Ver os atendimentos de Ana/ }).click();
    const list = page.getByTestId('agent-conversations');
    await list.waitFor();
    const mine = await server.db.query<{ protocol: string; state: string }>(`SELECT protocol, state FROM conversations WHERE agent_id = $1 ORDER BY finished_at DESC NULLS FIRST`, [agent.id]);
    expect(await list.locator('[data-testid="conversation-row"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-protocol')))).toEqual(mine.rows.map((r) => r.protocol));
    await screenshot(page, 'analysis-agents-pt-BR');

    const done = mine.rows.find((r) => r.state === 'completed')!;
    const doneRow = list.locator(`[data-testid="conversation-row"][data-protocol="${done.protocol}"]`);
    await doneRow.getByTestId('action-record').click();
    const record = page.getByTestId('record-modal');
    await record.getByText('Ficha de atendimento').first().waitFor();
    await record.getByText('Boleto reenviado por e-mail').waitFor();
    await record.getByTestId('record-finished-by').getByText('Agente').waitFor();
    await screenshot(page, 'analysis-record-pt-BR', { fullPage: false });
    await page.keyboard.press('Escape');
    await record.waitFor({ state: 'hidden' });

    await doneRow.getByTestId('action-conversation').click();
    const conv = page.getByTestId('conversation-modal');
    await conv.getByTestId('monitor-history').getByText('Preciso da segunda via').waitFor();
    await page.keyboard.press('Escape');
    await conv.waitFor({ state: 'hidden' });
  });

  it('Fila: the waits per department, why they wait, the time ticking, and a new wait without a reload', async () => {
    await page.getByRole('link', { name: 'Fila' }).click();
    await page.waitForURL(/\/analise\/fila$/);
    const dept = page.locator('[data-testid="queue-department"][data-department="Varejo Digital"]');
    await dept.waitFor();
    const want = await queued();
    expect(await dept.locator('[data-testid="queue-row"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-protocol')))).toEqual(want);
    // Ana holds her one conversation: the department is at its limit
    await dept.getByText('Todos os agentes no limite (1/1), máximo de 1 por agente.').waitFor();
    expect(await dept.getByTestId('department-waiting').textContent()).toBe('2 atendimentos aguardando');
    // the wait ticks in the browser
    const wait = dept.getByTestId('queue-wait').first();
    const before = await wait.textContent();
    await page.waitForFunction((b) => document.querySelector('[data-testid="queue-wait"]')?.textContent !== b, before);
    await screenshot(page, 'analysis-queue-pt-BR');
    // nothing happens: the screen does not read again on its own (the stream's changes make it)
    let reads = 0;
    const count = (r: { url(): string }) => { if (r.url().includes('/api/analysis/queue')) reads++; };
    page.on('request', count);
    await page.waitForTimeout(3000);
    page.off('request', count);
    expect(reads).toBe(0);

    // a new customer: pushed by the monitor stream, the list follows without a reload
    const next = await inbound('Rafael Costa');
    await dept.locator(`[data-testid="queue-row"][data-protocol="${next.protocol}"]`).waitFor({ timeout: 8000 });
    expect(await page.getByTestId('queue-total').textContent()).toBe(`${(await queued()).length} atendimentos aguardando`);
  });

  it('Fila: Exportar CSV downloads every wait with its department and reason, as the database has them', async () => {
    await page.getByTestId('queue-total').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^fila_\d{4}-\d{2}-\d{2}\.csv$/);
    const table = await csvTable((await file.path())!);
    expect(table[0].slice(0, 4)).toEqual(['Departamento', 'Motivo', 'Posição', 'Protocolo']);
    const want = await queued();
    expect(table.slice(1).map((r) => r[3]).sort()).toEqual([...want].sort());
    for (const r of table.slice(1)) {
      expect(r[0]).toBe('Varejo Digital');
      expect(r[1]).toBe('Todos os agentes no limite (1/1), máximo de 1 por agente.');
    }
    await expect.poll(() => page.getByTestId('export-message').textContent()).toBe(`Exportação concluída: ${want.length} linhas`);
    await screenshot(page, 'analysis-queue-exported-pt-BR', { fullPage: false });
  });

  it('Mensagens ativas: says why it is empty, then lists an outbound conversation with its Ações', async () => {
    await page.getByRole('link', { name: 'Mensagens ativas' }).click();
    await page.waitForURL(/\/analise\/mensagens-ativas$/);
    // Campanhas first (none yet), then Conversas ativas
    await page.getByTestId('campaigns-empty').waitFor();
    await page.getByTestId('tab-conversations').click();
    await page.waitForURL(/\/analise\/mensagens-ativas\?tab=conversations$/);
    const empty = page.getByTestId('outbound-empty');
    await empty.getByText('Nenhum atendimento foi iniciado pela central ainda.', { exact: false }).waitFor();
    await screenshot(page, 'analysis-outbound-empty-pt-BR');

    const contact = (await server.db.query<{ id: string }>(`INSERT INTO contacts (name, phone) VALUES ('Cliente Ativo', '+5511912345678') RETURNING id`)).rows[0].id;
    const protocol = `ATV${Date.now() % 1_000_000}`;
    const id = (await server.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at, assigned_at, first_assigned_at, finished_at, finished_by)
       VALUES ($1, $2, 'api', $3, 'outbound', 'completed', $4, now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', now(), 'agent') RETURNING id`,
      [protocol, service.id, contact, agent.id],
    )).rows[0].id;
    await server.db.query(`INSERT INTO messages (conversation_id, channel, author_type, author_id, body) VALUES ($1, 'api', 'agent', $2, 'Olá! Seu boleto vence amanhã.')`, [id, agent.id]);
    await page.reload();
    const table = page.getByTestId('outbound-table');
    await table.locator(`[data-testid="conversation-row"][data-protocol="${protocol}"]`).waitFor();
    expect(await page.getByTestId('outbound-total').textContent()).toBe('1 mensagem ativa');
    await table.getByText('Cliente Ativo').waitFor();
    await table.getByTestId('action-conversation').click();
    await page.getByTestId('conversation-modal').getByText('Olá! Seu boleto vence amanhã.').waitFor();
    await screenshot(page, 'analysis-outbound-conversation-pt-BR', { fullPage: false });
    await page.keyboard.press('Escape');
    // a filter that leaves it out says so
    await page.getByLabel('Protocolo').fill('000');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByTestId('outbound-empty').getByText('Nenhuma mensagem ativa com estes filtros.').waitFor();
    await screenshot(page, 'analysis-outbound-pt-BR');
  });

  it('works in English', async () => {
    expect((await supClient.patch('/api/auth/me', { language: 'en' })).status).toBe(200);
    await page.goto(`${server.url}/analise/fila`);
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByText(/Every agent at the limit \(1\/1\)/).waitFor();
    await page.getByRole('link', { name: 'Agents', exact: true }).first().waitFor();
    await screenshot(page, 'analysis-queue-en');
    await page.goto(`${server.url}/analise/atendentes`);
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    await page.locator('[data-testid="agent-row"][data-agent="Ana Beatriz Souza"]').waitFor();
    expect(errors).toEqual([]);
  });
});
