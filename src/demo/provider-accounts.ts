import { randomBytes } from 'node:crypto';
import { gupshup } from '../sandbox/gupshup.js';
import { metaMessenger, type MessengerPage } from '../sandbox/meta-messenger.js';
import { metaWhatsApp } from '../sandbox/meta-whatsapp.js';
import { SANDBOX_PROVIDERS } from '../sandbox/providers.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { telegramState } from '../sandbox/telegram.js';
import { twilioState, type TwilioTarget } from '../sandbox/twilio.js';
import type { Session } from './session.js';

// The demo's channel accounts: the provider sandbox (src/sandbox/) started in-process on loopback,
// and one account per provider, made (or updated, on every start: the sandbox's port changes) through
// the admin API with its apiBaseUrl at the sandbox, and linked to its demo service. Identifiers are
// fixed demo values; the secrets are new random ones on every start (the sandbox lives as long as the
// demo). Nothing reaches the internet: Mirante sends to the sandbox, the sandbox calls Mirante.

/** The account of one provider as the customers' side needs it. */
export type Linked =
  | { provider: 'meta-whatsapp'; serviceName: string; phoneNumberId: string }
  | { provider: 'gupshup'; serviceName: string; appName: string }
  | { provider: 'meta-messenger'; serviceName: string; page: MessengerPage }
  | { provider: 'telegram'; serviceName: string; botToken: string }
  | { provider: 'twilio'; serviceName: string; target: TwilioTarget };

const secret = () => randomBytes(18).toString('base64url');

interface AccountSpec {
  serviceName: string;
  channel: string;
  provider: string;
  accountName: string;
  config: (apiBase: string) => Record<string, unknown>;
  credentials: Record<string, string>;
}

const PHONE_NUMBER_ID = '109000000000001';
const GUPSHUP_APP = 'MiranteDemo';
const FB_PAGE = '100000000000001';
const IG_PAGE = '100000000000002';
const IG_USER = '17841400000000001';
const TWILIO_SID = `AC${'d3m0'.repeat(8)}`;
const SMS_NUMBER = '+5511400030000';
const BOT_ID = '7000000001';

/**
 * Starts the sandbox and connects every provider's demo account to it. `reach` turns a webhook URL of
 * Mirante (PUBLIC_URL's) into the address the sandbox posts to (the server on loopback).
 */
export async function connectProviders(
  admin: Session,
  opts: { miranteUrl: string; onServer?: (url: string) => void; log: (msg: string) => void },
): Promise<{ sandbox: Sandbox; linked: Linked[] }> {
  const sandbox = await startSandbox({ providers: SANDBOX_PROVIDERS, host: '127.0.0.1', port: 0, keepRequests: 1000 });
  opts.onServer?.(sandbox.url);
  const services = (await admin.call<{ items: any[] }>('GET', '/api/services?active=true')).body.items;
  const accounts = (await admin.call<{ items: any[] }>('GET', '/api/channel-accounts')).body.items;
  let publicOrigin: string | null = null;
  const reach = (url: string) => (publicOrigin && url.startsWith(publicOrigin) ? opts.miranteUrl + url.slice(publicOrigin.length) : url);
  // Twilio signs, and Telegram posts to, the URL Mirante gave them (PUBLIC_URL's): delivered on loopback
  twilioState(sandbox).deliverTo = reach;
  telegramState(sandbox).deliverTo = reach;

  const wa = { accessToken: secret(), appSecret: secret(), verifyToken: secret() };
  const gs = { apiKey: secret(), appToken: secret(), webhookSecret: secret() };
  const fb = { pageAccessToken: secret(), appSecret: secret(), verifyToken: secret() };
  const ig = { pageAccessToken: secret(), appSecret: secret(), verifyToken: secret() };
  const botToken = `${BOT_ID}:${secret()}`;
  const sms = { authToken: secret() };
  // the provider knows the account before Mirante saves it (Meta's page subscription, on save); the
  // webhook URL is filled in once the account has its id
  metaWhatsApp.connect({ phoneNumberId: PHONE_NUMBER_ID, wabaId: '209000000000001', ...wa, webhookUrl: '', displayPhoneNumber: '551140001000', verifiedName: 'Mirante Demo' });
  gupshup.connect({ appName: GUPSHUP_APP, appId: 'demo-app-0001', apiKey: gs.apiKey, appToken: gs.appToken, sourceNumber: '5511400020000', webhookUrl: '', webhookSecret: gs.webhookSecret, wallet: { currency: 'USD', currentBalance: 250, overDraftLimit: 0 } });
  const fbPage = metaMessenger.connect({ channel: 'facebook', pageId: FB_PAGE, pageAccessToken: fb.pageAccessToken, appSecret: fb.appSecret, webhookUrl: '', name: 'Mirante Demo' });
  const igPage = metaMessenger.connect({ channel: 'instagram', pageId: IG_PAGE, igUserId: IG_USER, pageAccessToken: ig.pageAccessToken, appSecret: ig.appSecret, webhookUrl: '', name: 'mirante.demo' });
  twilioState(sandbox).tokens.set(TWILIO_SID, sms.authToken);

  const specs: AccountSpec[] = [
    { serviceName: 'WhatsApp Atendimento', channel: 'whatsapp', provider: 'meta', accountName: 'Demo WhatsApp Cloud (sandbox)', config: (b) => ({ phoneNumberId: PHONE_NUMBER_ID, wabaId: '209000000000001', apiBaseUrl: `${b}/meta-whatsapp/v21.0` }), credentials: wa },
    { serviceName: 'WhatsApp Financeiro', channel: 'whatsapp', provider: 'gupshup', accountName: 'Demo WhatsApp Gupshup (sandbox)', config: (b) => ({ appName: GUPSHUP_APP, appId: 'demo-app-0001', sourceNumber: '5511400020000', apiBaseUrl: `${b}/gupshup` }), credentials: gs },
    { serviceName: 'Instagram Direct', channel: 'instagram', provider: 'meta', accountName: 'Demo Instagram (sandbox)', config: (b) => ({ igUserId: IG_USER, pageId: IG_PAGE, apiBaseUrl: `${b}/meta-messenger/v21.0` }), credentials: ig },
    { serviceName: 'Facebook Messenger', channel: 'facebook', provider: 'meta', accountName: 'Demo Messenger (sandbox)', config: (b) => ({ pageId: FB_PAGE, apiBaseUrl: `${b}/meta-messenger/v21.0` }), credentials: fb },
    { serviceName: 'Telegram Suporte', channel: 'telegram', provider: 'telegram', accountName: 'Demo Telegram (sandbox)', config: (b) => ({ botUsername: `sandbox_${BOT_ID}_bot`, apiBaseUrl: `${b}/telegram` }), credentials: { botToken } },
    { serviceName: 'SMS Cobrança', channel: 'sms', provider: 'twilio', accountName: 'Demo SMS Twilio (sandbox)', config: (b) => ({ accountSid: TWILIO_SID, fromNumber: SMS_NUMBER, apiBaseUrl: `${b}/twilio` }), credentials: sms },
  ];

  const linked: Linked[] = [];
  for (const spec of specs) {
    const service = services.find((s) => s.name === spec.serviceName && s.channel === spec.channel);
    if (!service) {
      opts.log(`serviço "${spec.serviceName}" não encontrado: o canal ${spec.channel} fica sem clientes`);
      continue;
    }
    const body = { provider: spec.provider, config: spec.config(sandbox.url), credentials: spec.credentials, active: true };
    const existing = accounts.find((a) => a.name === spec.accountName && a.channel === spec.channel);
    const saved = existing
      ? await admin.call('PATCH', `/api/channel-accounts/${existing.id}`, body)
      : await admin.call('POST', '/api/channel-accounts', { channel: spec.channel, name: spec.accountName, ...body });
    if (saved.status !== 200 && saved.status !== 201) throw new Error(`saving the demo account "${spec.accountName}" failed (${saved.status}): ${JSON.stringify(saved.body)}`);
    const account = saved.body;
    for (const w of account.warnings ?? []) opts.log(`${spec.accountName}: ${w.message}`);
    if (service.channelAccountId !== account.id) {
      const link = await admin.call('PATCH', `/api/services/${service.id}`, { channelAccountId: account.id });
      if (link.status !== 200) throw new Error(`linking "${spec.serviceName}" to its account failed (${link.status}): ${JSON.stringify(link.body)}`);
    }
    const ownUrl = `${opts.miranteUrl}/webhooks/${spec.channel}/${account.id}`;
    if (account.webhookUrl) publicOrigin = String(account.webhookUrl).slice(0, -`/webhooks/${spec.channel}/${account.id}`.length);
    const webhookUrl = account.webhookUrl ? reach(account.webhookUrl) : ownUrl;
    switch (spec.serviceName) {
      case 'WhatsApp Atendimento':
        metaWhatsApp.update(PHONE_NUMBER_ID, { webhookUrl });
        linked.push({ provider: 'meta-whatsapp', serviceName: spec.serviceName, phoneNumberId: PHONE_NUMBER_ID });
        break;
      case 'WhatsApp Financeiro':
        gupshup.update(GUPSHUP_APP, { webhookUrl });
        linked.push({ provider: 'gupshup', serviceName: spec.serviceName, appName: GUPSHUP_APP });
        break;
      case 'Instagram Direct':
        igPage.webhookUrl = webhookUrl;
        linked.push({ provider: 'meta-messenger', serviceName: spec.serviceName, page: igPage });
        break;
      case 'Facebook Messenger':
        fbPage.webhookUrl = webhookUrl;
        linked.push({ provider: 'meta-messenger', serviceName: spec.serviceName, page: fbPage });
        break;
      case 'Telegram Suporte':
        // Mirante gave the sandbox its webhook (setWebhook) when the account was saved: that needs PUBLIC_URL
        if (!telegramState(sandbox).bots.get(botToken)?.webhook) {
          opts.log('Telegram sem webhook (defina PUBLIC_URL): o canal fica sem clientes');
          break;
        }
        linked.push({ provider: 'telegram', serviceName: spec.serviceName, botToken });
        break;
      case 'SMS Cobrança':
        // Twilio signs the URL it was given: PUBLIC_URL's, else the one it posts to
        linked.push({ provider: 'twilio', serviceName: spec.serviceName, target: { url: account.webhookUrl ?? ownUrl, authToken: sms.authToken, accountSid: TWILIO_SID, to: SMS_NUMBER } });
        break;
    }
  }
  return { sandbox, linked };
}
