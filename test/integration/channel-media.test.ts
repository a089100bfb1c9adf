import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRegistry, WebhookParseError, type ChannelAdapter, type InboundMediaRef, type ParsedWebhook } from '../../src/channels/adapter.js';
import { fetchLimited } from '../../src/channels/media.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { FakeProvider } from '../support/fake-provider.js';
import { appForFile, createService, unique, type Client, type TestApp } from '../support/test-app.js';

// A customer's files through a provider (channels/media.ts): the webhook stores the message with a
// pending entry per file and answers; the outbox job downloads each through the adapter, stores it,
// and replaces the entry; what the provider refuses for good is marked failed, never dropped. The
// adapter is a stand-in registered as `sms` (trusting a shared-secret header); the provider's CDN is
// a FakeProvider at the network edge.

let fake: FakeProvider;
const SECRET = 'x-test-secret';

const adapter: ChannelAdapter = {
  channel: 'sms',
  capabilities: CHANNEL_CAPABILITIES.sms,
  webhook: {
    verify: (account, req) => req.headers[SECRET] === account.credentials.secret,
    parse(_account, req): ParsedWebhook {
      try {
        const body = JSON.parse(req.rawBody.toString('utf8')) as { id: string; from: string; text: string; media?: InboundMediaRef[] };
        return { messages: [{ externalId: body.id, contact: { externalId: body.from }, text: body.text, contentType: body.media?.length ? 'media' : 'text', media: body.media }], receipts: [] };
      } catch {
        throw new WebhookParseError('the body is not JSON');
      }
    },
  },
  async fetchMedia({ account }, ref) {
    // the account's limit, so that a test can make a small file "too large"
    const { data, contentType } = await fetchLimited(`${fake.url}/media/${ref.ref}`, { headers: { authorization: `Bearer ${account.credentials.secret}` } }, Number(account.config.maxBytes ?? 1024 * 1024));
    return { data, mimeType: contentType ?? 'application/octet-stream' };
  },
};
channelRegistry.register(adapter);

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  fake = await FakeProvider.start();
});
afterAll(() => fake?.close());

async function setup(config: Record<string, unknown> = {}) {
  const secret = `s-${randomUUID()}`;
  const account = (await admin.post('/api/channel-accounts', { channel: 'sms', name: unique('SMS'), config, credentials: { secret } })).body;
  await createService(admin, { channel: 'sms', channelAccountId: account.id });
  const post = (body: unknown) =>
    fetch(`${t.url}/webhooks/sms/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json', [SECRET]: secret }, body: JSON.stringify(body) });
  return { post, secret };
}

const entries = async (externalId: string) =>
  (await t.db.query<{ id: number; attachments: Record<string, unknown>[] }>('SELECT id, attachments FROM messages WHERE external_id = $1', [externalId])).rows;
const jobs = async (messageId: number) =>
  (await t.db.query<{ target: string; attempts: number; delivered_at: Date | null; dead_at: Date | null }>(
    `SELECT target, attempts, delivered_at, dead_at FROM outbox WHERE kind = 'channel_media' AND target LIKE $1 ORDER BY target`,
    [`media:${messageId}:%`],
  )).rows;

describe('a customer\'s files through a provider', () => {
  it('stores the message at once with pending entries, then fetches each file, stores it and replaces its entry', async () => {
    const { post, secret } = await setup();
    const photo = Buffer.from('PNG fake image bytes');
    const pdf = Buffer.from('%PDF-1.4 fake document');
    const [a, b] = [`img-${randomUUID()}`, `doc-${randomUUID()}`];
    fake.on('GET', `/media/${a}`, { body: photo.toString('latin1'), headers: { 'content-type': 'image/png' } });
    fake.on('GET', `/media/${b}`, { body: pdf.toString('latin1'), headers: { 'content-type': 'application/pdf' } });
    const id = `m-${randomUUID()}`;
    const sha = createHash('sha256').update(photo).digest('base64');
    const res = await post({ id, from: '+5511988887777', text: 'segue a foto e o boleto', media: [{ media: 'image', ref: a, mimeType: 'image/png', sha256: sha }, { media: 'document', ref: b, filename: 'boleto.pdf' }] });
    expect(res.status).toBe(200);

    const [stored] = await entries(id);
    expect(stored.attachments).toEqual([
      { status: 'pending', media: 'image', name: null, type: 'image/png' },
      { status: 'pending', media: 'document', name: 'boleto.pdf', type: null },
    ]);
    expect((await jobs(stored.id)).map((j) => j.target)).toEqual([`media:${stored.id}:0`, `media:${stored.id}:1`]);

    await t.runtime.outbox.tick();
    const [after] = await entries(id);
    expect(after.attachments).toMatchObject([
      { status: 'stored', media: 'image', name: `imagem-${stored.id}.png`, type: 'image/png', size: photo.length },
      { status: 'stored', media: 'document', name: 'boleto.pdf', type: 'application/pdf', size: pdf.length },
    ]);
    // the provider was asked with the account's credentials, once per file
    expect(fake.requestsTo('GET', `/media/${a}`).map((r) => r.headers.authorization)).toEqual([`Bearer ${secret}`]);
    // the staff read the bytes as the customer sent them
    const file = await fetch(`${t.url}/api/attachments/${(after.attachments[1] as { id: string }).id}`, { headers: { cookie: admin.cookie } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('a repeated delivery of the message adds no second job', async () => {
    const { post } = await setup();
    const ref = `img-${randomUUID()}`;
    fake.on('GET', `/media/${ref}`, { body: 'bytes', headers: { 'content-type': 'image/jpeg' } });
    const id = `m-${randomUUID()}`;
    const body = { id, from: '+5511911112222', text: '', media: [{ media: 'image', ref }] };
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    const [m] = await entries(id);
    expect(await jobs(m.id)).toHaveLength(1);
    await t.runtime.outbox.tick();
    expect((await post(body)).status).toBe(200);
    expect(await jobs(m.id)).toHaveLength(1);
    expect(fake.requestsTo('GET', `/media/${ref}`)).toHaveLength(1);
  });

  it('a file the provider says is gone, or too large, is marked failed with the reason; a bad checksum is retried', async () => {
    const { post } = await setup({ maxBytes: 16 });
    const [gone, big, bad] = [`g-${randomUUID()}`, `b-${randomUUID()}`, `c-${randomUUID()}`];
    fake.on('GET', `/media/${gone}`, { status: 404, json: { error: 'not found' } });
    fake.on('GET', `/media/${big}`, { body: 'x'.repeat(64), headers: { 'content-type': 'video/mp4' } });
    fake.on('GET', `/media/${bad}`, { body: 'short', headers: { 'content-type': 'audio/ogg' } });
    const id = `m-${randomUUID()}`;
    expect((await post({ id, from: '+5511933334444', text: 'arquivos', media: [{ media: 'image', ref: gone }, { media: 'video', ref: big }, { media: 'audio', ref: bad, sha256: 'AAAA' }] })).status).toBe(200);
    await t.runtime.outbox.tick();
    const [m] = await entries(id);
    expect(m.attachments).toEqual([
      { status: 'failed', media: 'image', name: null, type: null, reason: 'media_gone' },
      { status: 'failed', media: 'video', name: null, type: null, reason: 'media_too_large' },
      { status: 'pending', media: 'audio', name: null, type: null },
    ]);
    const j = await jobs(m.id);
    expect(j.map((x) => [x.dead_at !== null, x.attempts])).toEqual([[true, 1], [true, 1], [false, 1]]);
    // nothing was stored for them
    expect((await t.db.query('SELECT 1 FROM attachments WHERE message_id = $1', [m.id])).rows).toEqual([]);
  });
});
