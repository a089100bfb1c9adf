import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { csvTable, hms } from '../support/csv.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Início → Indicadores in Chromium, as a supervisor: the six tables for seeded conversations (ended a
// minute ago, with handling times chosen here), the seed's pt-BR titles, the figures as worked out
// below, another team's service left out, and Resumo por Serviço downloaded as CSV and read back.
describeBrowser('Início → Indicadores', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let mine: { id: string; name: string };
  let theirs: { id: string; name: string };
  let agent: { id: string; name: string };

  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { name: 'Varejo Digital' });
    const otherTeam = await createTeam(admin, { name: 'Cobrança' });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    const sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    mine = await createService(admin, { name: 'Segunda via de boleto', channel: 'whatsapp', teamIds: [team.id] });
    theirs = await createService(admin, { name: 'Renegociação', channel: 'webchat', teamIds: [otherTeam.id] });
    const contact = (await server.db.query<{ id: string }>(`INSERT INTO contacts (name, phone) VALUES ('João da Silva', '+5585999990000') RETURNING id`)).rows[0].id;
    // three handled by Ana a minute ago (65 s, 125 s, 305 s), one the customer abandoned, one of another team
    const end = Date.now() - 60_000;
    const rows: [string, string, string | null, number | null][] = [
      [mine.id, 'completed', agent.id, 65], [mine.id, 'completed', agent.id, 125], [mine.id, 'cancelled', agent.id, 305],
      [mine.id, 'abandoned', null, null], [theirs.id, 'completed', null, 40],
    ];
    for (const [i, [svc, state, agentId, handle]] of rows.entries()) {
      const finished = new Date(end - i * 1000);
      const assigned = handle === null ? null : new Date(finished.getTime() - handle * 1000);
      await server.db.query(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_queued_at, queued_at, first_assigned_at, assigned_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $8, $8, $9)`,
        [`20990101${String(i).padStart(6, '0')}`, svc, svc === mine.id ? 'whatsapp' : 'webchat', contact, state, agentId, new Date(finished.getTime() - 600_000), assigned, finished],
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

  const cells = async (testId: string) =>
    page.getByTestId(testId).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));

  it('shows the six tables with the seed’s titles and the figures worked out by hand, in the supervisor’s scope', async () => {
    await page.goto(`${server.url}/monitor?tab=indicators`);
    await page.getByTestId('indicators-byService').waitFor();
    for (const title of ['Resumo por Serviço', 'Resumo por Canal', 'Produtividade de Agentes', 'Resumo por Status', 'Atendimentos OMNI', 'Resumo do dia']) {
      await page.getByRole('heading', { name: title }).waitFor();
    }
    const heads = await page.getByTestId('indicators-byService').locator('thead th').allTextContents();
    expect(heads).toEqual(['Nome', 'QtdAtend', 'PctQtd', 'DurTotal', 'DurMedia', 'DurMaxim', 'TMídia']);
    // 65 + 125 + 305 = 495 s (8:15), mean 165 s (2:45), longest 305 s (5:05); Renegociação is another team's
    // no calls (WhatsApp): TMídia 0:00
    expect(await cells('indicators-byService')).toEqual([['Segunda via de boleto', '3', '100,00%', '8:15', '2:45', '5:05', '0:00']]);
    expect(await cells('indicators-byAgent')).toEqual([['Ana Beatriz Souza', '3', '100,00%', '8:15', '2:45', '5:05', '0:00']]);
    expect((await cells('indicators-byChannel'))[0].slice(1)).toEqual(['3', '100,00%', '8:15', '2:45', '5:05', '0:00']);
    // Resumo por Status: 2 completed, 1 cancelled, 1 abandoned, all WhatsApp
    const status = await cells('indicators-byStatus');
    expect(status.map((r) => [r[0], r[1], r[2], r[3], r[10], r[9]])).toEqual([
      ['Entrada', 'Concluído', '50,00%', '2', '2', '0'],
      ['Entrada', 'Cancelado', '25,00%', '1', '1', '0'],
      ['Entrada', 'Abandono', '25,00%', '1', '1', '0'],
    ]);
    await page.getByTestId('indicators-conversations').locator('tbody tr').nth(3).waitFor();
    expect(await page.getByTestId('indicators-conversations').locator('tbody tr').count()).toBe(4);
    expect(await page.getByTestId('indicators-conversations-shown').textContent()).toBe('4 de 4 atendimentos');
    expect((await cells('indicators-daySummary')).map((r) => [r[0], r[1], r[3], r[6]])).toEqual([
      ['Receptivo', 'Segunda via de boleto', 'Concluído', '2'],
      ['Receptivo', 'Segunda via de boleto', 'Cancelado', '1'],
      ['Receptivo', 'Segunda via de boleto', 'Abandono', '1'],
    ]);
    await page.getByTestId('indicators-byService').getByText('DurMedia').hover();
    await page.getByText('DurMedia: DurTotal ÷ QtdAtend', { exact: false }).waitFor();
    expect(await page.getByText('DurMedia: DurTotal ÷ QtdAtend', { exact: false }).textContent()).toContain('coluna TMídia');
    await page.getByTestId('indicators-byService').getByText('TMídia').hover();
    await page.getByText('TMídia: tempo atendido das chamadas', { exact: false }).waitFor();
    await screenshot(page, 'indicators-pt-BR');
    // the tables filled: they fit a laptop, a wide screen and a phone, and pass axe
    await page.mouse.move(0, 0);
    expect(await checkScreen(page, 'indicators-filled')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('downloads Resumo por Serviço as CSV with the same figures', async () => {
    const section = page.getByTestId('indicators-section-byService');
    const download = page.waitForEvent('download');
    await section.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^resumo-por-servico_\d{4}-\d{2}-\d{2}\.csv$/);
    const table = await csvTable((await file.path())!);
    expect(table).toEqual([
      ['Nome', 'QtdAtend', 'PctQtd', 'DurTotal', 'DurMedia', 'DurMaxim', 'TMídia'],
      ['Segunda via de boleto', '3', '100', hms(495), hms(165), hms(305), hms(0)],
    ]);
    await expect.poll(() => section.getByTestId('export-message').textContent()).toBe('Exportação concluída: 1 linhas');
  });

  it('takes another period, and Atendimentos OMNI loads the next page on Carregar mais', async () => {
    // 55 conversations that ended yesterday (São Paulo, UTC−3 all year), at noon there, a second apart
    const yesterday = new Date(Date.now() - 3 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const contact = (await server.db.query<{ id: string }>(`SELECT id FROM contacts LIMIT 1`)).rows[0].id;
    await server.db.query(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, first_assigned_at, assigned_at, finished_at)
       SELECT '20990102' || lpad(i::text, 6, '0'), $1, 'whatsapp', $2, 'completed', $3, t - interval '5 minutes', t - interval '2 minutes', t - interval '2 minutes', t
         FROM generate_series(1, 55) i, LATERAL (SELECT $4::timestamptz + make_interval(secs => i)) x(t)`,
      [mine.id, contact, agent.id, `${yesterday}T15:00:00Z`],
    );
    const typed = yesterday.split('-').reverse().join('/');
    for (const id of ['indicators-from', 'indicators-to']) {
      await page.getByTestId(id).fill(typed);
      await page.getByTestId(id).press('Enter');
    }
    await page.getByTestId('indicators-apply').click();
    const shown = page.getByTestId('indicators-conversations-shown');
    await expect.poll(() => shown.textContent()).toBe('50 de 55 atendimentos');
    expect(await cells('indicators-byService')).toEqual([['Segunda via de boleto', '55', '100,00%', '1:50:00', '2:00', '2:00', '0:00']]);
    await page.getByTestId('indicators-load-more').click();
    await expect.poll(() => shown.textContent()).toBe('55 de 55 atendimentos');
    const protocols = await page.getByTestId('indicators-conversations').locator('tbody tr td:nth-child(2)').allTextContents();
    // the latest to end first, none twice
    expect(protocols).toEqual(Array.from({ length: 55 }, (_, i) => `20990102${String(55 - i).padStart(6, '0')}`));
    expect(await page.getByTestId('indicators-load-more').count()).toBe(0);
  });
});
