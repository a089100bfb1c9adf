import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Provider credentials (channel tokens, SMTP passwords…) are stored encrypted with AES-256-GCM, so a
// database dump alone does not hand them out. Format: `v1:<iv>:<tag>:<ciphertext>`, each base64url.

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_KEY_CHARS = 16;
// A fixed salt: every node must derive the same key from the same MIRANTE_SECRET_KEY.
const KDF_SALT = 'mirante/secrets/v1';

/** The 32-byte AES key derived from MIRANTE_SECRET_KEY; only `deriveSecretKey` makes one. */
export type SecretKey = Buffer & { readonly __secretKey: unique symbol };

/** A blob that is not ours, was altered, or was encrypted under another key. */
export class SecretDecryptError extends Error {
  readonly code = 'secret_decrypt_failed';
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

/** scrypt rather than a plain hash: MIRANTE_SECRET_KEY may be a passphrase typed by a person. */
export function deriveSecretKey(material: string): SecretKey {
  if (material.length < MIN_KEY_CHARS) throw new Error(`MIRANTE_SECRET_KEY must have at least ${MIN_KEY_CHARS} characters`);
  return scryptSync(material, KDF_SALT, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }) as SecretKey;
}

export function encryptSecret(key: SecretKey, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(VERSION));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
}

export function decryptSecret(key: SecretKey, blob: string): string {
  const parts = blob.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretDecryptError('not a v1 encrypted secret');
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptError('malformed encrypted secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptError('the secret was altered or encrypted with another key');
  }
}

export interface SecretKeyConfig {
  secretKey?: string;
  databaseUrl?: string;
  dataDir: string;
}

/**
 * MIRANTE_SECRET_KEY when set. On PGlite (one node) without it, a random key kept next to the data;
 * on PostgreSQL, refuse: several nodes must share one key, and a lost key loses every credential.
 */
export function resolveSecretKey(config: SecretKeyConfig, warn: (msg: string) => void = console.warn): SecretKey {
  if (config.secretKey) return deriveSecretKey(config.secretKey);
  if (config.databaseUrl) {
    throw new Error(
      'MIRANTE_SECRET_KEY is required with DATABASE_URL: every node must encrypt channel credentials with the same key. ' +
        'Generate one with `openssl rand -base64 32` and give it to every node.',
    );
  }
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      // 'wx': two processes starting together on one folder must not overwrite each other's key
      writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
      warn(`MIRANTE_SECRET_KEY is not set: generated a key in ${file}. Back it up with the data; without it the stored channel credentials cannot be read.`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  return deriveSecretKey(readFileSync(file, 'utf8').trim());
}
