import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ChannelWorkerPool } from '../../src/channels/workers.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { DOVECOT_PASSWORD, dovecotSkipReason, startDovecot, type Dovecot } from '../support/dovecot.js';
import { composeEmail, startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// The agent's e-mail on the desk, against Dovecot and an SMTP receiver: the customer's e-mail shows
// as an e-mail (headers, its HTML in a frame that runs and loads nothing until "Mostrar imagens"),
// and "Responder a todos" sends the reply, threaded, with the protocol in its subject.

const skip = dovecotSkipReason();
if (skip) console.warn(`desk e-mail browser test skipped: ${skip}`);

describeBrowser('agent desk: an e-mail conversation', () => {
  let server: WebServer;
  let browser: Browser;
  let desk: { context: BrowserContext; page: Page; errors: string[] };
  let dovecot: Dovecot;
  let smtp: SmtpReceiver;
  let pool: ChannelWorkerPool;
  let mailbox: string;

  beforeAll(async () => {
    if (skip) return;
    dovecot = await startDovecot();
    smtp = await startSmtpReceiver();
    server = await startWebServer();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    mailbox = unique('sac').replace(/\s+/g, '-').toLowerCase();
    const account = await admin.post('/api/channel-accounts', {
      channel: 'email', name: unique('SAC'), provider: 'imap',
      config: { imapHost: '127.0.0.1', imapPort: String(dovecot.port), imapTls: 'false', imapUser: mailbox, smtpHost: '127.0.0.1', smtpPort: String(smtp.port), fromAddress: 'sac@loja.test', fromName: 'SAC Loja' },
      credentials: { imapPassword: DOVECOT_PASSWORD },
    });
    expect(account.status).toBe(201);
    const team = await createTeam(admin, { maxChat: 3, maxEmail: 3 });
    const agent = await createUser(admin, { name: 'Carla Mendes', agentEnabled: true, teamIds: [team.id] });
    await createService(admin, { name: 'E-mail SAC', channel: 'email', channelAccountId: account.body.id, teamIds: [team.id], emailSignature: 'SAC Loja' });
    // the app's own pool looks at the accounts every 30 s: this one starts the watcher at once
    pool = new ChannelWorkerPool(server.runtime.engine, deriveSecretKey('browser-test-secret-key'), { ttlMs: 5_000, rescanMs: 200 });
    pool.start();

    browser = await launchBrowser();
    desk = await newPage(browser);
    await desk.page.setViewportSize({ width: 1366, height: 950 });
    await desk.page.goto(server.url);
    await signIn(desk.page, agent.email, agent.password);
    await desk.page.getByRole('link', { name: 'Atendimento' }).click();
    await desk.page.waitForURL(/\/desk$/);
    await desk.page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await desk.page.getByTestId('agent-state').getByText('Livre').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await pool?.stop();
    await server?.close();
    await smtp?.close();
    await dovecot?.stop();
  });

  it.skipIf(!!skip)('shows the e-mail safely, loads its images on request, and replies to all, threaded', async () => {
    await dovecot.append(mailbox, await composeEmail({
      from: 'Roberta Lima <roberta@cliente.test>', to: 'sac@loja.test', cc: 'financeiro@cliente.test', subject: 'Cobrança em duplicidade', messageId: '<cobranca-77@cliente.test>',
      text: 'Fui cobrada duas vezes.',
      html: '<h2 onmouseover="alert(1)">Fui cobrada <u>duas vezes</u>.</h2><script>document.title="x"</script><p>Comprovante: <img alt="logo" src="http://127.0.0.1:9/logo.png"></p>',
      attachments: [{ filename: 'fatura.pdf', content: Buffer.from('%PDF-1.4 fatura'), contentType: 'application/pdf' }],
    }));
    const page = desk.page;
    await page.getByTestId('desk-conversation').filter({ hasText: 'Roberta Lima' }).click({ timeout: 30_000 });
    const email = page.getByTestId('email-message');
    await email.waitFor();
    await expect.poll(() => email.textContent()).toContain('Cobrança em duplicidade');
    expect(await email.textContent()).toContain('financeiro@cliente.test');
    const frame = page.getByTestId('email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const doc = (await frame.getAttribute('srcdoc'))!;
    expect(doc).toContain("Content-Security-Policy");
    expect(doc).not.toMatch(/<script|onmouseover|\ssrc="http/);
    expect(await page.frameLocator('[data-testid="email-frame"]').getByText('duas vezes').textContent()).toBe('duas vezes');
    await page.getByText('fatura.pdf').waitFor();
    await page.getByTestId('email-show-images').click();
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('src="http://127.0.0.1:9/logo.png"');

    await page.getByText('Responder a todos').click();
    expect(await page.getByTestId('email-to').inputValue()).toBe('roberta@cliente.test');
    expect(await page.getByTestId('email-cc').inputValue()).toBe('financeiro@cliente.test');
    await page.getByTestId('email-body').fill('Olá Roberta, o estorno foi solicitado.');
    await screenshot(page, 'desk-email-thread');
    await page.getByTestId('email-send').click();
    await expect.poll(() => smtp.received.length, { timeout: 20_000 }).toBe(1);
    const got = smtp.received[0];
    expect(got.mail.subject).toMatch(/^\[#\d{14}\] Re: Cobrança em duplicidade$/);
    expect(got.mail.inReplyTo).toBe('<cobranca-77@cliente.test>');
    expect(got.envelope.to.sort()).toEqual(['financeiro@cliente.test', 'roberta@cliente.test']);
    expect(got.mail.text).toContain('Olá Roberta, o estorno foi solicitado.\n\n-- \nSAC Loja');
    await page.getByTestId('email-sent').waitFor();
    await screenshot(page, 'desk-email-replied');
    expect(desk.errors).toEqual([]);
  });
});
