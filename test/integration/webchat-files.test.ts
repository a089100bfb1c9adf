import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createTeam, createUser, startTestApp, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient, type Identity } from '../support/widget-client.js';

// Attachments (upload limits, who may download), the widget script and the demo page.

let t: TestApp;
let admin: Client;
const widgetDir = mkdtempSync(join(tmpdir(), 'mirante-widget-'));
beforeAll(async () => {
  t = await startTestApp({ widgetDir });
  admin = await t.login();
});
afterAll(async () => {
  await t.close();
  rmSync(widgetDir, { recursive: true, force: true });
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

function multipart(id: Identity, file: Buffer, name: string, type: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type }), name);
  return fetch(`${t.url}/webchat/attachments`, { method: 'POST', headers: { 'x-visitor-token': id.token }, body: form });
}

function raw(id: Identity | null, file: Buffer, type: string, name?: string) {
  const headers: Record<string, string> = { 'content-type': type };
  if (id) headers['x-visitor-token'] = id.token;
  if (name) headers['x-filename'] = encodeURIComponent(name);
  return fetch(`${t.url}/webchat/attachments`, { method: 'POST', headers, body: new Uint8Array(file) });
}

describe('attachments', () => {
  it('uploads (multipart or raw), refuses what is too big (413) or not allowed (415), and serves only to the conversation’s people', async () => {
    const team = await createTeam(admin);
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const other = await createUser(admin, { agentEnabled: true });
    const supervisor = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
    const service = await createService(admin, { teamIds: [team.id] });
    const owner = await newVisitor(t.url, service.key);
    const stranger = await newVisitor(t.url, service.key);
    // files go into an open conversation (webchat-upload-quota.test.ts): the owner starts one
    const { client } = await WidgetClient.connect(t.url, service.key, owner);
    client.send({ type: 'start' });
    const { protocol } = await client.state('queued');

    const png = await multipart(owner, PNG, 'foto do boleto.png', 'image/png');
    expect(png.status).toBe(201);
    const image = await png.json();
    expect(image).toMatchObject({ name: 'foto do boleto.png', type: 'image/png', size: PNG.length });
    expect(image.url).toBe(`${t.url}/webchat/attachments/${image.id}?token=${encodeURIComponent(owner.token)}`);
    expect(png.headers.get('access-control-allow-origin')).toBe('*');

    const pdfRes = await raw(owner, PDF, 'application/pdf', 'fatura março.pdf');
    expect(pdfRes.status).toBe(201);
    const pdf = await pdfRes.json();
    expect(pdf).toMatchObject({ name: 'fatura março.pdf', type: 'application/pdf' });

    // limits
    const big = await raw(owner, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'image/png');
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const html = await multipart(owner, Buffer.from('<html><script>alert(1)</script></html>'), 'x.html', 'text/html');
    expect(html.status).toBe(415);
    const exe = await raw(owner, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), 'application/octet-stream', 'setup.exe');
    expect(exe.status).toBe(415);
    const lying = await raw(owner, Buffer.from('só texto'), 'image/png', 'falso.png');
    expect(lying.status).toBe(415);
    expect((await raw(null, PNG, 'image/png')).status).toBe(401);

    // before it is sent: only the uploader
    expect((await fetch(image.url)).status).toBe(200);
    expect((await fetch(`${t.url}/webchat/attachments/${image.id}?token=${encodeURIComponent(stranger.token)}`)).status).toBe(404);

    // sent in a message: the conversation holds it
    const cid = client.say('segue o comprovante', { attachmentIds: [image.id, pdf.id] });
    await client.next((m) => m.type === 'ack' && m.clientId === cid);
    // a stranger cannot attach someone else's upload
    const thief = await WidgetClient.connect(t.url, service.key, stranger);
    thief.client.say('meu', { attachmentIds: [image.id] });
    expect(await thief.client.next((m) => m.type === 'error')).toMatchObject({ code: 'unknown_reference' });

    const desk = await t.login(agent.email, agent.password);
    await desk.post('/api/agent/login');
    await t.settle();
    const conv = (await desk.get(`/api/conversations?protocol=${protocol}`)).body.items[0];
    const detail = (await desk.get(`/api/conversations/${conv.id}`)).body;
    expect(detail.messages.find((m: any) => m.authorType === 'customer').attachments).toEqual([
      { id: image.id, name: 'foto do boleto.png', type: 'image/png', size: PNG.length },
      { id: pdf.id, name: 'fatura março.pdf', type: 'application/pdf', size: PDF.length },
    ]);

    const asAgent = await fetch(`${t.url}/api/attachments/${pdf.id}`, { headers: { cookie: desk.cookie } });
    expect(asAgent.status).toBe(200);
    expect(asAgent.headers.get('content-type')).toBe('application/pdf');
    expect(asAgent.headers.get('x-content-type-options')).toBe('nosniff');
    expect(asAgent.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(Buffer.from(await asAgent.arrayBuffer()).equals(PDF)).toBe(true);
    const img = await fetch(`${t.url}/api/attachments/${image.id}`, { headers: { cookie: desk.cookie } });
    expect(img.headers.get('content-disposition')).toMatch(/^inline; /);

    const sup = await t.login(supervisor.email, supervisor.password);
    expect((await sup.get(`/api/attachments/${pdf.id}`)).status).toBe(200);
    const otherDesk = await t.login(other.email, other.password);
    expect((await otherDesk.get(`/api/attachments/${pdf.id}`)).status).toBe(404);
    expect((await t.anonymous().get(`/api/attachments/${pdf.id}`)).status).toBe(401);

    // the visitor still reads both; the stranger neither
    expect((await fetch(`${t.url}/webchat/attachments/${pdf.id}`, { headers: { 'x-visitor-token': owner.token } })).status).toBe(200);
    expect((await fetch(`${t.url}/webchat/attachments/${pdf.id}?token=${encodeURIComponent(stranger.token)}`)).status).toBe(404);
    // the widget got links it can use
    const welcome = (await WidgetClient.connect(t.url, service.key, owner)).welcome;
    const files = welcome.messages.find((m) => m.from === 'customer')!.attachments!;
    expect(files.map((f) => f.name)).toEqual(['foto do boleto.png', 'fatura março.pdf']);
    expect((await fetch(files[1].url)).status).toBe(200);
    await client.close();
    await thief.client.close();
  });

  it('uploads are rate-limited per visitor (429) without affecting another visitor', async () => {
    const service = await createService(admin);
    const a = await newVisitor(t.url, service.key);
    const b = await newVisitor(t.url, service.key);
    const chats = await Promise.all([a, b].map(async (id) => (await WidgetClient.connect(t.url, service.key, id)).client));
    for (const c of chats) c.send({ type: 'start' });
    await Promise.all(chats.map((c) => c.state('queued')));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await raw(a, PNG, 'image/png')).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await raw(b, PNG, 'image/png')).status).toBe(201);
    for (const c of chats) await c.close();
  });
});

describe('the widget script and the demo page', () => {
  it('widget.js: 503 with a clear message until built, then served with a long cache, CORS open and an ETag', async () => {
    const missing = await fetch(`${t.url}/widget.js`);
    expect(missing.status).toBe(503);
    expect((await missing.json()).error.message).toContain('npm run build:widget');

    writeFileSync(join(widgetDir, 'widget.js'), 'console.log("mirante widget");');
    const r = await fetch(`${t.url}/widget.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('javascript');
    expect(r.headers.get('cache-control')).toContain('max-age=86400');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.text()).toBe('console.log("mirante widget");');
    const again = await fetch(`${t.url}/widget.js`, { headers: { 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('the demo page embeds the widget for the key (pt-BR), and renders for an unknown key too', async () => {
    const service = await createService(admin);
    const r = await fetch(`${t.url}/webchat/demo?service=${service.key}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain(`<script src="/widget.js" data-service="${service.key}" async></script>`);
    const unknown = await fetch(`${t.url}/webchat/demo?service=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(unknown.status).toBe(200);
    const page = await unknown.text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('data-service="&#34;&#62;&#60;script&#62;');
  });
});
