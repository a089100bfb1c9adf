import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { csvTable } from '../support/csv.js';
import { Client, createService, createTeam, unique } from '../support/test-app.js';

// Relatórios in Chromium: the catalogue's first report generated over today, its table (and chart)
// as the API describes it, the CSV downloaded and read back; Abandono against the figures of the
// traffic made here, its XLSX read back; then an Agendamento created.

const PT = { 'accept-language': 'pt-BR' };

describeBrowser('Relatórios', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: Client;

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { name: 'Varejo Digital' });
    const chat = await createService(admin, { name: 'Atendimento WebChat', channel: 'webchat', teamIds: [team.id] });
    const wa = await createService(admin, { name: 'Atendimento WhatsApp', channel: 'whatsapp', teamIds: [team.id] });
    for (const svc of [chat, chat, wa]) {
      await receiveInbound(server.runtime.engine, { serviceId: svc.id, channel: svc.channel, contact: { externalId: unique('c'), name: 'Cliente' }, externalId: unique('m'), text: 'Olá' });
    }
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('button', { name: 'Sair' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('generates the first report of the catalogue: the table (and chart) as the API describes it, then the CSV read back', async () => {
    const catalogue = (await admin.request('GET', '/api/reports', undefined, PT)).body as { id: string; title: string }[];
    expect(catalogue.length).toBeGreaterThan(0);
    const first = catalogue[0]!;
    await page.getByRole('link', { name: 'Relatórios' }).click();
    await page.waitForURL(/\/relatorios/);
    await page.getByRole('heading', { name: 'Relatórios', level: 1 }).waitFor();
    const entries = page.getByTestId('reports-catalogue-entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(catalogue.length);
    await entries.first().click();
    await page.getByTestId('report-preset-today').click();
    await page.getByTestId('report-generate').click();
    await page.waitForURL(new RegExp(`report=${first.id}.*from=`));
    await page.getByTestId('report-result').waitFor();

    // the same report from the API, over the same period the URL carries
    const q = new URL(page.url()).searchParams;
    q.delete('report');
    const api = (await admin.request('GET', `/api/reports/${first.id}?${q}`, undefined, PT)).body as { columns: { label: string }[]; rows: unknown[]; total: unknown; chart: unknown };
    // three customers queued today: the first report (by interval) has rows
    expect(api.rows.length).toBeGreaterThan(0);
    {
      const headers = await page.locator('[data-testid="report-table"] thead th').allTextContents();
      expect(headers).toEqual(api.columns.map((c) => c.label));
      expect(await page.getByTestId('report-row').count()).toBe(api.rows.length);
      expect(await page.getByTestId('report-total').count()).toBe(api.total ? 1 : 0);
      if (api.chart) await page.getByTestId('report-chart').waitFor();
    }
    await page.getByTestId('report-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'reports-generated-pt-BR', { fullPage: false });

    {
      const download = page.waitForEvent('download');
      await page.getByTestId('export-csv').click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(new RegExp(`^relatorio-${first.id}_\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      const table = await csvTable((await file.path())!);
      expect(table[0]).toEqual(api.columns.map((c) => c.label));
      expect(table.length - 1).toBe(api.rows.length + (api.total ? 1 : 0));
    }
    expect(errors).toEqual([]);
  });

  it('generates Abandono: two services offered 2 and 1 today, none abandoned; the XLSX read back', async () => {
    await page.getByTestId('reports-catalogue-entry').filter({ hasText: 'Abandono' }).click();
    await page.getByTestId('report-preset-today').click();
    await page.getByTestId('report-generate').click();
    await page.waitForURL(/report=abandonment.*from=/);
    await page.getByTestId('report-result').waitFor();
    const rows = page.getByTestId('report-row');
    await rows.first().waitFor();
    const cells = async (row: ReturnType<Page['locator']>) => (await row.locator('td').allTextContents()).map((x) => x.trim());
    const shown = await Promise.all((await rows.all()).map(cells));
    shown.sort((a, b) => a[0]!.localeCompare(b[0]!));
    // Serviço, Ofertados, Abandonos
    expect(shown.map((r) => r.slice(0, 3))).toEqual([['Atendimento WebChat', '2', '0'], ['Atendimento WhatsApp', '1', '0']]);
    expect((await cells(page.getByTestId('report-total'))).slice(0, 3)).toEqual(['Total', '3', '0']);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-xlsx').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^relatorio-abandonment_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await file.path())!);
    const sheet = book.worksheets[0]!;
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1).slice(0, 3)).toEqual(['Serviço', 'Ofertados', 'Abandonos']);
    const body = [values(2), values(3)].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(body.map((r) => r.slice(0, 3))).toEqual([['Atendimento WebChat', 2, 0], ['Atendimento WhatsApp', 1, 0]]);
    expect(values(4).slice(0, 3)).toEqual(['Total', 3, 0]);
    expect(errors).toEqual([]);
  });

  it('Agendamentos: schedules the report by e-mail and lists it', async () => {
    await page.getByTestId('reports-tab-schedules').click();
    await page.getByTestId('schedules-empty').waitFor();
    await page.getByTestId('schedule-create').click();
    await page.getByTestId('schedule-recipients').fill('gestao@empresa.com.br');
    await page.getByTestId('schedule-recipients').press('Enter');
    await page.getByTestId('schedule-save').click();
    const row = page.getByTestId('schedule-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('gestao@empresa.com.br');
    const saved = (await admin.get('/api/report-schedules')).body.items;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ recipients: ['gestao@empresa.com.br'], frequency: 'daily', period: 'yesterday', active: true });
    await screenshot(page, 'reports-schedules-pt-BR', { fullPage: false });
    expect(errors).toEqual([]);
  });
});
