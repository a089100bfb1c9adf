import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { receiveEmail, type TestEmail } from '../support/email-inbound.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// Filtro → E-mail in Chromium (issue 14): the supervisor's list of e-mails waiting in the filter,
// Qtd E-mail(s) and Serviço, the balloon with the e-mail and its files, Aceitar and Apagar (one from
// the balloon, many from the list), and the side menu's badge following every change live; then
// Alocar Responsável and Retornar para grupo do serviço for a selection of queued e-mails on Início.
describeBrowser('Filtro de E-mail and Alocar responsável', () => {
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let ouvidoria: { id: string; name: string };
  let vendas: { id: string; name: string };
  let ana: { id: string; name: string };
  const protocols = new Map<string, string>();

  const email = async (serviceId: string, e: Partial<TestEmail> & { subject: string }) => {
    const r = await receiveEmail(server.runtime.engine, serviceId, { from: `${unique('c').replace(/\W/g, '')}@cliente.test`, text: `Texto de ${e.subject}.`, ...e });
    protocols.set(e.subject, r.protocol);
    return r;
  };
  const stateOf = async (protocol: string) => (await server.db.query<{ state: string; priority: string; preferred_agent_id: string | null }>(
    'SELECT state, priority, preferred_agent_id FROM conversations WHERE protocol = $1', [protocol])).rows[0];
  const badge = () => page.getByTestId('email-triage-badge');
  const rows = () => page.getByTestId('triage-row');
  const row = (subject: string) => page.locator(`[data-testid="triage-row"][data-protocol="${protocols.get(subject)}"]`);
  const pick = async (testId: string, option: string) => {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    server = await startWebServer();
    const admin = new Client(server.url);
    await admin.post('/api/auth/login', server.admin);
    const team = await createTeam(admin, { name: unique('Ouvidoria'), maxEmail: 5 });
    ouvidoria = await createService(admin, { name: 'Ouvidoria E-mail', channel: 'email', emailTriage: true, teamIds: [team.id] });
    vendas = await createService(admin, { name: 'Vendas E-mail', channel: 'email', emailTriage: true, teamIds: [team.id] });
    ana = await createUser(admin, { name: 'Ana Lima', agentEnabled: true, teamIds: [team.id] });
    await createUser(admin, { name: 'Bruno Reis', agentEnabled: true, teamIds: [team.id] });
    const sup = await createUser(admin, { role: 'supervisor', name: 'Sônia Supervisora', supervisedTeamIds: [team.id] });
    // twelve e-mails on Ouvidoria (the first with two files), one on Vendas
    await email(ouvidoria.id, {
      subject: 'Reclamação da fatura', name: 'Maria Souza', from: 'maria.souza@cliente.test',
      text: 'Bom dia. A fatura de novembro veio com uma cobrança indevida. Seguem a fatura e o comprovante.',
      files: [
        { name: 'fatura-novembro.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n% fatura de novembro\n') },
        { name: 'comprovante.txt', type: 'text/plain', data: Buffer.from('comprovante de pagamento 123') },
      ],
    });
    for (let i = 1; i < 12; i++) await email(ouvidoria.id, { subject: `Pedido ${i}` });
    await email(vendas.id, { subject: 'Orçamento de planos', name: 'João Pereira' });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await page.goto(server.url);
    await signIn(page, sup.email, sup.password);
    await page.waitForURL(/\/monitor/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the waiting e-mails: the badge, Qtd E-mail(s), Serviço and Atualizar Lista', async () => {
    await expect.poll(() => badge().textContent()).toBe('13');
    await page.getByRole('link', { name: /^E-mail/ }).click();
    await page.waitForURL(/\/filtro\/email/);
    await page.getByRole('heading', { level: 1, name: 'Filtro de E-mail' }).waitFor();
    await expect.poll(() => rows().count()).toBe(13);
    // oldest first, with sender, subject, service and files
    const first = rows().first();
    expect(await first.getAttribute('data-protocol')).toBe(protocols.get('Reclamação da fatura'));
    expect(await first.textContent()).toContain('Maria Souza');
    expect(await first.textContent()).toContain('maria.souza@cliente.test');
    expect(await first.getByTestId('triage-attachments').textContent()).toBe('2 anexos');
    // Qtd E-mail(s): the oldest ten
    await pick('triage-quantity', '10');
    await expect.poll(() => rows().count()).toBe(10);
    expect(await page.getByTestId('triage-total').textContent()).toBe('10 de 13 e-mail(s) no filtro');
    expect(page.url()).toContain('qtd=10');
    // Serviço
    await pick('triage-service', 'Vendas E-mail');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('Orçamento de planos');
    expect(page.url()).toContain(`service=${vendas.id}`);
    await page.goto(`${server.url}/filtro/email?qtd=10`);
    await expect.poll(() => rows().count()).toBe(10);
    // Atualizar Lista reads the list again
    await page.getByTestId('triage-refresh').click();
    await expect.poll(() => rows().count()).toBe(10);
    await screenshot(page, 'email-triage-list');
    await pick('triage-quantity', '20');
    await expect.poll(() => rows().count()).toBe(13);
  });

  it('the balloon opens the e-mail with its files; Aceitar from there sends it to the queue and the badge follows', async () => {
    await rows().first().getByTestId('triage-open').first().click();
    const mail = page.getByTestId('triage-mail');
    await mail.getByText('A fatura de novembro veio com uma cobrança indevida', { exact: false }).waitFor();
    expect(await mail.getByTestId('triage-mail-head').textContent()).toContain('Maria Souza <maria.souza@cliente.test>');
    const pdf = mail.getByRole('link', { name: /fatura-novembro\.pdf/ }).first();
    await pdf.waitFor();
    await mail.getByRole('link', { name: /comprovante\.txt/ }).first().waitFor();
    await screenshot(page, 'email-triage-mail', { fullPage: false });
    const download = page.waitForEvent('download');
    await pdf.click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('fatura-novembro.pdf');
    expect(await readFile((await file.path())!, 'utf8')).toBe('%PDF-1.4\n% fatura de novembro\n');

    await mail.getByTestId('triage-mail-accept').click();
    await mail.waitFor({ state: 'hidden' });
    await expect.poll(() => rows().count()).toBe(12);
    await expect.poll(() => badge().textContent()).toBe('12');
    expect((await stateOf(protocols.get('Reclamação da fatura')!)).state).toBe('queued');
  });

  it('Aceitar e-mail(s) and Apagar e-mail(s) for a selection; a new e-mail shows up live', async () => {
    const accepted = ['Pedido 1', 'Pedido 2', 'Pedido 3'];
    for (const s of accepted) await row(s).getByTestId('triage-check').check();
    expect(await page.getByTestId('triage-selected').textContent()).toBe('3 selecionados');
    await page.getByTestId('triage-accept').click();
    await expect.poll(() => rows().count()).toBe(9);
    await expect.poll(() => badge().textContent()).toBe('9');
    for (const s of accepted) expect((await stateOf(protocols.get(s)!)).state).toBe('queued');

    // Apagar asks first; Cancelar changes nothing
    await row('Pedido 4').getByTestId('triage-check').check();
    await row('Pedido 5').getByTestId('triage-check').check();
    await page.getByTestId('triage-discard').click();
    const confirm = page.getByTestId('triage-confirm');
    await confirm.getByText('Apagar 2 e-mails?', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Cancelar' }).click();
    await confirm.getByRole('dialog').waitFor({ state: 'hidden' }).catch(() => undefined);
    expect(await rows().count()).toBe(9);
    await page.getByTestId('triage-discard').click();
    await page.getByTestId('triage-confirm-discard').click();
    await expect.poll(() => rows().count()).toBe(7);
    await expect.poll(() => badge().textContent()).toBe('7');
    for (const s of ['Pedido 4', 'Pedido 5']) expect((await stateOf(protocols.get(s)!)).state).toBe('discarded');

    // a new e-mail: the list and the badge grow without a click
    await email(vendas.id, { subject: 'Cancelamento de contrato', name: 'Carla Dias' });
    await expect.poll(() => badge().textContent(), { timeout: 10_000 }).toBe('8');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(8);
    await screenshot(page, 'email-triage-after');
  });

  it('on Início, a selection of queued e-mails is allocated to an agent of the service, then returned to the service group', async () => {
    await page.goto(`${server.url}/monitor`);
    await page.getByTestId('position-email-queued').click();
    const list = page.getByTestId('conversation-list');
    await expect.poll(() => list.getByTestId('select-email').count()).toBe(4);
    const rowOf = (s: string) => list.locator(`[data-testid="list-row"][data-protocol="${protocols.get(s)}"]`);
    await rowOf('Pedido 1').getByTestId('select-email').check();
    await rowOf('Pedido 2').getByTestId('select-email').check();
    expect(await list.getByTestId('email-selected').textContent()).toBe('2 e-mails em espera selecionados');
    await list.getByTestId('allocate-selected').click();
    const modal = page.getByTestId('allocate-modal');
    await modal.getByText('2 atendimentos selecionados').waitFor();
    await modal.getByTestId('allocate-agent').click();
    // the agents of the services' department, and no one else
    expect(await page.getByRole('option').allTextContents()).toEqual([expect.stringMatching(/^Ana Lima — Offline/), expect.stringMatching(/^Bruno Reis — Offline/)]);
    await page.getByRole('option', { name: /^Ana Lima/ }).click();
    await screenshot(page, 'email-allocate-modal', { fullPage: false });
    await modal.getByTestId('allocate-confirm').click();
    await modal.getByRole('dialog').waitFor({ state: 'hidden' }).catch(() => undefined);
    for (const s of ['Pedido 1', 'Pedido 2']) {
      await rowOf(s).getByText('Alocado para Ana Lima').waitFor();
      expect(await stateOf(protocols.get(s)!)).toEqual({ state: 'queued', priority: 'manual', preferred_agent_id: ana.id });
    }
    expect((await stateOf(protocols.get('Pedido 3')!)).priority).toBe('normal');

    // Retornar para grupo do serviço: offered for the allocated ones of a selection, and done for them only
    await list.getByTestId('select-all-emails').check();
    expect(await list.getByTestId('email-selected').textContent()).toBe('4 e-mails em espera selecionados');
    await list.getByTestId('return-selected').click();
    for (const s of ['Pedido 1', 'Pedido 2']) {
      await expect.poll(() => rowOf(s).getByText('Alocado para Ana Lima').count()).toBe(0);
      expect(await stateOf(protocols.get(s)!)).toEqual({ state: 'queued', priority: 'returned', preferred_agent_id: null });
    }
    for (const s of ['Pedido 3', 'Reclamação da fatura']) expect((await stateOf(protocols.get(s)!)).priority).toBe('normal');
    await screenshot(page, 'email-allocate-returned');
    expect(errors).toEqual([]);
  });
});
