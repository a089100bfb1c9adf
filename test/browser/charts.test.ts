import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { csvTable, hms } from '../support/csv.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Análise da Operação → Gráficos in Chromium, as a supervisor: the three charts drawn for seeded
// conversations of today (WebChat and WhatsApp of their team; an e-mail of another team left out),
// the channel legend, an agent picked for Métricas do Atendimento, and its CSV read back.
describeBrowser('Análise da Operação → Gráficos', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let ana: { id: string; name: string };

  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { name: 'Varejo Digital' });
    const otherTeam = await createTeam(admin, { name: 'Cobrança' });
    ana = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    const bruno = await createUser(admin, { name: 'Bruno Carvalho', agentEnabled: true, teamIds: [team.id] });
    const sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    const chat = await createService(admin, { name: 'Segunda via de boleto', channel: 'webchat', teamIds: [team.id], serviceLevelSeconds: 60 });
    const wa = await createService(admin, { name: 'Atendimento WhatsApp', channel: 'whatsapp', teamIds: [team.id], serviceLevelSeconds: 60 });
    const mail = await createService(admin, { name: 'Renegociação', channel: 'email', teamIds: [otherTeam.id] });
    const contact = (await server.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('João da Silva') RETURNING id`)).rows[0].id;
    // all within the last 20 minutes (today in São Paulo, unless the test runs in its first minutes):
    // Ana: 2 WebChat (waits 30 s and 90 s, TMA 120 s each); Bruno: 1 WhatsApp (wait 20 s, TMA 300 s);
    // 1 WhatsApp abandoned; 1 e-mail of another team
    const now = Date.now();
    const rows: [string, string, string, string | null, number, number | null, number][] = [
      [chat.id, 'webchat', 'completed', ana.id, 30, 120, 1], [chat.id, 'webchat', 'completed', ana.id, 90, 120, 2],
      [wa.id, 'whatsapp', 'completed', bruno.id, 20, 300, 3], [wa.id, 'whatsapp', 'abandoned', null, 0, null, 4], [mail.id, 'email', 'completed', null, 0, null, 5],
    ];
    for (const [svc, channel, state, agentId, wait, handle, i] of rows) {
      const created = new Date(now - 20 * 60_000 + i * 1000);
      const assigned = agentId ? new Date(created.getTime() + wait * 1000) : null;
      const finished = new Date((assigned ?? created).getTime() + (handle ?? 40) * 1000);
      await server.db.query(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_queued_at, queued_at, first_assigned_at, assigned_at,
           first_agent_message_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $8, $8, $8, $9)`,
        [`20990201${String(i).padStart(6, '0')}`, svc, channel, contact, state, agentId, created, assigned, finished],
      );
    }
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the three charts, the legend listing the channels with traffic', async () => {
    await page.getByRole('link', { name: 'Gráficos' }).click();
    await page.waitForURL('**/analise/graficos');
    for (const title of ['Atendimento por Canais – Detalhada', 'Métricas do Atendimento', 'Métricas do Atendimento – Detalhada']) {
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
    }
    for (const id of ['chart-channels', 'chart-metrics', 'chart-metrics-detailed']) {
      await page.getByTestId(id).locator('canvas').first().waitFor();
    }
    const legend = page.getByTestId('charts-legend-item');
    await expect.poll(() => legend.evaluateAll((els) => els.map((e) => e.textContent))).toEqual(['WebChatRecebidos: 2', 'WhatsAppRecebidos: 2']);
    await page.waitForTimeout(1500);
    await screenshot(page, 'charts-pt-BR');
    await page.mouse.move(0, 0);
    expect(await checkScreen(page, 'charts')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('picks an agent for Métricas do Atendimento and saves its data as CSV', async () => {
    const panel = page.getByTestId('charts-panel-metrics');
    await panel.getByTestId('charts-metrics-agents').click();
    await page.getByRole('option', { name: 'Ana Beatriz Souza' }).click();
    await page.keyboard.press('Escape');
    const download = page.waitForEvent('download');
    await panel.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^metricas-do-atendimento_\d{4}-\d{2}-\d{2}\.csv$/);
    const table = await csvTable((await file.path())!);
    expect(table[0]).toEqual(['Agente', 'Ofertados', 'Atendidos', 'Atendidos no prazo', 'NS (%)', 'TME', 'TMA', 'TPR', 'Abandonos', 'Taxa de abandono (%)']);
    // the whole: 4 offered, 3 answered (30 s, 90 s, 20 s: 2 in target), 1 abandon (40 s: not short) → NS 2/4, abandonment 1/4
    expect(table[1]).toEqual(['Todos', '4', '3', '2', '50', hms(47), hms(180), hms(47), '1', '25']);
    expect(table[2]).toEqual(['Ana Beatriz Souza', '2', '2', '1', '50', hms(60), hms(120), hms(60), '0', '']);
    expect(table).toHaveLength(3);
    await page.getByTestId('chart-metrics').locator('canvas').first().waitFor();
    await panel.getByTestId('charts-refresh').click();
    // the bars grow in (ECharts' animation): the picture is taken once they stand
    await page.waitForTimeout(1500);
    await screenshot(page, 'charts-agent-pt-BR');
    expect(errors).toEqual([]);
  });
});
