import type { Channel } from '../contracts/common.js';
import type { Queryable } from '../db/database.js';
import { notFound, type Noun } from './errors.js';
import { decryptSecret, type SecretKey } from './secrets.js';

// A channel account as its adapter needs it: the non-secret config and the credentials decrypted.
// Only the adapters see the credentials; the API never returns them (engine/admin/definitions.ts).

export interface LoadedChannelAccount {
  id: string;
  channel: Channel;
  name: string;
  provider: string | null;
  config: Record<string, unknown>;
  /** decrypted; {} when none were stored */
  credentials: Record<string, string>;
  active: boolean;
}

export const CHANNEL_ACCOUNT: Noun = { en: 'Channel account', pt: 'Conta de canal', fem: true };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AccountRow {
  id: string;
  channel: Channel;
  name: string;
  provider: string | null;
  config: Record<string, unknown> | null;
  credentials_encrypted: string | null;
  active: boolean;
}

/**
 * The active account `id` of `channel`, decrypted; 404 for an id that is not one (not a uuid,
 * unknown, another channel's, or deactivated: a provider calling it learns nothing more).
 */
export async function loadChannelAccount(db: Queryable, key: SecretKey, channel: string, id: string): Promise<LoadedChannelAccount> {
  if (!UUID.test(id)) throw notFound(CHANNEL_ACCOUNT, id);
  const { rows } = await db.query<AccountRow>(
    'SELECT id, channel, name, provider, config, credentials_encrypted, active FROM channel_accounts WHERE id = $1 AND channel = $2 AND active',
    [id, channel],
  );
  if (!rows[0]) throw notFound(CHANNEL_ACCOUNT, id);
  return present(key, rows[0]);
}

/** Account `id` of any channel, active or not, decrypted: for the admin's "Testar conexão" and the provider's setup on save. */
export async function loadChannelAccountById(db: Queryable, key: SecretKey, id: string): Promise<LoadedChannelAccount> {
  const { rows } = await db.query<AccountRow>(
    'SELECT id, channel, name, provider, config, credentials_encrypted, active FROM channel_accounts WHERE id = $1',
    [id],
  );
  if (!rows[0]) throw notFound(CHANNEL_ACCOUNT, id);
  return present(key, rows[0]);
}

/** Every active account of these channels (the worker pool's list). */
export async function activeChannelAccounts(db: Queryable, key: SecretKey, channels: string[]): Promise<LoadedChannelAccount[]> {
  if (!channels.length) return [];
  const { rows } = await db.query<AccountRow>(
    'SELECT id, channel, name, provider, config, credentials_encrypted, active FROM channel_accounts WHERE active AND channel = ANY($1::text[]) ORDER BY id',
    [channels],
  );
  return rows.map((r) => present(key, r));
}

function present(key: SecretKey, r: AccountRow): LoadedChannelAccount {
  return {
    id: r.id,
    channel: r.channel,
    name: r.name,
    provider: r.provider,
    config: r.config ?? {},
    credentials: r.credentials_encrypted ? (JSON.parse(decryptSecret(key, r.credentials_encrypted)) as Record<string, string>) : {},
    active: r.active,
  };
}

/**
 * The service a webhook's messages go to: the active service that uses the account. Should several
 * use one account, the oldest takes its messages (a provider number belongs to one queue; a bot flow
 * moves conversations to the others). null when none does.
 */
export async function serviceOfAccount(db: Queryable, accountId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM services WHERE channel_account_id = $1 AND active ORDER BY created_at, id LIMIT 1',
    [accountId],
  );
  return rows[0]?.id ?? null;
}
