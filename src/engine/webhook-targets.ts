import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import type { Said } from '../core/said.js';
import { fieldError } from './errors.js';
import { PermanentFailure } from './outbox.js';

// Outbound webhooks may not reach the platform's own network (loopback, private ranges, link-local
// with the cloud metadata address) unless Parâmetros allow it (`allowPrivateWebhookTargets`): a
// service's URL is checked when saved, and again at send time on the very address connected to.

export type BlockedKind = 'loopback' | 'private' | 'link_local' | 'unspecified' | 'shared' | 'multicast' | 'reserved';

const KIND: Record<BlockedKind, Said> = {
  loopback: { en: 'a loopback address', pt: 'um endereço de loopback' },
  private: { en: 'a private address', pt: 'um endereço privado' },
  link_local: { en: 'a link-local address', pt: 'um endereço link-local' },
  unspecified: { en: 'the unspecified address', pt: 'o endereço não especificado' },
  shared: { en: 'a shared (CGNAT) address', pt: 'um endereço compartilhado (CGNAT)' },
  multicast: { en: 'a multicast address', pt: 'um endereço multicast' },
  reserved: { en: 'a reserved address', pt: 'um endereço reservado' },
};

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
const V4_RANGES: [base: number, bits: number, kind: BlockedKind][] = [
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'shared'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link_local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

function parseV4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return v4(...(parts.map(Number) as [number, number, number, number]));
}

/** An IPv6 address as a 128-bit number (zone id dropped; a trailing dotted IPv4 accepted). */
function parseV6(s: string): bigint | null {
  let text = s.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = parseV4(dotted[1]);
    if (n === null) return null;
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const inV6 = (n: bigint, prefix: string, bits: number) => n >> BigInt(128 - bits) === parseV6(prefix)! >> BigInt(128 - bits);
const low32 = (n: bigint) => Number(n & 0xffffffffn);

function blockedV4(n: number): BlockedKind | null {
  for (const [base, bits, kind] of V4_RANGES) if (n >>> (32 - bits) === base >>> (32 - bits)) return kind;
  return null;
}

function blockedV6(n: bigint): BlockedKind | null {
  if (n === 0n) return 'unspecified';
  if (n === 1n) return 'loopback';
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::)
  if (inV6(n, '::ffff:0:0', 96) || inV6(n, '::', 96) || inV6(n, '64:ff9b::', 96)) return blockedV4(low32(n));
  if (inV6(n, '2002::', 16)) return blockedV4(Number((n >> 80n) & 0xffffffffn));
  if (inV6(n, 'fc00::', 7) || inV6(n, 'fec0::', 10)) return 'private';
  if (inV6(n, 'fe80::', 10)) return 'link_local';
  if (inV6(n, 'ff00::', 8)) return 'multicast';
  return null;
}

/** Why an IP address may not be a webhook target, or null for a public unicast address (or not an IP). */
export function blockedAddress(ip: string): BlockedKind | null {
  const family = isIP(ip);
  if (family === 4) return blockedV4(parseV4(ip)!);
  if (family === 6) {
    const n = parseV6(ip);
    return n === null ? 'reserved' : blockedV6(n);
  }
  return null;
}

/** The URL's host without IPv6 brackets, as the WHATWG parser normalizes it (127.1 → 127.0.0.1). */
export const urlHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

const RULE: Said = {
  en: 'webhooks may not reach loopback, private or link-local addresses unless Parâmetros allow them (allowPrivateWebhookTargets)',
  pt: 'webhooks não podem ir a endereços de loopback, privados ou link-local, a menos que os Parâmetros permitam (allowPrivateWebhookTargets)',
};

function refusal(host: string, address: string, kind: BlockedKind): Said {
  const what = KIND[kind];
  return host === address
    ? { en: `${host} is ${what.en}; ${RULE.en}`, pt: `${host} é ${what.pt}; ${RULE.pt}` }
    : { en: `${host} resolves to ${address}, ${what.en}; ${RULE.en}`, pt: `${host} aponta para ${address}, ${what.pt}; ${RULE.pt}` };
}

/**
 * Refuses (422 naming `outboundWebhookUrl`) a webhook URL whose host is, or resolves to, a refused
 * address. A name that does not resolve now is accepted: the send-time check still guards it.
 */
export async function assertWebhookTarget(url: string, allowPrivate: boolean, field = 'outboundWebhookUrl'): Promise<void> {
  if (allowPrivate) return;
  const host = urlHost(new URL(url));
  let addresses: string[] = [host];
  if (!isIP(host)) {
    const resolved = await Promise.race([
      dnsLookupAll(host, { all: true, verbatim: true }).catch(() => [] as LookupAddress[]),
      new Promise<LookupAddress[]>((r) => setTimeout(() => r([]), 3000).unref()),
    ]);
    addresses = resolved.map((a) => a.address);
  }
  for (const address of addresses) {
    const kind = blockedAddress(address);
    if (kind) throw fieldError(422, 'validation_error', field, refusal(host, address, kind), { field });
  }
}

/** A delivery to a refused address: retrying cannot help, so the outbox stops it. */
export class WebhookTargetRefused extends PermanentFailure {
  constructor(host: string, address: string, kind: BlockedKind) {
    super(`webhook target refused: ${refusal(host, address, kind).en}`, 'webhook_target_refused');
    this.name = 'WebhookTargetRefused';
  }
}

/** Throws when the URL's host is a literal refused address (no lookup happens for those). */
export function assertLiteralTarget(host: string): void {
  const kind = isIP(host) ? blockedAddress(host) : null;
  if (kind) throw new WebhookTargetRefused(host, host, kind);
}

/**
 * The `lookup` of a webhook connection: resolves the name, refuses it when any of its addresses is
 * refused, and hands the socket exactly the addresses it checked, so a DNS answer that changes
 * between the check and the connection (rebinding) cannot slip through.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    for (const a of addresses) {
      const kind = blockedAddress(a.address);
      if (kind) return callback(new WebhookTargetRefused(hostname, a.address, kind), '', 0);
    }
    if (!addresses.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
