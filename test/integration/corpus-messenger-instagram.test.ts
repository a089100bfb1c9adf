import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRegistry } from '../../src/channels/index.js';
import { loadChannelAccount } from '../../src/engine/channel-accounts.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { MetaMessengerSandbox } from '../../src/sandbox/meta-messenger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { appForFile, createService, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// The Messenger and Instagram payloads of ../shared/corpus/messenger-instagram (see its SOURCES.md),
// read in place and replayed, signed, through the real webhook route: each answers 2xx, its messages
// are stored with the right kind, its receipts move the message they name. The folders marked
// camelcased-NOT-wire-format are not what Meta sends and are left alone; the Postman collections
// (meta-fbsamples) are API calls, not webhooks. Skipped, with a note, where the corpus is absent.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/messenger-instagram');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus-messenger-instagram: ${CORPUS} is absent; the conformance tests are skipped`);

// the page of bottender's single events (their recipient), and Chatwoot's Instagram account
const BOTTENDER_PAGE = '404217156637689';
const CHATWOOT_IG = 'chatwoot-app-user-id-1';

type Expect = { kinds: string[] } | { receipt: 'delivered' | 'read'; customer: string; mids?: string[]; watermark?: number };
interface Case {
  file: string;
  channel: 'facebook' | 'instagram';
  /** wraps a single `messaging[]` event into the body Meta posts */
  wrap: boolean;
  expect: Expect;
}

const CASES: Case[] = [
  ...Object.entries({
    'audioMessage.json': { kinds: ['audio'] },
    'delivery.json': { receipt: 'delivered', customer: '1423587017700273', mids: ['mid.1458668856218:ed81099e15d3f4f233'] },
    'fallbackMessage.json': { kinds: ['link'] },
    'fileMessage.json': { kinds: ['document'] },
    'imageMessage.json': { kinds: ['image'] },
    'linkReferral.json': { kinds: [] },
    'locationMessage.json': { kinds: ['location'] },
    'optin.json': { kinds: [] },
    'policyEnforcement.json': { kinds: [] },
    'postback.json': { kinds: ['interactive'] },
    'postbackReferral.json': { kinds: ['interactive'] },
    'reactionReact.json': { kinds: ['reaction'] },
    'reactionUnreact.json': { kinds: ['reaction'] },
    'read.json': { receipt: 'read', customer: '1423587017700273', watermark: 1458668856253 },
    'textMessage.json': { kinds: ['text'] },
    'textMessageFromCustomerChatPlugin.json': { kinds: ['text'] },
    'videoMessage.json': { kinds: ['video'] },
  } satisfies Record<string, Expect>).map(([f, e]) => ({ file: `bottender-messaging-events/${f}`, channel: 'facebook' as const, wrap: true, expect: e })),
  ...Object.entries({
    'batchRequest.json': { kinds: ['text', 'text'] },
    'request.json': { kinds: ['text'] },
    'standbyRequest.json': { kinds: [] },
  } satisfies Record<string, Expect>).map(([f, e]) => ({ file: `bottender-webhook-bodies/${f}`, channel: 'facebook' as const, wrap: false, expect: e })),
  ...Object.entries({
    'instagram_message_attachment_event.json': { kinds: ['share'] },
    'instagram_message_create_event.json': { kinds: ['text'] },
    'instagram_message_standby_event.json': { kinds: ['text'] },
    'instagram_message_unsend_event.json': { kinds: ['deleted'] },
    'instagram_story_mention_event.json': { kinds: ['story_mention'] },
    'instagram_story_mention_event_with_echo.json': { kinds: [] },
    'instagram_story_reply_event.json': { kinds: ['story_reply'] },
    'instagram_test_text_event.json': { kinds: ['text'] },
    'messaging_seen_event.json': { receipt: 'read', customer: 'Sender-id-1', mids: ['message-id-1'] },
  } satisfies Record<string, Expect>).map(([f, e]) => ({ file: `chatwoot-instagram/${f}`, channel: 'instagram' as const, wrap: false, expect: e })),
];

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));
let sandbox: Sandbox;
let unexpect: () => void;
beforeAll(async () => {
  // Graph's profile reads go to the sandbox, which knows none of these customers (no name, no internet)
  sandbox = await startSandbox({ providers: [new MetaMessengerSandbox()] });
  unexpect = expectOutbound(sandbox.url);
});
afterAll(async () => {
  await sandbox?.close();
  unexpect?.();
});

async function account(channel: 'facebook' | 'instagram') {
  const appSecret = `secret-${randomUUID()}`;
  const config = channel === 'facebook' ? { pageId: BOTTENDER_PAGE } : { pageId: 'chatwoot-page', igUserId: CHATWOOT_IG };
  const a = (await admin.post('/api/channel-accounts', {
    channel, name: unique(channel), provider: 'meta',
    config: { ...config, apiBaseUrl: `${sandbox.url}/meta-messenger/v21.0` },
    credentials: { pageAccessToken: 'EAAG-corpus', appSecret, verifyToken: '1qaz2wsx' },
  })).body;
  const service = await createService(admin, { channel, channelAccountId: a.id });
  const post = (raw: string) =>
    fetch(`${t.url}/webhooks/${channel}/${a.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}` },
      body: raw,
    });
  return { id: a.id as string, service, post };
}

const customerKinds = async (serviceId: string) =>
  (await t.db.query<{ content_type: string }>(
    `SELECT m.content_type FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer' ORDER BY m.id`,
    [serviceId],
  )).rows.map((r) => r.content_type);

/** A message Mirante sent the customer through the account, as the outbox leaves it. */
async function sentMessage(accountId: string, serviceId: string, providerId: string, sentAt: Date) {
  const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM conversations WHERE service_id = $1 ORDER BY created_at DESC LIMIT 1`, [serviceId]);
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO messages (conversation_id, channel, author_type, body, delivery_status, provider_message_id, provider_account_id, sent_at, created_at)
     SELECT $1, channel, 'agent', 'resposta', 'sent', $2, $3, $4, $4 FROM conversations WHERE id = $1 RETURNING id`,
    [rows[0].id, providerId, accountId, sentAt],
  );
  return r.rows[0].id;
}

describe.skipIf(!present)('the Messenger and Instagram corpus through the webhook', () => {
  it.each(CASES)('$file', async ({ file, channel, wrap, expect: want }) => {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    const raw = wrap ? JSON.stringify({ object: 'page', entry: [{ id: BOTTENDER_PAGE, time: Date.now(), messaging: [JSON.parse(text)] }] }) : text;
    const { id, service, post } = await account(channel);
    if ('kinds' in want) {
      const res = await post(raw);
      expect(res.status, await res.text()).toBe(200);
      expect(await customerKinds(service.id)).toEqual(want.kinds);
      // a repeated delivery stores nothing more
      expect((await post(raw)).status).toBe(200);
      expect(await customerKinds(service.id)).toHaveLength(want.kinds.length);
      return;
    }
    // a receipt needs a message to move: the customer writes (our own event), Mirante answers
    const hello = JSON.stringify({ object: channel === 'facebook' ? 'page' : 'instagram', entry: [{ id: 'x', time: Date.now(), messaging: [{ sender: { id: want.customer }, recipient: { id: 'x' }, timestamp: Date.now(), message: { mid: `m-${randomUUID()}`, text: 'oi' } }] }] });
    expect((await post(hello)).status).toBe(200);
    const providerId = want.mids?.[0] ?? `m_sent_${randomUUID()}`;
    const sentAt = want.watermark ? new Date(want.watermark - 1000) : new Date();
    const messageId = await sentMessage(id, service.id, providerId, sentAt);
    // one sent after the watermark stays as it is
    const later = want.watermark ? await sentMessage(id, service.id, `m_later_${randomUUID()}`, new Date(want.watermark + 1000)) : null;
    const res = await post(raw);
    expect(res.status, await res.text()).toBe(200);
    const status = async (mid: number) => (await t.db.query<{ delivery_status: string }>('SELECT delivery_status FROM messages WHERE id = $1', [mid])).rows[0].delivery_status;
    expect(await status(messageId)).toBe(want.receipt);
    if (later) expect(await status(later)).toBe('sent');
    expect(await customerKinds(service.id)).toEqual(['text']);
  });

  it('every wire-format file of the folders is replayed above', () => {
    const folders = ['bottender-messaging-events', 'bottender-webhook-bodies', 'chatwoot-instagram'];
    const files = folders.flatMap((f) => readdirSync(path.join(CORPUS, f)).filter((n) => n.endsWith('.json')).map((n) => `${f}/${n}`));
    expect(CASES.map((c) => c.file).sort()).toEqual(files.sort());
  });

  it('media named by URL wait as pending entries for the fetch job', async () => {
    const { service, post } = await account('facebook');
    const event = JSON.parse(readFileSync(path.join(CORPUS, 'bottender-messaging-events/imageMessage.json'), 'utf8'));
    expect((await post(JSON.stringify({ object: 'page', entry: [{ id: BOTTENDER_PAGE, time: 1, messaging: [event] }] }))).status).toBe(200);
    const { rows } = await t.db.query<{ attachments: unknown[]; id: number }>(
      `SELECT m.id, m.attachments FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer'`,
      [service.id],
    );
    expect(rows[0].attachments).toEqual([{ status: 'pending', media: 'image', name: null, type: null }]);
    const jobs = await t.db.query<{ payload: { ref: { ref: string } } }>(`SELECT payload FROM outbox WHERE kind = 'channel_media' AND target = $1`, [`media:${rows[0].id}:0`]);
    expect(jobs.rows[0].payload.ref.ref).toBe(event.message.attachments[0].payload.url);
  });

  it('the verification vectors: the GET challenge for the verify token, 403 for another', async () => {
    const vectors = JSON.parse(readFileSync(path.join(CORPUS, 'bottender-verification-and-signature-vectors.json'), 'utf8')) as {
      get_verification: { query: Record<string, string>; expected_response: { status: number; body: string } }[];
    };
    const { id } = await account('facebook');
    for (const v of vectors.get_verification) {
      const res = await fetch(`${t.url}/webhooks/facebook/${id}?${new URLSearchParams(v.query)}`);
      expect(res.status).toBe(v.expected_response.status);
      if (res.status === 200) expect(await res.text()).toBe(v.expected_response.body);
    }
  });

  // the Messenger folder's signature vectors are the legacy SHA-1 header, which Mirante does not
  // accept; Meta signs Messenger as WhatsApp (X-Hub-Signature-256), whose vector is pywa's
  const PYWA = path.resolve(CORPUS, '../whatsapp-cloud/pywa/signature_vector.json');
  it.skipIf(!existsSync(PYWA))('the X-Hub-Signature-256 vector verifies on the Messenger webhook; a changed byte fails', async () => {
    const v = JSON.parse(readFileSync(PYWA, 'utf8')) as { app_secret: string; x_hub_signature_256: string; raw_body: string };
    const a = (await admin.post('/api/channel-accounts', { channel: 'facebook', name: unique('fb'), provider: 'meta', config: { pageId: '1', apiBaseUrl: `${sandbox.url}/meta-messenger/v21.0` }, credentials: { pageAccessToken: 't', appSecret: v.app_secret, verifyToken: 'v' } })).body;
    const loaded = await loadChannelAccount(t.db, deriveSecretKey(TEST_SECRET_KEY), 'facebook', a.id);
    const verify = (raw: Buffer) => channelRegistry.get('facebook')!.webhook!.verify(loaded, { method: 'POST', rawBody: raw, headers: { 'x-hub-signature-256': v.x_hub_signature_256 }, query: {}, url: '' });
    const raw = Buffer.from(v.raw_body, 'utf8');
    expect(await verify(raw)).toBe(true);
    const changed = Buffer.from(raw);
    changed[changed.length - 3] ^= 1;
    expect(await verify(changed)).toBe(false);
  });
});
