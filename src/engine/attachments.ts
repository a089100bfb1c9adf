import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { assertCanRead } from './conversations/access.js';
import { loadConversation } from './conversations/present.js';
import { notFound, NOUNS } from './errors.js';

// Files sent in conversations, stored in the database (bytea) so that any node serves any of them.
// Who may read one: the visitor who uploaded it or whose conversation holds it, and on the staff side
// whoever may read the conversation (its agent, the supervisors of its service, admins).

/** What a message carries about each of its files (messages.attachments). */
export interface AttachmentMeta {
  id: string;
  name: string;
  type: string;
  size: number;
}

export interface StoredFile extends AttachmentMeta {
  data: Uint8Array;
}

export async function storeAttachment(
  tx: Queryable,
  file: { name: string; type: string; data: Uint8Array; visitorId?: string | null; uploadedBy?: string | null },
  at: Date,
): Promise<AttachmentMeta> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO attachments (visitor_id, uploaded_by, name, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [file.visitorId ?? null, file.uploadedBy ?? null, file.name, file.type, file.data.byteLength, file.data, at],
  );
  return { id: rows[0].id, name: file.name, type: file.type, size: file.data.byteLength };
}

/** A visitor's own uploads not yet sent (or already sent in this conversation), in the order asked. */
export async function visitorUploads(tx: Queryable, visitorId: string, ids: readonly string[], conversationId: string | null): Promise<AttachmentMeta[] | null> {
  if (!ids.length) return [];
  if (!ids.every((id) => /^[0-9a-f-]{36}$/i.test(id))) return null;
  const { rows } = await tx.query<{ id: string; name: string; content_type: string; size: number }>(
    `SELECT id, name, content_type, size FROM attachments
      WHERE id = ANY($1::uuid[]) AND visitor_id = $2 AND (conversation_id IS NULL OR conversation_id = $3)`,
    [[...new Set(ids)], visitorId, conversationId],
  );
  if (rows.length !== new Set(ids).size) return null;
  const byId = new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, type: r.content_type, size: r.size }]));
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

/** The message that carries the files: from now on they belong to its conversation. */
export async function linkAttachments(tx: Queryable, ids: readonly string[], conversationId: string, messageId: number): Promise<void> {
  if (!ids.length) return;
  await tx.query('UPDATE attachments SET conversation_id = $2, message_id = $3 WHERE id = ANY($1::uuid[]) AND conversation_id IS NULL', [
    [...ids],
    conversationId,
    messageId,
  ]);
}

async function loadFile(db: Queryable, id: string): Promise<(StoredFile & { visitorId: string | null; conversationId: string | null }) | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<{ id: string; name: string; content_type: string; size: number; data: Uint8Array; visitor_id: string | null; conversation_id: string | null }>(
    'SELECT id, name, content_type, size, data, visitor_id, conversation_id FROM attachments WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, type: r.content_type, size: r.size, data: r.data, visitorId: r.visitor_id, conversationId: r.conversation_id } : null;
}

/** For the widget: the uploader, or the visitor whose conversation holds the file. Anyone else: 404. */
export async function attachmentForVisitor(db: Queryable, id: string, visitor: { id: string; contactId: string | null }): Promise<StoredFile> {
  const f = await loadFile(db, id);
  if (f && f.visitorId === visitor.id) return f;
  if (f?.conversationId && visitor.contactId) {
    const c = await loadConversation(db, f.conversationId);
    if (c?.contactId === visitor.contactId) return f;
  }
  throw notFound(NOUNS.attachment, id);
}

/** For the staff: scoped like the conversation (its agent, its supervisors, admins); 404 before it is sent. */
export async function attachmentForStaff(db: Queryable, id: string, actor: Actor): Promise<StoredFile> {
  const f = await loadFile(db, id);
  const c = f?.conversationId ? await loadConversation(db, f.conversationId) : null;
  if (!f || !c) throw notFound(NOUNS.attachment, id);
  await assertCanRead(db, actor, c);
  return f;
}
