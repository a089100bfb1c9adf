import type { WhatsAppWallet } from '../contracts/whatsapp.js';
import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { policyOf } from './access.js';
import { loadChannelAccount, type LoadedChannelAccount } from './channel-accounts.js';
import { AppError, notFound, NOUNS } from './errors.js';
import type { SecretKey } from './secrets.js';
import { evaluateWalletAlerts, WALLET_ALERT_RULES, type WalletAlertRule, type WalletAlertVerdict } from '../core/wallet-alerts.js';
import type { Engine, UnitOfWork } from './engine.js';
import { raiseAlert, resolveAlerts } from './monitor/alerts.js';
import { getSettings } from './settings.js';

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

/** What one reading gave: the figures, or the provider's answer when it failed. */
export type WalletOutcome = { reading: WalletReading } | { error: string };

interface WalletRow {
  balance: string | null; currency: string | null; overdraft_limit: string | null; quality: WalletReading['quality'];
  messaging_limit: string | null; read_at: Date | null; error: string | null; error_at: Date | null;
}
const WALLET_COLUMNS = 'balance, currency, overdraft_limit, quality, messaging_limit, read_at, error, error_at';

/**
 * Stores a reading (a failed one keeps the previous figures and says why), then, in the same
 * transaction, pushes the wallet to the supervisors of each service of the account
 * (`whatsapp.wallet.updated`) and raises or resolves its alerts (low balance, quality dropped).
 */
export async function recordWallet(engine: Engine, account: Pick<LoadedChannelAccount, 'id' | 'provider'>, outcome: WalletOutcome): Promise<void> {
  await engine.execute(async (u) => {
    const { rows: before } = await u.tx.query<{ quality: WalletReading['quality'] }>(
      'SELECT quality FROM whatsapp_wallets WHERE channel_account_id = $1 FOR UPDATE', [account.id],
    );
    const { rows } = 'reading' in outcome
      ? await u.tx.query<WalletRow>(
        `INSERT INTO whatsapp_wallets (channel_account_id, balance, currency, overdraft_limit, quality, messaging_limit, read_at, error, error_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)
         ON CONFLICT (channel_account_id) DO UPDATE SET balance = EXCLUDED.balance, currency = EXCLUDED.currency,
           overdraft_limit = EXCLUDED.overdraft_limit, quality = EXCLUDED.quality, messaging_limit = EXCLUDED.messaging_limit,
           read_at = EXCLUDED.read_at, error = NULL, error_at = NULL
         RETURNING ${WALLET_COLUMNS}`,
        [account.id, outcome.reading.balance, outcome.reading.currency, outcome.reading.overdraftLimit, outcome.reading.quality, outcome.reading.messagingLimit, u.now],
      )
      : await u.tx.query<WalletRow>(
        `INSERT INTO whatsapp_wallets (channel_account_id, error, error_at) VALUES ($1, $2, $3)
         ON CONFLICT (channel_account_id) DO UPDATE SET error = EXCLUDED.error, error_at = EXCLUDED.error_at
         RETURNING ${WALLET_COLUMNS}`,
        [account.id, outcome.error.slice(0, 500), u.now],
      );
    const { rows: services } = await u.tx.query<{ id: string; name: string; team_ids: string[] }>(
      `SELECT s.id, s.name, COALESCE(array_agg(st.team_id::text) FILTER (WHERE st.team_id IS NOT NULL), '{}') AS team_ids
         FROM services s LEFT JOIN service_teams st ON st.service_id = s.id
        WHERE s.channel = 'whatsapp' AND s.channel_account_id = $1 GROUP BY s.id, s.name ORDER BY s.name`,
      [account.id],
    );
    const { alerts } = 'reading' in outcome ? await getSettings(u.tx) : { alerts: null };
    for (const s of services) {
      u.emit({ type: 'whatsapp.wallet.updated', serviceId: s.id, agentId: null, wallet: presentWallet(s.id, account, rows[0]) });
      // a failed reading says nothing of the money or the number: the alerts stay as they are
      if ('reading' in outcome && alerts) {
        await recordWalletAlerts(u, s.id, evaluateWalletAlerts({
          service: { id: s.id, name: s.name, teamIds: s.team_ids },
          balance: account.provider === 'gupshup' ? outcome.reading.balance : null,
          currency: outcome.reading.currency,
          quality: outcome.reading.quality,
          previousQuality: before[0]?.quality ?? null,
          minBalance: alerts.walletMinBalance,
        }));
      }
    }
  });
}

/** One service's wallet alerts after a reading: raised, replaced when the quality fell further, resolved when they ended. */
async function recordWalletAlerts(u: UnitOfWork, serviceId: string, verdict: WalletAlertVerdict): Promise<void> {
  const { rows: open } = await u.tx.query<{ id: number; rule: string }>(
    `SELECT id, rule FROM alerts WHERE resolved_at IS NULL AND subject_type = 'service' AND subject_id = $1 AND rule = ANY($2::text[])`,
    [serviceId, [...WALLET_ALERT_RULES]],
  );
  const found = new Set(verdict.findings.map((f) => f.rule));
  const ended = open.filter((a) => (verdict.judged as string[]).includes(a.rule) && !found.has(a.rule as WalletAlertRule));
  const replaced = verdict.worse ? open.filter((a) => a.rule === 'number_quality_dropped') : [];
  await resolveAlerts(u, [...ended, ...replaced].map((a) => a.id));
  for (const f of verdict.findings) await raiseAlert(u, f);
}

export function presentWallet(serviceId: string, account: Pick<LoadedChannelAccount, 'id' | 'provider'>, r: WalletRow | undefined): WhatsAppWallet {
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
    readAt: r?.read_at ? new Date(r.read_at).toISOString() : null,
    error: r?.error ?? null,
    errorAt: r?.error_at ? new Date(r.error_at).toISOString() : null,
    consoleUrl: CONSOLE_URL[provider],
  };
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
  const { rows: w } = await db.query<WalletRow>(`SELECT ${WALLET_COLUMNS} FROM whatsapp_wallets WHERE channel_account_id = $1`, [account.id]);
  return presentWallet(serviceId, account, w[0]);
}
