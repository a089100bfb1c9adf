import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import MimeNode from 'nodemailer/lib/mime-node/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SMTPServer } from 'smtp-server';

// The receiving end of Mirante's e-mails in tests: a real SMTP server (smtp-server) that keeps what
// it got, raw and parsed, and may hand each message on (to the customer's Dovecot mailbox).

export interface Received {
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
  mail: ParsedMail;
}

export interface SmtpReceiver {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(onMessage?: (r: Received) => Promise<void>): Promise<SmtpReceiver> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, cb) {
      cb(null, { user: 'mirante' });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then(async (mail) => {
            const r: Received = {
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((a) => a.address) },
              raw,
              mail,
            };
            received.push(r);
            await onMessage?.(r);
          })
          .then(() => cb(), (err: Error) => cb(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A customer's e-mail, built by nodemailer's composer (no MIME written by hand). */
export function composeEmail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** A delivery status notification (RFC 3464) as a mail server sends it: multipart/report, built by nodemailer's MimeNode. */
export function composeBounce(o: { from: string; to: string; messageId: string; failedRecipient: string }): Promise<Buffer> {
  const root = new MimeNode('multipart/report; report-type=delivery-status');
  root.setHeader({ From: o.from, To: o.to, Subject: 'Undelivered Mail Returned to Sender', 'Message-ID': `<${o.messageId}>`, 'Auto-Submitted': 'auto-replied' });
  root.createChild('text/plain').setContent(`Your message to ${o.failedRecipient} could not be delivered.`);
  root.createChild('message/delivery-status').setContent(`Reporting-MTA: dns; mx.test\r\n\r\nFinal-Recipient: rfc822; ${o.failedRecipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n`);
  return root.build();
}
