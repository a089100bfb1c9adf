import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { checkScreen } from '../support/screen-check.js';
import { Client, createService } from '../support/test-app.js';

// Titulares (LGPD) in Chromium, as the admin: search a person, open their page, export the history
// as JSON (read back), and anonymise with the typed confirmation.
describeBrowser('Titulares (LGPD)', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let contactId: string;
  const PROTOCOL = '20991231000042';
  const TEXT = 'Quero a segunda via da fatura, por favor';

  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const service = await createService(admin, { name: 'Faturas', channel: 'whatsapp' });
    contactId = (await server.db.query<{ id: string }>(
      `INSERT INTO contacts (name, email, phone, cpf) VALUES ('Beatriz Lima Gonçalves', 'bia.lima@example.com.br', '+5521987650000', '52998224725') RETURNING id`)).rows[0].id;
    await server.db.query(`INSERT INTO contact_identities (contact_id, channel, external_id, display_name) VALUES ($1, 'whatsapp', '5521987650000', 'Bia')`, [contactId]);
    const start = new Date(Date.now() - 3_600_000);
    const conv = (await server.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, queued_at, first_queued_at, finished_at, finished_by)
       VALUES ($1, $2, 'whatsapp', $3, 'completed', $4, $4, $4, $5, 'customer') RETURNING id`,
      [PROTOCOL, service.id, contactId, start, new Date(start.getTime() + 300_000)])).rows[0].id;
    await server.db.query(`INSERT INTO messages (conversation_id, channel, author_type, body, created_at) VALUES ($1, 'whatsapp', 'customer', $2, $3)`, [conv, TEXT, start]);
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

  it('finds the person by CPF and opens their page', async () => {
    await page.goto(`${server.url}/lgpd/titulares`);
    await page.getByRole('heading', { name: 'Titulares (LGPD)' }).waitFor();
    await page.getByTestId('contact-search').fill('529.982.247-25');
    await page.getByTestId('contact-row').first().waitFor();
    expect(await page.getByTestId('contact-row').count()).toBe(1);
    await screenshot(page, 'lgpd-titulares-search');
    expect(await checkScreen(page, 'lgpd-titulares')).toEqual([]);
    await page.getByTestId('contact-row').click();
    await page.getByRole('heading', { name: 'Beatriz Lima Gonçalves' }).waitFor();
    expect(await page.getByTestId('contact-email').textContent()).toBe('bia.lima@example.com.br');
    expect(await page.getByTestId('contact-identities').textContent()).toContain('5521987650000');
    const link = page.getByRole('link', { name: `Abrir o atendimento ${PROTOCOL} no Histórico` });
    expect(await link.getAttribute('href')).toBe(`/analise/historico?protocol=${PROTOCOL}`);
    await screenshot(page, 'lgpd-titular');
    expect(await checkScreen(page, 'lgpd-titular')).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('exports the history as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    expect(download.suggestedFilename()).toMatch(/^historico-titular_.*\.json$/);
    const history = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(history.contact.name).toBe('Beatriz Lima Gonçalves');
    expect(history.conversations.map((c: { protocol: string }) => c.protocol)).toEqual([PROTOCOL]);
    expect(history.conversations[0].messages[0].text).toBe(TEXT);
  });

  it('anonymises after the reason and the typed name', async () => {
    await page.getByTestId('anonymize-open').click();
    await page.getByText('Esta ação é irreversível', { exact: false }).waitFor();
    await page.getByTestId('anonymize-reason').fill('Pedido da titular em 01/12/2026');
    await page.getByTestId('anonymize-confirm').fill('Outra pessoa');
    expect(await page.getByTestId('anonymize-submit').isDisabled()).toBe(true);
    await page.getByTestId('anonymize-confirm').fill('beatriz lima gonçalves');
    await screenshot(page, 'lgpd-anonymize-modal', { fullPage: false });
    await page.getByTestId('anonymize-submit').click();
    await page.getByTestId('anonymized-badge').waitFor();
    expect(await page.getByTestId('contact-email').textContent()).toBe('—');
    const row = (await server.db.query<{ name: string | null; anonymized_at: Date | null }>('SELECT name, anonymized_at FROM contacts WHERE id = $1', [contactId])).rows[0];
    expect(row.name).toBeNull();
    expect(row.anonymized_at).not.toBeNull();
    const body = (await server.db.query<{ body: string }>('SELECT body FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = $1', [contactId])).rows;
    expect(body.map((b) => b.body)).not.toContain(TEXT);
    expect(errors).toEqual([]);
  });
});
