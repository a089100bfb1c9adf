import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { channelRegistry, type ChannelAdapter, type ParsedWebhook } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { storeAttachment } from '../../src/engine/attachments.js';
import { describeBrowser, launchBrowser, newPage, screenshot, signIn, startWebServer, type WebServer } from '../support/browser.js';
import { Client, createService, createTeam, createUser, unique } from '../support/test-app.js';

// The desk shows what customers send and sends files (issue 20). A WhatsApp stand-in (JSON webhook
// passing the message's kind, payload and file entries through) brings an image, an audio, a
// document, a file still being fetched, a file the provider refused, and a location; the window
// countdown and, once closed, the template picker. On WebChat, with the real widget: the customer's
// typing signal shows "digitando…" for a few seconds, a file the agent sends appears in the widget,
// loaded and scrolled into view, and an agent's reply shows its quote there. "Responder" on a bubble:
// by keyboard, the quote above the composer, cancelled, then sent and drawn with its quote.

const SECRET = 'x-test-secret';
const adapter: ChannelAdapter = {
  channel: 'whatsapp',
  capabilities: CHANNEL_CAPABILITIES.whatsapp,
  webhook: {
    verify: (account, req) => req.headers[SECRET] === account.credentials.secret,
    parse(_account, req): ParsedWebhook {
      const m = JSON.parse(req.rawBody.toString('utf8'));
      return { messages: [{ externalId: m.id, contact: { externalId: m.from, name: m.name }, text: m.text, contentType: m.contentType, payload: m.payload, attachments: m.attachments, attachmentIds: m.attachmentIds }], receipts: [] };
    },
    // the stand-in's sends are not this test's subject
  },
  async send(_ctx, message) {
    return { providerMessageId: `wamid.${message.messageId}` };
  },
};

/** A solid PNG of w×h pixels (a real image, so the browser lays it out at its size). */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x4a)]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describeBrowser('agent desk: media, typing, window and templates', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: Client;
  let desk: { context: BrowserContext; page: Page; errors: string[] };
  let agent: { email: string; password: string };
  let wa: { serviceId: string; post(body: Record<string, unknown>): Promise<void> };
  let webchat: { id: string; key: string };
  let unregister: () => void;
  const widget = (page: Page): Locator => page.locator('[data-mirante-webchat]');
  const history = () => desk.page.getByTestId('desk-history');

  beforeAll(async () => {
    unregister = channelRegistry.register(adapter);
    server = await startWebServer();
    admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', server.admin)).status).toBe(200);
    const team = await createTeam(admin, { maxChat: 5 });
    agent = await createUser(admin, { name: 'Ana Beatriz Souza', agentEnabled: true, teamIds: [team.id] });
    const secret = 'segredo-do-teste';
    const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA'), credentials: { secret } })).body;
    const service = await createService(admin, { name: 'WhatsApp Cobrança', channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
    wa = {
      serviceId: service.id,
      async post(body) {
        const res = await fetch(`${server.url}/webhooks/whatsapp/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', [SECRET]: secret }, body: JSON.stringify(body) });
        expect(res.status).toBe(200);
      },
    };
    webchat = await createService(admin, { name: 'Central WebChat', channel: 'webchat', teamIds: [team.id] });
    const category = (await admin.post('/api/template-categories', { code: 77, title: 'Cobrança', type: 'protocol_update' })).body;
    expect((await admin.post('/api/templates', {
      categoryId: category.id, name: 'Boleto atualizado', channel: 'whatsapp', language: 'pt_BR',
      body: 'Olá {{1}}, o boleto do protocolo {{2}} foi atualizado.', providerTemplate: 'boleto_atualizado',
    })).status).toBe(201);

    browser = await launchBrowser();
    desk = await newPage(browser);
    await desk.page.setViewportSize({ width: 1366, height: 900 });
    await desk.page.goto(server.url);
    await signIn(desk.page, agent.email, agent.password);
    await desk.page.getByRole('link', { name: 'Atendimento' }).click();
    await desk.page.waitForURL(/\/desk$/);
    await desk.page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await desk.page.getByTestId('agent-state').getByText('Livre').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    unregister?.();
  });

  it('draws an image (with its viewer), an audio, a document, a file on its way, a refused file and a location', async () => {
    const from = '5511987650001';
    await wa.post({ id: 'wamid.t1', from, name: 'Joana Prado', text: 'Bom dia, seguem os comprovantes' });
    await desk.page.getByTestId('desk-conversation').filter({ hasText: 'Joana Prado' }).click();
    await history().getByText('Bom dia, seguem os comprovantes').waitFor();

    // files already stored (as channels/media.ts leaves them), carried by the customer's messages
    const file = async (name: string, type: string, data: Buffer) => {
      const meta = await storeAttachment(server.db, { name, type, data, serviceId: wa.serviceId }, new Date());
      return { attachmentIds: [meta.id], attachments: [{ status: 'stored', id: meta.id, media: type.startsWith('image/') ? 'image' : type.startsWith('audio/') ? 'audio' : 'document', name, type, size: meta.size }] };
    };
    await wa.post({ id: 'wamid.t2', from, text: '', contentType: 'image', ...(await file('comprovante.png', 'image/png', png(320, 200))) });
    await wa.post({ id: 'wamid.t3', from, text: '', contentType: 'audio', ...(await file('audio-1.ogg', 'audio/ogg', Buffer.concat([Buffer.from('OggS'), Buffer.alloc(2000)]))) });
    await wa.post({ id: 'wamid.t4', from, text: 'o boleto', contentType: 'document', ...(await file('boleto março.pdf', 'application/pdf', Buffer.concat([Buffer.from('%PDF-1.4 '), Buffer.alloc(150 * 1024, 0x20)]))) });
    await wa.post({ id: 'wamid.t5', from, text: '', contentType: 'video', attachments: [{ status: 'pending', media: 'video', name: null, type: 'video/mp4' }] });
    await wa.post({ id: 'wamid.t6', from, text: '', contentType: 'image', attachments: [{ status: 'failed', media: 'image', name: null, type: 'image/jpeg', reason: 'media_gone' }] });
    await wa.post({ id: 'wamid.t7', from, text: 'Localização: Av. Paulista, 1000', contentType: 'location', payload: { location: { latitude: -23.5614, longitude: -46.6559, name: 'Escritório', address: 'Av. Paulista, 1000' } } });

    const image = history().getByTestId('attachment-image');
    await image.waitFor();
    // the image is drawn, not an empty bubble: loaded at its own size
    await expect(image.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(320);
    await expect(history().getByTestId('attachment-audio').getAttribute('src')).resolves.toMatch(/^\/api\/attachments\//);
    const doc = history().getByTestId('attachment-document');
    await expect(doc.textContent()).resolves.toMatch(/boleto março\.pdf\s*150 KB/);
    await expect(doc.getAttribute('download')).resolves.toBe('boleto março.pdf');
    await expect(history().getByTestId('attachment-pending').textContent()).resolves.toBe('recebendo arquivo…');
    await expect(history().getByTestId('attachment-failed').textContent()).resolves.toBe('não foi possível receber o arquivo: o provedor não tem mais o arquivo');
    const place = history().getByTestId('message-location');
    await expect(place.getAttribute('href')).resolves.toBe('https://www.openstreetmap.org/?mlat=-23.5614&mlon=-46.6559#map=17/-23.5614/-46.6559');
    await expect(place.getAttribute('target')).resolves.toBe('_blank');
    // the window: the customer just wrote, 24 h left (23 h 59 min once a minute began)
    await expect(desk.page.getByTestId('window-countdown').textContent()).resolves.toMatch(/^janela de 24 h: 2[34] h \d{2} min restantes$/);
    await screenshot(desk.page, 'desk-media-whatsapp');

    await image.click();
    const viewer = desk.page.getByRole('dialog', { name: 'comprovante.png' });
    await viewer.getByTestId('attachment-viewer-image').waitFor();
    await expect(viewer.getByRole('link', { name: /Baixar/ }).getAttribute('href')).resolves.toMatch(/^\/api\/attachments\//);
    await desk.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });

  it('once the window closed, offers the approved templates with their parameters, and sends one', async () => {
    const c = (await admin.get(`/api/conversations?serviceId=${wa.serviceId}`)).body.items[0];
    await server.db.query('UPDATE conversations SET last_customer_message_at = $2 WHERE id = $1', [c.id, new Date(Date.now() - 25 * 3_600_000)]);
    // the view comes with the history: read again on a reload
    await desk.page.reload();
    await desk.page.getByTestId('desk-conversation').filter({ hasText: 'Joana Prado' }).click();
    await desk.page.getByTestId('window-closed').getByText('A janela de 24 h está fechada: só um template aprovado pode ser enviado.').waitFor();
    await expect(desk.page.getByTestId('desk-composer').count()).resolves.toBe(0);
    const picker = desk.page.getByTestId('template-picker');
    await picker.getByLabel('Template aprovado').click();
    await desk.page.getByRole('option', { name: 'Boleto atualizado (pt_BR)' }).click();
    await picker.getByLabel('Parâmetro 1').fill('Joana');
    await picker.getByLabel('Parâmetro 2').fill('2026-000777');
    await expect(picker.getByTestId('template-preview').textContent()).resolves.toBe('Olá Joana, o boleto do protocolo 2026-000777 foi atualizado.');
    await screenshot(desk.page, 'desk-template-picker');
    await picker.getByRole('button', { name: 'Enviar template' }).click();
    await history().locator('[data-author="agent"]').filter({ hasText: 'Olá Joana, o boleto do protocolo 2026-000777 foi atualizado.' }).getByText('template: boleto_atualizado').waitFor();
  });

  it('on WebChat: the customer typing shows "digitando…", and a file the agent sends appears in the widget, scrolled into view', async () => {
    const customer = await newPage(browser);
    await customer.page.setViewportSize({ width: 1366, height: 768 });
    await customer.page.goto(`${server.url}/webchat/demo?service=${webchat.key}`);
    const w = widget(customer.page);
    await w.getByRole('button', { name: 'Abrir chat de atendimento' }).click();
    await w.getByRole('dialog').waitFor();
    const box = w.getByRole('textbox', { name: 'Mensagem' });
    await box.fill('Oi, preciso de ajuda');
    await box.press('Enter');
    const row = desk.page.getByTestId('desk-conversation').filter({ hasNotText: 'Joana Prado' }).first();
    await row.waitFor();
    await row.click();
    await history().getByText('Oi, preciso de ajuda').waitFor();
    // no window on WebChat
    await expect(desk.page.getByTestId('window-countdown').count()).resolves.toBe(0);

    await w.getByRole('status').getByText('Em atendimento com Ana Beatriz Souza').waitFor();
    const typing = desk.page.getByTestId('customer-typing');
    // the widget signals typing at most every 3 s (its first message's typing went before the desk
    // showed this conversation): a moment later, typing again is announced on the desk
    await customer.page.waitForTimeout(3100);
    await box.pressSequentially('Mais uma', { delay: 30 });
    await typing.getByText('digitando…').waitFor();
    // it goes away a few seconds after the last signal
    await typing.getByText('digitando…').waitFor({ state: 'detached', timeout: 10_000 });

    // a few lines first, so that the log scrolls
    for (let i = 1; i <= 6; i++) {
      await desk.page.getByTestId('desk-composer').fill(`linha ${i} da resposta`);
      await desk.page.getByTestId('desk-composer').press('Enter');
    }
    await w.getByText('linha 6 da resposta').waitFor();
    await desk.page.getByTestId('composer-file-input').setInputFiles({ name: 'segunda via.png', mimeType: 'image/png', buffer: png(200, 400) });
    await desk.page.getByTestId('composer-files').getByText('segunda via.png').waitFor();
    await desk.page.getByTestId('desk-composer').fill('Segue a segunda via');
    await desk.page.getByTestId('desk-composer').press('Enter');
    // on the desk: the agent's own image
    await history().locator('[data-author="agent"]').filter({ hasText: 'Segue a segunda via' }).getByTestId('attachment-image').waitFor();

    // in the widget: the image, loaded, and the log at its very end
    const img = w.getByRole('log').locator('.msg').filter({ hasText: 'Segue a segunda via' }).locator('img');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalHeight), { timeout: 10_000 }).toBe(400);
    const log = w.getByRole('log');
    await expect.poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight), { timeout: 5000 }).toBeLessThan(2);
    await screenshot(customer.page, 'webchat-agent-image');

    // the agent answers the customer's first message with its quote: the widget shows the quote above the answer
    await history().locator('[data-author="customer"]').filter({ hasText: 'Oi, preciso de ajuda' }).hover();
    await desk.page.getByRole('button', { name: /^Responder a mensagem de .*: Oi, preciso de ajuda$/ }).click();
    await desk.page.getByTestId('composer-reply').getByText('Oi, preciso de ajuda').waitFor();
    await desk.page.getByTestId('desk-composer').fill('Claro, vamos resolver');
    await desk.page.getByTestId('desk-composer').press('Enter');
    await history().locator('[data-author="agent"]').filter({ hasText: 'Claro, vamos resolver' }).getByTestId('message-reply-quote').getByText('Oi, preciso de ajuda').waitFor();
    const answered = w.getByRole('log').locator('.msg').filter({ hasText: 'Claro, vamos resolver' });
    await expect(answered.locator('.quote').textContent()).resolves.toBe('Em resposta a: Oi, preciso de ajuda');
    await screenshot(customer.page, 'webchat-agent-reply');
    await customer.context.close();
  });

  it('Responder: reached by keyboard, the quote above the composer (cancel, Escape), the sent reply drawn with its quote', async () => {
    await wa.post({ id: 'wamid.r1', from: '5511987650002', name: 'Carlos Reis', text: 'O boleto venceu ontem, ainda posso pagar?' });
    await desk.page.getByTestId('desk-conversation').filter({ hasText: 'Carlos Reis' }).click();
    const bubble = history().locator('[data-author="customer"]').filter({ hasText: 'O boleto venceu ontem' });
    await bubble.waitFor();
    const reply = bubble.getByRole('button', { name: 'Responder a mensagem de Carlos Reis: O boleto venceu ontem, ainda posso pagar?' });
    // hidden until the bubble is pointed at or holds the focus, but in the tab order all along
    await expect(reply.evaluate((el) => getComputedStyle(el).opacity)).resolves.toBe('0');
    await reply.focus();
    await expect(reply.evaluate((el) => getComputedStyle(el).opacity)).resolves.toBe('1');
    await desk.page.keyboard.press('Enter');
    const bar = desk.page.getByTestId('composer-reply');
    await bar.getByText('Respondendo a Carlos Reis').waitFor();
    await bar.getByText('O boleto venceu ontem, ainda posso pagar?').waitFor();
    // the composer has the focus: Escape cancels
    await expect(desk.page.getByTestId('desk-composer').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await desk.page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
    // again, and cancelled by its button
    await reply.focus();
    await desk.page.keyboard.press('Enter');
    await desk.page.getByRole('button', { name: 'Cancelar a resposta' }).click();
    await bar.waitFor({ state: 'detached' });

    await reply.focus();
    await desk.page.keyboard.press('Enter');
    await screenshot(desk.page, 'desk-reply-composer');
    await desk.page.getByTestId('desk-composer').fill('Pode sim, até sexta sem multa.');
    await desk.page.getByTestId('desk-composer').press('Enter');
    const sent = history().locator('[data-author="agent"]').filter({ hasText: 'Pode sim, até sexta sem multa.' });
    await expect(sent.getByTestId('message-reply-quote').textContent()).resolves.toBe('Em resposta a: O boleto venceu ontem, ainda posso pagar?');
    await bar.waitFor({ state: 'detached' });
    // stored with the quote: the monitor and a reload draw it the same way
    const c = (await admin.get(`/api/conversations?serviceId=${wa.serviceId}`)).body.items.find((x: { contactName: string }) => x.contactName === 'Carlos Reis');
    const stored = (await admin.get(`/api/conversations/${c.id}`)).body.messages.find((m: { body: string }) => m.body === 'Pode sim, até sexta sem multa.');
    expect(stored.payload.replyTo).toMatchObject({ externalId: 'wamid.r1', text: 'O boleto venceu ontem, ainda posso pagar?' });
    await screenshot(desk.page, 'desk-reply-sent');
  });
});
