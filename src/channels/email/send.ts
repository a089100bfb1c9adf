import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Database } from '../../db/database.js';
import { EmailOutPayload, EmailPayload, type EmailAddress } from '../../contracts/message-content.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { OutboundMessage, SendContext, SendResult } from '../adapter.js';
import { imapClient, mailboxSettings, smtpTransport, type MailboxSettings } from './account.js';
import { connectionProblem } from './connection-test.js';

// An agent's e-mail, sent by the outbox (retried; a refusal no retry mends is permanent). The raw
// message is built once (nodemailer's MailComposer), sent over SMTP as those exact bytes, and the same
// bytes are appended to the account's Sent folder, so the mailbox shows what the customer got. Its
// Message-ID is Mirante's own and the same on every attempt; In-Reply-To/References name the e-mail
// it answers, so the customer's client threads it, and the customer's reply finds the conversation.

interface Row {
  body: string;
  payload: { emailOut?: unknown } | null;
  attachments: { id?: string }[] | null;
  protocol: string;
  signature: string | null;
  parent: unknown;
  parent_text: string | null;
  parent_attachments: { id?: string }[] | null;
}

const domainOf = (address: string) => address.split('@')[1] || 'mirante.invalid';

/** Mirante's Message-ID of an outgoing message: stable across retries, unique per message. */
export const outgoingMessageId = (messageId: number, conversationId: string, from: string) => `mirante.${conversationId}.${messageId}@${domainOf(from)}`;

const who = (a: EmailAddress | null | undefined) => (a ? (a.name ? `${a.name} <${a.address}>` : a.address) : '');

async function load(db: Database, message: OutboundMessage): Promise<Row> {
  const { rows } = await db.query<Row>(
    `SELECT m.body, m.payload, m.attachments, c.protocol, s.email_signature AS signature,
            p.payload->'email' AS parent, p.body AS parent_text, p.attachments AS parent_attachments
       FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN services s ON s.id = c.service_id
       LEFT JOIN messages p ON p.id = (m.payload->'emailOut'->>'parentMessageId')::bigint
      WHERE m.id = $1`,
    [message.messageId],
  );
  if (!rows[0]) throw new PermanentFailure(`message ${message.messageId} does not exist`);
  return rows[0];
}

async function files(db: Database, ids: string[]): Promise<{ filename: string; contentType: string; content: Buffer }[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{ id: string; name: string; content_type: string; data: Uint8Array }>(
    'SELECT id, name, content_type, data FROM attachments WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ filename: r.name, contentType: r.content_type, content: Buffer.from(r.data) }] : [];
  });
}

const storedIds = (entries: { id?: string }[] | null) => (entries ?? []).flatMap((a) => (typeof a.id === 'string' ? [a.id] : []));

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const asHtml = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

/** The text of the e-mail: the agent's words, the signature, and the e-mail answered or forwarded, quoted. */
export function emailBody(body: string, signature: string | null, out: EmailOutPayload, parent: EmailPayload | null, parentText: string | null): { text: string; html: string } {
  const sig = signature?.trim() ? `\n\n-- \n${signature.trim()}` : '';
  let quoted = '';
  let quotedHtml = '';
  if (parent && out.mode === 'forward') {
    const head = ['---------- Mensagem encaminhada ----------', `De: ${who(parent.from)}`, parent.date ? `Data: ${parent.date}` : '', `Assunto: ${parent.subject ?? ''}`, `Para: ${parent.to.map(who).join(', ')}`]
      .filter(Boolean)
      .join('\n');
    quoted = `\n\n${head}\n\n${parentText ?? ''}`;
    quotedHtml = `<br><br>${asHtml(head)}<br><br>${asHtml(parentText ?? '')}`;
  } else if (parent && parentText) {
    const intro = `${parent.date ? `Em ${parent.date}, ` : ''}${who(parent.from)} escreveu:`;
    quoted = `\n\n${intro}\n${parentText.split(/\r?\n/).map((l) => `> ${l}`).join('\n')}`;
    quotedHtml = `<br><br>${asHtml(intro)}<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${asHtml(parentText)}</blockquote>`;
  }
  return { text: `${body}${sig}${quoted}`, html: `<div>${asHtml(body)}${sig ? asHtml(sig) : ''}${quotedHtml}</div>` };
}

/** Is this SMTP error one that no retry mends (a 5xx refusal of the sender, a recipient, the message)? */
const permanentSmtp = (err: unknown) => {
  const e = err as { responseCode?: number; code?: string };
  return (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) || e.code === 'EENVELOPE';
};

export async function sendEmail(ctx: SendContext, message: OutboundMessage): Promise<SendResult> {
  const s = mailboxSettings(ctx.account);
  if (!s.from.address) throw new PermanentFailure('the e-mail account has no From address', 'bad_credentials');
  const row = await load(ctx.db, message);
  const out = EmailOutPayload.safeParse(row.payload?.emailOut);
  if (!out.success) throw new PermanentFailure('the message has no e-mail recipients (payload.emailOut)');
  const parsedParent = EmailPayload.safeParse(row.parent);
  const parent = parsedParent.success ? parsedParent.data : null;
  const { text, html } = emailBody(row.body, row.signature, out.data, parent, row.parent_text);
  const attachments = await files(ctx.db, [...storedIds(row.attachments), ...(out.data.mode === 'forward' ? storedIds(row.parent_attachments) : [])]);
  const threadOf = out.data.mode === 'forward' ? null : parent;
  const references = threadOf?.messageId ? [...threadOf.references, threadOf.messageId].slice(-20) : [];
  const messageId = outgoingMessageId(message.messageId, message.conversationId, s.from.address);
  const composer = new MailComposer({
    from: s.from.name ? { name: s.from.name, address: s.from.address } : s.from.address,
    to: out.data.to,
    cc: out.data.cc.length ? out.data.cc : undefined,
    // Bcc is in the envelope only: the built message (and the Sent copy) does not show it to the others
    subject: out.data.subject,
    text,
    html,
    messageId: `<${messageId}>`,
    date: new Date(),
    ...(threadOf?.messageId ? { inReplyTo: `<${threadOf.messageId}>`, references: references.map((r) => `<${r}>`).join(' ') } : {}),
    attachments,
    headers: { 'X-Mirante-Protocol': row.protocol },
  });
  const raw = await composer.compile().build();
  const transport = smtpTransport(s);
  try {
    await transport.sendMail({ envelope: { from: s.from.address, to: [...out.data.to, ...out.data.cc, ...out.data.bcc] }, raw });
  } catch (err) {
    const problem = connectionProblem('SMTP', s.smtp.host, s.smtp.port, err);
    if (permanentSmtp(err)) throw new PermanentFailure(problem.en, 'email_refused');
    throw new Error(problem.en);
  } finally {
    transport.close();
  }
  // sent: a failing copy must not send it again (the outbox would retry the whole send)
  await appendSent(s, raw).catch(() => undefined);
  return { providerMessageId: messageId };
}

/** The copy in the Sent folder, as sent, marked read. */
export async function appendSent(s: MailboxSettings, raw: Buffer): Promise<void> {
  if (!s.sentFolder) return;
  const client = imapClient(s);
  await client.connect();
  try {
    await client.mailboxCreate(s.sentFolder).catch(() => undefined);
    await client.append(s.sentFolder, raw, ['\\Seen']);
  } finally {
    await client.logout().catch(() => client.close());
  }
}
