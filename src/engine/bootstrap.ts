import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { hashPassword } from './auth/password.js';
import { writeAudit } from './audit.js';
import { SYSTEM_ACTOR } from './actor.js';

export interface FirstAdmin {
  email: string;
  /** Set only when the password was generated, so the caller prints it once. */
  generatedPassword?: string;
}

/**
 * On an empty database, creates the first admin from MIRANTE_ADMIN_EMAIL / MIRANTE_ADMIN_PASSWORD,
 * or with a random password. There is no fixed default password anywhere.
 */
export async function ensureFirstAdmin(db: Database, email?: string, password?: string): Promise<FirstAdmin | null> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727275)');
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    if (rows[0].n > 0) return null;
    const generated = password ? undefined : randomBytes(12).toString('base64url');
    const finalEmail = (email ?? 'admin@mirante.local').trim().toLowerCase();
    const { rows: created } = await tx.query<{ id: string }>(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Administrador', 'admin', $2) RETURNING id`,
      [finalEmail, await hashPassword(password ?? generated!)],
    );
    await writeAudit(tx, SYSTEM_ACTOR, { action: 'create', entity: 'user', entityId: created[0].id, after: { email: finalEmail, role: 'admin' } });
    return { email: finalEmail, generatedPassword: generated };
  });
}
