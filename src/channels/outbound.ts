import { AttachmentEntry, attachmentKind, TemplatePayload } from '../contracts/message-content.js';
import type { Database } from '../db/database.js';
import { loadChannelAccount } from '../engine/channel-accounts.js';
import type { OutboundHook } from '../engine/engine.js';
import { enqueueOutbox, PermanentFailure, type OutboxRow } from '../engine/outbox.js';
import type { SecretKey } from '../engine/secrets.js';
import { signedMediaUrl } from '../engine/media-links.js';
import type { ChannelAdapter, OutboundContent, OutboundMessage, SendResult } from './adapter.js';

// The default outbound path of a channel with `send`: in the message's transaction an outbox item
// (kind `channel_send`) is written; the outbox worker, with retries, builds the OutboundMessage from
// the database and calls the adapter's `send` with its account.

export const CHANNEL_SEND = 'channel_send';

export const channelSendHook: OutboundHook = async (u, conversation, message) => {
  await enqueueOutbox(
    u.tx,
    { kind: CHANNEL_SEND, messageId: message.id, target: conversation.channel, payload: { channel: conversation.channel, conversationId: conversation.id } },
    u.now,
  );
};

interface MessageRow {
  id: number;
  body: string;
  payload: { options?: { id: string; label: string }[]; template?: unknown } | null;
  attachments: unknown[] | null;
  conversation_id: string;
  service_id: string;
  channel: string;
  account_id: string | null;
  subject: string | null;
  to_id: string | null;
  to_name: string | null;
  /** the provider's id of the message this one quotes (payload.replyTo.messageId), as it is now */
  reply_to: string | null;
}

/**
 * What one stored message says to the customer. A message carries one kind: a template
 * (payload.template), else one file with the text as its caption (agents send one message per file:
 * engine/conversations/agent-send.ts), else a bot menu, else text. A message stored with several
 * files (none is written today) sends its first; the others stay visible on the desk.
 */
export function outboundContent(row: Pick<MessageRow, 'body' | 'payload' | 'attachments'>): OutboundContent {
  const template = TemplatePayload.safeParse(row.payload?.template);
  if (template.success) return { kind: 'template', name: template.data.name, language: template.data.language, parameters: template.data.parameters };
  const file = (row.attachments ?? []).map((a) => AttachmentEntry.safeParse(a)).find((a) => a.success)?.data;
  if (file && 'id' in file) {
    const content: OutboundContent = { kind: 'media', media: attachmentKind(file), attachmentId: file.id, filename: file.name, mimeType: file.type };
    return row.body ? { ...content, caption: row.body } : content;
  }
  const options = row.payload?.options;
  return options?.length ? { kind: 'options', text: row.body, options } : { kind: 'text', text: row.body };
}

export async function outboundOf(db: Database, messageId: number): Promise<{ row: MessageRow; message: OutboundMessage }> {
  const { rows } = await db.query<MessageRow>(
    `SELECT m.id, m.body, m.payload, m.attachments, c.id AS conversation_id, c.service_id, c.channel, s.channel_account_id AS account_id, c.subject,
        ci.external_id AS to_id, coalesce(ci.display_name, ct.name) AS to_name,
        (SELECT coalesce(q.external_id, q.provider_message_id) FROM messages q
          WHERE q.id = (m.payload->'replyTo'->>'messageId')::bigint AND q.conversation_id = m.conversation_id) AS reply_to
       FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN services s ON s.id = c.service_id
       JOIN contacts ct ON ct.id = c.contact_id
       LEFT JOIN LATERAL (SELECT external_id, display_name FROM contact_identities WHERE contact_id = c.contact_id AND channel = c.channel ORDER BY external_id LIMIT 1) ci ON true
      WHERE m.id = $1`,
    [messageId],
  );
  const row = rows[0];
  if (!row) throw new PermanentFailure(`message ${messageId} does not exist`);
  if (!row.to_id) throw new PermanentFailure(`the customer has no ${row.channel} identity`);
  const content = outboundContent(row);
  return {
    row,
    message: {
      messageId: row.id,
      conversationId: row.conversation_id,
      serviceId: row.service_id,
      to: { externalId: row.to_id, name: row.to_name },
      content,
      // a quoted message the provider never took (not sent yet, failed) goes without context
      replyTo: row.reply_to,
      thread: row.subject !== null ? { subject: row.subject, references: [] } : null,
    },
  };
}

/**
 * The outbox sender of `channel_send` items: one per node, dispatching on the item's channel. It
 * returns the provider's message id, for the outbox to keep (receipts name it).
 */
export function channelSender(db: Database, key: SecretKey, adapterOf: (channel: string) => ChannelAdapter | undefined, publicUrl?: string, now: () => Date = () => new Date()) {
  return async (item: OutboxRow): Promise<SendResult> => {
    if (item.message_id === null) throw new PermanentFailure('a channel_send item without a message');
    const { row, message } = await outboundOf(db, item.message_id);
    const adapter = adapterOf(row.channel);
    if (!adapter?.send) throw new PermanentFailure(`the ${row.channel} channel cannot send`);
    if (!row.account_id) throw new PermanentFailure(`the service has no ${row.channel} account`);
    // an account deactivated (or removed) meanwhile: nothing will send this message
    const account = await loadChannelAccount(db, key, row.channel, row.account_id).catch(() => {
      throw new PermanentFailure(`the ${row.channel} account ${row.account_id} is not active`);
    });
    const mediaUrl = publicUrl ? (attachmentId: string) => signedMediaUrl(key, publicUrl, attachmentId, now()) : undefined;
    return adapter.send({ account, db, attempt: item.attempts + 1, publicUrl, mediaUrl }, message);
  };
}
