import { randomBytes } from 'node:crypto';
import type { ChannelAccount } from '../../contracts/admin.js';
import { accountForm, checkAccountFields, hasWebhook } from '../../contracts/channel-account-fields.js';
import { AppError, joinIssues } from '../errors.js';
import { decryptSecret, encryptSecret, type SecretKey } from '../secrets.js';
import { iso, type ResourceDef } from './resource.js';

// Channel accounts as the admin sets them up (Administração → Canais). Credentials are write-only:
// encrypted into `credentials_encrypted`, shown only as the names of those that are set. An account
// of a provider Mirante knows (contracts/channel-account-fields.ts) is checked against its form.

type Values = Record<string, unknown>;

function decrypted(key: SecretKey, blob: unknown): Record<string, string> {
  if (typeof blob !== 'string') return {};
  try {
    return JSON.parse(decryptSecret(key, blob)) as Record<string, string>;
  } catch {
    // another secret key (MIRANTE_SECRET_KEY changed): the account shows no secret as set
    return {};
  }
}

/** Trimmed text, empty values left out: a pasted token often carries a newline. */
function cleaned(values: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    const t = typeof v === 'string' ? v.trim() : v;
    if (t !== '' && t !== null && t !== undefined) out[k] = t;
  }
  return out;
}

/**
 * `publicUrl` (PUBLIC_URL, no trailing slash) makes each account's `webhookUrl`, the address to paste
 * in the provider's console; unset, the screen builds it from its own origin and says to set it.
 */
export function channelAccounts(secretKey: SecretKey, publicUrl?: string): ResourceDef<ChannelAccount> {
  const base = publicUrl?.replace(/\/+$/, '');
  return {
    entity: 'channel_account',
    label: { en: 'Channel account', pt: 'Conta de canal', fem: true },
    table: 'channel_accounts',
    columns: { channel: 'channel', name: 'name', provider: 'provider', config: 'config', active: 'active' },
    jsonColumns: ['config'],
    // the services that talk through the account, shown beside it; a service chooses its account
    links: [{ field: 'serviceIds', table: 'services', ownColumn: 'channel_account_id', otherColumn: 'id', readOnly: true }],
    searchColumn: 'name',
    secretFields: ['credentials'],
    present: (r) => {
      const channel = r.channel as ChannelAccount['channel'];
      return {
        id: r.id as string,
        channel,
        name: r.name as string,
        provider: (r.provider as string | null) ?? null,
        config: (r.config as Record<string, unknown> | null) ?? {},
        hasCredentials: r.credentials_encrypted != null,
        credentialsSet: Object.keys(decrypted(secretKey, r.credentials_encrypted)).sort(),
        serviceIds: (r.serviceIds as string[] | null) ?? [],
        webhookUrl: base && hasWebhook(channel) ? `${base}/webhooks/${channel}/${r.id as string}` : null,
        active: r.active as boolean,
        createdAt: iso(r.created_at),
        updatedAt: iso(r.updated_at),
      };
    },
    async prepare(input, { existing }) {
      const touched = !existing || input.provider !== undefined || input.config !== undefined || input.credentials !== undefined;
      if (!touched) return {};
      const channel = (existing?.channel ?? input.channel) as string;
      const provider = (input.provider !== undefined ? input.provider : (existing?.provider ?? null)) as string | null;
      const providerChanged = !!existing && input.provider !== undefined && input.provider !== existing.provider;
      const stored = decrypted(secretKey, existing?.credentials_encrypted);
      // PATCH merges the credentials it names (null removes one): the screen sends only the secrets
      // the admin typed again. A new provider starts from the given ones alone.
      let credentials: Values = stored;
      if (input.credentials !== undefined) {
        credentials = { ...(providerChanged ? {} : stored) };
        for (const [k, v] of Object.entries(input.credentials as Values)) {
          if (v === null) delete credentials[k];
          else credentials[k] = v;
        }
      }
      let config = (input.config ?? (existing?.config as Values | null) ?? {}) as Values;
      const form = accountForm(channel, provider);
      let generated = false;
      if (form) {
        config = cleaned(config);
        credentials = cleaned(credentials);
        for (const f of form.credentials) {
          if (f.generated && !credentials[f.key]) {
            credentials[f.key] = randomBytes(24).toString('base64url');
            generated = true;
          }
        }
      }
      const issues = checkAccountFields(channel, provider, config, credentials).map((i) => ({ path: `body.${i.path}`, message: i.message }));
      if (issues.length) throw new AppError(400, 'validation_error', joinIssues(issues), { issues });
      const out: Values = {};
      if (form && input.config !== undefined) out.config = JSON.stringify(config);
      if (input.credentials !== undefined || generated) {
        out.credentials_encrypted = Object.keys(credentials).length ? encryptSecret(secretKey, JSON.stringify(credentials)) : null;
      }
      return out;
    },
    conflictMessage: () => ({ field: 'name', message: { en: 'a channel account with this name already exists', pt: 'já existe uma conta de canal com este nome' } }),
  };
}
