// Mirante as its own process (src/server/main.ts, as `npm start` runs it, without building the web
// app), for the tests that kill, stop or restart a node for real.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { serverNodeFlags } from '../../scripts/server-flags.mjs';
import { expectOutbound } from './outbound-guard.js';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  /** everything the process wrote so far (stdout and stderr) */
  log: () => string;
  /** resolves with the exit code once the process has exited */
  exited: Promise<number | null>;
}

/**
 * Starts src/server/main.ts and waits until /healthz answers. `admin` becomes the first admin on an
 * empty database; `port` reuses a port (a node restarted where the load balancer expects it).
 */
export async function startServer(
  env: Record<string, string>,
  admin: { email: string; password: string },
  opts: { port?: number; args?: string[]; /** how long it may take to answer (a loaded machine needs more) */ timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  let log = '';
  const proc = spawn(process.execPath, [...serverNodeFlags({ ...process.env, ...env }), '--import', 'tsx', 'src/server/main.ts', ...(opts.args ?? [])], {
    env: {
      ...process.env, LOG_LEVEL: 'warn', WEB_DIR: '/nonexistent', MIRANTE_SECRET_KEY: 'process-test-secret-key-0123456789abcdef',
      ...env, PORT: String(port), HOST: '127.0.0.1', MIRANTE_ADMIN_EMAIL: admin.email, MIRANTE_ADMIN_PASSWORD: admin.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  // the test talks to its node (outbound-guard.ts); a restarted node comes back on the same port
  expectOutbound(url);
  const tries = Math.ceil((opts.timeoutMs ?? 30_000) / 100);
  for (let i = 0; i < tries; i++) {
    if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}): ${log}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { proc, port, url, log: () => log, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`the server did not answer in ${tries / 10} s: ${log}`);
}
