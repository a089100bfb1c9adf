import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseCsv } from '../support/csv.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam, createUser } from '../support/test-app.js';

// Consultas and Histórico in Chromium: the tabs, the filters in the URL, the total, "Carregar mais",
// sorting by a header, a row opening the conversation and Nr.Ocorr the Ficha, an export downloaded
// and parsed back; every figure against what this file wrote into the database.
describeBrowser('Consultas and Histórico', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let sup: { email: string; password: string };
  const chat: { id: string; protocol: string; state: string; createdAt: Date }[] = [];
  let agentName = '';
  const email: { protocol: string; subject: string }[] = [];


  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin);
    const agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    sup = await createUser(admin, { name: 'Mariana Albuquerque', role: 'supervisor', supervisedTeamIds: [team.id] });
    const webchat = await createService(admin, { name: 'Segunda via de boleto', channel: 'webchat', teamIds: [team.id] });
    const mail = await createService(admin, { name: 'SAC por e-mail', channel: 'email', teamIds: [team.id] });
    const db = server.db;
    const contact = async (name: string, emailAddress: string) =>
      (await db.query<{ id: string }>(`INSERT INTO contacts (name, email, phone) VALUES ($1, $2, '+5511988887777') RETURNING id`, [name, emailAddress])).rows[0].id;
    const joao = await contact('João da Silva', 'joao@exemplo.com.br');
    const maria = await contact('Maria Souza', 'maria@exemplo.com.br');
    // 57 chats today, a minute apart, ending a minute ago: more than one page of 50. Today is São
    // Paulo's (UTC−3): in its first hour they are closer together, all after its midnight
    const now = Date.now();
    const spToday = new Date(now - 3 * 3600_000);
    const sinceMidnight = now - (Date.UTC(spToday.getUTCFullYear(), spToday.getUTCMonth(), spToday.getUTCDate()) + 3 * 3600_000);
    const step = Math.min(60_000, Math.floor(sinceMidnight / 60));
    for (let k = 0; k < 57; k++) {
      const createdAt = new Date(now - (57 - k) * step);
      const state = k % 3 === 0 ? 'in_service' : 'completed';
      const protocol = `P${String(100 + k)}${randomUUID().slice(0, 4)}`;
      const r = await db.query<{ id: string }>(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, bot_started_at, bot_ended_at, first_queued_at, queued_at, first_assigned_at, assigned_at, finished_at)
         VALUES ($1, $2, 'webchat', $3, $4, $5, $6, $6, $6::timestamptz + interval '15 s', $6::timestamptz + interval '15 s', $6::timestamptz + interval '15 s',
                 $6::timestamptz + interval '45 s', $6::timestamptz + interval '45 s', CASE WHEN $4 = 'completed' THEN $6::timestamptz + interval '5 min' END) RETURNING id`,
        [protocol, webchat.id, k % 2 ? joao : maria, state, agent.id, createdAt],
      );
      await db.query(`INSERT INTO messages (conversation_id, channel, author_type, body) VALUES ($1, 'webchat', 'customer', $2)`, [r.rows[0].id, `Preciso da segunda via ${k}`]);
      chat.push({ id: r.rows[0].id, protocol, state, createdAt });
    }
    agentName = agent.name;
    // the newest chat's calls (the Ficha lists them): a video call the agent made, answered 45 s later than it rang…
    const last = chat[56];
    const at = (s: number) => new Date(last.createdAt.getTime() + s * 1000);
    await db.query(
      `INSERT INTO calls (id, conversation_id, service_id, kind, caller, agent_id, state, video, ring_at, answered_at, ended_at, ended_by, audio_seconds, video_seconds)
       VALUES ($1, $2, $3, 'video', 'agent', $4, 'ended', false, $5, $6, $7, 'customer', 15, 30)`,
      [randomUUID(), last.id, webchat.id, agent.id, at(60), at(65), at(110)],
    );
    // …and one the customer made that failed before it was answered (no camera permission)
    await db.query(
      `INSERT INTO calls (id, conversation_id, service_id, kind, caller, agent_id, state, video, ring_at, ended_at, ended_by, failure)
       VALUES ($1, $2, $3, 'audio', 'customer', $4, 'failed', false, $5, $6, 'customer', 'permission_denied')`,
      [randomUUID(), last.id, webchat.id, agent.id, at(150), at(152)],
    );
    for (let k = 0; k < 3; k++) {
      const protocol = `E${k}${randomUUID().slice(0, 6)}`;
      const subject = `Reclamação de cobrança ${k}`;
      await db.query(
        `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, first_queued_at, queued_at, subject)
         VALUES ($1, $2, 'email', $3, 'queued', $5::timestamptz, $5::timestamptz, $5::timestamptz, $4)`,
        [protocol, mail.id, joao, subject, new Date(now - 2 * step)],
      );
      email.push({ protocol, subject });
    }
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor/);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists today’s chats with the total, loads more by keyset, and sorts by a header', async () => {
    await page.getByRole('link', { name: 'Consultas' }).click();
    await page.waitForURL(/\/consultas/);
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe('57 atendimentos');
    expect(await page.getByTestId('lookback-row').count()).toBe(50);
    // newest first
    expect(await page.getByTestId('lookback-row').first().getAttribute('data-protocol')).toBe(chat[56].protocol);
    // T.Audio's header says what it counts (no call in these conversations: a dash in each row)
    await page.getByTestId('lookback-table').getByText('T.Audio').hover();
    await expect.poll(() => page.getByText('T.Audio: tempo atendido das chamadas de WebChat do atendimento só com áudio').first().isVisible()).toBe(true);
    await screenshot(page, 'consultas-chat', { fullPage: false });
    await page.getByTestId('load-more').click();
    await expect.poll(() => page.getByTestId('lookback-row').count()).toBe(57);
    await page.getByTestId('sort-protocol').click();
    await page.waitForURL(/sort=protocol/);
    const sorted = [...chat].map((c) => c.protocol).sort();
    await expect.poll(() => page.getByTestId('lookback-row').first().getAttribute('data-protocol')).toBe(sorted[0]);
  });

  it('keeps the filters in the URL: a pasted link shows the same list', async () => {
    const completed = chat.filter((c) => c.state === 'completed').length;
    await page.goto(`${server.url}/consultas?tab=chat&states=completed&origin=${encodeURIComponent('joão')}`);
    const expected = chat.filter((c, k) => c.state === 'completed' && k % 2 === 1).length;
    expect(expected).toBeLessThan(completed);
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe(`${expected} atendimentos`);
    await expect.poll(() => page.getByTestId('filter-origin').inputValue()).toBe('joão');
    // the same filter typed and applied by hand
    await page.goto(`${server.url}/consultas?tab=chat`);
    await page.getByTestId('filter-origin').fill('maria');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/origin=maria/);
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe(`${chat.filter((_, k) => k % 2 === 0).length} atendimentos`);
  });

  it('opens the messages from a row and the Ficha from Nr.Ocorr', async () => {
    await page.goto(`${server.url}/consultas?tab=chat`);
    const row = page.getByTestId('lookback-row').first();
    await row.locator('td').nth(11).click();
    await expect.poll(() => page.getByTestId('monitor-history').textContent()).toContain('Preciso da segunda via 56');
    await screenshot(page, 'consultas-conversation');
    await page.keyboard.press('Escape');
    await row.getByTestId('open-record').click();
    await expect.poll(() => page.getByTestId('conversation-record').isVisible()).toBe(true);
    expect(await page.getByTestId('record-modal').textContent()).toContain(chat[56].protocol);
    // its calls, oldest first, times in São Paulo (UTC−3 all year), and T.Audio 0:15 / T.Video 0:30
    await expect.poll(() => page.getByTestId('record-call').count()).toBe(2);
    const sp = (s: number) => new Date(chat[56].createdAt.getTime() + s * 1000 - 3 * 3600_000).toISOString().slice(11, 19);
    const [video, failed] = await page.getByTestId('record-call').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(video[0]).toBe('Vídeo');
    expect(video[1]).toBe(agentName);
    expect([video[2], video[3], video[4]].map((x) => x!.slice(-8))).toEqual([sp(60), sp(65), sp(110)]);
    expect(video.slice(5)).toEqual(['Cliente', 'Atendida', '0:45']);
    expect(failed[0]).toBe('Áudio');
    expect(failed[1]).toBe('Cliente');
    expect(failed[2]!.slice(-8)).toBe(sp(150));
    expect(failed[3]).toBe('—');
    expect(failed[4]!.slice(-8)).toBe(sp(152));
    expect(failed.slice(5)).toEqual(['Cliente', 'Falhou: sem permissão de câmera ou microfone', '—']);
    expect(await page.getByTestId('record-calls-audio').textContent()).toBe('T.Audio 0:15');
    expect(await page.getByTestId('record-calls-video').textContent()).toBe('T.Video 0:30');
    await screenshot(page, 'consultas-ficha-chamadas');
    await page.keyboard.press('Escape');
    // a chat without calls says so
    await page.getByTestId('lookback-row').nth(1).getByTestId('open-record').click();
    await expect.poll(() => page.getByTestId('record-calls-empty').textContent()).toBe('Nenhuma chamada de áudio ou vídeo neste atendimento.');
    expect(await page.getByTestId('record-calls-audio').textContent()).toBe('T.Audio —');
    await page.keyboard.press('Escape');
  });

  it('exports the list as CSV, with progress, and the file parses back to the listed rows', async () => {
    await page.goto(`${server.url}/consultas?tab=chat&states=completed`);
    const completed = chat.filter((c) => c.state === 'completed');
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe(`${completed.length} atendimentos`);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^atendimentos-chat_\d{4}-\d{2}-\d{2}_a_\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const table = await parseCsv(text.slice(1));
    expect(table[0][5]).toBe('Nr.Ocorr');
    expect(table.slice(1).map((r) => r[5]).sort()).toEqual(completed.map((c) => c.protocol).sort());
    await expect.poll(() => page.getByTestId('export-message').textContent()).toBe(`Exportação concluída: ${completed.length} linhas`);
  });

  it('shows the e-mail tab with its own columns', async () => {
    await page.goto(`${server.url}/consultas`);
    await page.getByTestId('tab-email').click();
    await page.waitForURL(/tab=email/);
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe('3 atendimentos');
    const headers = await page.getByTestId('lookback-table').locator('th').allTextContents();
    expect(headers).toEqual(['', 'Data/Hora', 'Nr.Ocorr', 'Tempo de Fila', 'T.Atend', 'Serviço', 'Origem', 'Assunto', 'Status', 'Responsável']);
    expect(await page.getByTestId('lookback-table').textContent()).toContain(email[1].subject);
    await screenshot(page, 'consultas-email');
  });

  it('Histórico lists every channel with the Ações column', async () => {
    await page.getByRole('link', { name: 'Histórico' }).click();
    await page.waitForURL(/\/analise\/historico/);
    await expect.poll(() => page.getByTestId('lookback-total').textContent()).toBe(`${chat.length + email.length} atendimentos`);
    await page.getByTestId('action-record').first().click();
    await expect.poll(() => page.getByTestId('conversation-record').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('action-conversation').first().click();
    await expect.poll(() => page.getByTestId('monitor-history').textContent()).toMatch(/Preciso da segunda via|^$/);
    await expect.poll(() => page.getByTestId('monitor-history').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await screenshot(page, 'historico', { fullPage: false });
    expect(errors).toEqual([]);
  });
});
