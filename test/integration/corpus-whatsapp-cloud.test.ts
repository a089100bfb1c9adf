import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expectOutbound } from '../support/outbound-guard.js';
import { describe, expect, it } from 'vitest';
import { hubSignature } from '../../src/channels/meta/webhook-auth.js';
import { appForFile, createService, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// Every WhatsApp Cloud API webhook body of the provider corpus (../shared/corpus/whatsapp-cloud,
// read in place, never copied) through the real webhook route, signed with the account's app
// secret: each answers 2xx, each customer message is stored with its kind, each status moves a sent
// message whose provider id it names, and the corpus's signature vector verifies while a changed
// byte does not. Skipped, with a note, where the corpus is absent (a user's machine).

const CORPUS = resolve(process.cwd(), '../shared/corpus/whatsapp-cloud');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus-whatsapp-cloud: ${CORPUS} is absent; the conformance test is skipped`);

/** The kind each named body's customer message must be stored as (written from the corpus, by hand). */
const KIND: Record<string, Record<string, string>> = {
  'message.json': {
    text: 'text', image: 'image', media_with_url: 'image', video: 'video', document: 'document', audio: 'audio', voice: 'voice',
    static_sticker: 'sticker', animated_sticker: 'sticker', reaction: 'reaction', unreaction_empty: 'reaction', unreaction_no_emoji: 'reaction',
    current_location: 'location', chosen_location: 'location', contacts: 'contacts', order: 'unsupported', unsupported: 'unsupported',
    unsupported_with_type: 'unsupported', reply: 'text', forwarded: 'text', forwarded_many_times: 'text', interactive_message_with_err: 'unsupported', referral: 'text',
  },
  'callback_button.json': { button: 'option', quick_reply: 'option', quick_reply_without_context: 'option' },
  'callback_selection.json': { callback: 'option', description: 'option' },
  'deleted_message.json': { revoke: 'delete' },
  'edited_message.json': { image: 'edit' },
  'system.json': { phone_number_change: 'system', identity_change: 'system' },
  'flow_completion.json': { completion: 'unsupported', without_flow_token: 'unsupported' },
  'call_permission_update.json': { accept: 'unsupported', reject: 'unsupported' },
};
/** Bodies about the business, not a conversation: accepted, nothing stored. */
const NO_MESSAGES = new Set(['account_update.json', 'call_connect.json', 'call_status.json', 'call_terminate.json', 'outgoing_message.json', 'template_category_update.json',
  'template_components_update.json', 'template_quality_update.json', 'template_status_update.json', 'user_marketing_preferences.json']);
/** Each status body's effect on a message sent just before it. */
const STATUS: Record<string, { status: string; code?: string }> = {
  sent: { status: 'sent' }, delivered: { status: 'delivered' }, read: { status: 'read' }, played: { status: 'read' },
  failed: { status: 'failed', code: '130472' }, with_tracker: { status: 'sent' }, group: { status: 'read' },
};

const bodiesOf = (file: string) => JSON.parse(readFileSync(join(CORPUS, 'pywa', file), 'utf8')) as Record<string, unknown>;
const webhookFiles = () => (present ? readdirSync(join(CORPUS, 'pywa')).filter((f) => f.endsWith('.json') && !f.startsWith('signature_vector') && !f.startsWith('errors_')) : []);

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function account(appSecret: string, botFlow?: unknown) {
  // saving it subscribes the app to the WABA at that (closed) address: refused, reported as a warning
  expectOutbound('http://127.0.0.1:9/');
  const a = (await admin.post('/api/channel-accounts', {
    channel: 'whatsapp', name: unique('WA corpus'), provider: 'meta',
    // nothing is fetched: the media jobs are not run here
    config: { phoneNumberId: '106540352242922', wabaId: '102290129340398', apiBaseUrl: 'http://127.0.0.1:9/v21.0' },
    credentials: { accessToken: 'corpus-token', appSecret, verifyToken: 'vt' },
  })).body;
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: a.id, ...(botFlow ? { botFlow } : {}) });
  const post = (raw: string | Buffer, signature = hubSignature(appSecret, raw)) =>
    fetch(`${t.url}/webhooks/whatsapp/${a.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: typeof raw === 'string' ? raw : new Uint8Array(raw) });
  return { id: a.id as string, serviceId: service.id as string, post };
}

const stored = async (serviceId: string) =>
  (await t.db.query<{ content_type: string; external_id: string }>(
    `SELECT m.content_type, m.external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer'`,
    [serviceId],
  )).rows;

describe.skipIf(!present)('WhatsApp Cloud corpus through the webhook', () => {
  it('every file of the corpus is known to this test (a new one must be given its expectations)', () => {
    for (const f of webhookFiles()) expect(KIND[f] || NO_MESSAGES.has(f) || f === 'message_status.json', f).toBeTruthy();
  });

  it('every customer message body answers 2xx and is stored once, with its kind', async () => {
    const secret = randomBytes(16).toString('hex');
    for (const [file, names] of Object.entries(KIND)) {
      const bodies = bodiesOf(file);
      expect(Object.keys(bodies).sort(), file).toEqual(Object.keys(names).sort());
      for (const [name, body] of Object.entries(bodies)) {
        // a fresh service each: the corpus reuses message ids across bodies
        const a = await account(secret);
        const raw = JSON.stringify(body);
        const res = await a.post(raw);
        expect(res.status, `${file} ${name}: ${await res.clone().text()}`).toBe(200);
        expect((await a.post(raw)).status).toBe(200);
        const rows = await stored(a.serviceId);
        expect(rows.map((r) => r.content_type), `${file} ${name}`).toEqual([names[name]]);
      }
    }
  });

  it('bodies about the business answer 2xx and store no message', async () => {
    const secret = randomBytes(16).toString('hex');
    const a = await account(secret);
    for (const file of NO_MESSAGES) {
      for (const [name, body] of Object.entries(bodiesOf(file))) {
        const res = await a.post(JSON.stringify(body));
        expect(res.status, `${file} ${name}`).toBe(200);
      }
    }
    expect(await stored(a.serviceId)).toEqual([]);
  });

  it('each status moves a sent message whose provider id it names', async () => {
    const secret = randomBytes(16).toString('hex');
    const a = await account(secret, TWO_STEP);
    const bodies = bodiesOf('message_status.json');
    expect(Object.keys(bodies).sort()).toEqual(Object.keys(STATUS).sort());
    for (const [name, body] of Object.entries(bodies)) {
      const status = (body as any).entry[0].changes[0].value.statuses[0];
      // a customer writes (our own body), the bot answers: that answer is the message the status names
      const from = `5511${9e8 + Math.floor(Math.random() * 9e7)}`;
      const hello = { object: 'whatsapp_business_account', entry: [{ id: 'w', changes: [{ field: 'messages', value: { contacts: [{ profile: { name: 'C' }, wa_id: from }], messages: [{ from, id: `wamid.own-${name}-${from}`, timestamp: '1718000000', type: 'text', text: { body: 'oi' } }] } }] }] };
      expect((await a.post(JSON.stringify(hello))).status).toBe(200);
      await t.settle();
      const { rows } = await t.db.query<{ id: number }>(
        `SELECT m.id FROM messages m JOIN messages c ON c.conversation_id = m.conversation_id WHERE c.external_id = $1 AND m.author_type = 'bot' ORDER BY m.id DESC LIMIT 1`,
        [`wamid.own-${name}-${from}`],
      );
      await t.db.query('UPDATE messages SET provider_message_id = NULL WHERE provider_message_id = $1', [status.id]);
      await t.db.query('UPDATE messages SET provider_message_id = $2, provider_account_id = $3 WHERE id = $1', [rows[0].id, status.id, a.id]);
      const res = await a.post(JSON.stringify(body));
      expect(res.status, name).toBe(200);
      const m = (await t.db.query<{ delivery_status: string; failed_code: string | null }>('SELECT delivery_status, failed_code FROM messages WHERE id = $1', [rows[0].id])).rows[0];
      expect(m.delivery_status, name).toBe(STATUS[name].status);
      if (STATUS[name].code) expect(m.failed_code).toBe(STATUS[name].code);
    }
  });

  it('the signature vector verifies through the route; a changed byte is a 401', async () => {
    const vector = JSON.parse(readFileSync(join(CORPUS, 'pywa', 'signature_vector.json'), 'utf8')) as { app_secret: string; x_hub_signature_256: string; raw_body: string };
    const rawFile = readFileSync(join(CORPUS, 'pywa', 'signature_vector.body.json'));
    expect(rawFile.toString('utf8')).toBe(vector.raw_body);
    const a = await account(vector.app_secret);
    expect((await a.post(rawFile, vector.x_hub_signature_256)).status).toBe(200);
    const changed = Buffer.from(rawFile);
    changed[changed.indexOf('Hey')] = 'h'.charCodeAt(0);
    expect((await a.post(changed, vector.x_hub_signature_256)).status).toBe(401);
    expect((await stored(a.serviceId)).map((r) => r.external_id)).toEqual([JSON.parse(vector.raw_body).entry[0].changes[0].value.messages[0].id]);
  });
});
