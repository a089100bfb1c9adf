import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { ChannelAdapter } from '../adapter.js';
import { cloudProvider } from './cloud/index.js';
import { gupshupProvider } from './gupshup/index.js';
import type { WhatsAppProvider } from './provider.js';
import { walletWorker } from './wallet.js';

// The `whatsapp` channel: one adapter, dispatching on the account's provider — `meta` (Meta's Cloud
// API, cloud/) or `gupshup` (the BSP most used in Brazil, gupshup/). An account without a provider
// is a Cloud API one (Meta's is the reference API; Gupshup's accounts name theirs).

export const WHATSAPP_PROVIDERS: Record<string, WhatsAppProvider> = { meta: cloudProvider, gupshup: gupshupProvider };

export function providerOf(account: LoadedChannelAccount): WhatsAppProvider | null {
  return WHATSAPP_PROVIDERS[account.provider ?? 'meta'] ?? null;
}

const unknownProvider = (account: LoadedChannelAccount) =>
  new PermanentFailure(`the WhatsApp account ${account.id} has an unknown provider "${account.provider}"`, 'account_incomplete');

export const whatsappAdapter: ChannelAdapter = {
  channel: 'whatsapp',
  capabilities: CHANNEL_CAPABILITIES.whatsapp,
  webhook: {
    challenge: (account, req) => providerOf(account)?.challenge?.(account, req) ?? null,
    // an account of a provider this build does not know accepts nothing
    verify: (account, req) => providerOf(account)?.verify(account, req) ?? false,
    parse: (account, req) => providerOf(account)!.parse(account, req),
  },
  async send(ctx, message) {
    const p = providerOf(ctx.account);
    if (!p) throw unknownProvider(ctx.account);
    return p.send(ctx, message);
  },
  async fetchMedia(ctx, ref) {
    const p = providerOf(ctx.account);
    if (!p) throw unknownProvider(ctx.account);
    return p.fetchMedia(ctx, ref);
  },
  async accountSaved(ctx) {
    await providerOf(ctx.account)?.accountSaved?.(ctx);
  },
  // Carteira WhatsApp: the wallet and the number's quality and limit, read on a timer
  worker: walletWorker,
  async testConnection(ctx) {
    const p = providerOf(ctx.account);
    if (!p) return { ok: false, problem: { en: `unknown provider "${ctx.account.provider}" (meta or gupshup)`, pt: `provedor desconhecido "${ctx.account.provider}" (meta ou gupshup)` } };
    return p.testConnection(ctx);
  },
};
