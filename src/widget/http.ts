// The widget's HTTP calls (src/contracts/webchat.ts): the service's config, a new visitor identity,
// attachment uploads. Every URL is on the Mirante host the script came from, not the page's.

import type { Attachment, VisitorIdentity, WebchatConfig } from '../contracts/webchat';
import type { Lang } from './i18n';

/** A failed call: the status (0 when the network failed), the server's message and error code, if any. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = '',
  ) {
    super(message);
  }
}

async function call<T>(url: string, lang: Lang, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    // the server's refusals come in the widget's language (Accept-Language needs no CORS preflight)
    const headers = { ...(init?.headers as Record<string, string> | undefined), 'accept-language': lang };
    res = await fetch(url, { ...init, headers, credentials: 'omit', mode: 'cors' });
  } catch (e) {
    throw new HttpError(0, e instanceof Error ? e.message : 'network error');
  }
  const text = await res.text().catch(() => '');
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const error = (data as { error?: { message?: string; code?: string } } | null)?.error;
    throw new HttpError(res.status, error?.message || res.statusText || String(res.status), error?.code);
  }
  return data as T;
}

export class WidgetHttp {
  constructor(
    readonly host: string,
    readonly serviceKey: string,
    readonly lang: Lang = 'pt-BR',
  ) {}

  config(): Promise<WebchatConfig> {
    return call(`${this.host}/webchat/config/${encodeURIComponent(this.serviceKey)}`, this.lang);
  }

  newVisitor(): Promise<VisitorIdentity> {
    return call(`${this.host}/webchat/visitors`, this.lang, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceKey: this.serviceKey }),
    });
  }

  /** The raw file with its name in x-filename (the route's other form besides multipart): no boundary to get wrong. */
  upload(file: File, token: string): Promise<Attachment> {
    return call(`${this.host}/webchat/attachments`, this.lang, {
      method: 'POST',
      headers: { 'x-visitor-token': token, 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
      body: file,
    });
  }

  /**
   * Whether the server still knows this visitor's token: the visitor's download route answers 401 to
   * an unknown token and 404 to a known one asking for a file that does not exist.
   */
  async tokenValid(token: string): Promise<boolean> {
    try {
      await call(`${this.host}/webchat/attachments/00000000-0000-0000-0000-000000000000?token=${encodeURIComponent(token)}`, this.lang);
      return true;
    } catch (e) {
      return !(e instanceof HttpError && e.status === 401);
    }
  }

  socketUrl(identity: VisitorIdentity): string {
    const u = new URL('/webchat/ws', this.host + '/');
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('service', this.serviceKey);
    u.searchParams.set('visitor', identity.visitorId);
    u.searchParams.set('token', identity.token);
    return u.toString();
  }
}
