import type { PrechatField } from '../../contracts/webchat.js';
import { parseField } from '../../core/bot-flow-fields.js';

export type PrechatResult = { ok: true; fields: Record<string, string> } | { ok: false; message: string };

const REASONS: Record<string, string> = {
  empty: 'required',
  format: 'invalid format',
  length: 'invalid length',
  check_digits: 'invalid check digits',
  repeated_digits: 'invalid number',
  area_code: 'unknown area code',
};

/**
 * The pre-chat answers, validated and normalised with the bot's own field validators (CPF check
 * digits, Brazilian phone numbers…). By the SAC decree nothing blocks reaching an attendant unless the
 * service makes a field required: an empty optional field is fine, a wrong one is pointed out.
 * Answers to fields the form does not ask are ignored.
 */
export function validatePrechat(form: readonly PrechatField[], answers: Readonly<Record<string, string>> | undefined): PrechatResult {
  const fields: Record<string, string> = {};
  const problems: string[] = [];
  for (const { field, required } of form) {
    const raw = answers?.[field]?.trim() ?? '';
    if (raw === '') {
      if (required) problems.push(`${field}: required`);
      continue;
    }
    const parsed = parseField(field, raw);
    if (parsed.ok) fields[field] = parsed.value;
    else problems.push(`${field}: ${REASONS[parsed.error.reason] ?? 'invalid'}`);
  }
  return problems.length ? { ok: false, message: problems.join('; ') } : { ok: true, fields };
}
