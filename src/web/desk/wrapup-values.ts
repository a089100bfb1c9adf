// The agent's answers to a service's wrap-up fields, as the Concluir form holds them and sends them.
import type { WrapupField } from '../../contracts/wrapup-fields';

export type WrapupValues = Record<string, string | number | boolean | null>;

// a yes/no field that is optional is a checkbox, which always answers (unchecked is No); a required
// one asks for Sim or Não and is blank until one is chosen
const blank = (f: WrapupField, v: WrapupValues[string] | undefined) =>
  f.type === 'boolean'
    ? f.required === true && typeof v !== 'boolean'
    : v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (f.type === 'number' && typeof v !== 'number');

/** The required fields still blank. */
export const missingFields = (fields: WrapupField[], values: WrapupValues) => fields.filter((f) => f.required && blank(f, values[f.key]));

/** FinishBody.fields: what the agent answered, typed as the fields say; blanks left out. */
export function fieldsBody(fields: WrapupField[], values: WrapupValues): Record<string, string | number | boolean> | undefined {
  const out: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === 'boolean') {
      if (!f.required || typeof v === 'boolean') out[f.key] = v === true;
    } else if (!blank(f, v)) out[f.key] = typeof v === 'string' ? v.trim() : (v as number);
  }
  return Object.keys(out).length ? out : undefined;
}
