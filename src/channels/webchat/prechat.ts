import type { PrechatField } from '../../contracts/webchat.js';
import { parseField } from '../../core/bot-flow-fields.js';
import { joinIssues, type Said } from '../../engine/errors.js';

export type PrechatResult = { ok: true; fields: Record<string, string> } | { ok: false; message: Said };

const REQUIRED: Said = { en: 'required', pt: 'obrigatório' };
const REASONS: Record<string, Said> = {
  empty: REQUIRED,
  format: { en: 'invalid format', pt: 'formato inválido' },
  length: { en: 'invalid length', pt: 'tamanho inválido' },
  check_digits: { en: 'invalid check digits', pt: 'dígitos verificadores inválidos' },
  repeated_digits: { en: 'invalid number', pt: 'número inválido' },
  area_code: { en: 'unknown area code', pt: 'DDD inexistente' },
};

/**
 * The pre-chat answers, validated and normalised with the bot's own field validators (CPF check
 * digits, Brazilian phone numbers…). By the SAC decree nothing blocks reaching an attendant unless the
 * service makes a field required: an empty optional field is fine, a wrong one is pointed out.
 * Answers to fields the form does not ask are ignored.
 */
export function validatePrechat(form: readonly PrechatField[], answers: Readonly<Record<string, string>> | undefined): PrechatResult {
  const fields: Record<string, string> = {};
  const problems: { path: string; message: Said }[] = [];
  for (const { field, required } of form) {
    const raw = answers?.[field]?.trim() ?? '';
    if (raw === '') {
      if (required) problems.push({ path: field, message: REQUIRED });
      continue;
    }
    const parsed = parseField(field, raw);
    if (parsed.ok) fields[field] = parsed.value;
    else problems.push({ path: field, message: REASONS[parsed.error.reason] ?? { en: 'invalid', pt: 'inválido' } });
  }
  return problems.length ? { ok: false, message: joinIssues(problems) } : { ok: true, fields };
}
