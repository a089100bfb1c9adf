// The values of a wrap-up's fields (ficha de atendimento) checked against the service's fields.
// Pure: the fields and the values come in, the cleaned values and the problems go out.

import type { Said } from './said.js';

export type WrapUpFieldType = 'text' | 'number' | 'select' | 'boolean';
export type WrapUpValue = string | number | boolean;

export interface WrapUpFieldDef {
  readonly key: string;
  readonly label: string;
  readonly type: WrapUpFieldType;
  readonly options?: readonly string[] | null;
  readonly required: boolean;
}

/** A problem with one value: `path` is `fields.<key>`. */
export interface WrapUpProblem {
  readonly path: string;
  readonly message: Said;
}

export interface WrapUpCheck {
  /** the values to store: text trimmed, empty answers left out, in the fields' order */
  readonly values: Record<string, WrapUpValue>;
  readonly problems: WrapUpProblem[];
}

/** An answer left blank: nothing, or text with only spaces. */
const isBlank = (v: WrapUpValue | undefined): boolean => v === undefined || (typeof v === 'string' && v.trim() === '');

function typeProblem(f: WrapUpFieldDef, v: WrapUpValue): Said | null {
  const name = `"${f.label}"`;
  switch (f.type) {
    case 'text':
      return typeof v === 'string' ? null : { en: `${name} must be text`, pt: `${name} deve ser um texto` };
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : { en: `${name} must be a number`, pt: `${name} deve ser um número` };
    case 'boolean':
      return typeof v === 'boolean' ? null : { en: `${name} must be true or false`, pt: `${name} deve ser Sim ou Não` };
    case 'select': {
      const options = (f.options ?? []).join(', ');
      return typeof v === 'string' && (f.options ?? []).includes(v) ? null : { en: `${name} must be one of: ${options}`, pt: `${name} deve ser um destes: ${options}` };
    }
  }
}

/**
 * Checks each value's type against its field (a number a number, a select one of its options, a
 * boolean true or false), flags keys the service does not have, and, when `requireAll` (Concluir),
 * every required field left blank. Problems come in the fields' order, unknown keys last.
 */
export function checkWrapUpFields(
  fields: readonly WrapUpFieldDef[],
  given: Readonly<Record<string, WrapUpValue>> | null | undefined,
  opts: { requireAll: boolean },
): WrapUpCheck {
  const values: Record<string, WrapUpValue> = {};
  const problems: WrapUpProblem[] = [];
  const input = given ?? {};
  for (const f of fields) {
    const v = Object.hasOwn(input, f.key) ? input[f.key] : undefined;
    if (v === undefined || isBlank(v)) {
      if (f.required && opts.requireAll) problems.push({ path: `fields.${f.key}`, message: { en: `"${f.label}" is required for this service`, pt: `"${f.label}" é obrigatório neste serviço` } });
      continue;
    }
    const wrong = typeProblem(f, v);
    if (wrong) problems.push({ path: `fields.${f.key}`, message: wrong });
    else values[f.key] = typeof v === 'string' ? v.trim() : v;
  }
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push({ path: `fields.${key}`, message: { en: 'not a wrap-up field of this service', pt: 'não é um campo da ficha deste serviço' } });
  }
  return { values, problems };
}
