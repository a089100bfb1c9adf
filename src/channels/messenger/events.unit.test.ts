import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../adapter.js';
import { eventTime, OPTION_PAYLOAD_PREFIX, parseMessengerEvents, unsupportedText } from './events.js';

// The Messenger Platform's events, written here as Meta documents them (channels.md §3, §4); the
// corpus's own files are replayed through the webhook in test/integration/corpus-messenger-instagram.test.ts.

const PAGE = '682498302938465';
const USER = '6254823401234567';
const own = { ownIds: new Set([PAGE]) };
const body = (...messaging: unknown[]) => Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: 1718000000100, messaging }] }));
const from = (e: Record<string, unknown>) => ({ sender: { id: USER }, recipient: { id: PAGE }, timestamp: 1718000000000, ...e });

describe('Messenger Platform events', () => {
  it('a text with a reply context, keyed by its mid', () => {
    const r = parseMessengerEvents(body(from({ message: { mid: 'm_1', text: 'Oi!', reply_to: { mid: 'm_0' } } })), own);
    expect(r.messages).toEqual([{ contact: { externalId: USER }, externalId: 'm_1', text: 'Oi!', contentType: 'text', payload: { replyTo: 'm_0' } }]);
    expect(r.receipts).toEqual([]);
  });

  it('files become references to fetch; a sticker is told from an image; a location is drawn as text', () => {
    const r = parseMessengerEvents(
      body(
        from({ message: { mid: 'm_img', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/a.jpg' } }] } }),
        from({ message: { mid: 'm_st', sticker_id: 369239263222822, attachments: [{ type: 'image', payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 } }] } }),
        from({ message: { mid: 'm_doc', text: 'segue', attachments: [{ type: 'file', payload: { url: 'https://cdn.example/b.pdf' } }] } }),
        from({ message: { mid: 'm_loc', attachments: [{ type: 'location', title: 'Loja', payload: { coordinates: { lat: -23.5, long: -46.6 } } }] } }),
      ),
      own,
    );
    expect(r.messages.map((m) => [m.contentType, m.text, m.media?.map((x) => x.media)])).toEqual([
      ['image', '', ['image']],
      ['sticker', '', ['sticker']],
      ['document', 'segue', ['document']],
      ['location', 'Localização: -23.5, -46.6', undefined],
    ]);
    expect(r.messages[0].media).toEqual([{ media: 'image', ref: 'https://cdn.example/a.jpg' }]);
    expect(r.messages[3].payload).toEqual({ location: { latitude: -23.5, longitude: -46.6, name: 'Loja' } });
  });

  it('a quick reply Mirante drew answers the bot as its option; a foreign payload stays a text', () => {
    const r = parseMessengerEvents(
      body(
        from({ message: { mid: 'm_q', text: 'Financeiro', quick_reply: { payload: `${OPTION_PAYLOAD_PREFIX}fin` } } }),
        from({ message: { mid: 'm_q2', text: 'Outro', quick_reply: { payload: 'SOMEONE_ELSES' } } }),
        from({ postback: { mid: 'm_pb', title: 'Começar', payload: '__GET_STARTED__' } }),
      ),
      own,
    );
    expect(r.messages[0]).toMatchObject({ externalId: 'm_q', text: 'Financeiro', contentType: 'interactive', option: 'fin' });
    expect(r.messages[1].option).toBeUndefined();
    expect(r.messages[2]).toMatchObject({ externalId: 'm_pb', text: 'Começar', contentType: 'interactive', payload: { postback: '__GET_STARTED__' } });
  });

  it('echoes of the page, referrals and opt-ins store nothing; an unknown attachment is stored as unsupported', () => {
    const r = parseMessengerEvents(
      body(
        from({ message: { mid: 'm_e', text: 'nós', is_echo: true, app_id: 1 } }),
        { sender: { id: PAGE }, recipient: { id: USER }, timestamp: 1, message: { mid: 'm_e2', text: 'da página' } },
        from({ referral: { ref: 'x', source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
        from({ optin: { ref: 'y' } }),
        from({ message: { mid: 'm_u', attachments: [{ type: 'ephemeral', payload: {} }] } }),
      ),
      own,
    );
    expect(r.messages).toEqual([{ contact: { externalId: USER }, externalId: 'm_u', text: unsupportedText('ephemeral'), contentType: 'unsupported', payload: {} }]);
  });

  it('reactions, unsend and edits are messages of their own, pointing at their target', () => {
    const r = parseMessengerEvents(
      body(
        from({ reaction: { mid: 'm_1', action: 'react', emoji: '❤️', reaction: 'love' } }),
        from({ reaction: { mid: 'm_1', action: 'unreact', emoji: '❤️', reaction: 'love' }, timestamp: 1718000000500 }),
        from({ message: { mid: 'm_1', is_deleted: true } }),
        from({ message_edit: { mid: 'm_1', text: 'Oi de novo', num_edit: 1 } }),
      ),
      own,
    );
    expect(r.messages.map((m) => [m.contentType, m.text, m.externalId])).toEqual([
      ['reaction', 'Reagiu com ❤️', `reaction:m_1:${USER}:react:1718000000000`],
      ['reaction', 'Removeu a reação ❤️', `reaction:m_1:${USER}:unreact:1718000000500`],
      ['deleted', 'Mensagem apagada pelo cliente', 'm_1#deleted'],
      ['edit', 'Oi de novo', 'm_1#edit1'],
    ]);
    expect(r.messages[0].payload).toEqual({ reaction: { emoji: '❤️', name: 'love', action: 'react', targetId: 'm_1' } });
  });

  it('Instagram: story replies, story mentions (fetched) and shares', () => {
    const ig = { ownIds: new Set(['17841400000000000']) };
    const b = Buffer.from(
      JSON.stringify({
        object: 'instagram',
        entry: [{ id: '17841400000000000', time: 1, messaging: [
          { sender: { id: 'ig1' }, recipient: { id: '17841400000000000' }, timestamp: 2, message: { mid: 'a1', text: 'Que lindo', reply_to: { story: { id: 's1', url: 'https://lookaside/s1' } } } },
          { sender: { id: 'ig1' }, recipient: { id: '17841400000000000' }, timestamp: 3, message: { mid: 'a2', attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside/m.jpg' } }] } },
          { sender: { id: 'ig1' }, recipient: { id: '17841400000000000' }, timestamp: 4, message: { mid: 'a3', attachments: [{ type: 'share', payload: { url: 'https://instagram.com/p/1' } }] } },
        ] }],
      }),
    );
    const r = parseMessengerEvents(b, ig);
    expect(r.messages.map((m) => m.contentType)).toEqual(['story_reply', 'story_mention', 'share']);
    expect(r.messages[0].payload).toEqual({ story: { id: 's1', url: 'https://lookaside/s1' } });
    expect(r.messages[1].media).toEqual([{ media: 'image', ref: 'https://lookaside/m.jpg' }]);
    expect(r.messages[2].text).toBe('https://instagram.com/p/1');
  });

  it('receipts: delivery by mids, Instagram read by mid, Messenger read by watermark', () => {
    const r = parseMessengerEvents(
      body(
        from({ delivery: { mids: ['m_a', 'm_b'], watermark: 1718000000200 } }),
        from({ read: { mid: 'm_a' } }),
        from({ read: { watermark: 1718000000300 } }),
      ),
      own,
    );
    expect(r.receipts).toEqual([
      { providerMessageId: 'm_a', status: 'delivered', at: new Date(1718000000200) },
      { providerMessageId: 'm_b', status: 'delivered', at: new Date(1718000000200) },
      { providerMessageId: 'm_a', status: 'read', at: new Date(1718000000000) },
    ]);
    expect(r.watermarks).toEqual([{ parties: [USER, PAGE], status: 'read', at: new Date(1718000000300) }]);
    expect(r.messages).toEqual([]);
  });

  it('standby messages are kept, marked; a body of another shape is refused', () => {
    const b = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: 1, standby: [from({ message: { mid: 'm_s', text: 'oi' } })] }] }));
    expect(parseMessengerEvents(b, own).messages[0]).toMatchObject({ externalId: 'm_s', payload: { standby: true } });
    expect(() => parseMessengerEvents(Buffer.from('nope'), own)).toThrow(WebhookParseError);
    expect(() => parseMessengerEvents(Buffer.from('{"object":"page"}'), own)).toThrow(WebhookParseError);
    expect(() => parseMessengerEvents(Buffer.from('{"object":"whatsapp_business_account","entry":[]}'), own)).toThrow(WebhookParseError);
  });

  it('times: milliseconds, seconds and ISO text', () => {
    const fallback = new Date(0);
    expect(eventTime(1718000000000, fallback)).toEqual(new Date(1718000000000));
    expect(eventTime('1527459824', fallback)).toEqual(new Date(1527459824000));
    expect(eventTime('2021-09-08T06:34:04+0000', fallback)).toEqual(new Date('2021-09-08T06:34:04Z'));
    expect(eventTime('never', fallback)).toBe(fallback);
  });
});
