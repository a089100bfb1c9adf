import { describe, expect, it } from 'vitest';
import { checkMediaLink, MEDIA_LINK_TTL_MS, signedMediaUrl } from './media-links.js';
import type { SecretKey } from './secrets.js';

// Fixed keys: deriveSecretKey's scrypt is slow and not what is tested here.
const KEY = Buffer.alloc(32, 7) as SecretKey;
const OTHER = Buffer.alloc(32, 8) as SecretKey;
const ID = '0b5f4a52-9c1e-4f7a-8a55-6f1f7f3c2d10';
const NOW = new Date('2026-12-06T12:00:00Z');

const parts = (url: string) => {
  const u = new URL(url);
  return { path: u.pathname, exp: u.searchParams.get('exp')!, sig: u.searchParams.get('sig')! };
};

describe('signed media links', () => {
  it('names the file under PUBLIC_URL, expires after the TTL, and holds until then', () => {
    const url = signedMediaUrl(KEY, 'https://mirante.example.com/', ID, NOW);
    const { path, exp, sig } = parts(url);
    expect(url.startsWith(`https://mirante.example.com/media/${ID}?`)).toBe(true);
    expect(path).toBe(`/media/${ID}`);
    expect(Number(exp)).toBe((NOW.getTime() + MEDIA_LINK_TTL_MS) / 1000);
    expect(checkMediaLink(KEY, ID, exp, sig, NOW)).toBe('valid');
    expect(checkMediaLink(KEY, ID, exp, sig, new Date(NOW.getTime() + MEDIA_LINK_TTL_MS - 1000))).toBe('valid');
    expect(checkMediaLink(KEY, ID, exp, sig, new Date(NOW.getTime() + MEDIA_LINK_TTL_MS))).toBe('expired');
  });

  it('refuses another file, another expiry, another key, a changed or malformed signature', () => {
    const { exp, sig } = parts(signedMediaUrl(KEY, 'https://m.example', ID, NOW));
    expect(checkMediaLink(KEY, ID.replace('0b5f', '0b5e'), exp, sig, NOW)).toBe('invalid');
    expect(checkMediaLink(KEY, ID, String(Number(exp) + 1), sig, NOW)).toBe('invalid');
    expect(checkMediaLink(OTHER, ID, exp, sig, NOW)).toBe('invalid');
    expect(checkMediaLink(KEY, ID, exp, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, NOW)).toBe('invalid');
    expect(checkMediaLink(KEY, ID, exp, sig.slice(1), NOW)).toBe('invalid');
    expect(checkMediaLink(KEY, ID, exp, '', NOW)).toBe('invalid');
    expect(checkMediaLink(KEY, ID, '-1', sig, NOW)).toBe('invalid');
    expect(checkMediaLink(KEY, ID, '1e12', sig, NOW)).toBe('invalid');
  });
});
