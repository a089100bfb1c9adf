// `npm start`: builds the web app and the WebChat widget when their sources are newer than the build,
// then runs the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serverNodeFlags } from './server-flags.mjs';

const built = 'dist/web/index.html';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds with `config` when `output` is missing or older than any file under `sources`. */
function buildIfStale(what, output, sources, config) {
  const stale = !existsSync(output) || sources.some((d) => newest(d) > statSync(output).mtimeMs);
  if (!stale) return;
  console.log(`Building ${what}…`);
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', config, '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// WEB_DIR / WIDGET_DIR point at builds made elsewhere: then there is nothing to build here
if (!process.env.WEB_DIR) buildIfStale('the web app', built, ['src/web', 'src/contracts'], 'src/web/vite.config.ts');
if (!process.env.WIDGET_DIR) buildIfStale('the WebChat widget', 'dist/widget/widget.js', ['src/widget', 'src/contracts'], 'src/widget/vite.config.ts');

const args = [...serverNodeFlags(), '--import', 'tsx', 'src/server/main.ts', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
// The terminal's Ctrl-C reaches the server directly; a SIGTERM to this process is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
// `npm start` runs us under `sh -c`, and a SIGTERM to npm reaches only that shell, which dies without
// passing it on: when our parent is gone, stop the server cleanly instead of running on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
