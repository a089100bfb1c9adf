import type { AccountContext, ConnectionCheck } from '../adapter.js';
import { imapClient, mailboxSettings, smtpTransport, type MailboxSettings } from './account.js';

// "Testar conexão" for a mailbox: logs in to IMAP and opens the folder, then greets and logs in to
// SMTP (nodemailer's verify), and says in the admin's words which step failed and why.

type Words = { en: string; pt: string };

/** What went wrong, from the socket, TLS or the server's answer. */
export function connectionProblem(side: 'IMAP' | 'SMTP', host: string, port: number, err: unknown): Words {
  const e = err as { code?: string; authenticationFailed?: boolean; responseCode?: number; message?: string; serverResponseCode?: string };
  const code = e?.code ?? '';
  const where = `${side} ${host}:${port}`;
  if (e?.authenticationFailed || code === 'EAUTH' || e?.serverResponseCode === 'AUTHENTICATIONFAILED' || e?.responseCode === 535) {
    return { en: `${where}: login refused (user or password/token wrong)`, pt: `${where}: login recusado (usuário ou senha/token incorretos)` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS') return { en: `${where}: host not found`, pt: `${where}: servidor não encontrado` };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || (code === 'ESOCKET' && /ECONNREFUSED/.test(e.message ?? ''))) {
    return { en: `${where}: host unreachable (connection refused)`, pt: `${where}: servidor inacessível (conexão recusada)` };
  }
  if (code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'GreetingTimeout' || (code === 'ECONNECTION' && /timeout/i.test(e.message ?? ''))) {
    return { en: `${where}: no answer (timeout)`, pt: `${where}: sem resposta (tempo esgotado)` };
  }
  if (/SSL|TLS|certificate|wrong version number|EPROTO|CERT_|self[- ]signed/i.test(`${code} ${e?.message ?? ''}`)) {
    return { en: `${where}: TLS failed (${e?.message ?? code}); check the port and the TLS setting`, pt: `${where}: falha de TLS (${e?.message ?? code}); confira a porta e a opção de TLS` };
  }
  const said = (e?.message ?? String(err)).slice(0, 200);
  return { en: `${where}: ${said}`, pt: `${where}: ${said}` };
}

export async function testMailbox({ account }: AccountContext): Promise<ConnectionCheck> {
  const s = mailboxSettings(account);
  if (s.inbound === 'smtp') return testSmtp(s, { en: `SMTP answered; e-mails for ${s.inboundAddresses.join(', ')} are received by Mirante's SMTP listener`, pt: `SMTP respondeu; os e-mails para ${s.inboundAddresses.join(', ')} são recebidos pelo servidor SMTP do Mirante` });
  if (!s.imap.pass && !s.imap.accessToken) return { ok: false, problem: { en: 'the IMAP password or OAuth2 token is missing', pt: 'falta a senha IMAP ou o token OAuth2' } };
  const client = imapClient(s);
  try {
    await client.connect();
  } catch (err) {
    return { ok: false, problem: connectionProblem('IMAP', s.imap.host, s.imap.port, err) };
  }
  let count: number;
  try {
    const box = await client.mailboxOpen(s.folder, { readOnly: true });
    count = box.exists;
  } catch {
    await client.logout().catch(() => undefined);
    return { ok: false, problem: { en: `IMAP: the folder "${s.folder}" does not exist or cannot be opened`, pt: `IMAP: a pasta "${s.folder}" não existe ou não pode ser aberta` } };
  }
  await client.logout().catch(() => undefined);
  return testSmtp(s, { en: `IMAP and SMTP answered; "${s.folder}" holds ${count} message(s)`, pt: `IMAP e SMTP responderam; "${s.folder}" tem ${count} mensagem(ns)` });
}

async function testSmtp(s: MailboxSettings, detail: Words): Promise<ConnectionCheck> {
  const transport = smtpTransport(s);
  try {
    await transport.verify();
  } catch (err) {
    return { ok: false, problem: connectionProblem('SMTP', s.smtp.host, s.smtp.port, err) };
  } finally {
    transport.close();
  }
  return { ok: true, detail };
}
