import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

// The provider sandbox: a small server, shipped with Mirante, that speaks each messaging provider's
// API (send, media, receipts, the Gupshup wallet…) and calls Mirante's webhooks the way the provider
// does (signed). The tests use it at the network edge and `npm run demo` brings customers on every
// channel through it: nothing reaches the internet. An account points at it with
// `config.apiBaseUrl` = `{sandbox}/{provider prefix}` (e.g. http://127.0.0.1:4010/meta/v21.0).
//
// Each provider is one file here exporting a `SandboxProvider` (its API routes, under its prefix) and
// the functions a test or the demo calls to make a customer write (they post the provider's webhook
// to Mirante). This file holds what they share: the server, the record of what Mirante sent, the
// files a customer "uploaded", ids.

export interface SandboxRequest {
  provider: string;
  method: string;
  /** path below the provider's prefix, with the query */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** JSON or form bodies parsed; else the text */
  body: unknown;
  at: Date;
}

/** One API call Mirante made, with the sandbox's answer: what `onCall` listeners hear. */
export interface SandboxCall extends SandboxRequest {
  status: number;
  /** the answer's body, parsed when it is JSON */
  response: unknown;
}

export interface SandboxFile {
  data: Buffer;
  type: string;
  name?: string;
}

export interface SandboxContext {
  /** every API call Mirante made, in order (tests read it; the demo listens with onCall instead) */
  readonly requests: SandboxRequest[];
  /** files by id: customers' media, and what Mirante uploaded */
  readonly files: Map<string, SandboxFile>;
  /** the sandbox's own address, e.g. http://127.0.0.1:4010 (known once it listens) */
  baseUrl(): string;
  newId(prefix: string): string;
  /**
   * Calls `listener` with each API call Mirante makes to any provider, once the sandbox has answered
   * it (the demo's customers react to what Mirante sent them). Returns the unsubscribe.
   */
  onCall(listener: (call: SandboxCall) => void): () => void;
}

export interface SandboxProvider {
  /** e.g. 'meta', 'gupshup', 'telegram', 'twilio' */
  name: string;
  /** mounted at `/{name}` */
  register(scope: FastifyInstance, ctx: SandboxContext): void | Promise<void>;
}

export interface Sandbox extends SandboxContext {
  url: string;
  /** the requests Mirante made to one provider */
  requestsTo(provider: string, method?: string, pathPrefix?: string): SandboxRequest[];
  close(): Promise<void>;
}

/** `keepRequests`: the record keeps only the latest this many calls (a long-running demo); default all (tests). */
export async function startSandbox(opts: { providers: SandboxProvider[]; host?: string; port?: number; keepRequests?: number }): Promise<Sandbox> {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  let base = '';
  let seq = 0;
  const listeners = new Set<(call: SandboxCall) => void>();
  const ctx: SandboxContext = {
    requests: [],
    files: new Map(),
    baseUrl: () => base,
    newId: (prefix) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}${randomBytes(4).toString('hex')}`,
    onCall(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  type Recorded = { sandboxAt?: Date; sandboxRecord?: SandboxRequest };
  // forms (Twilio) parsed like JSON; anything else (an upload) kept as bytes
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.get('/_sandbox/health', async () => ({ ok: true, providers: opts.providers.map((p) => p.name) }));
  for (const provider of opts.providers) {
    await app.register(
      async (scope) => {
        const record = (req: FastifyRequest): SandboxRequest => ({
          provider: provider.name,
          method: req.method,
          url: req.url.slice(provider.name.length + 1),
          headers: req.headers,
          body: req.body,
          at: (req as Recorded).sandboxAt ?? new Date(),
        });
        scope.addHook('onRequest', async (req) => {
          (req as Recorded).sandboxAt = new Date();
        });
        scope.addHook('preHandler', async (req) => {
          const r = record(req);
          (req as Recorded).sandboxRecord = r;
          ctx.requests.push(r);
          if (opts.keepRequests !== undefined && ctx.requests.length > opts.keepRequests) ctx.requests.splice(0, ctx.requests.length - opts.keepRequests);
        });
        // the answer as Mirante gets it, to whoever listens (a listener's error is its own)
        scope.addHook('onSend', async (req, reply, payload) => {
          if (!listeners.size) return payload;
          let response: unknown = payload;
          if (typeof payload === 'string') {
            try {
              response = JSON.parse(payload);
            } catch {
              /* not JSON: the text as it is */
            }
          }
          const call: SandboxCall = { ...((req as Recorded).sandboxRecord ?? record(req)), status: reply.statusCode, response };
          for (const l of listeners) {
            try {
              l(call);
            } catch {
              /* the listener's own failure */
            }
          }
          return payload;
        });
        await provider.register(scope, ctx);
      },
      { prefix: `/${provider.name}` },
    );
  }
  const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  base = address.replace('[::1]', '127.0.0.1');
  return {
    ...ctx,
    url: base,
    requestsTo: (provider, method, pathPrefix) =>
      ctx.requests.filter((r) => r.provider === provider && (!method || r.method === method) && (!pathPrefix || r.url.startsWith(pathPrefix))),
    close: () => app.close(),
  };
}

/** Posts a provider's webhook to Mirante, as the provider would (the caller signs it). */
export async function deliverWebhook(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, text: await res.text() };
}
