import { capabilitiesOf } from '../../contracts/channel-capabilities.js';
import type { Queryable } from '../../db/database.js';
import { fillTemplate, templateParameterCount } from '../../shared/template-text.js';
import { AppError, at } from '../errors.js';
import type { NewMessage } from './lifecycle.js';

// A template as a message to the customer, shared by the agent's composer (agent-send.ts), the
// desk's outbound start (outbound.ts) and the protocol updates (protocol-updates.ts): which template
// may go on a channel, its parameters checked, and the message it makes.

export interface SendableTemplate {
  name: string;
  body: string;
  language: string;
  provider_template: string | null;
  channel: string | null;
  channel_account_id: string | null;
  active: boolean;
  status: string | null;
  status_reason: string | null;
  /** a channel without templates: the filled-in text goes as plain text */
  plain: boolean;
}

/**
 * The template that may be sent on `channel`: active, of this channel (or any), and on WhatsApp
 * approved by the provider — a template Mirante submitted must be APPROVED (422 naming its status);
 * one named by hand (providerTemplate without an account) was approved outside Mirante. On a channel
 * without templates (Telegram, SMS, e-mail, WebChat) any active template is plain text. `field` names
 * the request's field in the errors.
 */
export async function loadSendableTemplate(q: Queryable, channel: string, id: string, field: string): Promise<SendableTemplate> {
  const { rows } = await q.query<Omit<SendableTemplate, 'plain'>>(
    'SELECT name, body, language, provider_template, channel, channel_account_id, active, status, status_reason FROM templates WHERE id = $1',
    [id],
  );
  const t = rows[0];
  const withTemplates = capabilitiesOf(channel).templates;
  if (!t || !t.active || (t.channel !== null && t.channel !== channel) || (withTemplates && !t.provider_template)) {
    throw new AppError(422, 'unknown_reference', at(field, withTemplates
      ? { en: 'not an active template approved by the provider for this channel', pt: 'não é um template ativo e aprovado no provedor para este canal' }
      : { en: 'not an active template for this channel', pt: 'não é um template ativo para este canal' }));
  }
  if (withTemplates && t.status !== null && t.status !== 'APPROVED') {
    const reason = t.status_reason ? ` (${t.status_reason})` : '';
    throw new AppError(422, 'template_not_approved', at(field, {
      en: `the template "${t.name}" is ${t.status} at the provider${reason}: only APPROVED templates can be sent`,
      pt: `o template "${t.name}" está ${t.status} no provedor${reason}: só templates APPROVED podem ser enviados`,
    }), { status: t.status });
  }
  return { ...t, plain: !withTemplates };
}

/** The parameters trimmed, or 422 (on `field`) unless there is one filled-in value per {{n}}. */
export function checkedParameters(t: Pick<SendableTemplate, 'name' | 'body'>, parameters: readonly string[], field: string): string[] {
  const expected = templateParameterCount(t.body);
  if (parameters.length !== expected || parameters.some((p) => !p.trim())) {
    throw new AppError(422, 'validation_error', at(field, {
      en: `the template "${t.name}" takes ${expected} filled-in parameter(s), ${parameters.length} given`,
      pt: `o template "${t.name}" pede ${expected} parâmetro(s) preenchido(s), ${parameters.length} informado(s)`,
    }));
  }
  return parameters.map((p) => p.trim());
}

/**
 * The message a template makes: on a channel with templates the provider's template (payload.template,
 * which channels/outbound.ts sends as such) with its filled-in text for the thread; elsewhere the
 * filled-in text.
 */
export function templateMessage(t: SendableTemplate, parameters: string[], extra: Record<string, unknown> = {}): Pick<NewMessage, 'body' | 'contentType' | 'payload'> {
  const body = fillTemplate(t.body, parameters);
  if (t.plain) return { body, contentType: 'text', payload: Object.keys(extra).length ? extra : null };
  return { body, contentType: 'template', payload: { template: { name: t.provider_template, language: t.language, parameters }, ...extra } };
}
