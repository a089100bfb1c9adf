import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { Engine } from '../../engine/engine.js';
import { recordWallet, WALLET_INTERVAL_MS, walletMissing, type WalletReading } from '../../engine/whatsapp-wallet.js';
import type { ChannelWorker } from '../adapter.js';
import { graphCall } from '../meta/graph.js';
import { cloudAccount } from './cloud/send.js';
import { gupshupAccount, gupshupCall } from './gupshup/client.js';
import { syncAccountTemplates } from './templates.js';

// Carteira WhatsApp: what the provider says of the account's money and number. Gupshup: the
// Partner API's wallet (`/partner/app/{appId}/wallet/balance`: currency, balance, overdraft) and
// ratings (`/partner/app/{appId}/ratings`: messaging limit, quality), with the App Id / App Token.
// Meta's Cloud API bills the business directly (no wallet): the number's quality and limit only.

const QUALITY: Record<string, WalletReading['quality']> = { GREEN: 'GREEN', YELLOW: 'YELLOW', RED: 'RED', HIGH: 'GREEN', MEDIUM: 'YELLOW', LOW: 'RED' };
const qualityOf = (v: unknown) => (typeof v === 'string' ? (QUALITY[v.toUpperCase()] ?? null) : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(Number(v)) ? Number(v) : null);

export async function readWallet(account: LoadedChannelAccount): Promise<WalletReading> {
  if (account.provider === 'gupshup') {
    const a = gupshupAccount(account);
    const headers = { authorization: a.appToken };
    const app = encodeURIComponent(a.appId);
    const [wallet, ratings] = await Promise.all([
      gupshupCall<{ walletResponse?: Record<string, unknown> }>(`${a.partner}/partner/app/${app}/wallet/balance`, { headers }),
      gupshupCall<Record<string, unknown>>(`${a.partner}/partner/app/${app}/ratings`, { headers }),
    ]);
    const w = wallet.walletResponse ?? {};
    return {
      balance: num(w.currentBalance),
      currency: typeof w.currency === 'string' ? w.currency : null,
      overdraftLimit: num(w.overDraftLimit),
      // Glific reads `currentLimit`; the quality's field has no Gupshup-written sample (see the report)
      quality: qualityOf(ratings.currentQuality ?? ratings.qualityRating ?? ratings.quality_rating),
      messagingLimit: typeof ratings.currentLimit === 'string' ? ratings.currentLimit : null,
    };
  }
  const c = cloudAccount(account);
  const n = await graphCall<{ quality_rating?: string; messaging_limit_tier?: string }>(c.base, `/${encodeURIComponent(c.phoneNumberId)}`, {
    token: c.token,
    query: { fields: 'quality_rating,messaging_limit_tier' },
  });
  return { balance: null, currency: null, overdraftLimit: null, quality: qualityOf(n.quality_rating), messagingLimit: n.messaging_limit_tier ?? null };
}

/** One reading, stored and pushed with its alerts: the figures, or the provider's answer when it failed. An account not set up for it is skipped. */
export async function pollWallet(engine: Engine, account: LoadedChannelAccount): Promise<'read' | 'failed' | 'not_configured'> {
  if (walletMissing(account).length) return 'not_configured';
  let reading: WalletReading;
  try {
    reading = await readWallet(account);
  } catch (e) {
    await recordWallet(engine, account, { error: (e as Error).message });
    return 'failed';
  }
  await recordWallet(engine, account, { reading });
  return 'read';
}

/** The account's wallet (and its templates' statuses) read on a timer, on the one node holding its lease (channels/workers.ts). */
export const walletWorker: ChannelWorker = {
  async run(ctx) {
    while (!ctx.signal.aborted) {
      await pollWallet(ctx.engine, ctx.account);
      // the templates' statuses too, in case a status webhook was lost (the webhook is the fast path)
      await syncAccountTemplates(ctx.engine, ctx.account).catch(() => undefined);
      await sleep(WALLET_INTERVAL_MS, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  },
};
