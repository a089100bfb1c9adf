import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { AccountContext, ChannelAdapter, ConnectionCheck, InboundMediaRef, WebhookHandler } from '../adapter.js';
import { fetchLimited } from '../media.js';
import { basicAuth, TwilioError, twilioBase, twilioCall } from './twilio/api.js';
import { parseTwilioForm } from './twilio/parse.js';
import { sendTwilio } from './twilio/send.js';
import { verifyTwilioSignature } from './twilio/signature.js';

// The SMS channel. One provider today, Twilio (account: config `accountSid`, `fromNumber`,
// `apiBaseUrl`; credentials `authToken`); the adapter dispatches on `account.provider`, so another
// SMS provider is a folder beside twilio/ and a branch here.

const isTwilio = (provider: string | null) => provider === null || provider === 'twilio';

const unknownProvider = (provider: string | null) => new PermanentFailure(`the SMS provider "${provider}" is not supported`, 'provider_unsupported');

const webhook: WebhookHandler = {
  verify: (account, req) => isTwilio(account.provider) && verifyTwilioSignature(account.credentials.authToken, req.url, req.rawBody, req.headers['x-twilio-signature']),
  parse: (_account, req) => parseTwilioForm(req.rawBody, new Date()),
  // TwiML with nothing to say: Twilio sends no automatic reply
  ack: () => ({ status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' }),
};

/** Twilio's media URLs need the account's credentials; a URL elsewhere (a customer's own host) gets none. */
async function fetchMedia({ account }: AccountContext, ref: InboundMediaRef) {
  if (!isTwilio(account.provider)) throw unknownProvider(account.provider);
  const sid = String(account.config.accountSid ?? '');
  const own = new URL(ref.ref).origin === new URL(twilioBase(account.config)).origin;
  const headers: Record<string, string> = own && sid && account.credentials.authToken ? { authorization: basicAuth(sid, account.credentials.authToken) } : {};
  const { data, contentType } = await fetchLimited(ref.ref, { headers });
  return { data, mimeType: contentType ?? ref.mimeType ?? 'application/octet-stream' };
}

async function testConnection({ account }: AccountContext): Promise<ConnectionCheck> {
  if (!isTwilio(account.provider)) return { ok: false, problem: { en: `unknown SMS provider "${account.provider}"`, pt: `provedor de SMS desconhecido "${account.provider}"` } };
  const sid = String(account.config.accountSid ?? '');
  const token = account.credentials.authToken;
  if (!sid || !token) return { ok: false, problem: { en: 'the account SID and the auth token are required', pt: 'o Account SID e o Auth Token são obrigatórios' } };
  try {
    const a = await twilioCall<{ friendly_name?: string; status?: string }>(twilioBase(account.config), sid, token, `/2010-04-01/Accounts/${encodeURIComponent(sid)}.json`);
    if (a.status && a.status !== 'active') return { ok: false, problem: { en: `the Twilio account is ${a.status}`, pt: `a conta Twilio está ${a.status === 'suspended' ? 'suspensa' : 'encerrada'}` } };
    return { ok: true, detail: { en: `connected to ${a.friendly_name ?? sid}`, pt: `conectado a ${a.friendly_name ?? sid}` } };
  } catch (err) {
    if (err instanceof TwilioError && err.status === 401) return { ok: false, problem: { en: 'Twilio refused the account SID or auth token', pt: 'o Twilio recusou o Account SID ou o Auth Token' } };
    if (err instanceof TwilioError && err.status === 404) return { ok: false, problem: { en: `Twilio has no account ${sid}`, pt: `o Twilio não tem a conta ${sid}` } };
    if (err instanceof TwilioError) return { ok: false, problem: { en: `Twilio answered ${err.status}: ${err.message}`, pt: `o Twilio respondeu ${err.status}: ${err.message}` } };
    return { ok: false, problem: { en: 'Twilio could not be reached', pt: 'não foi possível falar com o Twilio' } };
  }
}

export const smsAdapter: ChannelAdapter = {
  channel: 'sms',
  capabilities: CHANNEL_CAPABILITIES.sms,
  webhook,
  async send(ctx, message) {
    if (!isTwilio(ctx.account.provider)) throw unknownProvider(ctx.account.provider);
    return sendTwilio(ctx.account, ctx.db, message, ctx.publicUrl, ctx.mediaUrl);
  },
  fetchMedia,
  testConnection,
};
