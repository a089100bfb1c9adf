import { operationUrl, querySearch, type CallArgs, type CallRest } from '../contracts/api-client';
import type { ErrorBody } from '../contracts/common';
import { OPERATIONS, type Operations } from '../contracts/openapi.gen';
import i18n from './i18n';

/** An operation of the HTTP API, by its operationId in the OpenAPI document (`getConversationsById`). */
export type OperationId = keyof Operations;
/** What an operation answers (2xx), from the OpenAPI document. */
export type Answer<K extends OperationId> = Operations[K]['response'];
/** What an operation takes as its JSON body. */
export type Body<K extends OperationId> = Operations[K]['body'];
/** What an operation takes in its query string. */
export type Query<K extends OperationId> = Operations[K]['query'];

/** One problem the server found, on the field it names (`body.name`, `email`, `items.2.key`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An API error with the server's code, the message that names what is wrong, and its field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The field issues of any error (none for a network failure or a thrown Error). */
export const issuesOf = (e: unknown): FieldIssue[] => (e instanceof ApiError ? e.issues : []);

/** The form field an issue's path names: the request part (`body.`, `query.`, `params.`) dropped. */
export const issueField = (path: string) => path.replace(/^(body|query|params)\./, '');

/**
 * The issues as form field errors: the request part (`body.`, `query.`, `params.`) dropped, so
 * `body.name` and `name` both land on the form's field `name`; several on one field are joined.
 */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issuesOf(e)) {
    const field = issueField(i.path);
    out[field] = out[field] ? `${out[field]}; ${i.message}` : i.message;
  }
  return out;
}

/**
 * Fired on window when the server says this browser's session may be over (a 401, the socket closed
 * with 4401 or 4403): the session provider asks who is signed in, and shows the sign-in page when nobody.
 */
export const SESSION_CHECK_EVENT = 'mirante:session-check';

export function checkSession(): void {
  window.dispatchEvent(new Event(SESSION_CHECK_EVENT));
}

/**
 * Calls one operation of the API by its operationId, typed by the OpenAPI document (path parameters,
 * query, body and answer): a wrong field or a missing parameter does not build. Refusals come as
 * ApiError in the screen's language; a 401 asks the session provider who is signed in.
 */
export function call<K extends OperationId>(operationId: K, ...[args]: CallRest<K>): Promise<Answer<K>> {
  const { method, path } = OPERATIONS[operationId];
  const a = (args ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  return send<Answer<K>>(operationUrl('', path, a.params, a.query), {
    method,
    headers: a.body !== undefined ? { 'content-type': 'application/json' } : {},
    body: a.body !== undefined ? JSON.stringify(a.body) : undefined,
  });
}

/**
 * The administrable resources, from the CRUD routes' operationIds: `Teams` stands for getTeams,
 * getTeamsById, postTeams, patchTeamsById and deleteTeamsById.
 */
export type Resource = {
  [K in OperationId]: K extends `get${infer R}ById` ? (`get${R}` | `post${R}` | `patch${R}ById` | `delete${R}ById` extends OperationId ? R : never) : never;
}[OperationId];
/** One record of a resource, as the API answers it. */
export type ItemOf<R extends Resource> = Answer<`get${R}ById` & OperationId>;

/** What a resource's list takes: a search on the name, active or not. */
export type ListQuery = {
  q?: string;
  active?: 'true' | 'false';
};

// The calls of a screen that handles any resource (ResourcePage, the lookups): the operationIds are
// checked against the document; the bodies are the form's fields, built at run time from its field
// definitions, so the server checks them (and names the field it refuses).
type AnyArgs = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
const anyCall = call as (operationId: OperationId, args?: AnyArgs) => Promise<unknown>;
const opOf = (op: 'get' | 'post' | 'patch' | 'delete', r: string, byId = false) => `${op}${r}${byId ? 'ById' : ''}` as OperationId;

/** The resources whose records a screen may hold as T (`ResourceFor<Team>` is `'Teams'`). */
export type ResourceFor<T> = { [R in Resource]: ItemOf<R> extends T ? R : never }[Resource];

export const resources = {
  /** The path of the resource's list (/api/teams): the query key of every list of it. */
  path: (r: Resource): string => OPERATIONS[opOf('get', r)].path,
  list: async <T,>(r: ResourceFor<T>, query: ListQuery = {}): Promise<T[]> => ((await anyCall(opOf('get', r), { query })) as { items: T[] }).items,
  create: <T,>(r: ResourceFor<T>, body: Record<string, unknown>) => anyCall(opOf('post', r), { body }) as Promise<T>,
  update: <T,>(r: ResourceFor<T>, id: string, body: Record<string, unknown>) => anyCall(opOf('patch', r, true), { params: { id }, body }) as Promise<T>,
  /** deactivates it: the record stays, for history */
  deactivate: <T,>(r: ResourceFor<T>, id: string) => anyCall(opOf('delete', r, true), { params: { id } }) as Promise<T>,
};

/** An operation's query as URL search parameters, for what the browser fetches itself (an export's download). */
export const searchOf = (query: object): URLSearchParams => querySearch(query as Record<string, unknown>);

/** The operations that take a file as their body (the OpenAPI types it Blob): the uploads. */
type UploadId = { [K in OperationId]: Blob extends Operations[K]['body'] ? K : never }[OperationId];

/** A file as the body of an upload operation, named in x-filename (the server requires it of every upload). */
export function upload<K extends UploadId>(operationId: K, args: Pick<CallArgs<K>, 'params'>, file: File): Promise<Answer<K>> {
  const a = args as { params?: Record<string, unknown> };
  return send<Answer<K>>(operationUrl('', OPERATIONS[operationId].path, a.params), {
    method: OPERATIONS[operationId].method,
    headers: { 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
    body: file,
  });
}

async function send<T>(path: string, init: { method: string; headers: Record<string, string>; body?: BodyInit }): Promise<T> {
  let res: Response;
  try {
    // the server's refusals come in the screen's language
    res = await fetch(path, { ...init, credentials: 'same-origin', headers: { 'accept-language': i18n.language || 'pt-BR', ...init.headers } });
  } catch {
    // the server did not answer at all: the browser's own words ("Failed to fetch") are English
    throw new ApiError(0, 'network', i18n.t('common.network'));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    // the session ended elsewhere (another tab signed out, an admin ended it); /api/auth/* answer for themselves
    if (res.status === 401 && !path.startsWith('/api/auth/')) checkSession();
    const err = (data as ErrorBody | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'error', err?.message ?? res.statusText, Array.isArray(err?.issues) ? err.issues : []);
  }
  return data as T;
}

