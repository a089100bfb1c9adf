import { randomInt } from 'node:crypto';
import { gupshup } from '../sandbox/gupshup.js';
import { metaMessenger } from '../sandbox/meta-messenger.js';
import { metaWhatsApp } from '../sandbox/meta-whatsapp.js';
import type { Sandbox, SandboxCall } from '../sandbox/sandbox.js';
import * as telegram from '../sandbox/telegram.js';
import { customerTexts } from '../sandbox/twilio.js';
import type { DrawnOption } from './customer.js';
import { delivered, hear, type DemoEnv, type Person } from './people.js';
import type { Linked } from './provider-accounts.js';

// Customers on the providers' channels (WhatsApp by Meta and by Gupshup, Instagram, Messenger,
// Telegram, SMS): each writes through the sandbox's customer functions (the provider's signed
// webhook to Mirante), and hears what Mirante sends them through the sandbox's record of each call
// (`onCall`), answering the bot with the channel's own widgets.

/** A channel customers arrive on: `arrive` makes a new one write their first message. */
export interface Arrivals {
  serviceName: string;
  channel: string;
  arrive(name: string, text: string): Promise<void>;
}

type Obj = Record<string, any>;

/** What Mirante sent one customer, read from the provider's API call: who, the text, the options drawn. */
interface Heard {
  key: string;
  text: string;
  options: DrawnOption[] | null;
  /** the provider's answer (Telegram's message, which a callback query names) */
  response: unknown;
  /** WhatsApp drew the menu as a list (a pick is a list_reply), not reply buttons */
  list?: boolean;
}

const parse = (s: unknown): Obj => {
  try {
    return typeof s === 'string' ? (JSON.parse(s) as Obj) : ((s as Obj) ?? {});
  } catch {
    return {};
  }
};

/** Reads a send of Mirante to a customer, per provider; null for anything else (receipts, media, reads). */
export function readSend(call: SandboxCall): Heard | null {
  const b = (call.body ?? {}) as Obj;
  switch (call.provider) {
    case 'meta-whatsapp': {
      if (!/\/messages$/.test(call.url) || typeof b.to !== 'string') return null;
      if (b.type === 'text') return { key: `wa:${b.to}`, text: String(b.text?.body ?? ''), options: null, response: call.response };
      if (b.type !== 'interactive') return null;
      const i = b.interactive ?? {};
      const options: DrawnOption[] =
        i.type === 'button'
          ? (i.action?.buttons ?? []).map((x: Obj) => ({ id: x.reply?.id, title: x.reply?.title }))
          : (i.action?.sections ?? []).flatMap((s: Obj) => (s.rows ?? []).map((r: Obj) => ({ id: r.id, title: r.title, description: r.description })));
      return { key: `wa:${b.to}`, text: String(i.body?.text ?? ''), options, response: call.response, list: i.type === 'list' };
    }
    case 'gupshup': {
      if (!call.url.startsWith('/wa/api/v1/msg') || typeof b.destination !== 'string') return null;
      const m = parse(b.message);
      const key = `gs:${b.destination}`;
      if (m.type === 'text') return { key, text: String(m.text ?? ''), options: null, response: null };
      if (m.type === 'quick_reply') return { key, text: String(m.content?.text ?? ''), options: (m.options ?? []).map((o: Obj) => ({ id: o.postbackText, title: o.title })), response: call.response, list: false };
      if (m.type === 'list') {
        const options = (m.items ?? []).flatMap((it: Obj) => (it.options ?? []).map((o: Obj) => ({ id: o.postbackText, title: o.title, description: o.description })));
        return { key, text: String(m.body ?? ''), options, response: call.response, list: true };
      }
      return null;
    }
    case 'meta-messenger': {
      const recipient = b.recipient?.id;
      if (!/\/messages$/.test(call.url) || !recipient || typeof b.message?.text !== 'string') return null;
      const quick = b.message.quick_replies as Obj[] | undefined;
      return { key: `mm:${recipient}`, text: b.message.text, options: quick ? quick.map((q) => ({ id: q.payload, title: q.title })) : null, response: null };
    }
    case 'telegram': {
      if (!call.url.endsWith('/sendMessage') || b.chat_id === undefined) return null;
      const keys = (b.reply_markup?.inline_keyboard ?? []).flat() as Obj[];
      return { key: `tg:${b.chat_id}`, text: String(b.text ?? ''), options: keys.length ? keys.map((k) => ({ id: k.callback_data, title: k.text })) : null, response: (call.response as Obj)?.result };
    }
    case 'twilio':
      if (!call.url.endsWith('/Messages.json') || typeof b.To !== 'string') return null;
      return { key: `sms:${b.To}`, text: String(b.Body ?? ''), options: null, response: null };
    default:
      return null;
  }
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** The arrivals of every linked provider account, and the listener that lets their customers hear Mirante. */
export function providerCustomers(env: DemoEnv, sandbox: Sandbox, linked: Linked[]): {
  arrivals: Arrivals[];
  /** A customer of the Meta WhatsApp account known by number (a campaign's contact): hears Mirante as any other, `say` writes as them. */
  whatsappContact(waId: string, name: string): Person | null;
  stop(): void;
} {
  const people = new Map<string, Person & { last?: Heard }>();
  const unlisten = sandbox.onCall((call) => {
    if (call.status >= 400) {
      if (!env.tally.stopped) env.tally.providerErrors.push({ what: `${call.method} ${call.provider}${call.url.split('?')[0]}`, status: call.status, detail: JSON.stringify(call.response).slice(0, 300), at: new Date().toISOString() });
      return;
    }
    const heard = readSend(call);
    const person = heard && people.get(heard.key);
    if (!heard || !person) return;
    person.last = heard;
    hear(env, person, call.provider, heard.text, heard.options);
  });

  const add = (key: string, say: Person['say'], pick?: (p: Person & { last?: Heard }, o: DrawnOption) => Promise<unknown>) => {
    const p: Person & { last?: Heard } = { chat: {}, replies: 0, say };
    if (pick) p.pick = (o) => pick(p, o);
    people.set(key, p);
    return p;
  };
  const metaPerson = (l: Extract<Linked, { provider: 'meta-whatsapp' }>, waId: string, name: string) => {
    const what = `webhook ${l.provider} (${l.serviceName})`;
    const check = async (r: Promise<{ status: number; text: string }>) => delivered(env, what, await r);
    const from = { waId, name };
    return add(`wa:${waId}`, (t) => check(metaWhatsApp.customerSays(l.phoneNumberId, from, t)), (p, o) =>
      check(metaWhatsApp.customerPicks(l.phoneNumberId, from, { id: o.id, title: o.title, list: p.last?.list === true })));
  };

  const arrivals = linked.map((l): Arrivals => {
    const channel = l.provider === 'meta-messenger' ? l.page.channel : { 'meta-whatsapp': 'whatsapp', gupshup: 'whatsapp', telegram: 'telegram', twilio: 'sms' }[l.provider];
    const what = `webhook ${l.provider} (${l.serviceName})`;
    const check = async (r: Promise<{ status: number; text: string }>) => delivered(env, what, await r);
    return {
      serviceName: l.serviceName,
      channel,
      async arrive(name, text) {
        switch (l.provider) {
          case 'meta-whatsapp':
            await metaPerson(l, `55119${digits(8)}`, name).say(text);
            return;
          case 'gupshup': {
            const from = { phone: `55219${digits(8)}`, name };
            add(`gs:${from.phone}`, (t) => check(gupshup.customerSays(l.appName, from, t)), (p, o) =>
              check(gupshup.customerPicks(l.appName, from, { id: o.id, title: o.title, list: p.last?.list === true })));
            return check(gupshup.customerSays(l.appName, from, text));
          }
          case 'meta-messenger': {
            const customer = metaMessenger.addCustomer({ id: `${l.page.channel === 'instagram' ? '17' : '25'}${digits(14)}`, name, username: name.toLowerCase().replace(/\W+/g, '.') });
            add(`mm:${customer.id}`, (t) => check(metaMessenger.customerSays(l.page, customer, t)), (_p, o) => check(metaMessenger.customerPicks(l.page, customer, { title: o.title, payload: o.id })));
            return check(metaMessenger.customerSays(l.page, customer, text));
          }
          case 'telegram': {
            const [firstName, ...rest] = name.split(' ');
            const c: telegram.TelegramCustomer = { id: 500_000_000 + randomInt(1_000_000_000), firstName, lastName: rest.join(' ') || undefined };
            add(`tg:${c.id}`, (t) => check(telegram.customerSays(sandbox, l.botToken, c, t)), (p, o) =>
              check(telegram.customerPicks(sandbox, l.botToken, c, (p.last?.response as Obj) ?? {}, o.id)));
            return check(telegram.customerSays(sandbox, l.botToken, c, text));
          }
          case 'twilio': {
            const phone = `+55319${digits(8)}`;
            // SMS has no widgets: the customer answers a menu with its number (people.ts)
            add(`sms:${phone}`, (t) => check(customerTexts(sandbox, l.target, phone, t)));
            return check(customerTexts(sandbox, l.target, phone, text));
          }
        }
      },
    };
  });
  // the providers keep what Mirante sent (their receipts look it up): for a demo of hours, the latest only
  const trim = setInterval(() => {
    for (const sent of [metaWhatsApp.sent, gupshup.sent, metaMessenger.sent] as unknown[][]) if (sent.length > 2000) sent.splice(0, sent.length - 2000);
  }, 60_000);
  trim.unref();
  return {
    arrivals,
    whatsappContact(waId, name) {
      const l = linked.find((x): x is Extract<Linked, { provider: 'meta-whatsapp' }> => x.provider === 'meta-whatsapp');
      return l ? metaPerson(l, waId, name) : null;
    },
    stop() {
      clearInterval(trim);
      unlisten();
    },
  };
}
