import { describe, expect, it } from 'vitest';
import type { LoadedChannelAccount } from '../../../engine/channel-accounts.js';
import type { WebhookRequest } from '../../adapter.js';
import { PermanentFailure } from '../../../engine/outbox.js';
import { GupshupError } from './client.js';
import { verifyGupshup } from './index.js';
import { parseGupshupWebhook } from './parse.js';
import { gupshupMessage, gupshupSendError } from './send.js';

// Gupshup, without the network: the callback's secret, its bodies (format v2, channels.md §2) into
// messages and receipts, the `message` JSON of outbound session messages and the error mapping.

const account = { id: 'a', channel: 'whatsapp', name: 'g', provider: 'gupshup', config: { appName: 'LojaBR' }, credentials: { webhookSecret: 's3cret' }, active: true } as LoadedChannelAccount;
const req = (headers: Record<string, string>, query: Record<string, string> = {}): WebhookRequest => ({ method: 'POST', rawBody: Buffer.from('{}'), headers, query, url: 'http://x' });

describe('Gupshup callbacks', () => {
  it('the secret is taken from the Authorization header (raw or Bearer) or ?token=; anything else is refused', () => {
    expect(verifyGupshup(account, req({ authorization: 's3cret' }))).toBe(true);
    expect(verifyGupshup(account, req({ authorization: 'Bearer s3cret' }))).toBe(true);
    expect(verifyGupshup(account, req({}, { token: 's3cret' }))).toBe(true);
    expect(verifyGupshup(account, req({ authorization: 's3creT' }))).toBe(false);
    expect(verifyGupshup(account, req({}))).toBe(false);
    expect(verifyGupshup({ ...account, credentials: {} }, req({ authorization: '' }))).toBe(false);
  });

  it('messages: text, media by URL (content-type spelt either way), location, a quick reply as the option', () => {
    const m = (type: string, payload: Record<string, unknown>) =>
      parseGupshupWebhook({ app: 'LojaBR', type: 'message', payload: { id: 'ABEG1', source: '5511999998888', type, payload, sender: { phone: '5511999998888', name: 'Maria' }, context: { id: 'gBEG', gsId: 'ee4a' } } }).messages[0];
    expect(m('text', { text: 'Oi' })).toEqual({ externalId: 'ABEG1', text: 'Oi', contentType: 'text', payload: { replyTo: 'ee4a' }, contact: { externalId: '5511999998888', name: 'Maria', phone: '+5511999998888' } });
    expect(m('file', { url: 'https://filemanager.gupshup.io/x', 'content-type': 'application/pdf', name: 'boleto.pdf', caption: 'segue' })).toMatchObject({ text: 'segue', contentType: 'document', media: [{ media: 'document', ref: 'https://filemanager.gupshup.io/x', mimeType: 'application/pdf', filename: 'boleto.pdf' }] });
    expect(m('image', { url: 'https://f/x', contentType: 'image/jpeg' }).media![0].mimeType).toBe('image/jpeg');
    expect(m('location', { latitude: '-23.5', longitude: '-46.6' })).toMatchObject({ text: '-23.5, -46.6', contentType: 'location' });
    expect(m('button_reply', { title: 'Financeiro', postbackText: 'fin', id: '1' })).toMatchObject({ text: 'Financeiro', option: 'fin' });
    expect(m('list_reply', { title: 'Suporte', id: 'sup' })).toMatchObject({ option: 'sup' });
    expect(m('order', {})).toMatchObject({ contentType: 'unsupported', text: 'tipo de mensagem não suportado: order' });
  });

  it('message-events: Gupshup\'s id (gsId, else id) names our message; failed carries code and reason; 131047/470 are the closed window', () => {
    const e = (payload: Record<string, unknown>) => parseGupshupWebhook({ type: 'message-event', timestamp: 1718000100000, payload }).receipts;
    expect(e({ id: 'gBEG', gsId: 'ee4a', type: 'read', payload: { ts: 1718000099 } })).toEqual([{ providerMessageId: 'ee4a', status: 'read', at: new Date(1718000099_000) }]);
    expect(e({ id: 'ee4a', type: 'failed', payload: { code: 1002, reason: 'Number does not exist' } })[0]).toMatchObject({ providerMessageId: 'ee4a', error: { code: '1002', message: 'Number does not exist' } });
    expect(e({ id: 'ee4a', type: 'failed', payload: { code: 470, reason: 'outside the window' } })[0].error).toEqual({ code: 'window_closed', message: '470 outside the window' });
    expect(e({ id: 'ee4a', type: 'enqueued', payload: {} })).toEqual([]);
    expect(parseGupshupWebhook({ type: 'user-event', payload: { phone: '55', type: 'opted-in' } })).toEqual({ messages: [], receipts: [] });
  });
});

describe('Gupshup outbound', () => {
  it('menus: up to 3 quick replies, up to 10 a list, with the option id as postbackText', () => {
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: `Opção ${i}` }));
    expect(gupshupMessage({ kind: 'options', text: 'Escolha:', options: options(2) }, 7)).toEqual({
      type: 'quick_reply', msgid: 'm7', content: { type: 'text', text: 'Escolha:' },
      options: [{ type: 'text', title: 'Opção 0', postbackText: 'o0' }, { type: 'text', title: 'Opção 1', postbackText: 'o1' }],
    });
    const list = gupshupMessage({ kind: 'options', text: 'Escolha:', options: options(7) }, 7) as any;
    expect(list.type).toBe('list');
    expect(list.items[0].options.map((o: any) => o.postbackText)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6']);
    expect(gupshupMessage({ kind: 'options', text: '1 - a', options: options(12) }, 7)).toEqual({ type: 'text', text: '1 - a' });
    expect(gupshupMessage({ kind: 'media', media: 'document', attachmentId: 'x', filename: 'a.pdf', caption: 'c' }, 7, 'M1')).toEqual({ type: 'file', id: 'M1', caption: 'c', filename: 'a.pdf' });
  });

  it('refused credentials and messages are permanent; throttling and Gupshup\'s failures are retried', () => {
    expect((gupshupSendError(new GupshupError(401, 'Authentication Failed')) as PermanentFailure).reasonCode).toBe('bad_credentials');
    expect((gupshupSendError(new GupshupError(400, 'Invalid Destination')) as PermanentFailure).reasonCode).toBe('provider_refused');
    expect(gupshupSendError(new GupshupError(429, 'slow down'))).toBeInstanceOf(GupshupError);
    expect(gupshupSendError(new GupshupError(502, 'bad gateway'))).toBeInstanceOf(GupshupError);
  });
});
