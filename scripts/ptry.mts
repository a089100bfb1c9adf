import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEmail } from '../src/channels/email/parse.js';
const root = '/work/shared/corpus/email';
const files: string[] = [];
const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); statSync(p).isDirectory() ? walk(p) : files.push(p); } };
walk(root);
for (const f of files.sort()) {
  const t = Date.now();
  const e = await parseEmail(readFileSync(f));
  console.log(f.slice(root.length + 1).padEnd(70), (e.machine ?? '-').padEnd(10), (e.from?.address ?? 'NOFROM').padEnd(30), JSON.stringify(e.subject)?.slice(0, 40), e.attachments.length, e.remoteImages, Date.now() - t);
}
