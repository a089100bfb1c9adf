import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';

// A throwaway Dovecot IMAP server for a test file (/work/shared/reference/dovecot-for-tests.md): its
// own folder and config, a free loopback port, any user logs in with DOVECOT_PASSWORD and gets a
// fresh maildir. Without /usr/sbin/dovecot the tests that need it skip, saying why.

const run = promisify(execFile);
export const DOVECOT_BIN = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';
export const DOVECOT_PASSWORD = 'secret';

export const dovecotSkipReason = (): string | null =>
  existsSync(DOVECOT_BIN) ? null : `needs Dovecot at ${DOVECOT_BIN} (apt-get install dovecot-imapd; .ci/run installs it)`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Dovecot {
  host: string;
  port: number;
  dir: string;
  /** an IMAP client logged in as `user` (fresh maildir on first use) */
  client(user: string): Promise<ImapFlow>;
  /** puts a raw message in the user's folder (created when missing); returns its UID */
  append(user: string, raw: Buffer | string, folder?: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

async function ids(name: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: u }, { stdout: g }] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(u.trim()), gid: Number(g.trim()) };
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = await mkdtemp(join(tmpdir(), 'mirante-dovecot-'));
  await mkdir(join(dir, 'mail'), { recursive: true });
  await mkdir(join(dir, 'run'), { recursive: true });
  await chmod(dir, 0o755);
  const root = userInfo().uid === 0;
  // as root the mail must belong to the package's own user (imap refuses root); otherwise to us
  const owner = root ? await ids('dovecot') : { uid: userInfo().uid, gid: userInfo().gid };
  if (root) await chown(join(dir, 'mail'), owner.uid, owner.gid);
  const port = await freePort();
  const conf = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/run`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `log_path = ${dir}/dovecot.log`,
    ...(root ? ['default_internal_user = dovecot', 'default_internal_group = dovecot', 'default_login_user = dovenull'] : [`default_internal_user = ${userInfo().username}`, `default_login_user = ${userInfo().username}`]),
    'first_valid_uid = 100',
    `mail_location = maildir:${dir}/mail/%u`,
    'passdb {', '  driver = static', `  args = password=${DOVECOT_PASSWORD}`, '}',
    'userdb {', '  driver = static', `  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%u`, '}',
    'service imap-login {', '  chroot =', '  inet_listener imap {', `    port = ${port}`, '  }', '}',
    'service anvil {', '  chroot =', '}',
    '',
  ].join('\n');
  await writeFile(join(dir, 'dovecot.conf'), conf);
  // the master daemonizes; its children keep inherited pipes open, so nothing of ours is handed over
  await new Promise<void>((resolve, reject) => {
    const p = spawn(DOVECOT_BIN, ['-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dovecot exited with ${code}`))));
  });
  // the master forks and listens soon after: wait until a login works
  const host = '127.0.0.1';
  const client = async (user: string) => {
    const c = new ImapFlow({ host, port, secure: false, auth: { user, pass: DOVECOT_PASSWORD }, logger: false, disableAutoIdle: true });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  for (let i = 0; ; i++) {
    try {
      await (await client('probe')).logout();
      break;
    } catch (err) {
      if (i > 50) throw new Error(`Dovecot did not start: ${String(err)}\n${await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host,
    port,
    dir,
    client,
    async append(user, raw, folder = 'INBOX') {
      const c = await client(user);
      try {
        if (folder !== 'INBOX') await c.mailboxCreate(folder).catch(() => undefined);
        const r = await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw);
        return r ? r.uid : undefined;
      } finally {
        await c.logout().catch(() => undefined);
      }
    },
    async stop() {
      const pid = Number((await readFile(join(dir, 'run', 'master.pid'), 'utf8').catch(() => '')).trim());
      if (pid) {
        try {
          process.kill(pid);
        } catch {
          /* gone already */
        }
        for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
