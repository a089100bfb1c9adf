// Client-side checks of the pre-chat form. The server checks again; these only spare the customer a
// round trip. Same rules as the core's field validators (the widget cannot import src/core).

export type PrechatKind = 'name' | 'email' | 'phone' | 'cpf';
export type FieldProblem = 'required' | 'badEmail' | 'badPhone' | 'badCpf' | 'badName';

/** The two CPF check digits from the first nine (Receita Federal's mod-11 rule). */
function cpfCheckDigits(first9: string): string {
  const digit = (base: string): number => {
    let sum = 0;
    for (let i = 0; i < base.length; i++) sum += Number(base[i]) * (base.length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  const d1 = digit(first9);
  return `${d1}${digit(first9 + d1)}`;
}

export function isValidCpf(raw: string): boolean {
  const text = raw.trim();
  if (!/^[\d.\-\s]+$/.test(text)) return false;
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 11 || /^(\d)\1{10}$/.test(digits)) return false;
  return cpfCheckDigits(digits.slice(0, 9)) === digits.slice(9);
}

export function isValidEmail(raw: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(raw.trim()) && raw.trim().length <= 254;
}

/** A Brazilian number with area code (10 or 11 digits), optionally with +55. */
export function isValidPhone(raw: string): boolean {
  if (!/^[\d\s()+.-]+$/.test(raw.trim())) return false;
  let digits = raw.replace(/\D/g, '');
  if (digits.length >= 12 && digits.startsWith('55')) digits = digits.slice(2);
  if (digits.length !== 10 && digits.length !== 11) return false;
  return /^[1-9][1-9]/.test(digits);
}

/** null when fine; an empty optional field is fine, a filled one must be valid. */
export function checkField(kind: PrechatKind, value: string, required: boolean): FieldProblem | null {
  const v = value.trim();
  if (v === '') return required ? 'required' : null;
  switch (kind) {
    case 'name':
      return v.length > 200 ? 'badName' : null;
    case 'email':
      return isValidEmail(v) ? null : 'badEmail';
    case 'phone':
      return isValidPhone(v) ? null : 'badPhone';
    case 'cpf':
      return isValidCpf(v) ? null : 'badCpf';
  }
}

const BAD: Record<PrechatKind, FieldProblem> = { name: 'badName', email: 'badEmail', phone: 'badPhone', cpf: 'badCpf' };

/** The server's refusal of the pre-chat answers ("cpf: invalid check digits; phone: required"), per field. */
export function prechatErrors(message: string): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const part of message.split(';')) {
    const [field, reason] = part.split(':').map((x) => x.trim());
    if (field in BAD) out[field] = reason === 'required' ? 'required' : BAD[field as PrechatKind];
  }
  return out;
}
