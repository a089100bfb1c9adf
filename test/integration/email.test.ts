import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelWorkerPool } from '../../src/channels/workers.js';
import { deriveSecretKey } from '../../src/engine/secrets.js';
import { DOVECOT_PASSWORD, dovecotSkipReason, freePort, startDovecot, type Dovecot } from '../support/dovecot.js';
import { composeBounce, composeEmail, startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.js';
import { appForFile, createService, createTeam, createUser, TEST_SECRET_KEY, unique, type Client, type TestApp } from '../support/test-app.js';

// The e-mail channel against real servers: Dovecot holds the support mailbox (the test appends the
// customers' e-mails to it), an smtp-server instance is the customers' side of Mirante's replies.
// The mailbox watcher runs in a worker pool as on a node: a message becomes one demand, a restart
// neither repeats nor loses one, replies thread, bounces and auto-replies open nothing, and the
// agent's reply reaches SMTP threaded and is in the Sent folder.

const skip = dovecotSkipReason();
if (skip) console.warn(`e-mail channel tests skipped: ${skip}`);

const KEY = deriveSecretKey(TEST_SECRET_KEY);
let t: TestApp;
let admin: Client;
let dovecot: Dovecot;
let smtp: SmtpReceiver;
appForFile((app) => ({ t, admin } = app));

beforeAll(async () => {
  if (skip) return;
  dovecot = await startDovecot();
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  await smtp?.close();
  await dovecot?.stop();
});

const FROM = 'suporte@loja.test';

async function setup(over: { password?: string; imapPort?: number } = {}) {
  const mailbox = unique('suporte').replace(/\s+/g, '-').toLowerCase();
  const created = await admin.post('/api/channel-accounts', {
    channel: 'email', name: unique('Caixa'), provider: 'imap',
    config: {
      imapHost: '127.0.0.1', imapPort: String(over.imapPort ?? dovecot.port), imapTls: 'false', imapUser: mailbox, folder: 'INBOX', sentFolder: 'Sent',
      smtpHost: '127.0.0.1', smtpPort: String(smtp.port), smtpSecure: 'false', fromAddress: FROM, fromName: 'Suporte Loja',
    },
    credentials: { imapPassword: over.password ?? DOVECOT_PASSWORD },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const team = await createTeam(admin, { maxChat: 3, maxEmail: 5 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const service = await createService(admin, { channel: 'email', channelAccountId: created.body.id, teamIds: [team.id] });
  return { accountId: created.body.id as string, mailbox, service, agent };
}

const pool = () => {
  const p = new ChannelWorkerPool(t.runtime.engine, KEY, { ttlMs: 3_000, rescanMs: 200 });
  p.start();
  return p;
};

const conversationsOf = async (serviceId: string) =>
  (await t.db.query<{ id: string; protocol: string; subject: string | null; state: string }>('SELECT id, protocol, subject, state FROM conversations WHERE service_id = $1 ORDER BY created_at, protocol', [serviceId])).rows;
const customerMessages = async (conversationId: string) =>
  (await t.db.query<{ body: string; external_id: string; payload: any; attachments: any }>(`SELECT body, external_id, payload, attachments FROM messages WHERE conversation_id = $1 AND author_type = 'customer' ORDER BY id`, [conversationId])).rows;
const stateOf = async (accountId: string) => (await t.db.query<{ last_uid: string }>('SELECT last_uid::text FROM email_mailbox_state WHERE account_id = $1', [accountId])).rows[0];

describe.skipIf(!!skip)('the e-mail channel (Dovecot + SMTP)', () => {
  it('Testar conexão: IMAP and SMTP answer; a wrong password is a refused login; a closed port is unreachable', async () => {
    const ok = await setup();
    const r = await admin.post(`/api/channel-accounts/${ok.accountId}/test`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true });
    const wrong = await setup({ password: 'not-the-password' });
    const bad = await admin.request('POST', `/api/channel-accounts/${wrong.accountId}/test`, {}, { 'accept-language': 'pt-BR' });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.message).toMatch(/login recusado/);
    const closed = await setup({ imapPort: await freePort() });
    const none = await admin.request('POST', `/api/channel-accounts/${closed.accountId}/test`, {}, { 'accept-language': 'pt-BR' });
    expect(none.body.ok).toBe(false);
    expect(none.body.message).toMatch(/inacessível/);
  });

  it('account fields are checked: a port that is not one, a boolean that is not one, no password nor token', async () => {
    const r = await admin.post('/api/channel-accounts', {
      channel: 'email', name: unique('Caixa'), provider: 'imap',
      config: { imapHost: 'imap.loja.test', imapPort: '99999', imapTls: 'sim', imapUser: 'x', smtpHost: 'smtp.loja.test', fromAddress: 'not-an-address' },
      credentials: {},
    });
    expect(r.status).toBe(400);
    const paths = r.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.config.imapPort', 'body.config.imapTls', 'body.config.fromAddress', 'body.credentials.imapPassword']));
  });

  it('an e-mail becomes one demand; a restart repeats nothing; what came while stopped is read at start; replies thread; bounces open nothing', async () => {
    const { accountId, mailbox, service } = await setup();
    const pdf = Buffer.from('%PDF-1.4 boleto de teste');
    const first = await composeEmail({
      from: 'Maria Souza <maria@cliente.test>', to: FROM, cc: 'joao@cliente.test', subject: 'Pedido 4521 não chegou', messageId: '<pedido-4521@cliente.test>',
      text: 'Olá, meu pedido 4521 não chegou.', html: '<p onclick="alert(1)">Olá, meu pedido <b>4521</b> não chegou.<script>alert(2)</script><img src="https://tracker.example/p.gif"></p>',
      attachments: [{ filename: 'boleto.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    await dovecot.append(mailbox, first);
    let workers = pool();
    await expect.poll(async () => (await conversationsOf(service.id)).length, { timeout: 15_000 }).toBe(1);
    const [c] = await conversationsOf(service.id);
    expect(c.subject).toBe('Pedido 4521 não chegou');
    expect(c.state).toBe('queued');
    const [m] = await customerMessages(c.id);
    expect(m.body).toBe('Olá, meu pedido 4521 não chegou.');
    expect(m.external_id).toBe('pedido-4521@cliente.test');
    expect(m.payload.email).toMatchObject({ from: { address: 'maria@cliente.test', name: 'Maria Souza' }, cc: [{ address: 'joao@cliente.test' }], remoteImages: 1 });
    expect(m.payload.email.html).not.toMatch(/<script|onclick|\ssrc="https:/i);
    expect(m.payload.email.html).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(m.attachments).toMatchObject([{ status: 'stored', name: 'boleto.pdf', type: 'application/pdf', size: pdf.length }]);
    const file = await t.db.query<{ data: Uint8Array; conversation_id: string }>('SELECT data, conversation_id FROM attachments WHERE id = $1', [m.attachments[0].id]);
    expect(Buffer.from(file.rows[0].data).equals(pdf)).toBe(true);
    expect(file.rows[0].conversation_id).toBe(c.id);
    const contact = await t.db.query(`SELECT ct.name FROM contacts ct JOIN contact_identities ci ON ci.contact_id = ct.id WHERE ci.channel = 'email' AND ci.external_id = 'maria@cliente.test'`);
    expect(contact.rows).toEqual([{ name: 'Maria Souza' }]);

    // stopped: a restart reads nothing twice, and what arrived meanwhile is read at start
    await workers.stop();
    await dovecot.append(mailbox, await composeEmail({ from: 'ana@cliente.test', to: FROM, subject: 'Troca de produto', messageId: '<troca-1@cliente.test>', text: 'Quero trocar.' }));
    // the same e-mail delivered twice (another UID, the same Message-ID) is stored once
    await dovecot.append(mailbox, first);
    workers = pool();
    await expect.poll(async () => (await conversationsOf(service.id)).length, { timeout: 15_000 }).toBe(2);
    await expect.poll(async () => Number((await stateOf(accountId))?.last_uid), { timeout: 15_000 }).toBe(3);
    expect((await customerMessages(c.id)).length).toBe(1);

    // a reply by In-Reply-To, and one by the protocol in the subject, go to the open demand
    await dovecot.append(mailbox, await composeEmail({ from: 'maria@cliente.test', to: FROM, subject: 'Re: Pedido 4521 não chegou', messageId: '<r1@cliente.test>', inReplyTo: '<pedido-4521@cliente.test>', references: '<pedido-4521@cliente.test>', text: 'Alguma novidade?' }));
    await dovecot.append(mailbox, await composeEmail({ from: 'maria@cliente.test', to: FROM, subject: `Sobre o [#${c.protocol}]`, messageId: '<r2@cliente.test>', text: 'Ainda aguardo.' }));
    // the mailbox's own e-mail (a copy of a reply in the folder read) opens nothing
    await dovecot.append(mailbox, await composeEmail({ from: FROM, to: 'maria@cliente.test', subject: 'Re: Pedido 4521 não chegou', messageId: '<copia@loja.test>', text: 'Nossa resposta.' }));
    // bounces and auto-replies: recognised, no demand
    await dovecot.append(mailbox, await composeEmail({ from: 'ferias@cliente.test', to: FROM, subject: 'Ausente', messageId: '<ausente@cliente.test>', text: 'Estou de férias.', headers: { 'Auto-Submitted': 'auto-replied' } }));
    await dovecot.append(mailbox, await composeEmail({ from: 'outro@cliente.test', to: FROM, subject: 'Resposta automática', messageId: '<auto2@cliente.test>', text: 'Recebido.', headers: { 'X-Autoreply': 'yes' } }));
    await dovecot.append(mailbox, await composeBounce({ from: 'MAILER-DAEMON@mx.cliente.test', to: FROM, messageId: 'dsn-1@mx.cliente.test', failedRecipient: 'sumiu@cliente.test' }));
    await expect.poll(async () => (await customerMessages(c.id)).length, { timeout: 15_000 }).toBe(3);
    await expect.poll(async () => (await t.db.query('SELECT kind FROM email_recognised WHERE account_id = $1 ORDER BY uid', [accountId])).rows.map((r: any) => r.kind), { timeout: 15_000 }).toEqual(['auto_reply', 'auto_reply', 'bounce']);
    expect((await conversationsOf(service.id)).length).toBe(2);
    await workers.stop();
  });
});

describe.skipIf(!!skip)('the agent answers an e-mail', () => {
  it('reply-all reaches SMTP threaded with the protocol in the subject, is in Sent; the reply to it threads; after finishing, a reply opens a new demand that names the old one', async () => {
    const { mailbox, service, agent } = await setup();
    await admin.patch(`/api/services/${service.id}`, { emailSignature: 'Equipe Loja\nSAC 0800 000 0000' });
    await dovecot.append(mailbox, await composeEmail({
      from: 'Maria Souza <maria@cliente.test>', to: FROM, cc: 'joao@cliente.test', subject: 'Nota fiscal', messageId: '<nf-1@cliente.test>', references: '<antigo@cliente.test>', text: 'Preciso da nota fiscal.',
    }));
    const workers = pool();
    try {
      await expect.poll(async () => (await conversationsOf(service.id)).length, { timeout: 15_000 }).toBe(1);
      const [c] = await conversationsOf(service.id);
      const desk = await t.login(agent.email, agent.password);
      await desk.post('/api/agent/login');
      await t.settle();
      expect((await desk.get(`/api/conversations/${c.id}`)).body.conversation.state).toBe('in_service');
      // a bad address is a 400 naming it; forward without a recipient says so
      const bad = await desk.post(`/api/conversations/${c.id}/messages`, { text: 'x', email: { mode: 'reply', cc: ['não é endereço'] } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/email\.cc\.0/);
      expect((await desk.post(`/api/conversations/${c.id}/messages`, { text: 'x', email: { mode: 'forward' } })).body.error.message).toMatch(/email\.to/);

      const sent = await desk.post(`/api/conversations/${c.id}/messages`, { text: 'Segue a nota fiscal.', email: { mode: 'replyAll', bcc: ['auditoria@loja.test'] } });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      expect(sent.body.payload.emailOut).toMatchObject({ mode: 'replyAll', to: ['maria@cliente.test'], cc: ['joao@cliente.test'], bcc: ['auditoria@loja.test'], subject: `[#${c.protocol}] Re: Nota fiscal` });
      await t.runtime.outbox.tick();
      await expect.poll(() => smtp.received.filter((r) => r.mail.subject === `[#${c.protocol}] Re: Nota fiscal`).length, { timeout: 10_000 }).toBe(1);
      const got = smtp.received.find((r) => r.mail.subject === `[#${c.protocol}] Re: Nota fiscal`)!;
      expect(got.envelope.to.sort()).toEqual(['auditoria@loja.test', 'joao@cliente.test', 'maria@cliente.test']);
      expect(got.mail.inReplyTo).toBe('<nf-1@cliente.test>');
      expect(got.mail.references).toEqual(['<antigo@cliente.test>', '<nf-1@cliente.test>']);
      expect(got.mail.text).toContain('Segue a nota fiscal.\n\n-- \nEquipe Loja');
      expect(got.mail.text).toContain('> Preciso da nota fiscal.');
      expect(got.raw.toString()).not.toMatch(/^bcc:/im);
      const row = (await t.db.query<{ provider_message_id: string; delivery_status: string }>(`SELECT provider_message_id, delivery_status FROM messages WHERE id = $1`, [sent.body.id])).rows[0];
      expect(`<${row.provider_message_id}>`).toBe(got.mail.messageId);
      expect(row.delivery_status).toBe('sent');
      // the same bytes are in the mailbox's Sent folder
      const imap = await dovecot.client(mailbox);
      try {
        await imap.mailboxOpen('Sent');
        const copies = await imap.fetchAll('1:*', { source: true });
        expect(copies.map((m) => m.source!.toString())).toContain(got.raw.toString());
      } finally {
        await imap.logout();
      }
      // no e-mail went for the protocol message or any system note
      expect(smtp.received.filter((r) => r.envelope.to.includes('maria@cliente.test')).length).toBe(1);

      // the customer answers Mirante's e-mail: the same demand
      await dovecot.append(mailbox, await composeEmail({ from: 'maria@cliente.test', to: FROM, subject: `Re: [#${c.protocol}] Re: Nota fiscal`, messageId: '<nf-2@cliente.test>', inReplyTo: got.mail.messageId, text: 'Obrigada!' }));
      await expect.poll(async () => (await customerMessages(c.id)).length, { timeout: 15_000 }).toBe(2);

      // finished: a later reply opens a new demand that names the old protocol
      expect((await desk.post(`/api/conversations/${c.id}/finish`, { outcome: 'completed' })).status).toBe(200);
      await dovecot.append(mailbox, await composeEmail({ from: 'maria@cliente.test', to: FROM, subject: `Re: [#${c.protocol}] Re: Nota fiscal`, messageId: '<nf-3@cliente.test>', inReplyTo: '<nf-2@cliente.test>', text: 'Faltou uma página.' }));
      await expect.poll(async () => (await conversationsOf(service.id)).length, { timeout: 15_000 }).toBe(2);
      const next = (await conversationsOf(service.id)).find((x) => x.id !== c.id)!;
      const notes = (await t.db.query<{ body: string; payload: any }>(`SELECT body, payload FROM messages WHERE conversation_id = $1 AND author_type = 'system' ORDER BY id`, [next.id])).rows;
      expect(notes.map((n) => n.body)).toContain(`Resposta a um atendimento já encerrado (protocolo ${c.protocol}).`);
      expect(notes.find((n) => n.payload?.previousConversation)?.payload.previousConversation).toEqual({ id: c.id, protocol: c.protocol });
    } finally {
      await workers.stop();
    }
  });
});
