import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../adapter.js';
import { parseUpdate } from './parse.js';
import { callbackData } from './send.js';

// Updates written for these tests in the Bot API's wire format (the corpus is replayed by
// test/integration/corpus-telegram.test.ts).

const from = { id: 42, is_bot: false, first_name: 'Maria', last_name: 'Souza', username: 'maria_s' };
const chat = { id: 42, type: 'private', first_name: 'Maria' };
const body = (u: unknown) => Buffer.from(JSON.stringify(u));
const one = (u: unknown) => parseUpdate(body(u)).messages[0];

describe('Telegram updates as messages', () => {
  it('a text: the chat is the customer, the id is chat:message_id (message ids repeat across chats)', () => {
    expect(one({ update_id: 1, message: { message_id: 301, from, chat, date: 0, text: 'Oi' } })).toEqual({
      externalId: '42:301', contact: { externalId: '42', name: 'Maria Souza' }, text: 'Oi', contentType: 'text', payload: null,
    });
  });

  it('a photo takes the largest size; a document keeps its name and type; a voice is audio; caption is the text', () => {
    const photo = one({ update_id: 2, message: { message_id: 5, from, chat, date: 0, caption: 'comprovante', photo: [{ file_id: 'small', width: 90 }, { file_id: 'big', width: 1280 }] } });
    expect(photo).toMatchObject({ text: 'comprovante', contentType: 'image', media: [{ media: 'image', ref: 'big', mimeType: 'image/jpeg' }] });
    const doc = one({ update_id: 3, message: { message_id: 6, from, chat, date: 0, document: { file_id: 'd1', file_name: 'boleto.pdf', mime_type: 'application/pdf' } } });
    expect(doc).toMatchObject({ text: '', contentType: 'document', media: [{ media: 'document', ref: 'd1', filename: 'boleto.pdf', mimeType: 'application/pdf' }] });
    const voice = one({ update_id: 4, message: { message_id: 7, from, chat, date: 0, voice: { file_id: 'v1', duration: 3, mime_type: 'audio/ogg' } } });
    expect(voice).toMatchObject({ contentType: 'audio', payload: { duration: 3 }, media: [{ media: 'audio', ref: 'v1', mimeType: 'audio/ogg' }] });
    const sticker = one({ update_id: 5, message: { message_id: 8, from, chat, date: 0, sticker: { file_id: 's1', emoji: '😀' } } });
    expect(sticker).toMatchObject({ text: '😀', contentType: 'sticker', media: [{ media: 'sticker', ref: 's1' }] });
  });

  it('location, venue and contact carry their details; a reply names the message it answers', () => {
    expect(one({ update_id: 6, message: { message_id: 9, from, chat, date: 0, location: { latitude: -23.5, longitude: -46.6 } } })).toMatchObject({
      contentType: 'location', payload: { latitude: -23.5, longitude: -46.6 },
    });
    expect(one({ update_id: 7, message: { message_id: 10, from, chat, date: 0, contact: { first_name: 'João', phone_number: '5511988887777' } } })).toMatchObject({
      contentType: 'contacts', text: 'João 5511988887777', payload: { contacts: [{ name: 'João', phone: '+5511988887777' }] },
    });
    expect(one({ update_id: 8, message: { message_id: 11, from, chat, date: 0, text: 'isso', reply_to_message: { message_id: 3, chat, date: 0 } } })).toMatchObject({ payload: { replyTo: '42:3' } });
  });

  it('a button press answers the bot as the option, stored under the button label; a long id goes by number', () => {
    const message = { message_id: 20, chat, date: 0, text: 'Escolha:', reply_markup: { inline_keyboard: [[{ text: 'Financeiro', callback_data: 'fin' }], [{ text: 'Suporte', callback_data: '#2' }]] } };
    const parsed = parseUpdate(body({ update_id: 9, callback_query: { id: 'cb1', from, message, chat_instance: '1', data: 'fin' } }));
    expect(parsed.callbacks).toEqual(['cb1']);
    expect(parsed.messages[0]).toMatchObject({ externalId: 'callback:cb1', text: 'Financeiro', option: 'fin', contact: { externalId: '42' } });
    expect(one({ update_id: 10, callback_query: { id: 'cb2', from, message, chat_instance: '1', data: '#2' } })).toMatchObject({ text: '2', payload: { label: 'Suporte' } });
    expect(one({ update_id: 10, callback_query: { id: 'cb2', from, message, chat_instance: '1', data: '#2' } }).option).toBeUndefined();
    expect(callbackData('fin', 0)).toBe('fin');
    expect(callbackData('x'.repeat(65), 4)).toBe('#5');
  });

  it('an edit names the message it changes; a reaction its target; a deletion the ids', () => {
    expect(one({ update_id: 11, edited_message: { message_id: 301, from, chat, date: 0, edit_date: 99, text: 'Oi!' } })).toMatchObject({
      externalId: '42:301:edit:99', contentType: 'edit', text: 'Oi!', payload: { editOf: '42:301', editedKind: 'text' },
    });
    expect(one({ update_id: 12, message_reaction: { chat, user: from, message_id: 301, date: 0, new_reaction: [{ type: 'emoji', emoji: '👍' }], old_reaction: [] } })).toMatchObject({
      contentType: 'reaction', text: '👍', payload: { emoji: '👍', target: '42:301' },
    });
    expect(one({ update_id: 13, deleted_business_messages: { business_connection_id: 'b', chat, message_ids: [1, 2] } })).toMatchObject({ contentType: 'delete', payload: { deleteOf: ['42:1', '42:2'] } });
  });

  it('a blocked bot stores nothing; an update of a kind Mirante cannot show is kept as unsupported', () => {
    const blocked = parseUpdate(body({ update_id: 14, my_chat_member: { chat, from, date: 0, old_chat_member: { status: 'member', user: { id: 1, is_bot: true } }, new_chat_member: { status: 'kicked', until_date: 0, user: { id: 1, is_bot: true } } } }));
    expect(blocked).toEqual({ messages: [], callbacks: [] });
    expect(one({ update_id: 15, message: { message_id: 12, from, chat, date: 0, poll: { id: 'p', question: '?' } } })).toMatchObject({ contentType: 'unsupported', text: 'tipo de mensagem não suportado: poll' });
    expect(one({ update_id: 16, inline_query: { id: 'q', from, query: 'x', offset: '' } })).toMatchObject({ externalId: 'update:16', contentType: 'unsupported', text: 'tipo de mensagem não suportado: inline_query' });
  });

  it('a body that is not an Update is a parse error', () => {
    expect(() => parseUpdate(Buffer.from('nope'))).toThrow(WebhookParseError);
    expect(() => parseUpdate(body({ message: {} }))).toThrow(WebhookParseError);
  });
});
