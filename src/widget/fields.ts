// Client-side checks of the pre-chat form: the server's own rules (shared/prechat.ts), run here only
// to spare the customer a round trip; the server checks again.

import { checkPrechatAnswer, type PrechatKind } from '../shared/prechat';

export type { PrechatKind };
export type FieldProblem = 'required' | 'badEmail' | 'badPhone' | 'badCpf' | 'badName';

const BAD: Record<PrechatKind, FieldProblem> = { name: 'badName', email: 'badEmail', phone: 'badPhone', cpf: 'badCpf' };

/** null when fine; an empty optional field is fine, a filled one must be valid. */
export function checkField(kind: PrechatKind, value: string, required: boolean): FieldProblem | null {
  const r = checkPrechatAnswer(kind, value, required);
  if (r.ok) return null;
  return r.reason === 'empty' ? 'required' : BAD[kind];
}

/** The server's refusal of the pre-chat answers ("cpf: invalid check digits; phone: required"), per field. */
export function prechatErrors(message: string): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const part of message.split(';')) {
    const [field, reason] = part.split(':').map((x) => x.trim());
    if (field in BAD) out[field] = reason === 'required' || reason === 'obrigatório' ? 'required' : BAD[field as PrechatKind];
  }
  return out;
}
