import { AppError } from '../../../engine/errors.js';
import { PermanentFailure } from '../../../engine/outbox.js';
import type { AccountContext, ConnectionCheck, FetchedMedia, InboundMediaRef } from '../../adapter.js';
import { GraphError, graphCall } from '../../meta/graph.js';
import { hubChallenge, verifyHubSignature } from '../../meta/webhook-auth.js';
import { fetchLimited } from '../../media.js';
import type { WhatsAppProvider } from '../provider.js';
import { parseCloudWebhook } from './parse.js';
import { cloudAccount, sendCloud } from './send.js';

// WhatsApp through Meta's Cloud API (provider `meta`): account config `phoneNumberId`, `wabaId`,
// credentials `accessToken`, `appSecret`, `verifyToken`; `config.apiBaseUrl` (default Graph v21.0).

/** Graph's "object does not exist / no permission" (code 100) and media gone answers. */
const isGone = (e: unknown) => e instanceof GraphError && (e.status === 404 || e.code === 100);

async function fetchCloudMedia(ctx: AccountContext, ref: InboundMediaRef): Promise<FetchedMedia> {
  const { base, token } = cloudAccount(ctx.account);
  let meta: { url?: string; mime_type?: string };
  try {
    meta = await graphCall(base, `/${encodeURIComponent(ref.ref)}`, { token });
  } catch (e) {
    if (isGone(e)) throw new PermanentFailure(`the Cloud API has no media ${ref.ref}`, 'media_gone');
    if (e instanceof GraphError && e.code === 190) throw new PermanentFailure('the access token was refused', 'media_refused');
    throw e;
  }
  if (!meta?.url) throw new Error(`the Cloud API answered no URL for media ${ref.ref}`);
  // the download URL wants the same bearer token (it lives about 5 minutes)
  const { data, contentType } = await fetchLimited(meta.url, { headers: { authorization: `Bearer ${token}` } });
  return { data, mimeType: meta.mime_type ?? contentType ?? ref.mimeType ?? 'application/octet-stream', filename: ref.filename ?? null };
}

/** Graph's own words for what is wrong with the account, in both languages. */
export function graphProblem(e: unknown, what: { en: string; pt: string }): { en: string; pt: string } {
  if (e instanceof GraphError) {
    if (e.code === 190 || e.status === 401) return { en: `the access token was refused (${e.message})`, pt: `o token de acesso foi recusado (${e.message})` };
    if (e.code === 100 || e.status === 404) return { en: `${what.en} was not found or the token cannot see it (${e.message})`, pt: `${what.pt} não foi encontrado ou o token não tem acesso a ele (${e.message})` };
    if (e.code === 10 || e.code === 200) return { en: `the token lacks a permission (${e.message})`, pt: `falta uma permissão ao token (${e.message})` };
    return { en: `the Cloud API answered ${e.status}: ${e.message}`, pt: `a Cloud API respondeu ${e.status}: ${e.message}` };
  }
  return { en: `the Cloud API could not be reached (${(e as Error).message})`, pt: `não foi possível falar com a Cloud API (${(e as Error).message})` };
}

async function testCloudConnection(ctx: AccountContext): Promise<ConnectionCheck> {
  const { base, phoneNumberId, token } = cloudAccount(ctx.account);
  const missing = [!phoneNumberId && 'phoneNumberId', !token && 'accessToken', !ctx.account.credentials.appSecret && 'appSecret', !ctx.account.credentials.verifyToken && 'verifyToken'].filter(Boolean);
  if (missing.length) return { ok: false, problem: { en: `missing: ${missing.join(', ')}`, pt: `faltam: ${missing.join(', ')}` } };
  try {
    const n = await graphCall<{ display_phone_number?: string; verified_name?: string }>(base, `/${encodeURIComponent(phoneNumberId)}`, {
      token,
      query: { fields: 'display_phone_number,verified_name,quality_rating' },
    });
    const who = [n.display_phone_number, n.verified_name].filter(Boolean).join(' — ');
    return { ok: true, detail: { en: `number ${who}`, pt: `número ${who}` } };
  } catch (e) {
    return { ok: false, problem: graphProblem(e, { en: `the phone number id ${phoneNumberId}`, pt: `o id de número ${phoneNumberId}` }) };
  }
}

/**
 * Meta delivers a WABA's webhooks only to apps subscribed to it: `POST /{waba-id}/subscribed_apps`
 * with the account's token (idempotent), done whenever the account is saved.
 */
async function subscribeApp(ctx: AccountContext): Promise<void> {
  const { base, token } = cloudAccount(ctx.account);
  const wabaId = String(ctx.account.config.wabaId ?? '');
  if (!wabaId || !token) {
    throw new AppError(422, 'account_incomplete', { en: 'wabaId and accessToken are needed to subscribe the app to the WhatsApp Business Account', pt: 'wabaId e accessToken são necessários para inscrever o app na conta do WhatsApp Business' });
  }
  try {
    await graphCall(base, `/${encodeURIComponent(wabaId)}/subscribed_apps`, { token, method: 'POST', body: {} });
  } catch (e) {
    throw new AppError(422, 'provider_refused', graphProblem(e, { en: `the WhatsApp Business Account ${wabaId}`, pt: `a conta do WhatsApp Business ${wabaId}` }));
  }
}

export const cloudProvider: WhatsAppProvider = {
  challenge: hubChallenge,
  verify: (account, req) => verifyHubSignature(account.credentials.appSecret, req.rawBody, req.headers['x-hub-signature-256']),
  parse: (_account, req) => parseCloudWebhook(req.rawBody),
  send: sendCloud,
  fetchMedia: fetchCloudMedia,
  testConnection: testCloudConnection,
  accountSaved: subscribeApp,
};
