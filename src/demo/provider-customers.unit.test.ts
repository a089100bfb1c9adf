import { describe, expect, it } from 'vitest';
import { SAMPLE_FLOW_PT_BR } from '../core/bot-flow-sample.js';
import { renderText } from '../core/bot-flow-text.js';
import { quickReplies } from '../channels/messenger/send.js';
import { cloudMessageBody } from '../channels/whatsapp/cloud/send.js';
import type { SandboxCall } from '../sandbox/sandbox.js';
import { numberFor, optionFor } from './customer.js';
import { readSend } from './provider-customers.js';

// The demo's customers read Mirante's sends as the sandbox recorded them, and press the option a
// label stands for: checked against the channels' own renderers, whose titles clip long labels.

const menus = Object.values(SAMPLE_FLOW_PT_BR.steps).flatMap((s) => (s.kind === 'menu' ? [{ text: s.text, options: s.options.map((o) => ({ id: o.id, label: o.label })) }] : []));
const call = (provider: string, url: string, body: unknown): SandboxCall => ({ provider, method: 'POST', url, headers: {}, body, at: new Date(), status: 200, response: {} });

describe('a demo customer reads a bot menu and presses its option', () => {
  it('on WhatsApp Cloud: reply buttons, or list rows whose long labels are clipped', () => {
    for (const m of menus) {
      const heard = readSend(call('meta-whatsapp', '/v21.0/109/messages', cloudMessageBody('5511999990000', { kind: 'options', text: m.text, options: m.options })));
      expect(heard?.key).toBe('wa:5511999990000');
      expect(heard?.text).toBe(m.text);
      for (const o of m.options) expect(optionFor(o.label, heard!.options!)?.id, o.label).toBe(o.id);
    }
  });

  it('on Messenger and Instagram: quick replies, titles cut at 20 characters with an ellipsis', () => {
    for (const m of menus) {
      const heard = readSend(call('meta-messenger', '/v21.0/me/messages', { recipient: { id: '2512' }, message: { text: m.text, quick_replies: quickReplies(m.options) } }));
      expect(heard?.key).toBe('mm:2512');
      for (const o of m.options) expect(optionFor(o.label, heard!.options!)?.id, o.label).toBe(`MIRANTE_OPTION:${o.id}`);
    }
    expect(quickReplies([{ id: 'outros', label: 'Outros assuntos financeiros' }])[0].title).toMatch(/…$/);
  });

  it('on Telegram: the inline keys of the sent message, and the message itself for the callback query', () => {
    const sent = { message_id: 7, chat: { id: 42 } };
    const c = { ...call('telegram', '/bot1:abc/sendMessage', { chat_id: 42, text: 'Como podemos ajudar?', reply_markup: { inline_keyboard: [[{ text: 'Financeiro', callback_data: 'financeiro' }], [{ text: 'Encerrar', callback_data: 'encerrar' }]] } }), response: { ok: true, result: sent } };
    const heard = readSend(c);
    expect(heard).toMatchObject({ key: 'tg:42', text: 'Como podemos ajudar?', response: sent });
    expect(optionFor('Encerrar', heard!.options!)?.id).toBe('encerrar');
  });

  it('on SMS: the numbered lines, answered by number', () => {
    for (const m of menus) {
      const text = renderText({ text: m.text, options: m.options } as never, 'numbered');
      const heard = readSend(call('twilio', '/2010-04-01/Accounts/AC1/Messages.json', { To: '+5531999990000', Body: text }));
      expect(heard).toMatchObject({ key: 'sms:+5531999990000', options: null });
      m.options.forEach((o, i) => expect(numberFor(o.label, heard!.text)).toBe(String(i + 1)));
    }
    expect(numberFor('Financeiro', 'Como podemos ajudar?')).toBeNull();
  });

  it('ignores what is not a send to a customer: a read mark, a wallet query', () => {
    expect(readSend(call('meta-whatsapp', '/v21.0/109/messages', { messaging_product: 'whatsapp', status: 'read', message_id: 'x' }))).toBeNull();
    expect(readSend({ ...call('gupshup', '/sm/api/v2/wallet/balance', null), method: 'GET' })).toBeNull();
  });
});
