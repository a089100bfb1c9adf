// The WebChat widget's weight on the customer's page: dist/widget/widget.js gzipped (level 9, as a
// CDN or our server would send it). Builds the widget first, so the number is for the current source.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { emit } from './report.js';

const TARGET_BYTES = 30 * 1024;

export async function run(): Promise<void> {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'src/widget/vite.config.ts', '--logLevel', 'error'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the widget build failed');
  const gzipped = gzipSync(readFileSync('dist/widget/widget.js'), { level: 9 }).length;
  emit({ bench: 'widget-size', value: gzipped, unit: 'bytes gzip', target: TARGET_BYTES });
}
