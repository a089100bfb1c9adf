import { PermanentFailure } from '../../../engine/outbox.js';

// A thin client of Twilio's REST API (2010-04-01): form bodies, HTTP Basic with the account SID and
// auth token, errors as `{code, message, more_info, status}`. The base URL comes from the account
// (`config.apiBaseUrl`, so that an account can point at the provider sandbox), default Twilio's.

export const TWILIO_BASE_URL = 'https://api.twilio.com';

export const twilioBase = (config: Record<string, unknown>) => String(config.apiBaseUrl ?? TWILIO_BASE_URL).replace(/\/+$/, '');

export const basicAuth = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

export class TwilioError extends Error {
  constructor(
    readonly status: number,
    /** Twilio's error code (21211 bad To, 21610 opted out…), when it sent one */
    readonly code: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioError';
  }
}

export async function twilioCall<T>(base: string, sid: string, token: string, path: string, form?: [string, string][]): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: form ? 'POST' : 'GET',
    headers: { authorization: basicAuth(sid, token), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    // not JSON: reported with the status below
  }
  if (!res.ok) throw new TwilioError(res.status, typeof json?.code === 'number' ? json.code : null, typeof json?.message === 'string' ? json.message : `Twilio answered ${res.status}`);
  return json as T;
}

/** Throttling (429, code 20429) and Twilio's own failures (5xx) are retried; any other refusal is final. */
export function twilioOutboxError(e: unknown): unknown {
  if (!(e instanceof TwilioError) || e.status === 429 || e.status >= 500 || e.code === 20429) return e;
  const reason = e.code === 21610 ? 'opted_out' : e.status === 401 ? 'bad_credentials' : e.code !== null ? `twilio_${e.code}` : `http_${e.status}`;
  return new PermanentFailure(`${e.code ?? e.status} ${e.message}`, reason);
}
