import type { ImapFlow } from 'imapflow';
import { serviceOfAccount } from '../../engine/channel-accounts.js';
import type { ChannelWorker, WorkerContext } from '../adapter.js';
import { imapClient, mailboxSettings, type MailboxSettings } from './account.js';
import { imapOrigin, takeRawEmail } from './inbound.js';
import { readMailboxState, saveMailboxState, type MailboxState } from './mailbox-state.js';

// The mailbox watcher: a ChannelWorker (channels/workers.ts) run on one node at a time under the
// account's lease. It opens the folder, reads every message after the last UID stored (so what came
// while it was down is read at start), then waits in IMAP IDLE for new mail, with a poll as the
// fallback (a server without IDLE, a notification lost). Each message goes through the one inbound
// path once: a Message-ID already stored in the service is skipped, and the last UID moves only after
// the message is durable. A closed connection ends the run; the lease runner starts a new one.

export interface WatcherOptions {
  /** how often the folder is read even without an IDLE notification */
  pollMs?: number;
  /** IMAP IDLE is broken and restarted this often (servers drop it after ~29 min) */
  maxIdleMs?: number;
  /**
   * On a folder never read before, messages older than the account by more than this are skipped:
   * connecting an old mailbox does not turn its years of mail into demands.
   */
  backlogMs?: number;
}

const DEFAULTS = { pollMs: 60_000, maxIdleMs: 5 * 60_000, backlogMs: 24 * 3_600_000 };

export function mailboxWatcher(options: WatcherOptions = {}): ChannelWorker {
  const opts = { ...DEFAULTS, ...options };
  // an account received by Mirante's SMTP listener (smtp-listener.ts) has no folder to watch
  return { run: (ctx) => watch(ctx, opts), wants: (account) => mailboxSettings(account).inbound === 'imap' };
}

async function watch(ctx: WorkerContext, opts: Required<WatcherOptions>): Promise<void> {
  const { account, signal } = ctx;
  const s = mailboxSettings(account);
  const client = imapClient(s, { maxIdleTime: opts.maxIdleMs });
  let closed = false;
  let wake: (() => void) | null = null;
  const poke = () => wake?.();
  client.on('close', () => {
    closed = true;
    poke();
  });
  client.on('exists', poke);
  signal.addEventListener('abort', poke);
  try {
    await client.connect();
    const lock = await client.getMailboxLock(s.folder);
    try {
      const since = await backlogCutoff(ctx, opts.backlogMs);
      while (!signal.aborted && !closed) {
        await readNew(ctx, client, s, since);
        if (signal.aborted || closed) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.pollMs);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
          // IDLE until the server reports new mail; the next command ends it
          void client.idle().catch(() => undefined);
        });
      }
    } finally {
      if (!closed) lock.release();
    }
  } finally {
    signal.removeEventListener('abort', poke);
    if (!closed) await client.logout().catch(() => client.close());
  }
  if (closed && !signal.aborted) throw new Error(`IMAP connection to ${s.imap.host}:${s.imap.port} closed`);
}

async function backlogCutoff(ctx: WorkerContext, backlogMs: number): Promise<Date> {
  const { rows } = await ctx.engine.db.query<{ created_at: Date }>('SELECT created_at FROM channel_accounts WHERE id = $1', [ctx.account.id]);
  return new Date((rows[0]?.created_at ? new Date(rows[0].created_at).getTime() : Date.now()) - backlogMs);
}

/** Reads every message after the last UID stored, one at a time, in UID order. */
async function readNew(ctx: WorkerContext, client: ImapFlow, s: MailboxSettings, since: Date): Promise<void> {
  const { account, engine, signal } = ctx;
  const db = engine.db;
  const box = client.mailbox;
  if (!box) throw new Error(`the folder ${s.folder} is not open`);
  const serviceId = await serviceOfAccount(db, account.id);
  // no active service uses the mailbox: nothing is read (and nothing marked read) until one does
  if (!serviceId) return;
  const stored = await readMailboxState(db, account.id, s.folder);
  const fresh = !stored || stored.uidValidity !== box.uidValidity;
  const state: MailboxState = fresh ? { uidValidity: box.uidValidity, lastUid: 0 } : stored;
  if (fresh) await saveMailboxState(db, account.id, s.folder, state, engine.clock.now());
  const found = await client.search({ uid: `${state.lastUid + 1}:*` }, { uid: true });
  const uids = (Array.isArray(found) ? found : []).filter((u) => u > state.lastUid).sort((a, b) => a - b);
  for (const uid of uids) {
    if (signal.aborted) return;
    const msg = await client.fetchOne(String(uid), { uid: true, source: true, internalDate: true }, { uid: true });
    if (msg && msg.source) {
      const arrived = msg.internalDate ? new Date(msg.internalDate) : null;
      const old = fresh && !stored && arrived !== null && arrived < since;
      if (!old) await takeMessage(ctx, serviceId, msg.source, { folder: s.folder, uidValidity: state.uidValidity, uid });
    }
    state.lastUid = uid;
    await saveMailboxState(db, account.id, s.folder, state, engine.clock.now());
  }
}

async function takeMessage(ctx: WorkerContext, serviceId: string, source: Buffer, where: { folder: string; uidValidity: bigint; uid: number }): Promise<void> {
  await takeRawEmail({ db: ctx.engine.db, account: ctx.account, serviceId, now: ctx.engine.clock.now(), deliver: ctx.deliver }, source, imapOrigin(where));
}
