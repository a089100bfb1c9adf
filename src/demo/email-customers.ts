import { randomInt } from 'node:crypto';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SMTPServer } from 'smtp-server';
import { chance, pick, type DemoEnv } from './people.js';
import type { Arrivals } from './provider-customers.js';
import type { Session } from './session.js';

// The demo's e-mail customers. Each demo e-mail service gets an account received by SMTP (made or
// updated on every start through /api/channel-accounts): customers write with nodemailer to
// Mirante's own SMTP listener (SMTP_LISTEN_PORT, which scripts/demo.mjs sets), and Mirante's replies
// go out by SMTP to the customers' "mail server", an smtp-server sink this process runs on loopback.
// A customer sometimes answers the agent's reply, threaded (In-Reply-To). On E-mail Ouvidoria (the
// Filtro de E-mail on) a simulated supervisor accepts some of the e-mails waiting now and then,
// discards the spam-like ones, and leaves the newest two waiting so the screen is never empty.

interface EmailSpec {
  serviceName: string;
  accountName: string;
  address: string;
  fromName: string;
  topics: { subject: string; body: string; file?: string }[];
  /** share of spam-like e-mails among this service's arrivals */
  spam: number;
}

const SPECS: EmailSpec[] = [
  {
    serviceName: 'E-mail SAC', accountName: 'Demo E-mail SAC (SMTP)', address: 'sac@mirante.demo', fromName: 'SAC Mirante Demo', spam: 0,
    topics: [
      { subject: 'Pedido não entregue', body: 'Olá,\n\nFiz um pedido há dez dias e ainda não recebi. O rastreio parou em "em trânsito".\n\nAguardo retorno.', file: 'comprovante-pedido.pdf' },
      { subject: 'Segunda via do boleto', body: 'Bom dia,\n\nPreciso da segunda via do boleto deste mês, o original venceu ontem.\n\nObrigado.' },
      { subject: 'Troca de produto com defeito', body: 'Boa tarde,\n\nO produto chegou com defeito (não liga). Segue a foto. Como faço a troca?', file: 'foto-defeito.jpg' },
      { subject: 'Cobrança em duplicidade', body: 'Olá,\n\nFui cobrado duas vezes no cartão pela mesma compra. Envio a fatura em anexo.', file: 'fatura.pdf' },
      { subject: 'Alteração de endereço de entrega', body: 'Oi,\n\nMudei de endereço e gostaria de atualizar o cadastro antes do próximo envio.' },
    ],
  },
  {
    serviceName: 'E-mail Ouvidoria', accountName: 'Demo E-mail Ouvidoria (SMTP)', address: 'ouvidoria@mirante.demo', fromName: 'Ouvidoria Mirante Demo', spam: 0.25,
    topics: [
      { subject: 'Reclamação sobre atendimento', body: 'Prezados,\n\nAbri três protocolos sobre o mesmo problema e nenhum foi resolvido. Peço uma posição da ouvidoria.' },
      { subject: 'Protocolo sem resposta há 15 dias', body: 'Prezados,\n\nMeu protocolo está sem resposta há duas semanas. Anexo o histórico das conversas.', file: 'historico.pdf' },
      { subject: 'Elogio à equipe', body: 'Olá,\n\nQuero registrar um elogio à atendente que resolveu meu caso com muita atenção.' },
      { subject: 'Cancelamento não efetuado', body: 'Prezados,\n\nSolicitei o cancelamento no mês passado e continuo sendo cobrado.' },
    ],
  },
];

const SPAM = [
  { subject: 'GANHE R$ 5.000 POR SEMANA TRABALHANDO DE CASA!!!', body: 'Oportunidade única! Clique no link e comece hoje mesmo.' },
  { subject: 'Seu prêmio está esperando', body: 'Parabéns, você foi sorteado! Confirme seus dados para receber.' },
  { subject: 'Promoção imperdível de empréstimo', body: 'Crédito aprovado na hora, sem consulta. Responda este e-mail.' },
];
export const isSpamSubject = (subject: string | null) => SPAM.some((s) => s.subject === subject);

const FOLLOW_UPS = ['Obrigado pelo retorno. Ainda não resolveu, podem verificar de novo?', 'Segue o número do pedido que pediram: 4521.', 'Perfeito, muito obrigado!', 'Recebi, vou conferir e aviso.'];

/** A plausible file for an attachment, by its name. */
function fileFor(name: string): { filename: string; content: Buffer; contentType: string } {
  if (name.endsWith('.jpg')) {
    // a 1×1 JPEG
    return { filename: name, contentType: 'image/jpeg', content: Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==', 'base64') };
  }
  return { filename: name, contentType: 'application/pdf', content: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`) };
}

const slug = (name: string) => name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '.');

export interface EmailChannel {
  arrivals: Arrivals[];
  stop(): Promise<void>;
}

/** Starts the customers' mail server, makes the demo e-mail accounts, and returns the e-mail services' arrivals. */
export async function emailCustomers(
  env: DemoEnv,
  admin: Session,
  o: { smtpPort: number; supervisor: Session | null; wait: (ms: number) => Promise<void>; services: { id: string; name: string; channel: string; channelAccountId?: string | null }[] },
): Promise<EmailChannel> {
  const { log, tally } = env;
  /** the customers' last e-mail, by address, to thread the answer to Mirante's reply */
  const threads = new Map<string, { to: string; subject: string; answers: number }>();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: o.smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  const send = async (what: string, mail: Mail.Options) => {
    tally.requests++;
    try {
      await transport.sendMail(mail);
    } catch (err) {
      const e = err as { responseCode?: number; message: string };
      tally.refuse(what, e.responseCode ?? 0, e.message);
    }
  };

  // the customers' mail server: Mirante's replies (an agent's) arrive here
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (mail) => {
          cb();
          const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address?.toLowerCase() : undefined;
          const thread = to ? threads.get(to) : undefined;
          if (!to || !thread || thread.answers >= 2 || !chance(0.6)) return;
          thread.answers++;
          env.later(60_000 + randomInt(240_000), 'email: customer answers the agent', () =>
            send('email reply', {
              from: to, to: thread.to, subject: mail.subject?.startsWith('Re:') ? mail.subject : `Re: ${mail.subject ?? thread.subject}`,
              inReplyTo: mail.messageId, references: [mail.messageId ?? ''].filter(Boolean), text: `${pick(FOLLOW_UPS)}\n\n> ${(mail.text ?? '').split('\n')[0]}`,
            }),
          );
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const sinkPort = (sink.server.address() as { port: number }).port;

  const accounts = (await admin.call<{ items: any[] }>('GET', '/api/channel-accounts')).body.items;
  const arrivals: Arrivals[] = [];
  const withFile = new Set<string>();
  for (const spec of SPECS) {
    const service = o.services.find((s) => s.name === spec.serviceName && s.channel === 'email');
    if (!service) {
      log(`serviço "${spec.serviceName}" não encontrado: fica sem e-mails`);
      continue;
    }
    const body = {
      provider: 'imap', active: true, credentials: {},
      config: { inbound: 'smtp', inboundAddresses: spec.address, smtpHost: '127.0.0.1', smtpPort: String(sinkPort), smtpSecure: 'false', fromAddress: spec.address, fromName: spec.fromName },
    };
    const existing = accounts.find((a) => a.name === spec.accountName && a.channel === 'email');
    const saved = existing
      ? await admin.call<any>('PATCH', `/api/channel-accounts/${existing.id}`, body)
      : await admin.call<any>('POST', '/api/channel-accounts', { channel: 'email', name: spec.accountName, ...body });
    if (saved.status !== 200 && saved.status !== 201) throw new Error(`saving the demo account "${spec.accountName}" failed (${saved.status}): ${JSON.stringify(saved.body)}`);
    if (service.channelAccountId !== saved.body.id) {
      const link = await admin.call('PATCH', `/api/services/${service.id}`, { channelAccountId: saved.body.id });
      if (link.status !== 200) throw new Error(`linking "${spec.serviceName}" to its account failed (${link.status}): ${JSON.stringify(link.body)}`);
    }
    arrivals.push({
      serviceName: spec.serviceName,
      channel: 'email',
      async arrive(name) {
        const from = `${slug(name)}.${randomInt(1000, 9999)}@cliente.demo`;
        if (chance(spec.spam)) {
          const s = pick(SPAM);
          return send(`email to ${spec.serviceName}`, { from: `"Ofertas" <${from}>`, to: spec.address, subject: s.subject, text: s.body });
        }
        // the service's first customer sends a file (so a short run shows one), the others now and then
        const first = !withFile.has(spec.serviceName);
        const topic = (first && spec.topics.find((x) => x.file)) || pick(spec.topics);
        threads.set(from, { to: spec.address, subject: topic.subject, answers: 0 });
        const attach = topic.file && (first || chance(0.6)) ? [fileFor(topic.file)] : undefined;
        if (attach) withFile.add(spec.serviceName);
        await send(`email to ${spec.serviceName}`, { from: `"${name}" <${from}>`, to: spec.address, subject: topic.subject, text: `${topic.body}\n\n${name}`, attachments: attach });
      },
    });
  }

  // the Ouvidoria's supervisor looks at the Filtro de E-mail now and then
  const ouvidoria = o.services.find((s) => s.name === 'E-mail Ouvidoria');
  let triaging = true;
  const triage = (async () => {
    if (!ouvidoria || !o.supervisor) return;
    const sup = o.supervisor;
    while (triaging && !tally.stopped) {
      await o.wait(env.t(4 * 60_000 + randomInt(8 * 60_000)));
      if (!triaging || tally.stopped) return;
      const page = (await sup.call<{ items: { id: string; subject: string | null }[]; total: number }>('GET', `/api/email-triage?serviceId=${ouvidoria.id}&limit=50`)).body;
      if (!page?.items) continue;
      const spam = page.items.filter((i) => isSpamSubject(i.subject)).map((i) => i.id);
      if (spam.length) await sup.call('POST', '/api/email-triage/discard', { conversationIds: spam });
      // the newest two stay waiting: the screen always has something to show
      const accept = page.items.filter((i) => !isSpamSubject(i.subject)).slice(0, Math.max(0, page.items.length - spam.length - 2));
      if (accept.length) await sup.call('POST', '/api/email-triage/accept', { conversationIds: accept.map((i) => i.id) });
      if (spam.length || accept.length) log(`Filtro de E-mail: ${accept.length} aceito(s), ${spam.length} apagado(s)`);
    }
  })();

  log(`e-mail: clientes escrevem ao servidor SMTP do Mirante na porta ${o.smtpPort}; respostas chegam em 127.0.0.1:${sinkPort}`);
  return {
    arrivals,
    async stop() {
      triaging = false;
      await triage.catch(() => undefined);
      transport.close();
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    },
  };
}
