import type { WhatsAppWallet } from '../contracts/whatsapp.js';
import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { policyOf } from './access.js';
import { loadChannelAccount, type LoadedChannelAccount } from './channel-accounts.js';
import { AppError, notFound, NOUNS } from './errors.js';
import type { SecretKey } from './secrets.js';

// Carteira WhatsApp (issue 20): the last reading of each WhatsApp account's wallet and number,
// written by the account's worker on the node holding its lease (channels/whatsapp/wallet.ts), read
// by GET /api/whatsapp/wallet?serviceId= for the supervisors of the service.

export interface WalletReading {
  balance: number | null;
  currency: string | null;
  overdraftLimit: number | null;
  quality: 'GREEN' | 'YELLOW' | 'RED' | null;
  messagingLimit: string | null;
}

/** How often the worker reads the provider (Gupshup's Partner API allows far more). */
export const WALLET_INTERVAL_MS = 15 * 60_000;

const CONSOLE_URL: Record<string, string> = { gupshup: 'https://www.gupshup.io/', meta: 'https://business.facebook.com/' };

/** What an account lacks before its wallet can be read (Gupshup: the Partner API's App Id and App Token). */
export function walletMissing(account: Pick<LoadedChannelAccount, 'provider' | 'config' | 'credentials'>): string[] {
  if (account.provider === 'gupshup') {
    return [!account.config.appId && 'App Id', !account.credentials.appToken && 'App Token'].filter((x): x is string => !!x);
  }
  return [!account.config.phoneNumberId && 'phoneNumberId', !account.credentials.accessToken && 'accessToken'].filter((x): x is string => !!x);
}

export async function storeWalletReading(db: Queryable, accountId: string, r: WalletReading, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO whatsapp_wallets (channel_account_id, balance, currency, overdraft_limit, quality, messaging_limit, read_at, error, error_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)
     ON CONFLICT (channel_account_id) DO UPDATE SET balance = EXCLUDED.balance, currency = EXCLUDED.currency,
       overdraft_limit = EXCLUDED.overdraft_limit, quality = EXCLUDED.quality, messaging_limit = EXCLUDED.messaging_limit,
       read_at = EXCLUDED.read_at, error = NULL, error_at = NULL`,
    [accountId, r.balance, r.currency, r.overdraftLimit, r.quality, r.messagingLimit, at],
  );
}

/** A failed reading keeps the previous figures and says why. */
export async function storeWalletError(db: Queryable, accountId: string, error: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO whatsapp_wallets (channel_account_id, error, error_at) VALUES ($1, $2, $3)
     ON CONFLICT (channel_account_id) DO UPDATE SET error = EXCLUDED.error, error_at = EXCLUDED.error_at`,
    [accountId, error.slice(0, 500), at],
  );
}

const WHATSAPP_ACCOUNT = { en: 'WhatsApp account', pt: 'conta de WhatsApp' };
const notConfigured = (what: { en: string; pt: string }) =>
  new AppError(422, 'wallet_not_configured', { en: `${what.en}: set it in the service's settings`, pt: `${what.pt}: configure no cadastro do serviço` });

/** The wallet of a WhatsApp service: 404 outside the actor's supervision, 422 when it cannot have one yet. */
export async function walletOfService(db: Queryable, key: SecretKey, actor: Actor, serviceId: string): Promise<WhatsAppWallet> {
  const { rows } = await db.query<{ channel: string; channel_account_id: string | null }>('SELECT channel, channel_account_id FROM services WHERE id = $1', [serviceId]);
  if (!rows[0] || !(await policyOf(actor).supervisesService(db, serviceId))) throw notFound(NOUNS.service, serviceId);
  if (rows[0].channel !== 'whatsapp') throw new AppError(422, 'not_whatsapp', { en: 'the service is not a WhatsApp service', pt: 'o serviço não é de WhatsApp' });
  const accountId = rows[0].channel_account_id;
  const account = accountId ? await loadChannelAccount(db, key, 'whatsapp', accountId).catch(() => null) : null;
  if (!account) throw notConfigured({ en: `the service has no active ${WHATSAPP_ACCOUNT.en}`, pt: `o serviço não tem ${WHATSAPP_ACCOUNT.pt} ativa` });
  const missing = walletMissing(account);
  if (missing.length) throw notConfigured({ en: `${missing.join(' / ')} missing`, pt: `${missing.join(' / ')} ausente${missing.length > 1 ? 's' : ''}` });
  const { rows: w } = await db.query<{ balance: string | null; currency: string | null; overdraft_limit: string | null; quality: WalletReading['quality']; messaging_limit: string | null; read_at: Date | null; error: string | null; error_at: Date | null }>(
    'SELECT balance, currency, overdraft_limit, quality, messaging_limit, read_at, error, error_at FROM whatsapp_wallets WHERE channel_account_id = $1',
    [account.id],
  );
  const r = w[0];
  const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const provider = account.provider === 'gupshup' ? 'gupshup' : 'meta';
  return {
    serviceId,
    accountId: account.id,
    provider,
    balance: num(r?.balance),
    currency: r?.currency ?? null,
    overdraftLimit: num(r?.overdraft_limit),
    quality: r?.quality ?? null,
    messagingLimit: r?.messaging_limit ?? null,
    readAt: r?.read_at ? r.read_at.toISOString() : null,
    error: r?.error ?? null,
    errorAt: r?.error_at ? r.error_at.toISOString() : null,
    consoleUrl: CONSOLE_URL[provider],
  };
}
