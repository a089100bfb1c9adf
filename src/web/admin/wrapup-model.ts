// The wrap-up fields as the editor handles them: rows with a local id, the key suggested from the
// label until the admin types one, the checks the server will make, and its issues mapped back.
import type { WrapupField, WrapupFieldInput, WrapupFieldType } from '../../contracts/wrapup-fields';

// plain data, so the web bundle does not carry zod; the Record makes the compiler flag a new type
const TYPE_SET: Record<WrapupFieldType, true> = { text: true, number: true, select: true, boolean: true };
export const FIELD_TYPES = Object.keys(TYPE_SET) as WrapupFieldType[];
export const FIELD_KEY = /^[a-z0-9_]{1,40}$/;
export const MAX_FIELDS = 50;

export interface FieldRow {
  uid: number;
  key: string;
  /** the admin typed the key: it no longer follows the label */
  keyTyped: boolean;
  /** the key stored on the server, for a field that exists there */
  savedKey: string | null;
  label: string;
  type: WrapupFieldType;
  options: string[];
  required: boolean;
}

export type RowField = 'key' | 'label' | 'type' | 'options';
export type RowErrors = Partial<Record<RowField, string>>;

let next = 0;
export const newUid = () => ++next;

/** A key suggested from a label: "Motivo do contato" → motivo_do_contato. */
export function suggestKey(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
}

/** The suggestion, made unique among the other rows' keys (motivo, motivo_2…). */
export function uniqueKey(base: string, taken: Set<string>): string {
  if (!base || !taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const k = `${base.slice(0, 40 - String(n).length - 1)}_${n}`;
    if (!taken.has(k)) return k;
  }
}

export const rowsFrom = (fields: WrapupField[]): FieldRow[] =>
  fields.map((f) => ({ uid: newUid(), key: f.key, keyTyped: true, savedKey: f.key, label: f.label, type: f.type, options: [...(f.options ?? [])], required: f.required }));

export const emptyRow = (): FieldRow => ({ uid: newUid(), key: '', keyTyped: false, savedKey: null, label: '', type: 'text', options: [], required: false });

export function toInput(rows: FieldRow[]): WrapupFieldInput[] {
  return rows.map((r) => ({
    key: r.key.trim(),
    label: r.label.trim(),
    type: r.type,
    ...(r.type === 'select' ? { options: r.options.map((o) => o.trim()).filter(Boolean) } : {}),
    required: r.required,
  }));
}

/** What the server would refuse, row by row (message keys of `wrapupFields.errors`). */
export function checkRows(rows: FieldRow[]): Map<number, RowErrors> {
  const out = new Map<number, RowErrors>();
  const seen = new Set<string>();
  for (const r of rows) {
    const e: RowErrors = {};
    if (!r.label.trim()) e.label = 'labelRequired';
    else if (r.label.trim().length > 100) e.label = 'labelTooLong';
    const key = r.key.trim();
    if (!FIELD_KEY.test(key)) e.key = 'keyInvalid';
    else if (seen.has(key)) e.key = 'keyTaken';
    seen.add(key);
    if (r.type === 'select' && !r.options.some((o) => o.trim())) e.options = 'optionsRequired';
    if (Object.keys(e).length) out.set(r.uid, e);
  }
  return out;
}

/**
 * The server's issues on the rows they name: `body.items.2.label` (400) or `items.2.key` (422);
 * an option's path (`items.0.options.1`) lands on the options.
 */
export function issuesByRow(rows: FieldRow[], issues: { path: string; message: string }[]): Map<number, RowErrors> {
  const out = new Map<number, RowErrors>();
  for (const i of issues) {
    const m = /^(?:body\.)?items\.(\d+)\.(key|label|type|options|required)/.exec(i.path);
    const row = m ? rows[Number(m[1])] : undefined;
    if (!row) continue;
    const field = (m![2] === 'required' ? 'type' : m![2]) as RowField;
    out.set(row.uid, { ...out.get(row.uid), [field]: i.message });
  }
  return out;
}
