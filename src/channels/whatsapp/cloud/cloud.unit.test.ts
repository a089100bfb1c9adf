import { describe, expect, it } from 'vitest';
import { PermanentFailure } from '../../../engine/outbox.js';
import { GraphError } from '../../meta/graph.js';
import { parseCloudWebhook } from './parse.js';
import { cloudMessageBody, cloudSendError } from './send.js';

// Meta's Cloud API, without the network: webhook bodies into messages and receipts, and the
// `/messages` bodies and error mapping of outbound messages. Fixtures are our own, shaped as
// channels.md §1 documents them.

const body = (value: Record<string, unknown>) =>
  Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '106' }, ...value } }] }] }));
const contact = { profile: { name: 'Maria' }, wa_id: '551199998888' };
const msg = (m: Record<string, unknown>) => body({ contacts: [contact], messages: [{ from: '551199998888', id: 'wamid.1', timestamp: '1718000000', ...m }] });

describe('Cloud API webhook parsing', () => {
  it('a text names the customer by wa_id, with the E.164 phone (the ninth digit restored) and profile name', () => {
    const { messages } = parseCloudWebhook(msg({ type: 'text', text: { body: 'Olá, preciso de ajuda' } }));
    expect(messages).toEqual([{
      externalId: 'wamid.1', text: 'Olá, preciso de ajuda', contentType: 'text', payload: {},
      contact: { externalId: '551199998888', name: 'Maria', phone: '+5511999998888' },
    }]);
  });

  it('media become file references with the checksum; a voice note is told from audio; a reply keeps its context', () => {
    const [doc] = parseCloudWebhook(msg({ type: 'document', context: { from: '5511', id: 'wamid.0' }, document: { id: '77', mime_type: 'application/pdf', sha256: 'abc=', filename: 'nf.pdf', caption: 'nota' } })).messages;
    expect(doc).toMatchObject({ text: 'nota', contentType: 'document', payload: { replyTo: 'wamid.0' }, media: [{ media: 'document', ref: '77', mimeType: 'application/pdf', filename: 'nf.pdf', sha256: 'abc=' }] });
    const [voice] = parseCloudWebhook(msg({ type: 'audio', audio: { id: '78', mime_type: 'audio/ogg; codecs=opus', voice: true } })).messages;
    expect(voice).toMatchObject({ contentType: 'voice', media: [{ media: 'audio', ref: '78' }] });
  });

  it('location, contacts, reactions (and their removal), button and list picks, deletions and unknown kinds', () => {
    const one = (m: Record<string, unknown>) => parseCloudWebhook(msg(m)).messages[0];
    expect(one({ type: 'location', location: { latitude: -23.5, longitude: -46.6, name: 'Loja', address: 'Av. Paulista, 1000' } })).toMatchObject({ text: 'Loja — Av. Paulista, 1000', payload: { location: { latitude: -23.5, longitude: -46.6 } } });
    expect(one({ type: 'location', location: { latitude: 1.5, longitude: 2 } }).text).toBe('1.5, 2');
    expect(one({ type: 'contacts', contacts: [{ name: { formatted_name: 'Ana' }, phones: [{ phone: '+55 11 98888-7777', wa_id: '5511988887777' }] }] })).toMatchObject({ text: 'Ana', contentType: 'contacts' });
    expect(one({ type: 'reaction', reaction: { message_id: 'wamid.9', emoji: '👍' } })).toMatchObject({ text: '👍', payload: { reaction: { emoji: '👍', messageId: 'wamid.9' } } });
    expect(one({ type: 'reaction', reaction: { message_id: 'wamid.9', emoji: '' } }).payload).toMatchObject({ reaction: { emoji: null } });
    expect(one({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'fin', title: 'Financeiro' } } })).toMatchObject({ text: 'Financeiro', contentType: 'option', option: 'fin' });
    expect(one({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'sup', title: 'Suporte', description: 'técnico' } } })).toMatchObject({ option: 'sup' });
    // a template's quick reply is not a bot option
    expect(one({ type: 'button', button: { payload: 'STOP', text: 'Parar' } })).toMatchObject({ text: 'Parar', contentType: 'option' });
    expect(one({ type: 'button', button: { payload: 'STOP', text: 'Parar' } }).option).toBeUndefined();
    expect(one({ type: 'revoke', revoke: { original_message_id: 'wamid.5' } })).toMatchObject({ contentType: 'delete', payload: { deletes: 'wamid.5' } });
    expect(one({ type: 'edit', edit: { original_message_id: 'wamid.5', message: { type: 'text', text: { body: 'corrigido' } } } })).toMatchObject({ text: 'corrigido', contentType: 'edit', payload: { edits: 'wamid.5', kind: 'text' } });
    expect(one({ type: 'poll', poll: {} })).toMatchObject({ text: 'tipo de mensagem não suportado: poll', contentType: 'unsupported' });
    expect(one({ type: 'unsupported', unsupported: { type: 'pool' } }).text).toBe('tipo de mensagem não suportado: pool');
  });

  it('statuses become receipts in every entry; failed carries the code, the closed window is named; unknown statuses are skipped', () => {
    const raw = body({ statuses: [
      { id: 'wamid.a', status: 'delivered', timestamp: '1718000100' },
      { id: 'wamid.b', status: 'failed', timestamp: '1718000101', errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }] },
      { id: 'wamid.c', status: 'failed', timestamp: '1718000102', errors: [{ code: 131026, title: 'Message undeliverable' }] },
      { id: 'wamid.d', status: 'deleted', timestamp: '1718000103' },
    ] });
    expect(parseCloudWebhook(raw).receipts).toEqual([
      { providerMessageId: 'wamid.a', status: 'delivered', at: new Date(1718000100_000) },
      { providerMessageId: 'wamid.b', status: 'failed', at: new Date(1718000101_000), error: { code: 'window_closed', message: '131047 Re-engagement message: more than 24 hours' } },
      { providerMessageId: 'wamid.c', status: 'failed', at: new Date(1718000102_000), error: { code: '131026', message: 'Message undeliverable' } },
    ]);
  });

  it('a body that is not Meta\'s is a parse error', () => {
    expect(() => parseCloudWebhook(Buffer.from('not json'))).toThrow('not JSON');
    expect(() => parseCloudWebhook(Buffer.from('{"object":"page","entry":[]}'))).toThrow('whatsapp_business_account');
  });
});

describe('Cloud API outbound bodies', () => {
  const opts = (n: number, label = (i: number) => `Opção ${i}`) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: label(i) }));

  it('up to 3 options are reply buttons (titles cut to 20), up to 10 a list (titles 24, the whole label below), more the numbered text', () => {
    const b = cloudMessageBody('5511', { kind: 'options', text: 'Escolha:', options: opts(3, (i) => (i === 0 ? 'Segunda via de boleto bancário' : `O${i}`)) });
    expect(b.interactive).toMatchObject({ type: 'button', action: { buttons: [{ reply: { id: 'o0', title: 'Segunda via de bole…' } }, {}, {}] } });
    const l = cloudMessageBody('5511', { kind: 'options', text: 'Escolha:', options: opts(10, (i) => (i === 0 ? 'Horário de atendimento das lojas' : `O${i}`)) }) as any;
    expect(l.interactive.type).toBe('list');
    expect(l.interactive.action.sections[0].rows[0]).toEqual({ id: 'o0', title: 'Horário de atendimento…', description: 'Horário de atendimento das lojas' });
    expect(l.interactive.action.sections[0].rows).toHaveLength(10);
    const t = cloudMessageBody('5511', { kind: 'options', text: '1 - a\n2 - b', options: opts(11) });
    expect(t).toMatchObject({ type: 'text', text: { body: '1 - a\n2 - b' } });
  });

  it('a reply carries its context; a document its name and caption; an audio no caption; a template its body parameters', () => {
    expect(cloudMessageBody('5511', { kind: 'text', text: 'oi' }, 'wamid.0')).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '5511', context: { message_id: 'wamid.0' }, type: 'text', text: { body: 'oi', preview_url: false } });
    expect(cloudMessageBody('5511', { kind: 'media', media: 'document', attachmentId: 'x', filename: 'a.pdf', caption: 'c' }, null, 'M1')).toMatchObject({ type: 'document', document: { id: 'M1', filename: 'a.pdf', caption: 'c' } });
    expect(cloudMessageBody('5511', { kind: 'media', media: 'audio', attachmentId: 'x', caption: 'c' }, null, 'M2')).toMatchObject({ type: 'audio', audio: { id: 'M2' } });
    expect(cloudMessageBody('5511', { kind: 'template', name: 'aviso', language: 'pt_BR', parameters: [] })).toMatchObject({ template: { name: 'aviso', language: { code: 'pt_BR' } } });
  });

  it('131047 is a permanent window_closed; a bad token permanent; throttling and 5xx retried', () => {
    const closed = cloudSendError(new GraphError(400, 131047, null, 'Re-engagement message', 'more than 24 hours'));
    expect(closed).toBeInstanceOf(PermanentFailure);
    expect((closed as PermanentFailure).reasonCode).toBe('window_closed');
    expect((cloudSendError(new GraphError(401, 190, 463, 'expired')) as PermanentFailure).reasonCode).toBe('graph_190');
    expect(cloudSendError(new GraphError(400, 130429, null, 'throughput'))).not.toBeInstanceOf(PermanentFailure);
    expect(cloudSendError(new GraphError(503, null, null, 'down'))).not.toBeInstanceOf(PermanentFailure);
  });
});
