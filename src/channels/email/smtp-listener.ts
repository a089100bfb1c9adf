import { createHash } from 'node:crypto';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { CatalogCache } from '../../engine/catalog-cache.js';
import { activeChannelAccounts, serviceOfAccount, type LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { Engine } from '../../engine/engine.js';
import type { SecretKey } from '../../engine/secrets.js';
import { ingest } from '../ingest.js';
import { MAX_INBOUND_MEDIA_BYTES } from '../media.js';
import { sameSecret } from '../same-secret.js';
import { mailboxSettings } from './account.js';
import { takeRawEmail, type EmailOrigin } from './inbound.js';

// Mirante's own SMTP listener (issue 14): for providers that forward e-mail by SMTP instead of
// keeping a mailbox to read. One per node, on when SMTP_LISTEN_PORT is set. It accepts RCPT only for
// the addresses of active e-mail accounts with inbound `smtp` (550 otherwise), refuses a message past
// the size limit (552), and hands each message to the same path the IMAP watcher uses
// (inbound.ts takeRawEmail: dedup by Message-ID, bounces and auto-replies recognised, threading).
// 250 is answered only after the message is durable; any failure answers 451 so the sender retries.
// No TLS and, without a secret, no AUTH: firewall it or put it behind the provider's relay.

export interface SmtpListenerOptions {
  port: number;
  host?: string;
  /** SMTP_LISTEN_SECRET: when set, senders must AUTH (PLAIN or LOGIN, any user) with it as the password */
  secret?: string;
  /** the largest message accepted, in bytes (default the channel's attachment limit, 25 MB) */
  maxBytes?: number;
  onError?: (err: unknown) => void;
  /** subscribes to catalog changes (accounts, services) on any node: the listener's account cache is dropped on each */
  onCatalogUpdated?: (fn: () => void) => () => void;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** The active accounts received by SMTP, read and decrypted at most once per few seconds (every RCPT asks). */
type SmtpAccounts = { account: LoadedChannelAccount; addresses: readonly string[] }[];
const loadSmtpAccounts = async (engine: Engine, key: SecretKey): Promise<SmtpAccounts> =>
  (await activeChannelAccounts(engine.db, key, ['email'])).flatMap((account) => {
    const s = mailboxSettings(account);
    return s.inbound === 'smtp' ? [{ account, addresses: s.inboundAddresses }] : [];
  });

/** A stand-in for the folder position of a message with no Message-ID: the hash of its bytes (a retried delivery is the same message). */
function smtpOrigin(raw: Buffer): EmailOrigin {
  const hash = createHash('sha256').update(raw).digest();
  return { folder: '(smtp)', uidValidity: 0n, uid: hash.readUInt32BE(0) & 0x7fffffff, fallbackId: `smtp:${hash.toString('hex')}` };
}

export async function startSmtpListener(engine: Engine, key: SecretKey, opts: SmtpListenerOptions): Promise<SmtpListener> {
  const maxBytes = opts.maxBytes ?? MAX_INBOUND_MEDIA_BYTES;
  const secret = opts.secret || undefined;
  const cache = new CatalogCache<SmtpAccounts>(5000);
  const stopClearing = opts.onCatalogUpdated?.(() => cache.clear());
  /** The accounts whose addresses include this one (case-insensitive). */
  const accountsFor = async (address: string): Promise<LoadedChannelAccount[]> => {
    const wanted = address.trim().toLowerCase();
    const all = await cache.get('smtp', () => loadSmtpAccounts(engine, key));
    return all.filter((a) => a.addresses.includes(wanted)).map((a) => a.account);
  };

  const receive = async (raw: Buffer, session: SMTPServerSession): Promise<void> => {
    const seen = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      for (const account of await accountsFor(rcpt.address)) {
        if (seen.has(account.id)) continue;
        seen.add(account.id);
        const serviceId = await serviceOfAccount(engine.db, account.id);
        // accepted at RCPT, but no active service uses the account now: the sender keeps it and retries
        if (!serviceId) throw smtpError(451, `no service receives for ${rcpt.address} now; try again later`);
        await takeRawEmail(
          { db: engine.db, account, serviceId, now: engine.clock.now(), deliver: (parsed) => ingest(engine, { channel: 'email', accountId: account.id }, parsed) },
          raw,
          smtpOrigin(raw),
        );
      }
    }
  };

  const server = new SMTPServer({
    name: 'mirante',
    banner: 'Mirante',
    logger: false,
    size: maxBytes,
    // no certificate of its own: plain SMTP, behind a relay or a firewall
    disabledCommands: secret ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !secret,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (sameSecret(secret, auth.password)) return cb(null, { user: auth.username ?? 'relay' });
      cb(smtpError(535, 'Authentication failed'));
    },
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      accountsFor(address.address).then(
        (found) => cb(found.length ? undefined : smtpError(550, `No such mailbox here: ${address.address}`)),
        (err) => {
          opts.onError?.(err);
          cb(smtpError(451, 'Temporary failure; try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session, cb) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        // past the limit nothing more is kept; the stream is still read to its end
        if (bytes <= maxBytes) chunks.push(c);
      });
      stream.on('error', (err) => {
        opts.onError?.(err);
        cb(smtpError(451, 'Temporary failure; try again later'));
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) return cb(smtpError(552, `Message exceeds the maximum size of ${maxBytes} bytes`));
        receive(Buffer.concat(chunks), session).then(
          () => cb(),
          (err: Error & { responseCode?: number }) => {
            if (err.responseCode !== 451) opts.onError?.(err);
            cb(smtpError(451, err.responseCode === 451 ? err.message : 'Temporary failure; try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => opts.onError?.(err));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    close: () => {
      stopClearing?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
