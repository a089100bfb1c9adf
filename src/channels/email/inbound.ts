import { storeAttachment } from '../../engine/attachments.js';
import type { Database } from '../../db/database.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import { mediaKindOf } from '../../engine/conversations/agent-send.js';
import type { ParsedMessage, ParsedWebhook } from '../adapter.js';
import { MAX_INBOUND_MEDIA_BYTES, type InboundAttachmentEntry } from '../media.js';
import { mailboxSettings } from './account.js';
import { recordRecognised } from './mailbox-state.js';
import { parseEmail, type ParsedEmail } from './parse.js';

// A customer's e-mail as the one inbound path (channels/ingest.ts) takes it. Its files are already
// here (the whole message came over IMAP), so they are stored before the message and linked to it
// (InboundMessage.attachmentIds) instead of being fetched later like a provider's media.

/** The customer: the sender's address; a From: nobody can parse keeps its text, so the demand still opens. */
export function customerOf(mail: ParsedEmail, rawFrom: string | null): ParsedMessage['contact'] {
  if (mail.from) return { externalId: mail.from.address, name: mail.from.name, email: mail.from.address };
  const text = (rawFrom ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  return { externalId: text ? text.slice(0, 320) : 'remetente-desconhecido', name: null, email: null };
}

/** Where a raw e-mail came from: its place in an IMAP folder, or (SMTP listener) a stand-in of the same shape. */
export interface EmailOrigin {
  folder: string;
  uidValidity: bigint;
  uid: number;
  /** the id for dedup when the e-mail has no Message-ID */
  fallbackId: string;
}

/** The message's id for dedup: its Message-ID, or the origin's id when it has none. */
export const emailExternalId = (mail: ParsedEmail, where: Pick<EmailOrigin, 'fallbackId'>) => mail.messageId ?? where.fallbackId;

/** The IMAP origin of a message in a folder. */
export const imapOrigin = (where: { folder: string; uidValidity: bigint; uid: number }): EmailOrigin => ({
  ...where,
  fallbackId: `imap:${where.folder}:${where.uidValidity}:${where.uid}`,
});

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

export interface RawEmailContext {
  db: Database;
  account: LoadedChannelAccount;
  serviceId: string;
  now: Date;
  /** the one inbound path (channels/ingest.ts) for the account */
  deliver(parsed: ParsedWebhook): Promise<unknown>;
}

/**
 * One raw e-mail, however it came (the IMAP watcher, the SMTP listener), into the inbound path:
 * a bounce or auto-reply is recorded and opens nothing, the mailbox's own e-mail is skipped, a
 * Message-ID already stored in the service is skipped, anything else is delivered. Resolves once the
 * message is durable (or known to need nothing).
 */
export async function takeRawEmail(ctx: RawEmailContext, source: Buffer, where: EmailOrigin): Promise<'delivered' | 'recognised' | 'own' | 'duplicate'> {
  const { db, now } = ctx;
  const mail = await parseEmail(source);
  if (mail.machine) {
    await recordRecognised(db, { accountId: ctx.account.id, folder: where.folder, uidValidity: where.uidValidity, uid: where.uid, kind: mail.machine, messageId: mail.messageId, sender: mail.from?.address ?? null, subject: mail.subject }, now);
    return 'recognised';
  }
  // the mailbox's own e-mails (a Sent copy in the folder read, a loop through an alias) open nothing
  const own = mailboxSettings(ctx.account).from.address;
  if (own && mail.from?.address === own) return 'own';
  const externalId = emailExternalId(mail, where);
  if (await alreadyStored(db, ctx.serviceId, externalId)) return 'duplicate';
  // the From: header's own text, for a sender mailparser cannot read (only the header block is searched)
  const head = source.subarray(0, 64 * 1024).toString('latin1').split(/\r?\n\r?\n/, 1)[0];
  const rawFrom = /^from:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? null;
  const message = await toParsedMessage(db, ctx.serviceId, mail, externalId, rawFrom, now, own || null);
  await ctx.deliver({ messages: [message], receipts: [] });
  return 'delivered';
}
