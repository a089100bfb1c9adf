// The WebChat pre-chat form's rules: the widget checks the answers before sending them (to spare the
// customer a round trip) and the server checks them again (channels/webchat/prechat.ts), with the
// same validators. By the SAC decree nothing blocks reaching an attendant unless the service makes a
// field required: an empty optional field is fine, a wrong one is pointed out.

import { parseField, type FieldErrorReason } from './fields.js';

export type PrechatKind = 'name' | 'email' | 'phone' | 'cpf';

/** Why an answer is refused: `empty` is a required field left blank. */
export interface PrechatProblem {
  field: PrechatKind;
  reason: FieldErrorReason;
}

/** One answer: its normalised value (null when left blank), or why it is refused. */
export function checkPrechatAnswer(
  field: PrechatKind,
  raw: string | undefined,
  required: boolean,
): { ok: true; value: string | null } | { ok: false; reason: FieldErrorReason } {
  const text = raw?.trim() ?? '';
  if (text === '') return required ? { ok: false, reason: 'empty' } : { ok: true, value: null };
  const parsed = parseField(field, text);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, reason: parsed.error.reason };
}

/** Every answer of the form; answers to fields the form does not ask are ignored. */
export function checkPrechat(
  form: readonly { field: PrechatKind; required: boolean }[],
  answers: Readonly<Record<string, string>> | undefined,
): { fields: Record<string, string>; problems: PrechatProblem[] } {
  const fields: Record<string, string> = {};
  const problems: PrechatProblem[] = [];
  for (const { field, required } of form) {
    const r = checkPrechatAnswer(field, answers?.[field], required);
    if (!r.ok) problems.push({ field, reason: r.reason });
    else if (r.value !== null) fields[field] = r.value;
  }
  return { fields, problems };
}
