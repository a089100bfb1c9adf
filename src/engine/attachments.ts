import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { policyOf } from './access.js';
import { loadConversation } from './conversations/present.js';
import { AppError, at as atField, notFound, NOUNS } from './errors.js';

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
  file: { name: string; type: string; data: Uint8Array; visitorId?: string | null; serviceId?: string | null; uploadedBy?: string | null },
  at: Date,
): Promise<AttachmentMeta> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO attachments (visitor_id, service_id, uploaded_by, name, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [file.visitorId ?? null, file.serviceId ?? null, file.uploadedBy ?? null, file.name, file.type, file.data.byteLength, file.data, at],
  );
  return { id: rows[0].id, name: file.name, type: file.type, size: file.data.byteLength };
}

/**
 * Bytes a WebChat visitor and a service may upload (defaults: DEFAULT_WEBCHAT_LIMITS in
 * server/rate-limit.ts). "Unsent" counts the uploads no message carries yet, "daily" every upload of
 * the last 24 hours still stored; the cleanup deletes the unsent ones after a grace period, so the
 * files a service keeps grow by at most its daily bytes a day, plus its unsent bytes for a while.
 */
export interface UploadQuota {
  visitorPendingBytes: number;
  visitorDailyBytes: number;
  servicePendingBytes: number;
  serviceDailyBytes: number;
}

/** How long an upload no message carries is kept: then the cleanup (upload-cleanup.ts) deletes it. */
export const ORPHAN_UPLOAD_GRACE_MS = 60 * 60_000;

const DAY_MS = 86_400_000;
const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function quotaRefused(status: 413 | 429, en: string, pt: string, retryAfterSeconds?: number): AppError {
  // a sentence for the customer: the widget shows it as it is
  return new AppError(status, 'upload_quota_exceeded', { en, pt }, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
}

/**
 * A visitor's upload, within the quotas: 413 when the visitor's unsent files would pass theirs (send
 * or wait for them), 429 (with `retryAfterSeconds`) for the daily quotas and the service's unsent
 * bytes. The visitor's uploads are serialized by an advisory lock, so their quotas are exact; a
 * service's may be passed by the uploads in flight at the same moment (at most a few files).
 */
export async function storeVisitorUpload(
  tx: Queryable,
  file: { name: string; type: string; data: Uint8Array },
  visitor: { id: string; serviceId: string },
  quota: UploadQuota,
  now: Date,
): Promise<AttachmentMeta> {
  await tx.query('SELECT pg_advisory_xact_lock(727292, hashtext($1))', [visitor.id]);
  const since = new Date(now.getTime() - DAY_MS);
  const { rows } = await tx.query<{ v_pending: number; v_day: number; v_oldest: Date | null; s_pending: number; s_day: number; s_oldest: Date | null; s_pending_oldest: Date | null }>(
    `SELECT (SELECT coalesce(sum(size), 0)::float8 FROM attachments WHERE visitor_id = $1 AND message_id IS NULL) AS v_pending,
            (SELECT coalesce(sum(size), 0)::float8 FROM attachments WHERE visitor_id = $1 AND created_at > $3) AS v_day,
            (SELECT min(created_at) FROM attachments WHERE visitor_id = $1 AND created_at > $3) AS v_oldest,
            (SELECT coalesce(sum(size), 0)::float8 FROM attachments WHERE service_id = $2 AND message_id IS NULL) AS s_pending,
            (SELECT coalesce(sum(size), 0)::float8 FROM attachments WHERE service_id = $2 AND created_at > $3) AS s_day,
            (SELECT min(created_at) FROM attachments WHERE service_id = $2 AND created_at > $3) AS s_oldest,
            (SELECT min(created_at) FROM attachments WHERE service_id = $2 AND message_id IS NULL) AS s_pending_oldest`,
    [visitor.id, visitor.serviceId, since],
  );
  const q = rows[0];
  const size = file.data.byteLength;
  // seconds until the oldest upload counted leaves the window: a hint for Retry-After
  const until = (t: Date | null, windowMs: number) => Math.max(1, Math.ceil(((t ? new Date(t).getTime() : now.getTime()) + windowMs - now.getTime()) / 1000));
  if (Number(q.v_pending) + size > quota.visitorPendingBytes) {
    throw quotaRefused(
      413,
      `your files not yet sent take ${mb(Number(q.v_pending))}, and ${mb(quota.visitorPendingBytes)} is the most: send them in a message before attaching more`,
      `seus arquivos ainda não enviados somam ${mb(Number(q.v_pending))}, e o máximo é ${mb(quota.visitorPendingBytes)}: envie-os numa mensagem antes de anexar mais`,
    );
  }
  if (Number(q.v_day) + size > quota.visitorDailyBytes) {
    throw quotaRefused(
      429,
      `you have sent ${mb(Number(q.v_day))} of files in the last 24 hours, the most allowed: try again later`,
      `você já enviou ${mb(Number(q.v_day))} em arquivos nas últimas 24 horas, o máximo permitido: tente de novo mais tarde`,
      until(q.v_oldest, DAY_MS),
    );
  }
  if (Number(q.s_pending) + size > quota.servicePendingBytes) {
    throw quotaRefused(
      429,
      'this service is receiving too many files right now: try again in a few minutes',
      'este serviço está recebendo arquivos demais agora: tente de novo em alguns minutos',
      // the unsent files are either sent or deleted by the cleanup within the grace period
      until(q.s_pending_oldest, ORPHAN_UPLOAD_GRACE_MS),
    );
  }
  if (Number(q.s_day) + size > quota.serviceDailyBytes) {
    throw quotaRefused(
      429,
      'this service has received all the files it takes in 24 hours: try again later, or describe the file in a message',
      'este serviço já recebeu todos os arquivos que aceita em 24 horas: tente de novo mais tarde, ou descreva o arquivo numa mensagem',
      until(q.s_oldest, DAY_MS),
    );
  }
  return storeAttachment(tx, { ...file, visitorId: visitor.id, serviceId: visitor.serviceId }, now);
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
  const unique = [...new Set(ids)];
  const linked = await tx.query('UPDATE attachments SET conversation_id = $2, message_id = $3 WHERE id = ANY($1::uuid[]) AND conversation_id IS NULL', [
    unique,
    conversationId,
    messageId,
  ]);
  // the cleanup may have deleted an unsent upload after the sender's check: refuse the message
  // rather than store it with a file nobody can open
  if (linked.rowCount < unique.length) {
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE id = ANY($1::uuid[])', [unique]);
    if (rows[0].n < unique.length) throw expiredUploads();
  }
}

export const expiredUploads = () =>
  new AppError(422, 'unknown_reference', atField('attachmentIds', {
    en: 'not your uploads, sent in another conversation, or deleted for not being sent within the hour: attach them again',
    pt: 'arquivos que não são seus, que já foram enviados em outra conversa, ou apagados por não terem sido enviados em uma hora: anexe-os de novo',
  }));

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
  // outside the actor's scope the file does not exist either
  if (!f || !c || !(await policyOf(actor).relationTo(db, c))) throw notFound(NOUNS.attachment, id);
  return f;
}

/**
 * For a signed public link (engine/media-links.ts): a file of a message that goes to the customer
 * (an agent's or the bot's); a customer's file or one not sent: 404.
 */
export async function outboundAttachment(db: Queryable, id: string): Promise<StoredFile> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(NOUNS.attachment, id);
  const { rows } = await db.query<{ id: string; name: string; content_type: string; size: number; data: Uint8Array }>(
    `SELECT a.id, a.name, a.content_type, a.size, a.data FROM attachments a JOIN messages m ON m.id = a.message_id
      WHERE a.id = $1 AND m.author_type IN ('agent', 'bot')`,
    [id],
  );
  const r = rows[0];
  if (!r) throw notFound(NOUNS.attachment, id);
  return { id: r.id, name: r.name, type: r.content_type, size: r.size, data: r.data };
}

/**
 * Erasure (engine/contacts/anonymize.ts): deletes the files of these conversations and every upload
 * of the contact's WebChat visitors, sent or not. Returns how many files went.
 */
export async function deleteContactFiles(tx: Queryable, conversationIds: readonly string[], contactId: string): Promise<number> {
  const { rowCount } = await tx.query(
    `DELETE FROM attachments WHERE conversation_id = ANY($1::uuid[]) OR visitor_id IN (SELECT id FROM webchat_visitors WHERE contact_id = $2)`,
    [conversationIds, contactId],
  );
  return rowCount;
}
