import type { ConversationView } from '../../contracts/conversations.js';
import { EmailPayload, type EmailOutPayload } from '../../contracts/message-content.js';
import { defaultRecipients, emailSubject, isEmailAddress, type EmailMode } from '../../shared/email-reply.js';
import type { UnitOfWork } from '../engine.js';
import { AppError, at } from '../errors.js';

// An agent's e-mail (a conversation of a threading channel): whom it goes to and its subject, fixed
// when it is written so the desk shows what was sent. Left empty, the recipients follow the mode
// (shared/email-reply.ts) from the customer's latest e-mail; the subject always carries the protocol.

export interface AgentEmailInput {
  mode: EmailMode;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
}

const badAddress = (field: string) =>
  new AppError(400, 'validation_error', at(field, { en: 'not an e-mail address (name@example.com)', pt: 'não é um endereço de e-mail (nome@exemplo.com.br)' }));

export async function resolveAgentEmail(u: UnitOfWork, c: ConversationView, input: AgentEmailInput | undefined): Promise<EmailOutPayload> {
  const mode = input?.mode ?? 'reply';
  const { rows } = await u.tx.query<{ parent_id: number | null; parent: Record<string, unknown> | null; own: string | null; customer: string | null }>(
    `SELECT p.id AS parent_id, p.payload->'email' AS parent,
            (SELECT a.config->>'fromAddress' FROM services s JOIN channel_accounts a ON a.id = s.channel_account_id WHERE s.id = $2) AS own,
            (SELECT ci.external_id FROM contact_identities ci WHERE ci.contact_id = $3 AND ci.channel = 'email' ORDER BY ci.external_id LIMIT 1) AS customer
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT id, payload FROM messages WHERE conversation_id = $1 AND author_type = 'customer' AND content_type = 'email' ORDER BY id DESC LIMIT 1) p ON true`,
    [c.id, c.serviceId, c.contactId],
  );
  const r = rows[0];
  const parsed = EmailPayload.safeParse(r?.parent);
  const parent = parsed.success ? parsed.data : null;
  const defaults = defaultRecipients(parent, mode, r?.own ?? null, r?.customer ?? null);
  const own = r?.own?.trim().toLowerCase() ?? null;
  // the mailbox itself is never a recipient (a reply-all would write to itself)
  const clean = (xs: string[] | undefined, field: string) =>
    (xs ?? []).map((x) => x.trim().toLowerCase()).filter(Boolean).map((x, i) => {
      if (!isEmailAddress(x)) throw badAddress(`email.${field}.${i}`);
      return x;
    }).filter((x) => x !== own);
  const to = input?.to?.length ? clean(input.to, 'to') : defaults.to;
  const cc = input?.cc !== undefined ? clean(input.cc, 'cc') : defaults.cc;
  const bcc = clean(input?.bcc, 'bcc');
  if (!to.length) {
    throw new AppError(400, 'validation_error', at('email.to', {
      en: mode === 'forward' ? 'say whom to forward the e-mail to' : 'the customer has no address to answer: say whom to send it to',
      pt: mode === 'forward' ? 'informe para quem encaminhar o e-mail' : 'o cliente não tem endereço para resposta: informe o destinatário',
    }));
  }
  const subject = emailSubject(c.protocol, input?.subject?.trim() || parent?.subject || c.subject, mode);
  return { mode, to, cc, bcc, subject, parentMessageId: r?.parent_id ?? null };
}
