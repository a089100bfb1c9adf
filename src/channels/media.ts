import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';
import { storeAttachment } from '../engine/attachments.js';
import { loadChannelAccount } from '../engine/channel-accounts.js';
import { announceMessages } from '../engine/conversations/receipts.js';
import type { Engine } from '../engine/engine.js';
import { PermanentFailure, type OutboxRow } from '../engine/outbox.js';
import type { SecretKey } from '../engine/secrets.js';
import type { ChannelAdapter, FileMediaKind, InboundMediaRef } from './adapter.js';

// Files a customer sends through a provider arrive as references (a Graph media id, a Telegram
// file_id, a Twilio MediaUrl). The webhook stores the message at once, with one pending entry per
// file in `messages.attachments`, and answers; a durable job per file (an outbox item of kind
// `channel_media`, retried like any send) downloads it through the adapter's `fetchMedia`, stores it
// as an attachment and replaces the pending entry, announced as message.updated. The webhook is not
// held while a provider's CDN answers, and a download that fails for good is shown, never dropped.

export const CHANNEL_MEDIA = 'channel_media';

/** The most a customer's file may weigh (WhatsApp's own limits: 16 MB video, 100 MB document). */
export const MAX_INBOUND_MEDIA_BYTES = 25 * 1024 * 1024;

/** One file of a message, as `messages.attachments` holds it while and after it is fetched. */
export type InboundAttachmentEntry =
  | { status: 'pending'; media: FileMediaKind; name: string | null; type: string | null }
  | { status: 'failed'; media: FileMediaKind; name: string | null; type: string | null; reason: string }
  | { status?: 'stored'; id: string; media: FileMediaKind; name: string; type: string; size: number };

export const pendingEntries = (refs: readonly InboundMediaRef[]): InboundAttachmentEntry[] =>
  refs.map((r) => ({ status: 'pending', media: r.media, name: r.filename ?? null, type: r.mimeType ?? null }));

interface MediaJob {
  channel: string;
  accountId: string;
  messageId: number;
  index: number;
  ref: InboundMediaRef;
}

/**
 * One job per file of a stored message. A repeated webhook (the provider retrying after a crash
 * between the COMMIT and this call) enqueues the files no job exists for yet, so none is lost.
 */
export async function enqueueMediaFetch(
  db: Queryable,
  job: Omit<MediaJob, 'index' | 'ref'>,
  refs: readonly InboundMediaRef[],
  at: Date,
  /** entries of `messages.attachments` before the first pending one */
  offset = 0,
): Promise<void> {
  if (!refs.length) return;
  await db.query(
    `INSERT INTO outbox (kind, message_id, target, payload, next_attempt_at, created_at)
     SELECT $1, NULL, $2 || ':' || (t.payload->>'index'), t.payload, $4, $4
       FROM unnest($3::jsonb[]) AS t(payload)
      WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = $1 AND o.target = $2 || ':' || (t.payload->>'index'))`,
    [CHANNEL_MEDIA, `media:${job.messageId}`, refs.map((ref, i) => JSON.stringify({ ...job, index: offset + i, ref } satisfies MediaJob)), at],
  );
}

/** Reads a provider's file, refusing it past `maxBytes` (the declared length first, then as it streams). */
export async function fetchLimited(url: string, init: RequestInit = {}, maxBytes = MAX_INBOUND_MEDIA_BYTES): Promise<{ data: Uint8Array; contentType: string | null }> {
  const res = await fetch(url, { ...init, redirect: 'follow', signal: init.signal ?? AbortSignal.timeout(60_000) });
  if (res.status === 404 || res.status === 410 || res.status === 403) {
    throw new PermanentFailure(`the provider answered ${res.status} for the file`, 'media_gone');
  }
  if (!res.ok) throw new Error(`the provider answered ${res.status} for the file`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new PermanentFailure(`the file has ${declared} bytes, more than ${maxBytes}`, 'media_too_large');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new PermanentFailure(`the file has more than ${maxBytes} bytes`, 'media_too_large');
    chunks.push(chunk);
  }
  return { data: Buffer.concat(chunks), contentType: res.headers.get('content-type') };
}

const extension: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/amr': 'amr', 'video/mp4': 'mp4', 'video/3gpp': '3gp', 'application/pdf': 'pdf',
};

/** A name for a file the customer sent without one: "imagem-4821.jpg". */
export function mediaFileName(media: FileMediaKind, messageId: number, mimeType: string): string {
  const base = { image: 'imagem', audio: 'audio', video: 'video', document: 'documento', sticker: 'figurinha' }[media];
  const ext = extension[mimeType.split(';')[0].trim().toLowerCase()];
  return ext ? `${base}-${messageId}.${ext}` : `${base}-${messageId}`;
}

/** Puts the file (when there is one) and its entry in place in one transaction, and shows them. */
async function replaceEntry(
  engine: Engine,
  job: MediaJob,
  entry: InboundAttachmentEntry,
  file?: { name: string; type: string; data: Uint8Array },
): Promise<void> {
  await engine.execute(async (u) => {
    const { rows } = await u.tx.query<{ conversation_id: string; service_id: string }>(
      'SELECT m.conversation_id, c.service_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1 FOR UPDATE OF m',
      [job.messageId],
    );
    if (!rows[0]) throw new PermanentFailure(`message ${job.messageId} does not exist`);
    if (file) {
      const stored = await storeAttachment(u.tx, { ...file, serviceId: rows[0].service_id }, u.now);
      await u.tx.query('UPDATE attachments SET conversation_id = $2, message_id = $3 WHERE id = $1', [stored.id, rows[0].conversation_id, job.messageId]);
      entry = { status: 'stored', id: stored.id, media: job.ref.media, name: stored.name, type: stored.type, size: stored.size };
    }
    await u.tx.query('UPDATE messages SET attachments = jsonb_set(attachments, ARRAY[$2::text], $3::jsonb) WHERE id = $1 AND jsonb_array_length(attachments) > $4', [
      job.messageId,
      String(job.index),
      JSON.stringify(entry),
      job.index,
    ]);
    await announceMessages(u, [job.messageId], 'media');
  });
}

/** The outbox sender of `channel_media` items: downloads, checks, stores, and shows the file. */
export function mediaFetcher(engine: Engine, key: SecretKey, adapterOf: (channel: string) => ChannelAdapter | undefined, publicUrl?: string) {
  const db: Database = engine.db;
  return async (item: OutboxRow): Promise<void> => {
    const job = item.payload as unknown as MediaJob;
    const base = { media: job.ref.media, name: job.ref.filename ?? null, type: job.ref.mimeType ?? null };
    try {
      const adapter = adapterOf(job.channel);
      if (!adapter?.fetchMedia) throw new PermanentFailure(`the ${job.channel} channel cannot fetch files`, 'media_unsupported');
      const account = await loadChannelAccount(db, key, job.channel, job.accountId).catch(() => {
        throw new PermanentFailure(`the ${job.channel} account ${job.accountId} is not active`, 'account_inactive');
      });
      const file = await adapter.fetchMedia({ account, db, publicUrl }, job.ref);
      if (file.data.byteLength > MAX_INBOUND_MEDIA_BYTES) throw new PermanentFailure(`the file has more than ${MAX_INBOUND_MEDIA_BYTES} bytes`, 'media_too_large');
      if (job.ref.sha256) {
        const digest = createHash('sha256').update(file.data);
        const [hex, b64] = [digest.copy().digest('hex'), digest.digest('base64')];
        if (job.ref.sha256 !== hex && job.ref.sha256 !== b64) throw new Error('the file does not match the checksum the provider sent');
      }
      const type = (file.mimeType || job.ref.mimeType || 'application/octet-stream').split(';')[0].trim();
      const name = file.filename || job.ref.filename || mediaFileName(job.ref.media, job.messageId, type);
      await replaceEntry(engine, job, { status: 'pending', ...base }, { name, type, data: file.data });
    } catch (err) {
      if (err instanceof PermanentFailure) await replaceEntry(engine, job, { status: 'failed', ...base, reason: err.reasonCode ?? 'media_failed' });
      throw err;
    }
  };
}
