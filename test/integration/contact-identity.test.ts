import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelRegistry, WebhookParseError, type ChannelAdapter, type ParsedWebhook } from '../../src/channels/adapter.js';
import { CHANNEL_CAPABILITIES } from '../../src/contracts/channel-capabilities.js';
import { signTwilio } from '../../src/sandbox/twilio.js';
import { canonicalPhone } from '../../src/shared/phone.js';
import { appForFile, createService, unique, type Client, type TestApp } from '../support/test-app.js';

// One contact per phone (issue 20, "Identity"): a customer who writes on SMS and then on WhatsApp
// with the same number (WhatsApp naming it without the ninth digit) is one contact with two
// identities, whichever path stores the message (the batch's set-based writer, the one-message
// command) and when both arrive together. SMS is the real adapter (signed as Twilio signs); WhatsApp
// is a stand-in registered as `whatsapp` (its adapter is another piece of work), which puts the
// number in contact.phone as every adapter does.

const PUBLIC_URL = 'https://mirante.example.test';
const HEADER = 'x-test-secret';

const whatsapp: ChannelAdapter = {
  channel: 'whatsapp',
  capabilities: CHANNEL_CAPABILITIES.whatsapp,
  webhook: {
    verify: (account, req) => req.headers[HEADER] === account.credentials.secret,
    parse(_a, req): ParsedWebhook {
      try {
        const b = JSON.parse(req.rawBody.toString('utf8')) as { id: string; waId: string; name: string; text: string };
        return { messages: [{ externalId: b.id, contact: { externalId: b.waId, name: b.name, phone: canonicalPhone(b.waId) }, text: b.text, contentType: 'text' }], receipts: [] };
      } catch {
        throw new WebhookParseError('not JSON');
      }
    },
  },
};
channelRegistry.register(whatsapp);

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app), { publicUrl: PUBLIC_URL });

async function accounts() {
  const authToken = randomUUID();
  const sms = (await admin.post('/api/channel-accounts', { channel: 'sms', name: unique('SMS'), provider: 'twilio', config: { accountSid: 'ACtest', fromNumber: '+551140000000' }, credentials: { authToken } })).body;
  const wa = (await admin.post('/api/channel-accounts', { channel: 'whatsapp', name: unique('WA'), credentials: { secret: authToken } })).body;
  const smsService = await createService(admin, { channel: 'sms', channelAccountId: sms.id });
  const waService = await createService(admin, { channel: 'whatsapp', channelAccountId: wa.id });
  const smsSays = (from: string, body: string) => {
    const url = `${PUBLIC_URL}/webhooks/sms/${sms.id}`;
    const params = { MessageSid: `SM${randomUUID()}`, From: from, To: '+551140000000', Body: body };
    return fetch(`${t.url}/webhooks/sms/${sms.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(authToken, url, params) },
      body: new URLSearchParams(params).toString(),
    });
  };
  const waSays = (waId: string, text: string, name = 'Maria no WhatsApp') =>
    fetch(`${t.url}/webhooks/whatsapp/${wa.id}`, { method: 'POST', headers: { 'content-type': 'application/json', [HEADER]: authToken }, body: JSON.stringify({ id: `wamid.${randomUUID()}`, waId, name, text }) });
  return { smsSays, waSays, smsService, waService };
}

/** A Brazilian mobile, with the ninth digit (E.164) and as WhatsApp often names it (without). */
function mobile() {
  const eight = `8${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return { e164: `+55119${eight}`, waId: `5511${eight}` };
}

const identities = (contactId: string) =>
  t.db.query<{ channel: string; external_id: string }>('SELECT channel, external_id FROM contact_identities WHERE contact_id = $1 ORDER BY channel', [contactId]).then((r) => r.rows);
const contactsWith = (phone: string) => t.db.query<{ id: string; phone: string; name: string | null }>('SELECT id, phone, name FROM contacts WHERE phone = $1', [phone]).then((r) => r.rows);
const conversationsOf = (contactId: string) => t.db.query<{ id: string; channel: string; created_at: Date }>('SELECT id, channel, created_at FROM conversations WHERE contact_id = $1 ORDER BY created_at', [contactId]).then((r) => r.rows);

describe('one contact per phone across channels', () => {
  it('SMS first, then WhatsApp without the ninth digit: one contact, two identities, and Consultas shows one contact', async () => {
    const { smsSays, waSays, smsService, waService } = await accounts();
    const n = mobile();
    expect((await smsSays(n.e164, 'Oi, pelo SMS')).status).toBe(200);
    expect((await waSays(n.waId, 'Oi, agora pelo WhatsApp')).status).toBe(200);
    await t.settle();

    const [contact, ...twins] = await contactsWith(n.e164);
    expect(twins).toEqual([]);
    // the name WhatsApp gave fills the gap SMS left
    expect(contact.name).toBe('Maria no WhatsApp');
    expect(await identities(contact.id)).toEqual([
      { channel: 'sms', external_id: n.e164 },
      { channel: 'whatsapp', external_id: n.waId },
    ]);
    const convs = await conversationsOf(contact.id);
    expect(convs.map((c) => c.channel)).toEqual(['sms', 'whatsapp']);

    // Consultas (messaging): both conversations, under the one contact
    const day = new Date(convs[0].created_at.getTime() - 3 * 3600_000).toISOString().slice(0, 10);
    const page = await admin.get(`/api/lookback/conversations?family=messaging&from=${day}&to=${day}&serviceIds=${smsService.id},${waService.id}`);
    expect(page.status).toBe(200);
    const rows = page.body.rows.filter((r: any) => convs.some((c) => c.id === r.id));
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r: any) => r.contactId))).toEqual(new Set([contact.id]));
  });

  it('both channels at the same moment, for a number never seen: still one contact', async () => {
    const { smsSays, waSays } = await accounts();
    for (let k = 0; k < 3; k++) {
      const n = mobile();
      const answers = await Promise.all([smsSays(n.e164, 'SMS'), waSays(n.waId, 'WhatsApp'), smsSays(n.e164, 'SMS de novo')]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const contacts = await contactsWith(n.e164);
      expect(contacts).toHaveLength(1);
      expect((await identities(contacts[0].id)).map((i) => i.channel)).toEqual(['sms', 'whatsapp']);
    }
  });

  it('a different number, or the same digits of another country, is another contact', async () => {
    const { smsSays, waSays } = await accounts();
    const a = mobile();
    const b = mobile();
    await smsSays(a.e164, 'A');
    await waSays(b.waId, 'B');
    // +1 and the same national digits: not the Brazilian number
    await smsSays(`+1${a.e164.slice(3)}`, 'C');
    expect(await contactsWith(a.e164)).toHaveLength(1);
    expect(await contactsWith(b.e164)).toHaveLength(1);
    expect((await contactsWith(a.e164))[0].id).not.toBe((await contactsWith(b.e164))[0].id);
    expect(await contactsWith(`+1${a.e164.slice(3)}`)).toHaveLength(1);
  });
});
