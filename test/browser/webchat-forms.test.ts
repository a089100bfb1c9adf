import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { SAMPLE_FLOW_PT_BR } from '../../src/core/bot-flow-sample.js';
import { describeBrowser, launchBrowser, newPage, screenshot, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam } from '../support/test-app.js';

// The widget's forms and files: the pre-chat form (optional fields never block; a CPF is checked),
// "deixe sua mensagem" outside business hours, and attachments (the server's refusal shown).
describeBrowser('WebChat widget: pre-chat, outside hours, attachments', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: Client;
  let teamId: string;

  const widget = (page: Page): Locator => page.locator('[data-mirante-webchat]');
  const openWidget = async (page: Page, key: string) => {
    await page.goto(`${server.url}/webchat/demo?service=${key}`);
    await widget(page).getByRole('button', { name: 'Abrir chat de atendimento' }).click();
    await widget(page).getByRole('dialog').waitFor();
  };
  /** lets the panel's opening animation end before a screenshot */
  const settle = (page: Page) => page.waitForTimeout(300);

  beforeAll(async () => {
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    teamId = (await createTeam(admin, {})).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks the pre-chat fields; none blocks unless required, and a wrong CPF is pointed out', async () => {
    const s = await createService(admin, {
      channel: 'webchat', teamIds: [teamId], botFlow: SAMPLE_FLOW_PT_BR,
      prechatForm: [{ field: 'name', required: false }, { field: 'email', required: false }, { field: 'cpf', required: false }],
    });
    const { page, context, errors } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await openWidget(page, s.key);
      const w = widget(page);
      await w.getByRole('heading', { name: 'Antes de começar' }).waitFor();
      await expect(w.getByLabel('Nome (opcional)').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);
      await w.getByLabel('CPF (opcional)').fill('123.456.789-00');
      await w.getByRole('button', { name: 'Iniciar conversa' }).click();
      await w.getByText('CPF inválido: confira os 11 números.').waitFor();
      await expect(w.getByLabel('CPF (opcional)').getAttribute('aria-invalid')).resolves.toBe('true');
      await settle(page);
      await screenshot(page, 'webchat-prechat-phone');

      await w.getByLabel('CPF (opcional)').fill('529.982.247-25');
      await w.getByLabel('Nome (opcional)').fill('Maria da Silva');
      await w.getByRole('button', { name: 'Iniciar conversa' }).click();
      await w.getByRole('button', { name: 'Falar com atendente' }).waitFor();
      const protocol = (await w.locator('#mw-sub').textContent())!.replace('Protocolo ', '');
      const c = (await admin.get(`/api/conversations?protocol=${protocol}`)).body.items[0];
      expect(c.contactName).toBe('Maria da Silva');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // nothing filled in: the chat starts all the same
    const other = await newPage(browser);
    try {
      await openWidget(other.page, s.key);
      const w = widget(other.page);
      await w.getByRole('button', { name: 'Iniciar conversa' }).click();
      await w.getByRole('button', { name: 'Falar com atendente' }).waitFor();
    } finally {
      await other.context.close();
    }
  });

  it('outside business hours offers “deixe sua mensagem” and gives the protocol', async () => {
    const s = await createService(admin, { channel: 'webchat', teamIds: [teamId], botFlow: SAMPLE_FLOW_PT_BR });
    // closed every day of the week
    const r = await admin.patch(`/api/services/${s.id}`, {
      businessHours: { weekly: {}, holidays: [], closedMessage: 'Nosso horário é de segunda a sexta, das 8h às 18h.', outsideHours: 'leave_message' },
    });
    expect(r.status).toBe(200);
    const { page, context, errors } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await openWidget(page, s.key);
      const w = widget(page);
      await w.getByRole('heading', { name: 'Deixe sua mensagem' }).waitFor();
      await w.getByText('Nosso horário é de segunda a sexta, das 8h às 18h.').waitFor();
      await w.getByRole('button', { name: 'Enviar mensagem' }).click();
      await w.getByText('Escreva sua mensagem.').waitFor();
      await w.getByRole('textbox', { name: 'Mensagem' }).fill('Preciso da segunda via do boleto de maio.');
      await settle(page);
      await screenshot(page, 'webchat-leave-message-desktop');
      await w.getByRole('button', { name: 'Enviar mensagem' }).click();
      await w.getByRole('heading', { name: 'Mensagem recebida' }).waitFor();
      const protocol = (await w.locator('#mw-sub').textContent())!.replace('Protocolo ', '');
      expect(protocol).toMatch(/^\d+$/);
      await w.getByText(`Protocolo ${protocol}`).last().waitFor();
      await screenshot(page, 'webchat-left-message-desktop');
      const c = (await admin.get(`/api/conversations?protocol=${protocol}&state=completed`)).body.items[0];
      expect(c).toBeTruthy();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('sends a picture, and shows why the server refused a file', async () => {
    const s = await createService(admin, { channel: 'webchat', teamIds: [teamId], botFlow: SAMPLE_FLOW_PT_BR });
    const { page, context, errors } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await openWidget(page, s.key);
      const w = widget(page);
      await w.getByRole('button', { name: 'Falar com atendente' }).click();
      await w.getByRole('status').getByText(/Você está na fila/).waitFor();

      // a 1×1 PNG
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
      await w.locator('input[type=file]').setInputFiles({ name: 'comprovante.png', mimeType: 'image/png', buffer: png });
      await w.getByText('comprovante.png', { exact: true }).waitFor();
      await w.getByRole('textbox', { name: 'Mensagem' }).fill('Segue o comprovante');
      await w.getByRole('button', { name: 'Enviar', exact: true }).click();
      const bubble = w.getByRole('log').locator('.msg.me', { hasText: 'Segue o comprovante' });
      await bubble.locator('img[alt="Anexo: comprovante.png"]').waitFor();
      await expect(bubble.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(1);

      // text pretending to be a picture: the server sniffs it and refuses (415), the customer reads why
      await w.locator('input[type=file]').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('<script>alert(1)</script>') });
      const alert = w.getByRole('alert');
      await alert.getByText('O tipo do arquivo foto.png não é aceito.', { exact: false }).waitFor();
      await expect(alert.textContent()).resolves.toContain('Envie imagens, PDF, texto, Word ou Excel.');
      await screenshot(page, 'webchat-attachment-refused-desktop');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says why a file was not sent when the service’s file quota is full', async () => {
    const s = await createService(admin, { channel: 'webchat', teamIds: [teamId] });
    // files not yet sent already fill the service's quota (1 GB): one row stands for them
    await server.db.query(`INSERT INTO attachments (service_id, name, content_type, size, data) VALUES ($1, 'x.png', 'image/png', $2, '\\x00'::bytea)`, [
      s.id,
      1100 * 1024 * 1024,
    ]);
    const { page, context, errors } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await openWidget(page, s.key);
      const w = widget(page);
      await w.getByRole('status').getByText(/Você está na fila/).waitFor();
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
      await w.locator('input[type=file]').setInputFiles({ name: 'comprovante.png', mimeType: 'image/png', buffer: png });
      await w.getByRole('alert').getByText('O arquivo comprovante.png não foi enviado: este serviço está recebendo arquivos demais agora', { exact: false }).waitFor();
      await expect(w.getByText('comprovante.png', { exact: true }).count()).resolves.toBe(0);
      await screenshot(page, 'webchat-attachment-quota-desktop');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
