import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { twilioSignature, verifyTwilioSignature } from '../../src/channels/sms/twilio/signature.js';
import { signTwilio } from '../../src/sandbox/twilio.js';
import { appForFile, createService, unique, type Client, type TestApp } from '../support/test-app.js';

// Conformance with what Twilio sends: every form of the corpus (Chatwoot's specs' params, which Twilio
// posts as application/x-www-form-urlencoded) replayed, read in place from ../shared/corpus, through
// the real webhook, signed as Twilio signs (auth token, PUBLIC_URL + path, sorted fields). Messages are
// stored as the kind the table says; status callbacks move the message whose provider id they name;
// Twilio's own signature vectors verify, and a changed byte fails. Values the specs held as Ruby
// expressions are sent as the text they are.

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/twilio/', import.meta.url));
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus-twilio: ${CORPUS} is absent (a user's machine): the conformance test is skipped`);

const PUBLIC_URL = 'https://mirante.example.test';

/** The kind each incoming form is stored as (read from the files: media types, Latitude/Longitude). */
const INBOUND: Record<string, string> = {
  'inbound_mms_one_media.json': 'image',
  'inbound_mms_twilio_hosted_media.json': 'image',
  'inbound_mms_two_media.json': 'image',
  'inbound_sms_empty_body.json': 'text',
  'inbound_sms_null_bytes.json': 'text',
  'inbound_sms_text_messaging_service.json': 'text',
  'inbound_sms_to_phone_number.json': 'text',
  'inbound_whatsapp_location.json': 'location',
  'inbound_whatsapp_profile_name.json': 'text',
};
/** What each status callback does to a message that was `sent`. */
const STATUS: Record<string, { status: string; code: string | null; reason: string | null }> = {
  'status_callback_delivered.json': { status: 'delivered', code: null, reason: null },
  'status_callback_read.json': { status: 'read', code: null, reason: null },
  'status_callback_failed_30008.json': { status: 'failed', code: '30008', reason: 'Unknown error' },
  'status_callback_failed_code_only.json': { status: 'failed', code: '30008', reason: 'Unknown error' },
};

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app), { publicUrl: PUBLIC_URL });

const paramsOf = (file: string) => (JSON.parse(readFileSync(`${CORPUS}chatwoot-params/${file}`, 'utf8')) as { params: Record<string, string> }).params;

async function account() {
  const authToken = randomUUID();
  const a = (await admin.post('/api/channel-accounts', { channel: 'sms', name: unique('SMS'), provider: 'twilio', config: { accountSid: 'ACxxx', fromNumber: '+551140000000' }, credentials: { authToken } })).body;
  const service = await createService(admin, { channel: 'sms', channelAccountId: a.id });
  const post = async (params: Record<string, string>) => {
    const res = await fetch(`${t.url}/webhooks/sms/${a.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(authToken, `${PUBLIC_URL}/webhooks/sms/${a.id}`, params) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  return { id: a.id as string, service, post };
}

describe.skipIf(!present)('Twilio corpus (Chatwoot params, twilio-node vectors)', () => {
  const files = present ? readdirSync(`${CORPUS}chatwoot-params`).filter((f) => f.endsWith('.json')) : [];

  it('the tables name every file of the corpus', () => {
    expect(files.filter((f) => !(f in INBOUND) && !(f in STATUS))).toEqual([]);
  });

  it.each(Object.entries(INBOUND).filter(([f]) => files.includes(f)))('%s answers TwiML and is stored as %s', async (file, kind) => {
    const params = paramsOf(file);
    const { service, post } = await account();
    const r = await post(params);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/xml/);
    const { rows } = await t.db.query<{ content_type: string; body: string; attachments: unknown[] | null }>(
      `SELECT m.content_type, m.body, m.attachments FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer'`,
      [service.id],
    );
    expect(rows.map((m) => m.content_type)).toEqual([kind]);
    expect(rows[0].body).not.toContain('\u0000');
    expect(rows[0].attachments ?? []).toHaveLength(Number(params.NumMedia ?? 0));
  });

  it.each(Object.entries(STATUS).filter(([f]) => files.includes(f)))('%s moves the message it names', async (file, want) => {
    const params = paramsOf(file);
    const { id, service, post } = await account();
    // a conversation, and its protocol message as a message Mirante sent with the provider id the callback names
    expect((await post({ SmsSid: `SM${randomUUID()}`, From: '+5511988887777', Body: 'oi' })).status).toBe(200);
    const sent = (await t.db.query<{ id: number }>(
      `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'system' LIMIT 1`,
      [service.id],
    )).rows[0];
    await t.db.query(`UPDATE messages SET provider_message_id = $2, provider_account_id = $3, delivery_status = 'sent' WHERE id = $1`, [sent.id, params.MessageSid, id]);
    const r = await post(params);
    expect(r.status).toBe(200);
    const after = (await t.db.query<{ delivery_status: string; failed_code: string | null; failed_reason: string | null }>('SELECT delivery_status, failed_code, failed_reason FROM messages WHERE id = $1', [sent.id])).rows[0];
    expect(after).toEqual({ delivery_status: want.status, failed_code: want.code, failed_reason: want.reason });
  });

  it("twilio-node's signature vectors verify; a changed byte fails", () => {
    const v = JSON.parse(readFileSync(`${CORPUS}twilio-node-signature-vectors.json`, 'utf8')) as Record<string, any>;
    const form = (p: Record<string, string>) => Buffer.from(new URLSearchParams(p).toString());
    expect(verifyTwilioSignature(v.token, v.requestUrl, form(v.defaultParams), v.defaultSignature)).toBe(true);
    expect(verifyTwilioSignature(v.token, v.requestUrl, form({ ...v.defaultParams, Digits: '1235' }), v.defaultSignature)).toBe(false);
    expect(verifyTwilioSignature(v.token, v.requestUrl.replace('foo=1', 'foo=2'), form(v.defaultParams), v.defaultSignature)).toBe(false);
    const flipped = v.defaultSignature.replace(/^R/, 'S');
    expect(verifyTwilioSignature(v.token, v.requestUrl, form(v.defaultParams), flipped)).toBe(false);
    // the JSON-body form: the body's SHA-256 in the URL, the URL signed with no fields
    expect(twilioSignature(v.token, v.requestUrlWithHash, [])).toBe(v.requestUrlWithHashSignature);
  });
});
