import type { LoadedChannelAccount } from '../../../engine/channel-accounts.js';
import { WebhookParseError, type AccountContext, type ConnectionCheck, type WebhookRequest } from '../../adapter.js';
import { fetchLimited } from '../../media.js';
import { sameSecret } from '../../same-secret.js';
import type { WhatsAppProvider } from '../provider.js';
import { gupshupAccount, gupshupCall, GupshupError } from './client.js';
import { parseGupshupBody, parseGupshupWebhook } from './parse.js';
import { sendGupshup } from './send.js';

// WhatsApp through Gupshup (provider `gupshup`): account config `appName`, `appId`, `sourceNumber`,
// credentials `apiKey`, `appToken`, `webhookSecret`. Gupshup signs nothing: the callback URL carries
// the account's secret (`?token=<webhookSecret>`), or the subscription's custom header
// `Authorization: <webhookSecret>` does (channels.md §2); either must match, constant-time.

function given(req: WebhookRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header) return header.replace(/^Bearer\s+/i, '').trim();
  return req.query.token ?? null;
}

export function verifyGupshup(account: LoadedChannelAccount, req: WebhookRequest): boolean {
  return sameSecret(account.credentials.webhookSecret, given(req));
}

/** Who is wrong, in both languages, from a Gupshup failure. */
function gupshupProblem(e: unknown, what: { en: string; pt: string }): { en: string; pt: string } {
  if (e instanceof GupshupError) {
    if (e.status === 401 || e.status === 403) return { en: `Gupshup refused the ${what.en} (${e.message})`, pt: `a Gupshup recusou ${what.pt} (${e.message})` };
    if (e.status === 404) return { en: `Gupshup does not know this app (${e.message})`, pt: `a Gupshup não conhece este app (${e.message})` };
    return { en: `Gupshup answered ${e.status}: ${e.message}`, pt: `a Gupshup respondeu ${e.status}: ${e.message}` };
  }
  return { en: `Gupshup could not be reached (${(e as Error).message})`, pt: `não foi possível falar com a Gupshup (${(e as Error).message})` };
}

async function testGupshupConnection(ctx: AccountContext): Promise<ConnectionCheck> {
  const a = gupshupAccount(ctx.account);
  const missing = [!a.appName && 'appName', !a.source && 'sourceNumber', !a.apiKey && 'apiKey', !ctx.account.credentials.webhookSecret && 'webhookSecret'].filter(Boolean);
  if (missing.length) return { ok: false, problem: { en: `missing: ${missing.join(', ')}`, pt: `faltam: ${missing.join(', ')}` } };
  try {
    // the API key's own cheapest call: the account's balance
    await gupshupCall(`${a.api}/sm/api/v2/wallet/balance`, { headers: { apikey: a.apiKey } });
  } catch (e) {
    return { ok: false, problem: gupshupProblem(e, { en: 'API key', pt: 'a API key' }) };
  }
  if (!a.appId || !a.appToken) {
    return { ok: true, detail: { en: 'the API key works; without App Id and App Token the wallet and files cannot be used', pt: 'a API key funciona; sem App Id e App Token a carteira e o envio de arquivos não funcionam' } };
  }
  try {
    await gupshupCall(`${a.partner}/partner/app/${encodeURIComponent(a.appId)}/wallet/balance`, { headers: { authorization: a.appToken } });
  } catch (e) {
    return { ok: false, problem: gupshupProblem(e, { en: 'App Id / App Token', pt: 'o App Id / App Token' }) };
  }
  return { ok: true, detail: { en: `app ${a.appName}`, pt: `app ${a.appName}` } };
}

export const gupshupProvider: WhatsAppProvider = {
  verify: verifyGupshup,
  parse(account, req) {
    const body = parseGupshupBody(req.rawBody);
    // one callback URL per app: a body of another app is a misconfigured subscription
    const appName = account.config.appName;
    if (typeof body.app === 'string' && typeof appName === 'string' && appName && body.app !== appName) {
      throw new WebhookParseError(`the callback is for app "${body.app}", this account's is "${appName}"`);
    }
    return parseGupshupWebhook(body);
  },
  send: sendGupshup,
  async fetchMedia(_ctx, ref) {
    // Gupshup's media URLs are signed and public until `urlExpiry`; afterwards the CDN refuses (permanent)
    const { data, contentType } = await fetchLimited(ref.ref);
    return { data, mimeType: ref.mimeType ?? contentType ?? 'application/octet-stream', filename: ref.filename ?? null };
  },
  testConnection: testGupshupConnection,
};
