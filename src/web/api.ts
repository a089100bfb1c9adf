import type { ErrorBody } from '../contracts/common';
import i18n from './i18n';

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

export function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(path, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

/** A file as the body, named in x-filename (the server requires it of every upload). */
export function upload<T>(path: string, file: File): Promise<T> {
  return send<T>(path, {
    method: 'POST',
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

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
