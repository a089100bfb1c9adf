import type { ConversationView } from '../../contracts/conversations.js';
import { PROTOCOL_UPDATE_PARAMETERS, PROTOCOL_UPDATE_TRANSITIONS, type ProtocolUpdateTransition } from '../../contracts/outbound.js';
import type { Queryable } from '../../db/database.js';
import { templateParameterCount } from '../../shared/template-text.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { AppError, at } from '../errors.js';
import { addMessage } from './lifecycle.js';
import { loadSendableTemplate, templateMessage } from './template-message.js';

// Protocol updates (issue 17): when a conversation's state changes in one of the ways its service
// chose (services.protocol_update_on), the service's template of category type "Atualização de
// protocolo" goes to the customer with the protocol, the service's name and the new state. It is
// written by the state change's own command, in its transaction: the change and the message commit
// together or not at all, so two nodes can never send it twice (the second finds the state moved).

const CHOSEN: ReadonlySet<string> = new Set(PROTOCOL_UPDATE_TRANSITIONS);
export const isProtocolUpdateTransition = (s: string): s is ProtocolUpdateTransition => CHOSEN.has(s);

/** The new state as the customer reads it ({{3}}). */
export const TRANSITION_TEXT: Record<ProtocolUpdateTransition, string> = {
  completed: 'Concluído',
  cancelled: 'Cancelado',
  inactive_in_service: 'Encerrado por inatividade',
  customer_gave_up: 'Encerrado por falta de resposta',
  transferred: 'Transferido',
};

/** The values of {{1}}, {{2}}, {{3}}: as many as the template takes. */
export const protocolUpdateParameters = (protocol: string, serviceName: string, transition: ProtocolUpdateTransition, count: number): string[] =>
  [protocol, serviceName, TRANSITION_TEXT[transition]].slice(0, count);

/**
 * The service admin's choice checked (422 naming the field): an active template of a category of type
 * protocol_update, for the service's channel (or any), with a provider template on a channel that
 * takes them, and at most three parameters; transitions need a template.
 */
export async function assertProtocolUpdateConfig(q: Queryable, channel: string, templateId: string | null, on: readonly string[]): Promise<void> {
  if (!templateId) {
    if (on.length) throw new AppError(422, 'validation_error', at('protocolUpdateTemplateId', { en: 'pick the protocol-update template these transitions send', pt: 'escolha o template de atualização de protocolo que estas transições enviam' }), { field: 'protocolUpdateTemplateId' });
    return;
  }
  const { rows } = await q.query<{ type: string; channel: string | null; active: boolean; provider_template: string | null; body: string }>(
    'SELECT k.type, t.channel, t.active, t.provider_template, t.body FROM templates t JOIN template_categories k ON k.id = t.category_id WHERE t.id = $1',
    [templateId],
  );
  const t = rows[0];
  const problem =
    !t || !t.active ? { en: 'no such active template', pt: 'não há template ativo com este id' }
    : t.type !== 'protocol_update' ? { en: 'the template\'s category is not of type "Atualização de protocolo"', pt: 'a categoria do template não é do tipo "Atualização de protocolo"' }
    : t.channel !== null && t.channel !== channel ? { en: `the template is for ${t.channel}, the service is ${channel}`, pt: `o template é do canal ${t.channel}, o serviço é ${channel}` }
    : capabilitiesOf(channel).templates && !t.provider_template ? { en: 'on this channel the template needs the provider\'s template name', pt: 'neste canal o template precisa do nome do template no provedor' }
    : templateParameterCount(t.body) > PROTOCOL_UPDATE_PARAMETERS ? { en: 'a protocol update fills at most 3 parameters: {{1}} protocol, {{2}} service, {{3}} new state', pt: 'uma atualização de protocolo preenche no máximo 3 parâmetros: {{1}} protocolo, {{2}} serviço, {{3}} nova situação' }
    : null;
  if (problem) throw new AppError(422, 'unknown_reference', at('protocolUpdateTemplateId', problem), { field: 'protocolUpdateTemplateId' });
}

interface Configured {
  template_id: string | null;
  transitions: string[];
  service_name: string;
  opted_out: boolean;
}

/**
 * In the state change's transaction: sends the service's protocol update for `transition` when the
 * service chose it, to a contact who did not opt out, as a message of the conversation (through the
 * channel's outbound hook: the durable outbox). A template no longer sendable (deactivated, not
 * APPROVED any more) is skipped: the state change must not fail for it. `c` is the conversation
 * after the change; the service whose choice applies is the one it was on before (a transfer's origin),
 * and {{2}} names the one it is on now.
 * Returns whether it was sent.
 */
export async function sendProtocolUpdate(engine: Engine, u: UnitOfWork, c: ConversationView, transition: ProtocolUpdateTransition, serviceId = c.serviceId): Promise<boolean> {
  const { rows } = await u.tx.query<Configured>(
    `SELECT s.protocol_update_template_id AS template_id, s.protocol_update_on AS transitions, (SELECT name FROM services WHERE id = $3) AS service_name,
            (SELECT ct.opted_out_at IS NOT NULL FROM contacts ct WHERE ct.id = $2) AS opted_out
       FROM services s WHERE s.id = $1`,
    [serviceId, c.contactId, c.serviceId],
  );
  const s = rows[0];
  if (!s?.template_id || !s.transitions.includes(transition) || s.opted_out || !engine.outboundHook(c.channel)) return false;
  const t = await loadSendableTemplate(u.tx, c.channel, s.template_id, 'protocolUpdateTemplateId').catch(() => null);
  if (!t) return false;
  const parameters = protocolUpdateParameters(c.protocol, s.service_name, transition, templateParameterCount(t.body));
  await addMessage(engine, u, c, { authorType: 'system', ...templateMessage(t, parameters, { protocolUpdate: { transition } }) });
  return true;
}
