import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { emailList } from '../../contracts/channel-account-fields.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';

// An e-mail account's settings as the libraries take them (contracts/channel-account-fields.ts,
// provider `imap`): IMAP to read the folder and keep the Sent copy (or, with inbound `smtp`, Mirante's
// own SMTP listener receives: smtp-listener.ts), SMTP to send.

export interface MailboxSettings {
  /** imap: the watcher reads the folder; smtp: the node's SMTP listener receives for `inboundAddresses` */
  inbound: 'imap' | 'smtp';
  /** with inbound smtp: the recipients accepted for the account (lower case; default the From address) */
  inboundAddresses: string[];
  imap: { host: string; port: number; secure: boolean; user: string; pass?: string; accessToken?: string };
  folder: string;
  /** null: no copy is kept ("-") */
  sentFolder: string | null;
  smtp: { host: string; port: number; secure: boolean; user: string | null; pass: string | null };
  from: { address: string; name: string | null };
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const flag = (v: unknown, fallback: boolean) => (text(v) === '' ? fallback : text(v) === 'true');

export function mailboxSettings(account: LoadedChannelAccount): MailboxSettings {
  const c = account.config;
  const imapTls = flag(c.imapTls, true);
  const smtpSecure = flag(c.smtpSecure, false);
  const user = text(c.imapUser);
  const pass = account.credentials.imapPassword || undefined;
  const sent = text(c.sentFolder) || 'Sent';
  const inbound = text(c.inbound) === 'smtp' ? 'smtp' : 'imap';
  const fromAddress = text(c.fromAddress).toLowerCase();
  return {
    inbound,
    inboundAddresses: inbound === 'smtp' ? (emailList(text(c.inboundAddresses)).length ? emailList(text(c.inboundAddresses)) : fromAddress ? [fromAddress] : []) : [],
    imap: { host: text(c.imapHost), port: Number(text(c.imapPort)) || (imapTls ? 993 : 143), secure: imapTls, user, pass, accessToken: account.credentials.imapAccessToken || undefined },
    folder: text(c.folder) || 'INBOX',
    // no mailbox to keep a copy in when the e-mails come by SMTP
    sentFolder: sent === '-' || inbound === 'smtp' ? null : sent,
    smtp: {
      host: text(c.smtpHost),
      port: Number(text(c.smtpPort)) || (smtpSecure ? 465 : 587),
      secure: smtpSecure,
      user: text(c.smtpUser) || user || null,
      pass: account.credentials.smtpPassword || pass || null,
    },
    from: { address: fromAddress, name: text(c.fromName) || null },
  };
}

/** A new IMAP client (imapflow clients are single-use: a closed one is replaced, never reconnected). */
export function imapClient(s: MailboxSettings, opts: { autoIdle?: boolean; maxIdleTime?: number } = {}): ImapFlow {
  const client = new ImapFlow({
    host: s.imap.host,
    port: s.imap.port,
    secure: s.imap.secure,
    auth: s.imap.accessToken ? { user: s.imap.user, accessToken: s.imap.accessToken } : { user: s.imap.user, pass: s.imap.pass },
    logger: false,
    disableAutoIdle: !opts.autoIdle,
    maxIdleTime: opts.maxIdleTime,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 10 * 60_000,
    clientInfo: { name: 'Mirante' },
  });
  // an error event without a listener would crash the process; the caller sees it as a failed command or `close`
  client.on('error', () => undefined);
  return client;
}

export function smtpTransport(s: MailboxSettings) {
  return nodemailer.createTransport({
    host: s.smtp.host,
    port: s.smtp.port,
    secure: s.smtp.secure,
    ...(s.smtp.user && s.smtp.pass ? { auth: { user: s.smtp.user, pass: s.smtp.pass } } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}
