// campaign (issue 17): a 100,000-contact campaign sent to the provider sandbox. Mirante runs as its
// own process (src/server/main.ts, as `npm start` runs it: the sender under its lease, the
// background loops), the WhatsApp Cloud API sandbox in this one; the CSV is uploaded through the API,
// and the clock runs from the upload's answer until the campaign is finished. Printed: the upload's
// time, messages/s, and the server's RSS before the upload, at its peak (the kernel's high-water mark,
// VmHWM) and after. CAMPAIGN_MAX_RATE is 1000 (the setting's ceiling) and the number TIER_UNLIMITED,
// so the figure is the pipeline's capacity, not a tier's pace. Receipts off (their cost is the
// webhook path's, measured by webhook-ingest). The sandbox's own record is checked: every number
// once. PGlite (DATA_DIR in a temporary folder) always; PostgreSQL when it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMetaWhatsApp } from '../src/sandbox/meta-whatsapp.js';
import { startSandbox } from '../src/sandbox/sandbox.js';
import { http } from './ingest.js';
import { emit } from './report.js';
import { serverNodeFlags } from '../scripts/server-flags.mjs';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const ADMIN = { email: 'bench@mirante.local', password: 'bench-password-1' };
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}

async function startMirante(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string; log: () => string }> {
  const port = await freePort();
  let log = '';
  const proc = spawn(process.execPath, [...serverNodeFlags({ ...process.env, ...env }), '--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env, LOG_LEVEL: 'warn', WEB_DIR: '/nonexistent', MIRANTE_SECRET_KEY: 'bench-secret-key-for-mirante-0123456789',
      CAMPAIGN_MAX_RATE: '1000', ...env, PORT: String(port), HOST: '127.0.0.1', MIRANTE_ADMIN_EMAIL: ADMIN.email, MIRANTE_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`the server exited: ${log}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { proc, url, log: () => log };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`the server did not answer: ${log}`);
}

async function measure(label: 'pglite' | 'postgres', env: Record<string, string>): Promise<void> {
  const wa = createMetaWhatsApp();
  const sb = await startSandbox({ providers: [wa.provider], keepRequests: 100 });
  const server = await startMirante(env);
  try {
    const { cookie } = await http(server.url, 'POST', '/api/auth/login', ADMIN);
    const phoneNumberId = `10${randomInt(1e12)}`;
    const wabaId = `waba${randomInt(1e9)}`;
    const credentials = { accessToken: `EAAG${randomBytes(8).toString('hex')}`, appSecret: randomBytes(16).toString('hex'), verifyToken: randomBytes(8).toString('hex') };
    const account = (await http(server.url, 'POST', '/api/channel-accounts', {
      channel: 'whatsapp', name: 'Bench WhatsApp', provider: 'meta', config: { phoneNumberId, wabaId, apiBaseUrl: `${sb.url}/meta-whatsapp/v21.0` }, credentials,
    }, cookie)).body;
    wa.connect({ phoneNumberId, wabaId, ...credentials, webhookUrl: `${server.url}/webhooks/whatsapp/${account.id}`, autoReceipts: false, messagingLimit: 'TIER_UNLIMITED' });
    const team = (await http(server.url, 'POST', '/api/teams', { name: 'Bench campanhas' }, cookie)).body;
    const service = (await http(server.url, 'POST', '/api/services', { name: 'Bench campanhas', channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] }, cookie)).body;
    const category = (await http(server.url, 'POST', '/api/template-categories', { code: randomInt(1, 999_999), title: 'Bench', type: 'billing' }, cookie)).body;
    const template = (await http(server.url, 'POST', '/api/templates', {
      categoryId: category.id, name: 'Bench boleto', channelAccountId: account.id, providerTemplate: 'bench_boleto', providerCategory: 'UTILITY',
      language: 'pt_BR', body: 'Olá {{1}}, o boleto {{2}} vence amanhã.', examples: ['Ana', '123'],
    }, cookie)).body;
    await http(server.url, 'POST', `/api/templates/${template.id}/submit`, {}, cookie);
    for (let i = 0; (await http(server.url, 'GET', `/api/templates/${template.id}`, undefined, cookie)).body.status !== 'APPROVED'; i++) {
      if (i > 100) throw new Error('the template was not approved');
      await new Promise((r) => setTimeout(r, 100));
    }
    const base = randomInt(10_000_000, 80_000_000);
    const lines = ['telefone;nome;param1;param2'];
    for (let i = 0; i < CONTACTS; i++) lines.push(`119${base + i};Cliente ${i};Cliente ${i};B-${i}`);
    const csv = `${lines.join('\r\n')}\r\n`;

    await new Promise((r) => setTimeout(r, 2000));
    const before = memoryOf(server.proc.pid!);
    const t0 = performance.now();
    const campaign = (await http(server.url, 'POST', '/api/campaigns', { templateId: template.id, serviceId: service.id, csv, name: 'Bench 100 mil', window: { from: '00:00', to: '00:00' } }, cookie)).body;
    const t1 = performance.now();
    let rssMax = 0;
    let c = campaign;
    while (c.status !== 'finished') {
      await new Promise((r) => setTimeout(r, 500));
      rssMax = Math.max(rssMax, memoryOf(server.proc.pid!).rss);
      c = (await http(server.url, 'GET', `/api/campaigns/${campaign.id}`, undefined, cookie)).body;
      if (performance.now() - t1 > 30 * 60_000) throw new Error(`not finished in 30 minutes: ${JSON.stringify(c.counts)}`);
    }
    const t2 = performance.now();
    await new Promise((r) => setTimeout(r, 2000));
    const after = memoryOf(server.proc.pid!);
    const to = new Set(wa.sent.map((m) => m.to));
    emit({
      bench: 'campaign', db: label, contacts: CONTACTS,
      uploadMs: Math.round(t1 - t0),
      sendSeconds: Math.round((t2 - t1) / 100) / 10,
      messagesPerSecond: Math.round(CONTACTS / ((t2 - t1) / 1000)),
      sentBySandbox: wa.sent.length, distinctNumbers: to.size, counts: c.counts,
      serverRssMb: { before: before.rss, peak: after.hwm, sampledMax: rssMax, after: after.rss },
    });
    if (wa.sent.length !== CONTACTS || to.size !== CONTACTS) throw new Error(`the sandbox took ${wa.sent.length} messages to ${to.size} numbers, not ${CONTACTS}`);
  } finally {
    server.proc.kill('SIGTERM');
    await new Promise((r) => server.proc.once('exit', r));
    await sb.close();
  }
}

export async function run(): Promise<void> {
  const only = process.env.BENCH_DB;
  if (only !== 'postgres') {
    const dir = mkdtempSync(join(tmpdir(), 'mirante-bench-campaign-'));
    try {
      await measure('pglite', { DATA_DIR: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only === 'pglite') return;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (e) {
    emit({ bench: 'campaign', db: 'postgres', skipped: `no PostgreSQL: ${(e as Error).message}` });
    return;
  }
  const name = `mirante_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  try {
    await measure('postgres', { DATABASE_URL: u.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
