import { PermanentFailure } from '../../engine/outbox.js';

// A thin client of Meta's Graph API, shared by WhatsApp Cloud, Messenger and Instagram. The base URL
// comes from the account (`config.apiBaseUrl`, so that an account can point at the provider sandbox),
// default Meta's, with the Graph version in it.

export const GRAPH_BASE_URL = 'https://graph.facebook.com/v21.0';

export const graphBase = (config: Record<string, unknown>) => String(config.apiBaseUrl ?? GRAPH_BASE_URL).replace(/\/+$/, '');

/** Graph's error object (`{ error: { message, type, code, error_subcode, fbtrace_id, error_data } }`). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    readonly subcode: number | null,
    message: string,
    readonly details: string | null = null,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

// Throttling and Graph's own transient errors: worth another attempt; any other 4xx is not
// (a bad token, a closed window, a blocked user): retrying would fail the same way.
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

export function isRetryableGraphError(e: GraphError): boolean {
  return e.status >= 500 || e.status === 429 || (e.code !== null && RETRYABLE_CODES.has(e.code));
}

/** A Graph error as the outbox sees it: permanent (with its code, for the desk) or retried. */
export function outboxError(e: unknown): unknown {
  if (!(e instanceof GraphError) || isRetryableGraphError(e)) return e;
  const text = e.details ? `${e.message}: ${e.details}` : e.message;
  return new PermanentFailure(`${e.code ?? e.status} ${text}`, e.code !== null ? `graph_${e.code}` : `http_${e.status}`);
}

export async function graphCall<T>(
  base: string,
  path: string,
  opts: { token: string; method?: 'GET' | 'POST' | 'DELETE'; body?: unknown; query?: Record<string, string>; signal?: AbortSignal },
): Promise<T> {
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${opts.token}`, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal ?? AbortSignal.timeout(30_000),
  });
  return graphAnswer<T>(res);
}

/** A multipart upload (WhatsApp's `/{phone-number-id}/media`): the form as given, Graph's errors as graphCall's. */
export async function graphUpload<T>(base: string, path: string, opts: { token: string; form: FormData; signal?: AbortSignal }): Promise<T> {
  const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${opts.token}` }, body: opts.form, signal: opts.signal ?? AbortSignal.timeout(60_000) });
  return graphAnswer<T>(res);
}

async function graphAnswer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status
  }
  if (!res.ok) {
    const err = (json as { error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } } } | null)?.error;
    throw new GraphError(res.status, err?.code ?? null, err?.error_subcode ?? null, err?.message ?? `Graph answered ${res.status}`, err?.error_data?.details ?? null);
  }
  return json as T;
}
