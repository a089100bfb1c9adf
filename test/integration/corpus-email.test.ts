import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailExternalId, imapOrigin } from '../../src/channels/email/inbound.js';
import { parseEmail } from '../../src/channels/email/parse.js';
import { ChannelWorkerPool } from '../../src/channels/workers.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { DOVECOT_PASSWORD, dovecotSkipReason, startDovecot, type Dovecot } from '../support/dovecot.js';
import { appForFile, createService, createTeam, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// The 127 real e-mails of the shared corpus (/work/shared/corpus/email, read in place), appended to
// a Dovecot mailbox and read by the watcher: each is stored as a customer's message of a demand or
// recognised as a bounce/auto-reply, with its subject and sender, and its stored HTML loads nothing
// and runs nothing.

const CORPUS = process.env.EMAIL_CORPUS_DIR ?? '/work/shared/corpus/email';
const files: string[] = [];
const walk = (d: string) => {
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (f.endsWith('.eml')) files.push(p);
  }
};
if (existsSync(CORPUS)) walk(CORPUS);
const skip = !existsSync(CORPUS) ? `the e-mail corpus is absent at ${CORPUS} (set EMAIL_CORPUS_DIR)` : dovecotSkipReason();
if (skip) console.warn(`e-mail corpus test skipped: ${skip}`);

const KEY = deriveSecretKey(TEST_SECRET_KEY);
let t: TestApp;
let admin: Client;
let dovecot: Dovecot;
appForFile((app) => ({ t, admin } = app));
beforeAll(async () => {
  if (!skip) dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
});

/** What would load or run something in the desk's frame. */
const UNSAFE = [/<script/i, /\son[a-z]+\s*=/i, /\s(src|srcset|background|poster|action|formaction)\s*=\s*["']?\s*(https?:)?\/\//i, /<(link|iframe|frame|object|embed|form|meta|base|style)\b/i, /url\s*\(/i];

describe.skipIf(!!skip)('the e-mail corpus through Dovecot', () => {
  it(`each of the ${files.length} e-mails is one stored message of a demand, or a recognised bounce/auto-reply; subject, sender, text and files right; its HTML safe`, { timeout: 240_000 }, async () => {
    expect(files.length).toBe(127);
    const mailbox = unique('corpus').replace(/\s+/g, '-').toLowerCase();
    const account = await admin.post('/api/channel-accounts', {
      channel: 'email', name: unique('Corpus'), provider: 'imap',
      config: { imapHost: '127.0.0.1', imapPort: String(dovecot.port), imapTls: 'false', imapUser: mailbox, smtpHost: '127.0.0.1', fromAddress: 'suporte@loja.test' },
      credentials: { imapPassword: DOVECOT_PASSWORD },
    });
    expect(account.status).toBe(201);
    const team = await createTeam(admin, {});
    const service = await createService(admin, { channel: 'email', channelAccountId: account.body.id, teamIds: [team.id] });
    const uids = new Map<string, number>();
    for (const f of files) uids.set(f, (await dovecot.append(mailbox, readFileSync(f)))!);
    const pool = new ChannelWorkerPool(t.runtime.engine, KEY, { ttlMs: 5_000, rescanMs: 200 });
    pool.start();
    try {
      await expect
        .poll(async () => Number((await t.db.query<{ last_uid: string }>('SELECT last_uid::text FROM email_mailbox_state WHERE account_id = $1', [account.body.id])).rows[0]?.last_uid ?? 0), { timeout: 200_000, interval: 500 })
        .toBe(Math.max(...uids.values()));
    } finally {
      await pool.stop();
    }
    const validity = (await t.db.query<{ v: string }>('SELECT uid_validity::text AS v FROM email_mailbox_state WHERE account_id = $1', [account.body.id])).rows[0].v;
    const recognised = new Map((await t.db.query<{ uid: string; kind: string }>('SELECT uid::text, kind FROM email_recognised WHERE account_id = $1', [account.body.id])).rows.map((r) => [Number(r.uid), r.kind]));
    const stored = new Map(
      (await t.db.query<{ external_id: string; payload: any; body: string; attachments: any[] | null }>(
        `SELECT m.external_id, m.payload, m.body, m.attachments FROM messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE c.service_id = $1 AND m.author_type = 'customer'`,
        [service.body?.id ?? service.id],
      )).rows.map((r) => [r.external_id, r]),
    );
    // a few corpus files repeat another's Message-ID: the same delivery to Mirante, stored once
    const ids = new Map<string, number>();
    for (const f of files) {
      const id = (await parseEmail(readFileSync(f))).messageId;
      if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    let demands = 0;
    let machines = 0;
    for (const f of files) {
      const name = relative(CORPUS, f);
      const uid = uids.get(f)!;
      const mail = await parseEmail(readFileSync(f));
      if (mail.machine) {
        expect(recognised.get(uid), name).toBe(mail.machine);
        machines++;
        continue;
      }
      expect(recognised.has(uid), name).toBe(false);
      const m = stored.get(emailExternalId(mail, imapOrigin({ folder: 'INBOX', uidValidity: BigInt(validity), uid })));
      expect(m, `${name}: stored`).toBeTruthy();
      demands++;
      // an e-mail that repeats another's Message-ID is the same delivery: compare with the one stored
      if (!mail.messageId || ids.get(mail.messageId) === 1) {
        expect(m!.payload.email.subject, `${name}: subject`).toBe(mail.subject);
        expect(m!.body, `${name}: text`).toBe(mail.text || (mail.attachments.length ? '' : '(e-mail sem texto)'));
        // every file stored (none here passes the 25 MB limit), by name, type and bytes; line ends aside
        // (the IMAP server keeps the message with CRLF, a corpus file may have LF in a 7-bit part)
        expect((m!.attachments ?? []).map((a: any) => [a.status, a.name, a.type]), `${name}: files`).toEqual(mail.attachments.map((a) => ['stored', a.filename.slice(0, 255), a.contentType]));
        const bytes = await t.db.query<{ id: string; data: Uint8Array }>('SELECT id, data FROM attachments WHERE id = ANY($1::uuid[])', [(m!.attachments ?? []).map((a: any) => a.id)]);
        const byId = new Map(bytes.rows.map((r) => [r.id, Buffer.from(r.data).toString('latin1').replaceAll('\r', '')]));
        mail.attachments.forEach((a, i) => expect(byId.get(m!.attachments![i].id) === a.data.toString('latin1').replaceAll('\r', ''), `${name}: ${a.filename} bytes`).toBe(true));
        expect(m!.payload.email.from?.address ?? null, `${name}: sender`).toBe(mail.from?.address ?? null);
      }
      const html: string | null = m!.payload.email.html;
      if (html) for (const bad of UNSAFE) expect(html, `${name}: ${bad}`).not.toMatch(bad);
    }
    expect(demands + machines).toBe(127);
    expect(machines).toBeGreaterThanOrEqual(8);
    // /metrics counts what was recognised, by kind
    const metrics = await fetch(`${t.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(new RegExp(`mirante_email_recognised_total\\{kind="bounce"\\} ${[...recognised.values()].filter((k) => k === 'bounce').length}`));
  });
});
