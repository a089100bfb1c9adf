import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import type { AuditAction, AuditEntity } from '../shared/audit.js';

// Secrets never reach the audit log, even hashed.
const REDACTED_FIELDS = new Set(['password', 'passwordHash', 'apiToken', 'credentials', 'secret', 'webhookSecret']);

function redact(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value ?? null;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, REDACTED_FIELDS.has(k) ? '[redacted]' : v]),
  );
}

export interface AuditRecord {
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  /** the contact whose data this touched: Acessos a dados (LGPD) lists a contact's rows by it */
  contactId?: string | null;
}

/** Appends to the audit log inside the caller's transaction, so a change and its record commit together. */
export async function writeAudit(tx: Queryable, actor: Actor, rec: AuditRecord): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, before, after, ip, user_agent, contact_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      actor.id,
      actor.name,
      rec.action,
      rec.entity,
      rec.entityId ?? null,
      rec.before === undefined ? null : JSON.stringify(redact(rec.before)),
      rec.after === undefined ? null : JSON.stringify(redact(rec.after)),
      actor.ip ?? null,
      actor.userAgent ?? null,
      rec.contactId ?? null,
    ],
  );
}

/**
 * Lets this transaction rewrite or delete audit rows, which the audit log's append-only trigger
 * (migration 0026) otherwise refuses: only the retention job and an erasure (LGPD) call it.
 */
export async function allowAuditRewrite(tx: Queryable): Promise<void> {
  await tx.query(`SELECT set_config('mirante.retention', 'on', true)`);
}
