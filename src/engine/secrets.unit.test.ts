import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptSecret, deriveSecretKey, encryptSecret, resolveSecretKey, SecretDecryptError } from './secrets.js';

const key = deriveSecretKey('a-test-key-of-enough-length');
const otherKey = deriveSecretKey('another-test-key-of-enough-length');

/** Flips one bit of part `index` (1 iv, 2 tag, 3 ciphertext) of a blob. */
function flip(blob: string, index: number): string {
  const parts = blob.split(':');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[0] ^= 1;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('encryptSecret / decryptSecret', () => {
  it('round-trips text, including empty and non-ASCII', () => {
    for (const text of ['', 'token-123', 'senha com acentuação ✓', JSON.stringify({ apiKey: 'x'.repeat(5000) })]) {
      expect(decryptSecret(key, encryptSecret(key, text))).toBe(text);
    }
  });

  it('writes v1:<iv>:<tag>:<ciphertext> in base64url, a fresh iv each time', () => {
    const a = encryptSecret(key, 'same');
    const b = encryptSecret(key, 'same');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('detects tampering with the iv, the tag or the ciphertext', () => {
    const blob = encryptSecret(key, 'do not touch');
    for (const i of [1, 2, 3]) {
      expect(() => decryptSecret(key, flip(blob, i))).toThrow(SecretDecryptError);
    }
  });

  it('refuses a blob encrypted with another key', () => {
    const blob = encryptSecret(key, 'mine');
    expect(() => decryptSecret(otherKey, blob)).toThrow(SecretDecryptError);
  });

  it('refuses what is not a v1 blob, with a typed error', () => {
    for (const bad of ['plain text', 'v2:a:b:c', 'v1:only:three', encryptSecret(key, 'x').replace(/^v1/, 'v0')]) {
      try {
        decryptSecret(key, bad);
        expect.unreachable(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(SecretDecryptError);
        expect((err as SecretDecryptError).code).toBe('secret_decrypt_failed');
      }
    }
  });

  it('derives the same key from the same material (several nodes share it)', () => {
    const blob = encryptSecret(key, 'shared');
    expect(decryptSecret(deriveSecretKey('a-test-key-of-enough-length'), blob)).toBe('shared');
  });

  it('refuses a key that is too short', () => {
    expect(() => deriveSecretKey('short')).toThrow(/at least 16/);
  });
});

describe('resolveSecretKey', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'mirante-key-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('uses MIRANTE_SECRET_KEY when set, on either database', () => {
    const blob = encryptSecret(key, 'x');
    const fromEnv = resolveSecretKey({ secretKey: 'a-test-key-of-enough-length', databaseUrl: 'postgres://db/x', dataDir: '/nonexistent' });
    expect(decryptSecret(fromEnv, blob)).toBe('x');
  });

  it('on PostgreSQL without a key, refuses to start', () => {
    expect(() => resolveSecretKey({ databaseUrl: 'postgres://db/x', dataDir: tempDir() })).toThrow(/MIRANTE_SECRET_KEY is required/);
  });

  it('on PGlite without a key, generates one once in dataDir/secret.key (0600) and warns', () => {
    const dataDir = join(tempDir(), 'data');
    const warnings: string[] = [];
    const first = resolveSecretKey({ dataDir }, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/secret\.key/);
    const file = join(dataDir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);

    const blob = encryptSecret(first, 'kept');
    const second = resolveSecretKey({ dataDir }, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(decryptSecret(second, blob)).toBe('kept');
  });
});
