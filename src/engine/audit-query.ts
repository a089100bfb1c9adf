import type { Queryable } from '../db/database.js';
import type { AuditEntry } from '../contracts/admin.js';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

/** Newest first, paged by id (a cursor, so a long log pages in constant time). */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<{ items: AuditEntry[]; nextCursor: number | null }> {
  const conds: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    conds.push(sql.replace('?', `$${params.length}`));
  };
  if (f.entity) add('entity = ?', f.entity);
  if (f.entityId) add('entity_id = ?', f.entityId);
  if (f.actorId) add('actor_id = ?', f.actorId);
  if (f.from) add('at >= ?', f.from);
  if (f.to) add('at < ?', f.to);
  if (f.before) add('id < ?', f.before);
  const limit = f.limit ?? 100;
  params.push(limit + 1);
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM audit_log ${conds.length ? 'WHERE ' + conds.join(' AND ') : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: r.id as number,
      actorId: (r.actor_id as string | null) ?? null,
      actorName: (r.actor_name as string | null) ?? null,
      action: r.action as string,
      entity: r.entity as string,
      entityId: (r.entity_id as string | null) ?? null,
      before: r.before ?? null,
      after: r.after ?? null,
      ip: (r.ip as string | null) ?? null,
      at: (r.at as Date).toISOString(),
    })),
    nextCursor: rows.length > limit ? (page[page.length - 1].id as number) : null,
  };
}
