import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';

// Fails any integration test whose code makes an HTTP(S) or WebSocket request that no test expected
// (DESIGN.md: tests never reach the internet, and a call nobody planned is a bug). Installed for
// every integration file by vitest.config.ts (setupFiles: outbound-guard.setup.ts); it wraps globalThis.fetch and node's
// http/https request and get, which `ws` and the app's own senders use. A request to an origin
// (host and port) not registered is refused at once (the caller sees an error, nothing leaves the
// machine) and recorded; the test fails after it with a message naming the URL. Expected origins:
// the app of startTestApp, the servers a test starts (`expectOutbound(url)`), FakeProvider (itself).

// on globalThis: the setup file and the test file see one registry even if each loads this module
interface GuardState {
  expected: Map<string, number>;
  violations: string[];
  installed: boolean;
}
const state: GuardState = ((globalThis as { __miranteOutbound?: GuardState }).__miranteOutbound ??= { expected: new Map(), violations: [], installed: false });
const expected = state.expected;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '::ffff:7f00:1']);
const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'ws:': '80', 'https:': '443', 'wss:': '443' };

/** One key per origin: loopback's names are one host (a server on 127.0.0.1 is also localhost). */
function originKey(host: string, port: string): string {
  const h = host.toLowerCase();
  return `${LOOPBACK.has(h) ? 'loopback' : h}:${port}`;
}

function keyOfUrl(url: URL): string {
  return originKey(url.hostname, url.port || DEFAULT_PORT[url.protocol] || '');
}

/**
 * Lets this test file's code call the origin of `url` (any path). Returns the undo; FakeProvider and
 * startTestApp register themselves, a test's own receiver calls this.
 */
export function expectOutbound(url: string | URL): () => void {
  const key = keyOfUrl(new URL(url));
  expected.set(key, (expected.get(key) ?? 0) + 1);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    const n = (expected.get(key) ?? 1) - 1;
    if (n > 0) expected.set(key, n);
    else expected.delete(key);
  };
}

/** The unexpected requests recorded since the last check, and forgets them (for a test of the guard itself). */
export function takeOutboundViolations(): string[] {
  return state.violations.splice(0);
}

/** Throws, naming every unexpected request since the last check (and forgets them). Runs after each test. */
export function checkOutbound(): void {
  const found = takeOutboundViolations();
  if (!found.length) return;
  throw new Error(
    `unexpected outbound request${found.length > 1 ? 's' : ''} (no test expected ${found.length > 1 ? 'them' : 'it'}: ` +
      `use a FakeProvider, or call expectOutbound(url) for a server the test started):\n  ${found.join('\n  ')}`,
  );
}

class UnexpectedOutboundRequest extends Error {
  constructor(readonly url: string) {
    super(`unexpected outbound request to ${url}: no test expected it (outbound guard, test/support/outbound-guard.ts)`);
    this.name = 'UnexpectedOutboundRequest';
  }
}

function refuseUnexpected(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:') return;
  if (expected.has(keyOfUrl(url))) return;
  const shown = `${url.protocol}//${url.host}${url.pathname}${url.search}`;
  state.violations.push(shown);
  throw new UnexpectedOutboundRequest(shown);
}

/** The URL an http(s).request call is for, from any of its forms: (url[, options][, cb]) or (options[, cb]). */
function requestUrl(scheme: 'http:' | 'https:', args: unknown[]): URL | null {
  const [first, second] = args;
  let base: URL | null = null;
  let options: Record<string, unknown> = {};
  if (typeof first === 'string' || first instanceof URL) {
    base = new URL(first);
    if (second && typeof second === 'object') options = second as Record<string, unknown>;
  } else if (first && typeof first === 'object') {
    options = first as Record<string, unknown>;
  }
  if (options.socketPath) return null;
  const protocol = (options.protocol as string | undefined) ?? base?.protocol ?? scheme;
  const hostname = (options.hostname as string | undefined) ?? (options.host as string | undefined)?.replace(/:\d+$/, '') ?? base?.hostname ?? 'localhost';
  const port = options.port ?? base?.port ?? options.defaultPort ?? '';
  const path = (options.path as string | undefined) ?? (base ? `${base.pathname}${base.search}` : '/');
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return new URL(`${protocol}//${host}${port ? `:${String(port)}` : ''}${path.startsWith('/') ? path : `/${path}`}`);
}

/** Wraps fetch and http/https request and get; idempotent. */
export function installOutboundGuard(): void {
  if (state.installed) return;
  state.installed = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input: string | URL | Request, init?: RequestInit) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    try {
      refuseUnexpected(url);
    } catch (err) {
      return Promise.reject(err);
    }
    return realFetch(input, init);
  } as typeof fetch;
  for (const [mod, scheme] of [
    [http, 'http:'],
    [https, 'https:'],
  ] as const) {
    const realRequest = mod.request;
    const realGet = mod.get;
    const check = (args: unknown[]) => {
      const url = requestUrl(scheme, args);
      if (url) refuseUnexpected(url);
    };
    mod.request = function guardedRequest(...args: unknown[]) {
      check(args);
      return (realRequest as (...a: unknown[]) => http.ClientRequest).apply(mod, args);
    } as typeof mod.request;
    mod.get = function guardedGet(...args: unknown[]) {
      check(args);
      return (realGet as (...a: unknown[]) => http.ClientRequest).apply(mod, args);
    } as typeof mod.get;
  }
  // `import { request } from 'node:http'` reads the module's named exports: bring them in line
  syncBuiltinESMExports();
}
