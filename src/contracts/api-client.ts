import { OPERATIONS, type Operations } from './openapi.gen.js';

// A typed client of the HTTP API, by operationId, for integrators and scripts (and usable by the web
// app): the types come from the OpenAPI document (openapi.gen.ts, generated), so a renamed field or
// a new required parameter breaks the caller's build instead of its first call.

type Field<Name extends string, T, Optional extends boolean> = [T] extends [never]
  ? { [P in Name]?: never }
  : Optional extends true
    ? { [P in Name]?: T }
    : { [P in Name]: T };

/** What a call takes: path parameters and the body when the operation has them, the query always optional. */
export type CallArgs<K extends keyof Operations> = Field<'params', Operations[K]['params'], false> &
  Field<'query', Operations[K]['query'], true> &
  Field<'body', Operations[K]['body'], false> & { headers?: Record<string, string> };

type Needs<K extends keyof Operations> = [Operations[K]['params']] extends [never] ? ([Operations[K]['body']] extends [never] ? false : true) : true;

/** The rest arguments of a call: its CallArgs, optional when the operation has neither path parameters nor a body. */
export type CallRest<K extends keyof Operations> = Needs<K> extends true ? [CallArgs<K>] : [CallArgs<K>?];

/** An answer outside 2xx: its status and the error body (`{ error: { code, message, issues? } }`). */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    super(`${status}${message ? `: ${message}` : ''}`);
    this.name = 'ApiCallError';
  }
}

export interface ApiClientOptions {
  /** headers sent with every call: a cookie or Authorization outside a browser, Accept-Language */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** The URL of an operation: path parameters encoded, query lists comma-separated (the API's own form). */
export function operationUrl(baseUrl: string, path: string, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`${path}: the path parameter ${name} is missing`);
    return encodeURIComponent(String(params[name]));
  });
  const qs = querySearch(query).toString();
  return `${baseUrl}${filled}${qs ? `?${qs}` : ''}`;
}

/** A query as the API reads it: lists comma-separated, undefined left out. */
export function querySearch(query: Record<string, unknown> = {}): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return search;
}

export function apiClient(baseUrl = '', options: ApiClientOptions = {}) {
  return async function call<K extends keyof Operations>(
    operationId: K,
    ...[args]: CallRest<K>
  ): Promise<Operations[K]['response']> {
    const { method, path } = OPERATIONS[operationId];
    const a = (args ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> };
    const headers: Record<string, string> = { ...options.headers, ...a.headers };
    if (a.body !== undefined) headers['content-type'] = 'application/json';
    const res = await (options.fetch ?? fetch)(operationUrl(baseUrl, path, a.params, a.query), {
      method,
      headers,
      body: a.body === undefined ? undefined : JSON.stringify(a.body),
      credentials: 'same-origin',
    });
    const text = await res.text();
    let body: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '') && text) body = JSON.parse(text);
    if (!res.ok) throw new ApiCallError(res.status, body);
    return (res.status === 204 ? undefined : body) as Operations[K]['response'];
  };
}
