import { PermanentFailure } from '../../engine/outbox.js';

// A thin client of the Telegram Bot API: `POST {base}/bot<token>/<method>` answering
// `{ok, result}` or `{ok:false, error_code, description, parameters}`, and files at
// `{base}/file/bot<token>/<file_path>`. The base comes from the account (`config.apiBaseUrl`, so an
// account can point at the provider sandbox), default Telegram's.

export const TELEGRAM_BASE_URL = 'https://api.telegram.org';

export const telegramBase = (config: Record<string, unknown>) => String(config.apiBaseUrl ?? TELEGRAM_BASE_URL).replace(/\/+$/, '');

export class TelegramError extends Error {
  constructor(
    /** the HTTP status, or Telegram's error_code */
    readonly code: number,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'TelegramError';
  }
}

/** Calls a method with a JSON body, or a multipart form (an upload). The token never appears in an error. */
export async function telegramCall<T>(base: string, token: string, method: string, body: Record<string, unknown> | FormData = {}, signal?: AbortSignal): Promise<T> {
  const form = body instanceof FormData;
  const res = await fetch(`${base}/bot${token}/${method}`, {
    method: 'POST',
    headers: form ? {} : { 'content-type': 'application/json' },
    body: form ? body : JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: { ok?: boolean; result?: T; error_code?: number; description?: string; parameters?: { retry_after?: number } } | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's page): reported with the status below
  }
  if (!res.ok || !json?.ok) {
    throw new TelegramError(json?.error_code ?? res.status, json?.description ?? `Telegram answered ${res.status}`, json?.parameters?.retry_after ?? null);
  }
  return json.result as T;
}

/**
 * A Telegram error as the outbox sees it: throttling (429) and Telegram's own failures (5xx) are
 * retried; anything else (a blocked bot, a chat not found, a bad token, a bad request) would fail the
 * same way again.
 */
export function telegramOutboxError(e: unknown): unknown {
  if (!(e instanceof TelegramError) || e.code === 429 || e.code >= 500) return e;
  const reason = e.code === 403 ? 'blocked' : e.code === 401 ? 'bad_credentials' : `telegram_${e.code}`;
  return new PermanentFailure(`${e.code} ${e.message}`, reason);
}
