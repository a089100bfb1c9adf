import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expectOutbound } from './outbound-guard.js';

// A provider's API at the network edge, for tests: a real HTTP server on 127.0.0.1 that records
// every request and answers each route as the test programs it (status, JSON or text, headers, a
// delay, a dropped connection), and that can call Mirante's webhooks as the provider would. It
// registers itself with the outbound guard, so the app may call it. Point a channel account's
// `apiBaseUrl` (or an API service's webhook URL) at `fake.url`.
//
//   const fake = await FakeProvider.start();
//   fake.on('POST', '/v19.0/123/messages', { json: { messages: [{ id: 'wamid.1' }] } });
//   fake.on('POST', '/v19.0/123/messages', { status: 400, json: { error: { code: 131047 } } }, { times: 1 });
//   …the app sends…
//   expect(fake.requestsTo('POST', '/v19.0/123/messages')[0].json).toMatchObject({ to: '5511…' });
//   await fake.webhook(`${t.url}/webhooks/whatsapp/${accountId}`, { entry: [...] }, { 'x-hub-signature-256': sig });
//   await fake.close();

export interface FakeRequest {
  method: string;
  /** path and query, as sent */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** the body parsed as JSON, or as a form (application/x-www-form-urlencoded) into an object; else undefined */
  json: unknown;
}

export interface FakeResponse {
  status?: number;
  /** sent as application/json */
  json?: unknown;
  /** sent as is (text/plain unless headers say otherwise) */
  body?: string;
  headers?: Record<string, string>;
  /** waits this long before answering (a slow provider; the test's own timeouts decide) */
  delayMs?: number;
  /** drops the connection without an answer (a network failure) */
  destroy?: boolean;
}

export type Responder = FakeResponse | ((req: FakeRequest) => FakeResponse | Promise<FakeResponse>);

interface Route {
  method: string;
  path: string | RegExp;
  respond: Responder;
  /** answers left; Infinity for a standing route */
  left: number;
}

const matches = (route: Route, req: FakeRequest) =>
  (route.method === '*' || route.method === req.method) && (typeof route.path === 'string' ? route.path === req.path : route.path.test(req.path));

export class FakeProvider {
  /** every request, in arrival order */
  readonly requests: FakeRequest[] = [];
  /** requests no route answered (they got 404): usually a test's mistake */
  readonly unmatched: FakeRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly sockets = new Set<Socket>();
  private waiters: { pred: (r: FakeRequest) => boolean; resolve: (r: FakeRequest) => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly unexpect: () => void,
  ) {}

  static async start(): Promise<FakeProvider> {
    let self: FakeProvider | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void self!.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    self = new FakeProvider(server, url, expectOutbound(url));
    server.on('connection', (s: Socket) => {
      self!.sockets.add(s);
      s.on('close', () => self!.sockets.delete(s));
    });
    return self;
  }

  /**
   * Programs an answer. The latest route that matches answers (so a test can put a few failures in
   * front of a standing success with `{ times: n }`); a route with `times` answers that many requests.
   */
  on(method: string, path: string | RegExp, respond: Responder, opts: { times?: number } = {}): this {
    this.routes.push({ method: method.toUpperCase(), path, respond, left: opts.times ?? Infinity });
    return this;
  }

  requestsTo(method: string, path: string | RegExp): FakeRequest[] {
    return this.requests.filter((r) => matches({ method: method.toUpperCase(), path, respond: {}, left: 1 }, r));
  }

  /** The first request (already arrived or still to come) that `pred` accepts. */
  waitFor(pred: (r: FakeRequest) => boolean, timeoutMs = 5000): Promise<FakeRequest> {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching request in ${timeoutMs} ms; got ${this.requests.map((r) => `${r.method} ${r.url}`).join(', ') || 'none'}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  /** Calls a webhook as the provider does (to Mirante, whose URL the test app registered): the answer's status and text. */
  async webhook(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
    return { status: res.status, body: await res.text() };
  }

  async close(): Promise<void> {
    this.unexpect();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(method: string, url: string, headers: IncomingHttpHeaders, body: string, res: import('node:http').ServerResponse): Promise<void> {
    const parsed = new URL(url, this.url);
    const req: FakeRequest = { method, url, path: parsed.pathname, query: parsed.searchParams, headers, body, json: parseBody(headers, body) };
    this.requests.push(req);
    this.waiters = this.waiters.filter((w) => (w.pred(req) ? (w.resolve(req), false) : true));
    let route: Route | undefined;
    for (let i = this.routes.length - 1; i >= 0; i--) {
      if (this.routes[i].left > 0 && matches(this.routes[i], req)) {
        route = this.routes[i];
        break;
      }
    }
    if (!route) {
      this.unmatched.push(req);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `fake provider: no route for ${method} ${parsed.pathname}` }));
      return;
    }
    route.left--;
    let answer: FakeResponse;
    try {
      answer = typeof route.respond === 'function' ? await route.respond(req) : route.respond;
    } catch (err) {
      answer = { status: 500, json: { error: String(err) } };
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (answer.destroy) {
      res.socket?.destroy();
      return;
    }
    const json = answer.json !== undefined;
    const headersOut = { 'content-type': json ? 'application/json' : 'text/plain; charset=utf-8', ...answer.headers };
    res.writeHead(answer.status ?? 200, headersOut).end(json ? JSON.stringify(answer.json) : (answer.body ?? ''));
  }
}

function parseBody(headers: IncomingHttpHeaders, body: string): unknown {
  if (!body) return undefined;
  const type = String(headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
