import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from '../../src/channels/email/smtp-listener.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { composeBounce } from '../support/smtp-receiver.js';
import { freePort } from '../support/dovecot.js';
import { appForFile, createService, createTeam, startTestApp, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// Mirante's own SMTP listener (issue 14): an e-mail account with inbound `smtp` is received by the
// node's listener instead of an IMAP watcher. Customers' e-mails are sent with nodemailer, as a
// provider's relay would forward them, and go through the same path as the IMAP watcher's.

const KEY = deriveSecretKey(TEST_SECRET_KEY);
const MAX = 256 * 1024;
let t: TestApp;
let admin: Client;
let listener: SmtpListener;
appForFile((app) => ({ t, admin } = app));

beforeAll(async () => {
  listener = await startSmtpListener(t.runtime.engine, KEY, { port: 0, maxBytes: MAX, onCatalogUpdated: (fn) => t.runtime.projection.onCatalogUpdated(fn) });
});
afterAll(async () => {
  await listener?.close();
});

async function setup(over: { emailTriage?: boolean } = {}) {
  const address = `${unique('sac').replace(/\s+/g, '-').toLowerCase()}@loja.test`;
  const created = await admin.post('/api/channel-accounts', {
    channel: 'email', name: unique('SMTP'), provider: 'imap',
    // no IMAP fields: the account is received by SMTP; replies go out by the (closed) SMTP below
    config: { inbound: 'smtp', inboundAddresses: `${address.toUpperCase()}, outro-${address}`, smtpHost: '127.0.0.1', smtpPort: '9', fromAddress: address, fromName: 'SAC Loja' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const team = await createTeam(admin, { maxChat: 3, maxEmail: 5 });
  const service = await createService(admin, { channel: 'email', channelAccountId: created.body.id, teamIds: [team.id], ...(over.emailTriage ? { emailTriage: true } : {}) });
  return { accountId: created.body.id as string, address, service };
}

const send = (mail: Mail.Options) =>
  nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, connectionTimeout: 5_000 }).sendMail(mail);

const conversationsOf = async (serviceId: string) =>
  (await t.db.query<{ id: string; protocol: string; subject: string | null; state: string }>('SELECT id, protocol, subject, state FROM conversations WHERE service_id = $1 ORDER BY created_at, protocol', [serviceId])).rows;
const customerMessages = async (conversationId: string) =>
  (await t.db.query<{ body: string; external_id: string; payload: any; attachments: any }>(`SELECT body, external_id, payload, attachments FROM messages WHERE conversation_id = $1 AND author_type = 'customer' ORDER BY id`, [conversationId])).rows;

describe('the SMTP listener', () => {
  it('an account received by SMTP needs no IMAP fields; inbound and its addresses are checked', async () => {
    const bad = await admin.post('/api/channel-accounts', {
      channel: 'email', name: unique('SMTP'), provider: 'imap',
      config: { inbound: 'pop3', inboundAddresses: 'nao-e-email', smtpHost: '127.0.0.1', fromAddress: 'a@loja.test' },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.error.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.config.inbound', 'body.config.inboundAddresses']));
    // the IMAP account still needs its IMAP fields and a password or token
    const imap = await admin.post('/api/channel-accounts', { channel: 'email', name: unique('IMAP'), provider: 'imap', config: { smtpHost: '127.0.0.1', fromAddress: 'a@loja.test' } });
    expect(imap.status).toBe(400);
    expect((imap.body.error.issues as { path: string }[]).map((i) => i.path)).toEqual(expect.arrayContaining(['body.config.imapHost', 'body.config.imapUser', 'body.credentials.imapPassword']));
  });

  it('an e-mail becomes one demand with its subject, sender, text and file; the same Message-ID twice is stored once', async () => {
    const { address, service } = await setup();
    const mail: Mail.Options = {
      from: 'Maria Souza <maria@cliente.test>', to: address, subject: 'Pedido 4521 não chegou', messageId: '<smtp-4521@cliente.test>',
      text: 'Comprei dia 2 e ainda não recebi.', attachments: [{ filename: 'comprovante.pdf', content: Buffer.from('%PDF-1.4 comprovante'), contentType: 'application/pdf' }],
    };
    const info = await send(mail);
    expect(info.accepted).toEqual([address]);
    // 250 only after the message is durable: it is there when sendMail resolves
    const [c] = await conversationsOf(service.id);
    expect(c.subject).toBe('Pedido 4521 não chegou');
    const [m] = await customerMessages(c.id);
    expect(m.body).toBe('Comprei dia 2 e ainda não recebi.');
    expect(m.external_id).toBe('smtp-4521@cliente.test');
    expect(m.payload.email.from).toEqual({ address: 'maria@cliente.test', name: 'Maria Souza' });
    expect(m.attachments).toEqual([expect.objectContaining({ status: 'stored', name: 'comprovante.pdf', type: 'application/pdf' })]);
    const contact = (await t.db.query('SELECT ct.email FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = $1', [c.id])).rows[0];
    expect(contact.email).toBe('maria@cliente.test');
    // a second delivery (the relay retried) is accepted and stored once
    await send(mail);
    expect(await conversationsOf(service.id)).toHaveLength(1);
    expect(await customerMessages(c.id)).toHaveLength(1);
  });

  it('unknown recipients get 550 (case-insensitive match of the known ones); oversize gets 552', async () => {
    const { address, service } = await setup();
    await expect(send({ from: 'x@cliente.test', to: 'ninguem@loja.test', subject: 'Oi', text: 'Oi' })).rejects.toMatchObject({ responseCode: 550 });
    // the account's second address, in upper case, is one of its own
    const ok = await send({ from: 'x@cliente.test', to: `OUTRO-${address.toUpperCase()}`, subject: 'Oi', text: 'Oi', messageId: '<oi-1@cliente.test>' });
    expect(ok.accepted).toHaveLength(1);
    await expect(send({ from: 'x@cliente.test', to: address, subject: 'Grande', text: 'x'.repeat(MAX + 1024), messageId: '<grande@cliente.test>' })).rejects.toMatchObject({ responseCode: 552 });
    const rows = await conversationsOf(service.id);
    expect(rows).toHaveLength(1);
    expect((await t.db.query("SELECT 1 FROM messages WHERE external_id = 'grande@cliente.test'")).rows).toHaveLength(0);
  });

  it('a reply threads into the open demand; an auto-reply and a bounce open nothing', async () => {
    const { accountId, address, service } = await setup();
    await send({ from: 'joao@cliente.test', to: address, subject: 'Troca de tamanho', messageId: '<troca-1@cliente.test>', text: 'Quero trocar o tamanho.' });
    await send({ from: 'joao@cliente.test', to: address, subject: 'Re: Troca de tamanho', messageId: '<troca-2@cliente.test>', inReplyTo: '<troca-1@cliente.test>', references: '<troca-1@cliente.test>', text: 'É o M, por favor.' });
    const rows = await conversationsOf(service.id);
    expect(rows).toHaveLength(1);
    expect((await customerMessages(rows[0].id)).map((m) => m.body)).toEqual(['Quero trocar o tamanho.', 'É o M, por favor.']);
    await send({ from: 'ferias@cliente.test', to: address, subject: 'Ausente', messageId: '<ausente-smtp@cliente.test>', text: 'Estou de férias.', headers: { 'Auto-Submitted': 'auto-replied' } });
    const bounce = await composeBounce({ from: 'MAILER-DAEMON@cliente.test', to: address, messageId: 'bounce-smtp@cliente.test', failedRecipient: 'sumiu@cliente.test' });
    await send({ envelope: { from: '', to: [address] }, raw: bounce });
    expect(await conversationsOf(service.id)).toHaveLength(1);
    const recognised = (await t.db.query('SELECT kind, message_id FROM email_recognised WHERE account_id = $1 ORDER BY kind', [accountId])).rows;
    expect(recognised).toEqual([{ kind: 'auto_reply', message_id: 'ausente-smtp@cliente.test' }, { kind: 'bounce', message_id: 'bounce-smtp@cliente.test' }]);
  });

  it('a service with the Filtro de E-mail keeps the e-mail in triage', async () => {
    const { address, service } = await setup({ emailTriage: true });
    await send({ from: 'ana@cliente.test', to: address, subject: 'Reclamação', messageId: '<reclama@cliente.test>', text: 'Fui mal atendida.' });
    const [c] = await conversationsOf(service.id);
    expect(c.state).toBe('triage');
  });

  it('an account with no active service: RCPT accepted, DATA answered 451 so the sender retries', async () => {
    const address = `${unique('sem').replace(/\s+/g, '-').toLowerCase()}@loja.test`;
    const created = await admin.post('/api/channel-accounts', { channel: 'email', name: unique('SMTP'), provider: 'imap', config: { inbound: 'smtp', smtpHost: '127.0.0.1', fromAddress: address } });
    expect(created.status).toBe(201);
    await expect(send({ from: 'x@cliente.test', to: address, subject: 'Oi', text: 'Oi' })).rejects.toMatchObject({ responseCode: 451 });
  });

  it('the app runs the listener when SMTP_LISTEN_PORT is set, asks for SMTP_LISTEN_SECRET when given, and closes it with the app', async () => {
    const port = await freePort();
    const other = await startTestApp({ smtpListenPort: port, smtpListenSecret: 'segredo-do-relay' });
    const to = (auth?: { user: string; pass: string }) =>
      nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5_000, ...(auth ? { auth } : {}) })
        .sendMail({ from: 'x@cliente.test', to: 'ninguem@loja.test', subject: 'Oi', text: 'Oi' });
    try {
      // without AUTH: refused before any recipient
      await expect(to()).rejects.toMatchObject({ responseCode: 530 });
      await expect(to({ user: 'relay', pass: 'errado' })).rejects.toMatchObject({ responseCode: 535 });
      // with the secret, it gets as far as the recipient (no account here: 550)
      await expect(to({ user: 'relay', pass: 'segredo-do-relay' })).rejects.toMatchObject({ responseCode: 550 });
    } finally {
      await other.close();
    }
    await expect(to()).rejects.toMatchObject({ code: 'ESOCKET' });
  });
});
