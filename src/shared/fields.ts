// Validators for the fields a customer gives: a bot question's answer (core/bot-runner.ts) and the
// WebChat pre-chat form (shared/prechat.ts, checked by the widget and again by the server). Each
// returns the value normalised the way a contact record stores it (CPF as 11 digits, phone as E.164),
// so two spellings of one value match.

export const FIELD_KINDS = ['name', 'cpf', 'email', 'phone', 'order_number', 'text'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export type FieldErrorReason = 'empty' | 'format' | 'length' | 'check_digits' | 'repeated_digits' | 'area_code';

export interface FieldError {
  readonly field: FieldKind;
  readonly reason: FieldErrorReason;
}

export type FieldResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: FieldError };

const valid = (value: string): FieldResult => ({ ok: true, value });
const invalid = (field: FieldKind, reason: FieldErrorReason): FieldResult => ({ ok: false, error: { field, reason } });

/** Free text answers are capped so one message cannot flood the contact record. */
export const MAX_TEXT_FIELD_LENGTH = 1000;

// ---- CPF ------------------------------------------------------------------------------------------

/** The two check digits of a CPF from its first nine digits (Receita Federal's mod-11 rule). */
export function cpfCheckDigits(first9: string): string {
  const digit = (base: string): number => {
    let sum = 0;
    for (let i = 0; i < base.length; i++) sum += Number(base[i]) * (base.length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  const d1 = digit(first9);
  return `${d1}${digit(first9 + d1)}`;
}

/** Accepts `123.456.789-09`, `12345678909` or spaced digits; returns the 11 digits. */
export function parseCpf(raw: string): FieldResult {
  const text = raw.trim();
  if (text === '') return invalid('cpf', 'empty');
  if (!/^[\d.\-\s]+$/.test(text)) return invalid('cpf', 'format');
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 11) return invalid('cpf', 'length');
  // 000.000.000-00 … 999.999.999-99 pass the mod-11 rule but are never issued.
  if (/^(\d)\1{10}$/.test(digits)) return invalid('cpf', 'repeated_digits');
  if (cpfCheckDigits(digits.slice(0, 9)) !== digits.slice(9)) return invalid('cpf', 'check_digits');
  return valid(digits);
}

// ---- E-mail ---------------------------------------------------------------------------------------

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A pragmatic check (no quoted local parts, no IP literals): what customers really type. Lower-cased
 * whole, because contacts are matched by e-mail and every mainstream provider ignores case. */
export function parseEmail(raw: string): FieldResult {
  const text = raw.trim().toLowerCase();
  if (text === '') return invalid('email', 'empty');
  if (text.length > 254) return invalid('email', 'length');
  const at = text.lastIndexOf('@');
  if (at <= 0) return invalid('email', 'format');
  const local = text.slice(0, at);
  const labels = text.slice(at + 1).split('.');
  if (local.length > 64 || !EMAIL_LOCAL.test(local)) return invalid('email', 'format');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return invalid('email', 'format');
  if (!TOP_LEVEL.test(labels[labels.length - 1])) return invalid('email', 'format');
  return valid(text);
}

// ---- Phone ----------------------------------------------------------------------------------------

/** Area codes (DDD) in use in Brazil (Anatel). */
const AREA_CODES: ReadonlySet<string> = new Set(
  [
    '11-19', '21', '22', '24', '27', '28', '31-35', '37', '38', '41-49', '51', '53-55', '61-69',
    '71', '73-75', '77', '79', '81-89', '91-99',
  ].flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
  }),
);

/**
 * A Brazilian number with area code: 10 digits (landline, starts 2–5) or 11 (mobile, starts 9), with
 * optional +55 / 55 country code or a leading trunk 0. Returned as E.164 (`+5511987654321`).
 */
export function parsePhone(raw: string): FieldResult {
  const text = raw.trim();
  if (text === '') return invalid('phone', 'empty');
  if (!/^\+?[\d\s().-]+$/.test(text)) return invalid('phone', 'format');
  const digits = text.replace(/\D/g, '');
  let national = digits;
  if (text.startsWith('+')) {
    if (!digits.startsWith('55')) return invalid('phone', 'format');
    national = digits.slice(2);
  } else if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) {
    national = digits.slice(2);
  } else if ((digits.length === 11 || digits.length === 12) && digits.startsWith('0')) {
    national = digits.slice(1);
  }
  if (national.length !== 10 && national.length !== 11) return invalid('phone', 'length');
  if (!AREA_CODES.has(national.slice(0, 2))) return invalid('phone', 'area_code');
  const first = national[2];
  const ok = national.length === 11 ? first === '9' : first >= '2' && first <= '5';
  return ok ? valid(`+55${national}`) : invalid('phone', 'format');
}

// ---- Order number, name, free text ----------------------------------------------------------------

/** Letters and digits, 3–30 long; inner hyphens are kept because stores print them (`1234567-01`).
 * A leading `#` is dropped and letters are upper-cased: order numbers are not case-sensitive. */
export function parseOrderNumber(raw: string): FieldResult {
  const text = raw.trim().replace(/^#\s*/, '');
  if (text === '') return invalid('order_number', 'empty');
  if (text.length < 3 || text.length > 30) return invalid('order_number', 'length');
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(text)) return invalid('order_number', 'format');
  return valid(text.toUpperCase());
}

/** 2–120 characters of letters (any script, with accents), spaces, apostrophes, hyphens and dots. */
export function parseName(raw: string): FieldResult {
  const text = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (text === '') return invalid('name', 'empty');
  if (text.length > 120) return invalid('name', 'length');
  if (!/^\p{L}[\p{L}\p{M}' .-]*$/u.test(text)) return invalid('name', 'format');
  if ((text.match(/\p{L}/gu) ?? []).length < 2) return invalid('name', 'length');
  return valid(text);
}

export function parseText(raw: string): FieldResult {
  const text = raw.trim();
  if (text === '') return invalid('text', 'empty');
  if (text.length > MAX_TEXT_FIELD_LENGTH) return invalid('text', 'length');
  return valid(text);
}

const PARSERS: Readonly<Record<FieldKind, (raw: string) => FieldResult>> = {
  name: parseName,
  cpf: parseCpf,
  email: parseEmail,
  phone: parsePhone,
  order_number: parseOrderNumber,
  text: parseText,
};

export function parseField(kind: FieldKind, raw: string): FieldResult {
  return PARSERS[kind](raw);
}
