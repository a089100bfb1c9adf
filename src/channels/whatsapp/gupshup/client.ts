import type { LoadedChannelAccount } from '../../../engine/channel-accounts.js';

// A thin client of Gupshup's two APIs: the messaging API (api.gupshup.io, header `apikey`, forms)
// and the Partner API (partner.gupshup.io, header `Authorization: <app token>`: media ids, wallet,
// ratings). An account's `config.apiBaseUrl` replaces both hosts (the provider sandbox serves both
// paths under one address).

export const GUPSHUP_API_URL = 'https://api.gupshup.io';
export const GUPSHUP_PARTNER_URL = 'https://partner.gupshup.io';

export class GupshupError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GupshupError';
  }
}

export function gupshupAccount(account: LoadedChannelAccount) {
  const override = typeof account.config.apiBaseUrl === 'string' && account.config.apiBaseUrl ? account.config.apiBaseUrl.replace(/\/+$/, '') : null;
  return {
    api: override ?? GUPSHUP_API_URL,
    partner: override ?? GUPSHUP_PARTNER_URL,
    appName: String(account.config.appName ?? ''),
    appId: String(account.config.appId ?? ''),
    source: String(account.config.sourceNumber ?? '').replace(/^\+/, ''),
    apiKey: account.credentials.apiKey ?? '',
    appToken: account.credentials.appToken ?? '',
  };
}

/**
 * One call; the answer's JSON. Gupshup answers errors as `{"status":"error","message":…}`, at times
 * with HTTP 2xx: the body decides, not only the status.
 */
export async function gupshupCall<T extends Record<string, unknown>>(url: string, init: { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: URLSearchParams | FormData }): Promise<T> {
  const res = await fetch(url, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers: init.headers, body: init.body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    // not JSON (a proxy's page): reported with the status
  }
  const message = typeof json?.message === 'string' ? json.message : typeof json?.message === 'object' && json?.message ? JSON.stringify(json.message) : text.slice(0, 200);
  if (!res.ok || json?.status === 'error') throw new GupshupError(res.ok ? 400 : res.status, message || `Gupshup answered ${res.status}`);
  if (!json) throw new GupshupError(502, `Gupshup answered ${res.status} without JSON`);
  return json as T;
}
