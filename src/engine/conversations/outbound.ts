import { capabilitiesOf } from '../../contracts/channel-capabilities.js';
import type { Channel } from '../../contracts/common.js';
import type { ConversationView } from '../../contracts/conversations.js';
import type { StartedOutbound, StartOutbound } from '../../contracts/outbound.js';
import { canonicalPhone } from '../../shared/phone.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import { contactInScope } from '../contacts/registry.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { AppError, at, fieldError, forbidden, NOUNS } from '../errors.js';
import { nextProtocol } from '../protocol.js';
import { getSettings } from '../settings.js';
import { takeAgentSlot } from './assign.js';
import { findOpenConversation, findOrCreateContact } from './inbound.js';
import { lockCustomers } from './inbound-plan.js';
import { addMessage, emitAgent, emitConversation } from './lifecycle.js';
import { loadService, protocolMessage, type ServiceRow } from './open.js';
import { checkedParameters, loadSendableTemplate, templateMessage } from './template-message.js';
import { openOutbound, queue } from './transitions.js';

// Outbound conversations (issue 17, Mensagens ativas): the company writes first. From the desk an
// agent picks a contact (or types a new number), one of their services (its channel and account)
// and a template; the conversation opens in service with that agent, with its own protocol, and the
// template leaves through the durable outbox. Campaigns reuse openOutboundConversation with their
// own checks around it. When the customer answers, the service's setting decides: the same agent,
// or the queue (answeredOutbound, called by the inbound command).

/** How a channel addresses a phone number: the identity a new number gets (WhatsApp's wa_id, SMS's E.164). */
const PHONE_ADDRESS: Partial<Record<Channel, (e164: string) => string>> = {
  whatsapp: (e164) => e164.slice(1),
  sms: (e164) => e164,
};

/** One of the agent's services (through the teams they work in as an agent), active; else 404. */
async function agentService(u: UnitOfWork, actor: Actor, serviceId: string): Promise<ServiceRow> {
  const { rows } = await u.tx.query(
    `SELECT 1 FROM service_teams st JOIN team_agents ta ON ta.team_id = st.team_id WHERE st.service_id = $1 AND ta.user_id = $2 LIMIT 1`,
    [serviceId, actor.id],
  );
  const s = rows[0] ? await loadService(u.tx, serviceId) : null;
  if (!s || !s.active) throw fieldError(404, 'not_found', 'serviceId', { en: `${NOUNS.service.en} ${serviceId} not found among your services`, pt: `${NOUNS.service.pt} ${serviceId} não encontrado entre os seus serviços` });
  return s;
}

/** The customer's address on the service's channel: an identity they have, or their number on a phone channel. */
async function contactAddress(engine: Engine, u: UnitOfWork, actor: Actor, s: ServiceRow, input: Pick<StartOutbound, 'contactId' | 'phone'>): Promise<string> {
  const byPhone = PHONE_ADDRESS[s.channel];
  if (input.phone !== undefined) {
    const e164 = canonicalPhone(input.phone);
    if (!e164) throw fieldError(400, 'validation_error', 'phone', { en: 'not a phone number: +5511988887777', pt: 'não é um número de telefone: +5511988887777' });
    if (!byPhone) throw fieldError(422, 'validation_error', 'phone', { en: `the ${s.channel} channel does not reach a phone number: pick a contact`, pt: `o canal ${s.channel} não alcança um número de telefone: escolha um contato` });
    const contact = { externalId: byPhone(e164), phone: e164 };
    await lockCustomers(engine, u, [{ channel: s.channel, contact }]);
    return findOrCreateContact(u, s.channel, contact);
  }
  const contact = await contactInScope(u.tx, actor, input.contactId!, true);
  const { rows } = await u.tx.query('SELECT 1 FROM contact_identities WHERE contact_id = $1 AND channel = $2 LIMIT 1', [contact.id, s.channel]);
  if (rows[0]) return contact.id;
  const e164 = canonicalPhone(contact.phone);
  if (!byPhone || !e164) {
    throw fieldError(422, 'no_address', 'contactId', { en: `the contact has no ${s.channel} address`, pt: `o contato não tem endereço no canal ${s.channel}` });
  }
  // a contact known by their number (another channel) gets it on this one too
  return findOrCreateContact(u, s.channel, { externalId: byPhone(e164), phone: e164, name: contact.name });
}

export interface OutboundStart {
  service: ServiceRow;
  contactId: string;
  agentId: string;
  templateId: string;
  parameters: readonly string[];
}

/**
 * Opens an outbound conversation in the caller's transaction and queues its template: refused when
 * the contact opted out (422), the template may not go on the channel (422: not APPROVED on WhatsApp),
 * an open conversation of the contact on the service exists (409 naming its protocol), or the agent
 * has no free slot (409). The reusable part (campaigns): who and what are the caller's to check.
 */
export async function openOutboundConversation(engine: Engine, u: UnitOfWork, o: OutboundStart): Promise<{ conversation: ConversationView; messageId: number }> {
  const s = o.service;
  const { rows: [contact] } = await u.tx.query<{ opted_out_at: Date | null }>('SELECT opted_out_at FROM contacts WHERE id = $1 FOR UPDATE', [o.contactId]);
  if (contact?.opted_out_at) {
    throw new AppError(422, 'opted_out', at('contactId', { en: 'the contact opted out of active messages', pt: 'o contato pediu para não receber mensagens ativas (opt-out)' }));
  }
  const t = await loadSendableTemplate(u.tx, s.channel, o.templateId, 'templateId');
  if (t.channel_account_id && t.channel_account_id !== s.channel_account_id) {
    throw fieldError(422, 'unknown_reference', 'templateId', { en: 'the template belongs to another WhatsApp account than the service\'s', pt: 'o template é de outra conta de WhatsApp que não a do serviço' });
  }
  const parameters = checkedParameters(t, o.parameters, 'parameters');
  const open = await findOpenConversation(u, o.contactId, s.id);
  if (open) {
    throw new AppError(409, 'conversation_open', {
      en: `the contact already has an open conversation on this service: protocol ${open.protocol}`,
      pt: `o contato já tem um atendimento aberto neste serviço: protocolo ${open.protocol}`,
    }, { protocol: open.protocol, conversationId: open.id });
  }
  if (!(await takeAgentSlot(u, o.agentId, s.id, capabilitiesOf(s.channel).workload))) {
    const { rows } = await u.tx.query<{ state: string }>('SELECT state FROM agent_presence WHERE user_id = $1', [o.agentId]);
    const state = rows[0]?.state ?? 'offline';
    throw new AppError(409, 'no_free_slot', state === 'offline'
      ? { en: 'log in to the desk to start a conversation', pt: 'entre na mesa (login de agente) para iniciar um atendimento' }
      : state === 'paused'
        ? { en: 'you are paused: resume to start a conversation', pt: 'você está em pausa: retome para iniciar um atendimento' }
        : { en: 'you have no free slot for this service: finish a conversation first', pt: 'você não tem vaga livre neste serviço: conclua um atendimento antes' }, { agentState: state });
  }
  const settings = await getSettings(u.tx);
  const protocol = await nextProtocol(u.tx, u.now, settings.timezone);
  const conversation = await openOutbound(u, { serviceId: s.id, channel: s.channel, contactId: o.contactId, protocol, agentId: o.agentId });
  const message = await addMessage(engine, u, conversation, { authorType: 'agent', authorId: o.agentId, ...templateMessage(t, parameters, { outbound: true }) });
  // the protocol told in words where words may go first (a channel without a customer-service
  // window); on WhatsApp only the template may open, and the protocol is in the conversation
  if (!capabilitiesOf(s.channel).window) await addMessage(engine, u, conversation, { authorType: 'system', body: protocolMessage(protocol) });
  await emitAgent(u, o.agentId, 'outbound_started');
  return { conversation: await emitConversation(u, conversation.id, 'agent_message'), messageId: message.id };
}

/** The desk's "Nova conversa ativa": the agent starts an outbound conversation (audited). */
export function startOutbound(engine: Engine, actor: Actor, input: StartOutbound): Promise<StartedOutbound> {
  return engine.execute(async (u) => {
    const { rows } = await u.tx.query<{ agent_enabled: boolean }>('SELECT agent_enabled FROM users WHERE id = $1 AND active', [actor.id]);
    if (!rows[0]?.agent_enabled) throw forbidden({ en: 'only an omnichannel agent starts a conversation (Agentes → Vincular)', pt: 'só um agente omnichannel inicia um atendimento (Agentes → Vincular)' });
    const service = await agentService(u, actor, input.serviceId);
    if (!capabilitiesOf(service.channel).writeFirst || !engine.outboundHook(service.channel)) {
      throw fieldError(422, 'validation_error', 'serviceId', { en: `the ${service.channel} channel cannot write first`, pt: `o canal ${service.channel} não permite escrever primeiro` });
    }
    const contactId = await contactAddress(engine, u, actor, service, input);
    const started = await openOutboundConversation(engine, u, { service, contactId, agentId: actor.id!, templateId: input.templateId, parameters: input.parameters });
    await writeAudit(u.tx, actor, {
      action: 'start_outbound', entity: 'conversation', entityId: started.conversation.id, contactId,
      after: { protocol: started.conversation.protocol, serviceId: service.id, templateId: input.templateId, parameters: input.parameters.length },
    });
    return started;
  });
}

/**
 * The customer answered an outbound conversation for the first time (the inbound command, before
 * the message's clock): per the service's outboundReply it stays with its agent, or goes to the
 * queue; with the agent offline by then it goes to the queue either way, ahead of new arrivals.
 */
export async function answeredOutbound(u: UnitOfWork, c: ConversationView, s: Pick<ServiceRow, 'outbound_reply'>): Promise<ConversationView> {
  if (c.direction !== 'outbound' || c.state !== 'in_service' || c.lastCustomerMessageAt !== null) return c;
  const { rows } = await u.tx.query<{ offline: boolean }>(`SELECT state = 'offline' AS offline FROM agent_presence WHERE user_id = $1`, [c.agentId]);
  const offline = rows[0]?.offline ?? true;
  if (s.outbound_reply !== 'queue' && !offline) return c;
  return queue(u, c, 'system', { reason: offline ? 'outbound_answered_agent_offline' : 'outbound_answered' });
}
