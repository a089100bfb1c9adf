import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelRegistry, WebhookParseError, type ChannelAdapter, type OutboundMessage, type ParsedWebhook } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// What an agent sends from the desk, on a channel with a window and templates: files (the agent's
// upload route: who may, what, how big), a file as a message (outbound `media`), free text refused
// once the customer-service window closed, and approved templates (outbound `template`). The channel
// is a stand-in adapter registered as `whatsapp`: JSON webhooks trusted by a shared-secret header,
// and a `send` that records what Mirante asked it to send.

const SECRET = 'x-test-secret';
const sent: OutboundMessage[] = [];

const adapter: ChannelAdapter = {
  channel: 'whatsapp',
  capabilities: CHANNEL_CAPABILITIES.whatsapp,
  webhook: {
    verify: (account, req) => req.headers[SECRET] === account.credentials.secret,
    parse(_account, req): ParsedWebhook {
      try {
        const body = JSON.parse(req.rawBody.toString('utf8')) as { id: string; from: string; text: string };
        return { messages: [{ externalId: body.id, contact: { externalId: body.from }, text: body.text }], receipts: [] };
      } catch {
        throw new WebhookParseError('the body is not JSON');
      }
    },
  },
  async send(_ctx, message) {
    sent.push(message);
    return { providerMessageId: `wamid.${message.messageId}` };
  },
};
channelRegistry.register(adapter);

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(64, 1)]);

/** A WhatsApp conversation in service with its agent (desk), the customer having just written. */
async function conversationInService() {
  const team = await createTeam(admin);
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const supervisor = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  const other = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const secret = `s-${randomUUID()}`;
  const account = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA'), credentials: { secret } })).body;
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
  const desk = await t.login(agent.email, agent.password);
  await desk.post('/api/agent/login');
  const res = await fetch(`${t.url}/webhooks/whatsapp/${account.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET]: secret },
    body: JSON.stringify({ id: `wamid.in-${randomUUID()}`, from: `55119${Math.floor(Math.random() * 1e8)}`, text: 'preciso da segunda via' }),
  });
  expect(res.status).toBe(200);
  await t.settle();
  const items = (await desk.get(`/api/conversations?mine=true`)).body.items.filter((c: { serviceId: string }) => c.serviceId === service.id);
  expect(items).toHaveLength(1);
  return { conversation: items[0], desk, supervisor, other, service };
}

function upload(client: Client | null, conversationId: string, file: Buffer, type: string, name?: string) {
  const headers: Record<string, string> = { 'content-type': type };
  if (client) headers.cookie = client.cookie;
  if (name !== undefined) headers['x-filename'] = encodeURIComponent(name);
  return fetch(`${t.url}/api/conversations/${conversationId}/attachments`, { method: 'POST', headers, body: new Uint8Array(file) });
}

async function sentFor(messageId: number): Promise<OutboundMessage> {
  for (let i = 0; i < 20; i++) {
    const m = sent.find((x) => x.messageId === messageId);
    if (m) return m;
    await t.runtime.outbox.tick();
  }
  const { rows } = await t.db.query('SELECT attempts, last_error, dead_at FROM outbox WHERE message_id = $1', [messageId]);
  throw new Error(`message ${messageId} was never handed to the adapter: ${JSON.stringify(rows)}`);
}

describe('an agent sends files', () => {
  it('uploads for the conversation’s agent only, within the limits, and names the file in x-filename', async () => {
    const { conversation: c, desk, supervisor, other } = await conversationInService();
    const ok = await upload(desk, c.id, PNG, 'image/png', 'comprovante pago.png');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ name: 'comprovante pago.png', type: 'image/png', size: PNG.length });
    // audio, which WhatsApp carries and the visitor's widget does not offer
    const audio = await upload(desk, c.id, MP3, 'audio/mpeg', 'recado.mp3');
    expect(audio.status).toBe(201);
    expect((await audio.json()).type).toBe('audio/mpeg');

    expect((await upload(null, c.id, PNG, 'image/png', 'x.png')).status).toBe(401);
    // no x-filename: what a foreign page's form could send without a preflight
    const unnamed = await upload(desk, c.id, PNG, 'image/png');
    expect(unnamed.status).toBe(400);
    expect((await unnamed.json()).error.message).toMatch(/x-filename/);
    const sup = await t.login(supervisor.email, supervisor.password);
    expect((await upload(sup, c.id, PNG, 'image/png', 'x.png')).status).toBe(403);
    const stranger = await t.login(other.email, other.password);
    expect((await upload(stranger, c.id, PNG, 'image/png', 'x.png')).status).toBe(404);

    const big = await upload(desk, c.id, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'image/png', 'grande.png');
    expect(big.status).toBe(413);
    const html = await upload(desk, c.id, Buffer.from('<html><script>alert(1)</script></html>'), 'text/html', 'x.html');
    expect(html.status).toBe(415);
    const lying = await upload(desk, c.id, Buffer.from('só texto'), 'image/png', 'falso.png');
    expect(lying.status).toBe(415);
    const exe = await upload(desk, c.id, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), 'application/octet-stream', 'setup.exe');
    expect(exe.status).toBe(415);
  });

  it('sends one file per message with the text as its caption: outbound media with the attachment id', async () => {
    const { conversation: c, desk } = await conversationInService();
    const file = await (await upload(desk, c.id, PNG, 'image/png', 'boleto.png')).json();
    const res = await desk.post(`/api/conversations/${c.id}/messages`, { text: 'segue o boleto', attachmentIds: [file.id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ body: 'segue o boleto', contentType: 'image', attachments: [{ status: 'stored', id: file.id, media: 'image', name: 'boleto.png', type: 'image/png', size: PNG.length }] });
    expect((await sentFor(res.body.id)).content).toEqual({ kind: 'media', media: 'image', attachmentId: file.id, filename: 'boleto.png', mimeType: 'image/png', caption: 'segue o boleto' });
    // the file now belongs to the conversation: its agent downloads it
    const got = await fetch(`${t.url}/api/attachments/${file.id}`, { headers: { cookie: desk.cookie } });
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);

    // a file alone, no caption
    const audio = await (await upload(desk, c.id, MP3, 'audio/mpeg', 'recado.mp3')).json();
    const alone = await desk.post(`/api/conversations/${c.id}/messages`, { attachmentIds: [audio.id] });
    expect(alone.status).toBe(201);
    expect((await sentFor(alone.body.id)).content).toEqual({ kind: 'media', media: 'audio', attachmentId: audio.id, filename: 'recado.mp3', mimeType: 'audio/mpeg' });

    // sent already, two at once, nothing at all
    expect((await desk.post(`/api/conversations/${c.id}/messages`, { attachmentIds: [file.id] })).status).toBe(422);
    const two = await desk.post(`/api/conversations/${c.id}/messages`, { attachmentIds: [file.id, audio.id] });
    expect(two.status).toBe(400);
    expect(two.body.error.message).toMatch(/attachmentIds/);
    expect((await desk.post(`/api/conversations/${c.id}/messages`, {})).status).toBe(400);
  });
});

describe('the customer-service window and templates', () => {
  async function approvedTemplate(over: Record<string, unknown> = {}) {
    const category = (await admin.post('/api/template-categories', { code: Math.floor(Math.random() * 999999), title: unique('Cat'), type: 'protocol_update' })).body;
    const r = await admin.post('/api/templates', {
      categoryId: category.id, name: unique('Tpl'), channel: 'whatsapp', language: 'pt_BR',
      body: 'Olá {{1}}, seu protocolo {{2}} foi atualizado.', providerTemplate: 'atualizacao_protocolo', ...over,
    });
    expect(r.status).toBe(201);
    return r.body;
  }

  it('shows when the window closes, refuses free text and files once it closed, and lets an approved template go', async () => {
    const { conversation: c, desk } = await conversationInService();
    // the window is 24 h after the customer's last message, computed independently here
    expect(c.window.hours).toBe(24);
    expect(new Date(c.window.closesAt).getTime()).toBe(new Date(c.lastCustomerMessageAt).getTime() + 24 * 3_600_000);
    expect((await desk.post(`/api/conversations/${c.id}/messages`, { text: 'dentro da janela' })).status).toBe(201);

    // the customer last wrote 25 hours ago
    const past = new Date(Date.now() - 25 * 3_600_000);
    await t.db.query('UPDATE conversations SET last_customer_message_at = $2 WHERE id = $1', [c.id, past]);
    const view = (await desk.get(`/api/conversations/${c.id}`)).body.conversation;
    expect(new Date(view.window.closesAt).getTime()).toBe(past.getTime() + 24 * 3_600_000);
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [c.id])).rows[0].n;
    const refused = await desk.request('POST', `/api/conversations/${c.id}/messages`, { text: 'fora da janela' }, { 'accept-language': 'pt-BR' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('window_closed');
    expect(refused.body.error.message).toMatch(/janela de atendimento de 24 h está fechada/);
    const file = await (await upload(desk, c.id, PNG, 'image/png', 'x.png')).json();
    expect((await desk.post(`/api/conversations/${c.id}/messages`, { attachmentIds: [file.id] })).status).toBe(409);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [c.id])).rows[0].n).toBe(before);

    const tpl = await approvedTemplate();
    const wrongCount = await desk.post(`/api/conversations/${c.id}/messages`, { template: { id: tpl.id, parameters: ['Ana'] } });
    expect(wrongCount.status).toBe(422);
    const ok = await desk.post(`/api/conversations/${c.id}/messages`, { template: { id: tpl.id, parameters: ['Ana', '2026-000123'] } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ body: 'Olá Ana, seu protocolo 2026-000123 foi atualizado.', contentType: 'template', payload: { template: { name: 'atualizacao_protocolo', language: 'pt_BR', parameters: ['Ana', '2026-000123'] } } });
    expect((await sentFor(ok.body.id)).content).toEqual({ kind: 'template', name: 'atualizacao_protocolo', language: 'pt_BR', parameters: ['Ana', '2026-000123'] });

    // not approved at the provider, or for another channel: refused
    const plain = await approvedTemplate({ providerTemplate: null });
    expect((await desk.post(`/api/conversations/${c.id}/messages`, { template: { id: plain.id, parameters: ['a', 'b'] } })).status).toBe(422);
    const sms = await approvedTemplate({ channel: 'sms' });
    expect((await desk.post(`/api/conversations/${c.id}/messages`, { template: { id: sms.id, parameters: ['a', 'b'] } })).status).toBe(422);
    // a template goes alone
    expect((await desk.post(`/api/conversations/${c.id}/messages`, { text: 'oi', template: { id: tpl.id, parameters: ['a', 'b'] } })).status).toBe(400);
  });
});
