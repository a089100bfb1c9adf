import type { PrechatField } from '../../contracts/webchat.js';
import { joinIssues, type Said } from '../../engine/errors.js';
import { checkPrechat } from '../../shared/prechat.js';

export type PrechatResult = { ok: true; fields: Record<string, string> } | { ok: false; message: Said; issues: { path: string; message: Said }[] };

const REASONS: Record<string, Said> = {
  empty: { en: 'required', pt: 'obrigatório' },
  format: { en: 'invalid format', pt: 'formato inválido' },
  length: { en: 'invalid length', pt: 'tamanho inválido' },
  check_digits: { en: 'invalid check digits', pt: 'dígitos verificadores inválidos' },
  repeated_digits: { en: 'invalid number', pt: 'número inválido' },
  area_code: { en: 'unknown area code', pt: 'DDD inexistente' },
};

/**
 * The pre-chat answers, validated and normalised by the rules the widget applies too
 * (shared/prechat.ts: the bot's own field validators, CPF check digits, Brazilian phone numbers…).
 */
export function validatePrechat(form: readonly PrechatField[], answers: Readonly<Record<string, string>> | undefined): PrechatResult {
  const { fields, problems } = checkPrechat(form, answers);
  if (!problems.length) return { ok: true, fields };
  const issues = problems.map((p) => ({ path: p.field, message: REASONS[p.reason] ?? { en: 'invalid', pt: 'inválido' } }));
  return { ok: false, message: joinIssues(issues), issues };
}
