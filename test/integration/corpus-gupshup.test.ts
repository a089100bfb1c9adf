import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readWallet } from '../../src/channels/whatsapp/wallet.js';
import type { LoadedChannelAccount } from '../../src/engine/channel-accounts.js';
import { FakeProvider } from '../support/fake-provider.js';
import { appForFile, createService, TWO_STEP, unique, type Client, type TestApp } from '../support/test-app.js';

// Every Gupshup callback body of the provider corpus (../shared/corpus/gupshup: Gupshup's own doc
// sample and Glific's converted controller-test bodies; read in place, never copied) through the real
// webhook route with the account's secret: each answers 2xx, customer messages are stored with their
// kind (a button reply answering the bot as the option), events about the app store nothing, and a
// message-event moves the status of a sent message by Gupshup's id. Skipped, with a note, where the
// corpus is absent. The corpus's Partner API answers (wallet, ratings) are served by a fake Gupshup and
// read by the Carteira WhatsApp's reader.

const CORPUS = resolve(process.cwd(), '../shared/corpus/gupshup');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus-gupshup: ${CORPUS} is absent; the conformance test is skipped`);

/** Each callback file and what it must store (written from the corpus, by hand). */
const CALLBACKS: Record<string, { kind?: string; text?: string; receiptOf?: 'gsId' }> = {
  'docs/inbound_text__docs.gupshup.io_types-of-payload.json': { kind: 'text', text: 'Hi' },
  'glific-converted/message_controller_test__message_request_params.json': { kind: 'text', text: 'Hi' },
  'glific-converted/message_controller_test__message_params_L56.json': { kind: 'option', text: '👍' },
  'glific-converted/message_event_controller_test__message_event_request_params.json': { receiptOf: 'gsId' },
  'glific-converted/template_event_controller_test__template_event_request_params.json': {},
  'glific-converted/user_event_controller_test__user_event_request_params.json': {},
  'glific-converted/billing_event_controller_test__billing_event_request_params.json': {},
};

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

async function account(appName: string | undefined, botFlow?: unknown) {
  const secret = randomBytes(12).toString('hex');
  const a = (await admin.post('/api/channel-accounts', {
    channel: 'whatsapp', name: unique('Gupshup corpus'), provider: 'gupshup',
    config: { appName: appName ?? 'CorpusApp', appId: 'corpus-app', sourceNumber: '551140000000', apiBaseUrl: 'http://127.0.0.1:9' },
    credentials: { apiKey: 'k', appToken: 't', webhookSecret: secret },
  })).body;
  const service = await createService(admin, { channel: 'whatsapp', channelAccountId: a.id, ...(botFlow ? { botFlow } : {}) });
  const post = (raw: Buffer) => fetch(`${t.url}/webhooks/whatsapp/${a.id}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: secret }, body: new Uint8Array(raw) });
  return { id: a.id as string, serviceId: service.id as string, post };
}

describe.skipIf(!present)('Gupshup corpus through the webhook', () => {
  it('each callback answers 2xx; messages are stored once with their kind; app events store nothing', async () => {
    for (const [file, expected] of Object.entries(CALLBACKS)) {
      const raw = readFileSync(join(CORPUS, file));
      const body = JSON.parse(raw.toString('utf8')) as { app?: string; payload: any };
      const a = await account(body.app);
      const res = await a.post(raw);
      expect(res.status, `${file}: ${await res.clone().text()}`).toBe(200);
      expect((await a.post(raw)).status).toBe(200);
      const { rows } = await t.db.query<{ content_type: string; body: string; external_id: string }>(
        `SELECT m.content_type, m.body, m.external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.service_id = $1 AND m.author_type = 'customer'`,
        [a.serviceId],
      );
      if (expected.kind) expect(rows.map((r) => [r.content_type, r.body, r.external_id]), file).toEqual([[expected.kind, expected.text, body.payload.id]]);
      else expect(rows, file).toEqual([]);
    }
  });

  it('a button reply answers the bot as the option its postback names', async () => {
    const raw = readFileSync(join(CORPUS, 'glific-converted/message_controller_test__message_params_L56.json'));
    const body = JSON.parse(raw.toString('utf8')) as { payload: { sender: { phone: string }; payload: { id: string } } };
    // a menu whose option id is the corpus's postback: picking it transfers to the queue
    const flow = { ...TWO_STEP, steps: { ...TWO_STEP.steps, menu: { kind: 'menu', text: 'Escolha:', options: [{ id: body.payload.payload.id, label: 'Atendente', next: 'fila' }, { id: 'b', label: 'Sair', next: 'fim' }] } } };
    const a = await account(undefined, flow);
    const phone = body.payload.sender.phone;
    const hello = Buffer.from(JSON.stringify({ app: 'CorpusApp', timestamp: 1, version: 2, type: 'message', payload: { id: `own-${randomBytes(4).toString('hex')}`, source: phone, type: 'text', payload: { text: 'oi' }, sender: { phone } } }));
    expect((await a.post(hello)).status).toBe(200);
    await t.settle();
    expect((await a.post(raw)).status).toBe(200);
    await t.settle();
    const { rows } = await t.db.query<{ state: string; body: string }>(
      `SELECT c.state, m.body FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.external_id = $1 AND c.service_id = $2`,
      [(JSON.parse(raw.toString('utf8')) as { payload: { id: string } }).payload.id, a.serviceId],
    );
    expect(rows).toEqual([{ state: 'queued', body: 'Atendente' }]);
  });

  it('a message-event names our message by gsId; the corpus\'s event has no type, so it moves nothing, while a typed one does', async () => {
    const raw = readFileSync(join(CORPUS, 'glific-converted/message_event_controller_test__message_event_request_params.json'));
    const event = JSON.parse(raw.toString('utf8')) as { app: string; payload: { gsId: string; type?: string } };
    const a = await account(event.app, TWO_STEP);
    const phone = '5511988887777';
    const hello = Buffer.from(JSON.stringify({ app: event.app, timestamp: 1, version: 2, type: 'message', payload: { id: 'own-hello', source: phone, type: 'text', payload: { text: 'oi' }, sender: { phone } } }));
    expect((await a.post(hello)).status).toBe(200);
    await t.settle();
    const { rows } = await t.db.query<{ id: number }>(
      `SELECT m.id FROM messages m JOIN messages c ON c.conversation_id = m.conversation_id WHERE c.external_id = 'own-hello' AND m.author_type = 'bot' ORDER BY m.id DESC LIMIT 1`,
    );
    await t.db.query('UPDATE messages SET provider_message_id = $2, provider_account_id = $3 WHERE id = $1', [rows[0].id, event.payload.gsId, a.id]);
    const status = async () => (await t.db.query<{ delivery_status: string | null }>('SELECT delivery_status FROM messages WHERE id = $1', [rows[0].id])).rows[0].delivery_status;
    expect(event.payload.type).toBeUndefined();
    const before = await status();
    expect(before).not.toBe('delivered');
    expect((await a.post(raw)).status).toBe(200);
    expect(await status()).toBe(before);
    // the same event as Gupshup's docs type it (channels.md §2): delivered, by gsId
    const typed = Buffer.from(JSON.stringify({ ...event, payload: { ...event.payload, type: 'delivered' } }));
    expect((await a.post(typed)).status).toBe(200);
    expect(await status()).toBe('delivered');
  });

  it('the Partner API\'s wallet and ratings answers of the corpus are read as balance, currency, overdraft and limit', async () => {
    const walletJson = JSON.parse(readFileSync(join(CORPUS, 'glific-converted/partner_wallet_balance_response__partners_test.json'), 'utf8'));
    const ratingsJson = JSON.parse(readFileSync(join(CORPUS, 'glific-converted/partner_ratings_mock__provider_test.json'), 'utf8'));
    const fake = await FakeProvider.start();
    try {
      fake.on('GET', '/partner/app/corpus-app/wallet/balance', { json: walletJson });
      fake.on('GET', '/partner/app/corpus-app/ratings', { json: ratingsJson });
      const account = { id: 'x', channel: 'whatsapp', name: 'g', provider: 'gupshup', active: true, config: { appName: 'A', appId: 'corpus-app', apiBaseUrl: fake.url }, credentials: { appToken: 'sk_corpus' } } as LoadedChannelAccount;
      expect(await readWallet(account)).toEqual({
        balance: walletJson.walletResponse.currentBalance, currency: walletJson.walletResponse.currency, overdraftLimit: walletJson.walletResponse.overDraftLimit,
        // Glific's mock has no quality field
        quality: null, messagingLimit: ratingsJson.currentLimit,
      });
      expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['sk_corpus', 'sk_corpus']);
    } finally {
      await fake.close();
    }
  });
});
