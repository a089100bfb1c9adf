import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import type { Queryable } from '../../db/database.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { AccountContext, ChannelAdapter, ConnectionCheck, InboundMediaRef, Receipt } from '../adapter.js';
import { fetchLimited } from '../media.js';
import { graphBase, graphCall, GraphError } from '../meta/graph.js';
import { hubChallenge, verifyHubSignature } from '../meta/webhook-auth.js';
import { parseMessengerEvents, type Watermark } from './events.js';
import { withProfileNames } from './profile.js';
import { pageToken, sendThroughMessenger } from './send.js';

// One adapter for the two channels of the Messenger Platform: Facebook Messenger (a Page) and
// Instagram Direct (an Instagram professional account linked to a Page). Same webhook (Meta's
// signature and GET challenge), same events, same Send API with the Page token; they differ in
// their ids, their limits (capabilities) and the profile fields.

type MessengerChannel = 'facebook' | 'instagram';

/** The business's own ids in this account: events from them are the page's (echoes). */
function ownIds(account: LoadedChannelAccount): Set<string> {
  return new Set([account.config.pageId, account.config.igUserId].filter((v) => v !== undefined && v !== null && v !== '').map(String));
}

/**
 * Messenger's delivery and read events may name a time instead of messages: every message sent to
 * that customer through this account until then. Resolved to receipts for those still behind.
 */
async function watermarkReceipts(db: Queryable, account: LoadedChannelAccount, marks: Watermark[]): Promise<Receipt[]> {
  const out: Receipt[] = [];
  for (const w of marks) {
    const { rows } = await db.query<{ provider_message_id: string }>(
      `SELECT m.provider_message_id FROM contact_identities ci
         JOIN conversations c ON c.contact_id = ci.contact_id AND c.channel = ci.channel
         JOIN messages m ON m.conversation_id = c.id
        WHERE ci.channel = $1 AND ci.external_id = ANY($2::text[]) AND m.provider_account_id = $3::uuid
          AND m.provider_message_id IS NOT NULL AND m.sent_at <= $4 AND m.delivery_status = ANY($5::text[])
        ORDER BY m.id DESC LIMIT 500`,
      [account.channel, w.parties, account.id, w.at, w.status === 'read' ? ['sent', 'delivered'] : ['sent']],
    );
    for (const r of rows) out.push({ providerMessageId: r.provider_message_id, status: w.status, at: w.at });
  }
  return out;
}

/** What "Testar conexão" says about a Graph error. */
function connectionProblem(e: unknown, channel: MessengerChannel): ConnectionCheck {
  if (e instanceof GraphError) {
    if (e.code === 190 || e.status === 401) return { ok: false, problem: { en: `the Page access token was refused: ${e.message}`, pt: `o token de acesso da página foi recusado: ${e.message}` } };
    if (e.code === 100 || e.status === 404) {
      const what = channel === 'instagram' ? { en: 'Instagram account id or Page id', pt: 'id da conta do Instagram ou da página' } : { en: 'Page id', pt: 'id da página' };
      return { ok: false, problem: { en: `the ${what.en} was not found: ${e.message}`, pt: `o ${what.pt} não foi encontrado: ${e.message}` } };
    }
    return { ok: false, problem: { en: `Meta answered ${e.status}: ${e.message}`, pt: `a Meta respondeu ${e.status}: ${e.message}` } };
  }
  const why = e instanceof Error ? e.message : String(e);
  return { ok: false, problem: { en: `Meta's API could not be reached: ${why}`, pt: `não foi possível falar com a API da Meta: ${why}` } };
}

async function testConnection({ account }: AccountContext, channel: MessengerChannel): Promise<ConnectionCheck> {
  const token = account.credentials.pageAccessToken;
  const missing = [!token && 'pageAccessToken', !account.credentials.appSecret && 'appSecret', !account.credentials.verifyToken && 'verifyToken', !account.config.pageId && 'pageId', channel === 'instagram' && !account.config.igUserId && 'igUserId'].filter(Boolean);
  if (missing.length) return { ok: false, problem: { en: `missing: ${missing.join(', ')}`, pt: `faltam: ${missing.join(', ')}` } };
  const base = graphBase(account.config);
  try {
    // the Page (or the Instagram account) as the token sees it: a bad token or a wrong id fails here
    const id = String(channel === 'instagram' ? account.config.igUserId : account.config.pageId);
    const fields = channel === 'instagram' ? 'id,username' : 'id,name';
    const r = await graphCall<{ id?: string; name?: string; username?: string }>(base, `/${encodeURIComponent(id)}`, { token: token!, query: { fields }, signal: AbortSignal.timeout(10_000) });
    const label = r.name ?? (r.username ? `@${r.username}` : id);
    return { ok: true, detail: { en: `connected to ${label}`, pt: `conectado a ${label}` } };
  } catch (e) {
    return connectionProblem(e, channel);
  }
}

async function fetchMedia(_ctx: AccountContext, ref: InboundMediaRef) {
  // the attachment's URL is a signed CDN link that expires: no token is needed (nor sent to a CDN)
  let url: URL;
  try {
    url = new URL(ref.ref);
  } catch {
    throw new PermanentFailure(`not a file URL: ${ref.ref.slice(0, 100)}`, 'media_gone');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PermanentFailure(`not a file URL: ${url.protocol}`, 'media_gone');
  const { data, contentType } = await fetchLimited(url.toString());
  return { data, mimeType: contentType ?? ref.mimeType ?? 'application/octet-stream' };
}

/** The Page's webhook fields Mirante reads (channels.md §3). */
export const PAGE_SUBSCRIBED_FIELDS = ['messages', 'message_deliveries', 'message_reads', 'message_echoes', 'messaging_postbacks', 'message_reactions', 'message_edits'];

/**
 * Messenger delivers a Page's events only once the Page is subscribed to the app: done when the
 * account is saved. (Instagram's subscription is set in the app's dashboard: docs/CHANNELS.md.)
 */
async function subscribePage({ account }: AccountContext): Promise<void> {
  const pageId = account.config.pageId;
  if (!pageId) throw new Error('the account has no pageId');
  await graphCall(graphBase(account.config), `/${encodeURIComponent(String(pageId))}/subscribed_apps`, {
    token: pageToken(account),
    method: 'POST',
    query: { subscribed_fields: PAGE_SUBSCRIBED_FIELDS.join(',') },
    signal: AbortSignal.timeout(10_000),
  });
}

export function messengerAdapter(channel: MessengerChannel): ChannelAdapter {
  const capabilities = CHANNEL_CAPABILITIES[channel];
  return {
    channel,
    capabilities,
    webhook: {
      challenge: hubChallenge,
      verify: (account, req) => verifyHubSignature(account.credentials.appSecret, req.rawBody, req.headers['x-hub-signature-256']),
      async parse(account, req, ctx) {
        const events = parseMessengerEvents(req.rawBody, { ownIds: ownIds(account) });
        await withProfileNames(ctx?.db, account, events.messages);
        const fromMarks = ctx && events.watermarks.length ? await watermarkReceipts(ctx.db, account, events.watermarks) : [];
        return { messages: events.messages, receipts: [...events.receipts, ...fromMarks] };
      },
    },
    send: (ctx, message) => sendThroughMessenger(capabilities, ctx, message),
    fetchMedia,
    testConnection: (ctx) => testConnection(ctx, channel),
    ...(channel === 'facebook' ? { accountSaved: subscribePage } : {}),
  };
}
