import type { ChannelAccount } from '../../../contracts/admin';
import { accountForm, CHANNEL_ACCOUNT_FORMS, type ProviderForm, type Words } from '../../../contracts/channel-account-fields';

// The channel-account form as plain data: what the admin typed, the body the API takes, and the
// server's issues on the inputs. Secrets are write-only: on edit an empty secret input keeps the value.

export interface AccountFormValues {
  /** `${channel}/${provider}` */
  kind: string;
  name: string;
  active: boolean;
  config: Record<string, string>;
  credentials: Record<string, string>;
}

export const kindOf = (f: Pick<ProviderForm, 'channel' | 'provider'>) => `${f.channel}/${f.provider}`;
export const formOfKind = (kind: string): ProviderForm | undefined => CHANNEL_ACCOUNT_FORMS.find((f) => kindOf(f) === kind);

/** The words in the screen's language. */
export const say = (w: Words, language: string) => (language.startsWith('en') ? w.en : w.pt);

export function emptyValues(kind = kindOf(CHANNEL_ACCOUNT_FORMS[0])): AccountFormValues {
  return { kind, name: '', active: true, config: {}, credentials: {} };
}

/** An existing account in the form: its config as text; the secrets empty (never returned). */
export function valuesOf(account: ChannelAccount): AccountFormValues {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(account.config)) config[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return { kind: `${account.channel}/${account.provider ?? ''}`, name: account.name, active: account.active, config, credentials: {} };
}

const filled = (values: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => (values[k] ?? '').trim() !== '').map((k) => [k, values[k].trim()]));

/**
 * The request body. Create: channel, provider and every filled field. Edit: the whole config (the
 * API replaces it) and only the secrets typed again (the API keeps the others).
 */
export function bodyOf(values: AccountFormValues, editing: boolean): Record<string, unknown> {
  const form = formOfKind(values.kind);
  // an account of a channel without a provider form (set up through the API): name and state only
  if (!form) return { name: values.name.trim(), active: values.active };
  const body: Record<string, unknown> = { name: values.name.trim(), active: values.active, config: filled(values.config, form.config.map((f) => f.key)) };
  const credentials = filled(values.credentials, form.credentials.map((f) => f.key));
  if (!editing || Object.keys(credentials).length) body.credentials = credentials;
  if (!editing) {
    body.channel = form.channel;
    body.provider = form.provider;
  }
  return body;
}

/** Where the provider calls: PUBLIC_URL's address from the server, else this page's origin (with a warning). */
export function webhookAddress(account: Pick<ChannelAccount, 'id' | 'channel' | 'webhookUrl'>, origin: string): { url: string; fromBrowser: boolean } {
  if (account.webhookUrl) return { url: account.webhookUrl, fromBrowser: false };
  return { url: `${origin.replace(/\/+$/, '')}/webhooks/${account.channel}/${account.id}`, fromBrowser: true };
}

export { accountForm };
