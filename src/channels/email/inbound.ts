import { storeAttachment } from '../../engine/attachments.js';
import type { Database } from '../../db/database.js';
import { mediaKindOf } from '../../engine/conversations/agent-send.js';
import type { ParsedMessage } from '../adapter.js';
import { MAX_INBOUND_MEDIA_BYTES, type InboundAttachmentEntry } from '../media.js';
import type { ParsedEmail } from './parse.js';

// A customer's e-mail as the one inbound path (channels/ingest.ts) takes it. Its files are already
// here (the whole message came over IMAP), so they are stored before the message and linked to it
// (InboundMessage.attachmentIds) instead of being fetched later like a provider's media.

/** The customer: the sender's address; a From: nobody can parse keeps its text, so the demand still opens. */
export function customerOf(mail: ParsedEmail, rawFrom: string | null): ParsedMessage['contact'] {
  if (mail.from) return { externalId: mail.from.address, name: mail.from.name, email: mail.from.address };
  const text = (rawFrom ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  return { externalId: text ? text.slice(0, 320) : 'remetente-desconhecido', name: null, email: null };
}

/** The message's id for dedup: its Message-ID, or where it lies in the folder when it has none. */
export const emailExternalId = (mail: ParsedEmail, where: { folder: string; uidValidity: bigint; uid: number }) =>
  mail.messageId ?? `imap:${where.folder}:${where.uidValidity}:${where.uid}`;

/** Is this delivery stored already in the service (the same Message-ID appended twice, a re-read folder)? */
export async function alreadyStored(db: Database, serviceId: string, externalId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM messages WHERE dedup_scope = $1 AND external_id = $2', [serviceId, externalId]);
  return rows.length > 0;
}

/** The e-mail's payload on the message (contracts/message-content.ts EmailPayload). */
export function emailPayload(mail: ParsedEmail, mailbox: string | null) {
  return {
    email: {
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      subject: mail.subject,
      from: mail.from,
      replyTo: mail.replyTo,
      to: mail.to,
      cc: mail.cc,
      date: mail.date,
      html: mail.html,
      remoteImages: mail.remoteImages,
      mailbox,
    },
  };
}

export async function toParsedMessage(
  db: Database,
  serviceId: string,
  mail: ParsedEmail,
  externalId: string,
  rawFrom: string | null,
  now: Date,
  mailbox: string | null = null,
): Promise<ParsedMessage> {
  const entries: InboundAttachmentEntry[] = [];
  const ids: string[] = [];
  for (const a of mail.attachments) {
    const media = mediaKindOf(a.contentType);
    if (a.data.byteLength > MAX_INBOUND_MEDIA_BYTES) {
      entries.push({ status: 'failed', media, name: a.filename, type: a.contentType, reason: 'media_too_large' });
      continue;
    }
    const stored = await storeAttachment(db, { name: a.filename.slice(0, 255), type: a.contentType, data: a.data, serviceId }, now);
    ids.push(stored.id);
    entries.push({ status: 'stored', id: stored.id, media, name: stored.name, type: stored.type, size: stored.size });
  }
  const references = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()];
  return {
    contact: customerOf(mail, rawFrom),
    externalId,
    text: mail.text || (mail.attachments.length ? '' : '(e-mail sem texto)'),
    contentType: 'email',
    subject: mail.subject,
    attachments: entries.length ? entries : null,
    attachmentIds: ids,
    payload: emailPayload(mail, mailbox),
    thread: { references: [...new Set(references)], subject: mail.subject },
  };
}
