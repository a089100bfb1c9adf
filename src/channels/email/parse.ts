import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { sanitizeEmailHtml } from './sanitize.js';

// One e-mail as Mirante keeps it, from its raw source (mailparser does every charset and transfer
// encoding). Bounces and auto-replies are recognised here: they neither open a demand nor answer one.

export interface EmailAddress {
  address: string;
  name: string | null;
}

/** What `messages.payload.email` holds (contracts/message-content.ts EmailPayload). */
export interface EmailHeaders {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  from: EmailAddress | null;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  /** ISO time the sender's client put in Date:, when it is a date */
  date: string | null;
}

export type MachineKind = 'bounce' | 'auto_reply' | 'report';

export interface ParsedEmail extends EmailHeaders {
  text: string;
  /** sanitised (sanitize.ts); null when the e-mail has no HTML part */
  html: string | null;
  remoteImages: number;
  attachments: { filename: string; contentType: string; data: Buffer; inline: boolean }[];
  /** a machine's message (bounce, auto-reply, report): recognised, never a demand */
  machine: MachineKind | null;
}

/** `<a@b>` → `a@b`: Message-IDs are stored and compared without their brackets. */
export const bareId = (id: string) => id.trim().replace(/^<+|>+$/g, '').trim();

/** Every Message-ID in a header's text (References may hold many, In-Reply-To sometimes several). */
export function messageIds(value: string | string[] | undefined | null): string[] {
  const all = (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.match(/<[^<>\s]+>/g) ?? (v.trim() && !/\s/.test(v.trim()) ? [v] : []));
  return [...new Set(all.map(bareId).filter((id) => id.length > 0 && id.length <= 998))];
}

const list = (a: AddressObject | AddressObject[] | undefined): EmailAddress[] =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value.flatMap((v) => (v.group ? v.group : [v])))
    .filter((v): v is typeof v & { address: string } => !!v.address && v.address.includes('@'))
    .map((v) => ({ address: v.address.trim().toLowerCase(), name: v.name?.trim() || null }));

function header(mail: ParsedMail, name: string): string | null {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'string') return (v as { value: string }).value;
  return String(v);
}

/**
 * Is this a machine's message? RFC 3834 Auto-Submitted (anything but "no"), the de-facto
 * X-Autoreply / X-Autorespond, Precedence: auto_reply, and multipart/report (RFC 6522: a
 * delivery-status report is a bounce; read receipts and abuse feedback are other reports).
 */
export function machineKind(mail: ParsedMail): MachineKind | null {
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (ct?.value?.toLowerCase() === 'multipart/report') {
    return (ct.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status' ? 'bounce' : 'report';
  }
  if (mail.attachments.some((a) => a.contentType === 'message/delivery-status')) return 'bounce';
  const auto = header(mail, 'auto-submitted');
  if (auto && auto.trim().toLowerCase() !== 'no') return 'auto_reply';
  if (header(mail, 'x-autoreply') !== null || header(mail, 'x-autorespond') !== null) return 'auto_reply';
  if ((header(mail, 'precedence') ?? '').trim().toLowerCase() === 'auto_reply') return 'auto_reply';
  return null;
}

function attachmentsOf(mail: ParsedMail, html: string | false): ParsedEmail['attachments'] {
  return mail.attachments.map((a: Attachment, i) => {
    // an inline image mailparser already put into the HTML as a data: URI is still a file of the e-mail
    const inline = a.contentDisposition === 'inline' || (!!a.related && !!a.cid && typeof html === 'string');
    const type = (a.contentType || 'application/octet-stream').toLowerCase();
    return { filename: a.filename?.trim() || defaultName(type, i + 1), contentType: type, data: a.content, inline };
  });
}

const defaultName = (type: string, n: number) => {
  const ext = type === 'message/rfc822' ? 'eml' : (type.split('/')[1] ?? 'bin').replace(/[^a-z0-9]+/g, '').slice(0, 8) || 'bin';
  return `anexo-${n}.${ext}`;
};

export async function parseEmail(source: Buffer | string): Promise<ParsedEmail> {
  const mail = await simpleParser(source, { skipHtmlToText: false });
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null;
  const from = list(mail.from)[0] ?? null;
  const sanitized = typeof mail.html === 'string' ? sanitizeEmailHtml(mail.html) : null;
  return {
    messageId: mail.messageId ? bareId(mail.messageId) || null : null,
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references),
    subject: mail.subject?.trim() || null,
    from,
    replyTo: list(mail.replyTo),
    to: list(mail.to),
    cc: list(mail.cc),
    date,
    text: (mail.text ?? '').trim(),
    html: sanitized?.html ?? null,
    remoteImages: sanitized?.remoteImages ?? 0,
    attachments: attachmentsOf(mail, mail.html ?? false),
    machine: machineKind(mail),
  };
}
