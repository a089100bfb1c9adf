import { z } from 'zod';

/**
 * The fields of a service's wrap-up (Campos da ficha de atendimento): what the agent fills in on
 * Concluir besides the classification and the notes. The values go in FinishBody.fields, keyed by
 * `key`, and are stored in the conversation's `wrapup`.
 *
 *   GET /api/services/:id/wrapup-fields  → WrapupFieldList (any role, within its scope)
 *   PUT /api/services/:id/wrapup-fields  ReplaceWrapupFields → WrapupFieldList (admin; the whole list)
 */

export const WRAPUP_FIELD_TYPES = ['text', 'number', 'select', 'boolean'] as const;
export const WrapupFieldType = z.enum(WRAPUP_FIELD_TYPES);
export type WrapupFieldType = z.infer<typeof WrapupFieldType>;

export const WRAPUP_FIELD_KEY = /^[a-z0-9_]{1,40}$/;
export const WRAPUP_FIELDS_MAX = 50;
export const WRAPUP_OPTIONS_MAX = 100;

const Key = z.string().regex(WRAPUP_FIELD_KEY, 'lowercase letters, digits and _, 1 to 40').describe('the value’s name in FinishBody.fields');
const Label = z.string().trim().min(1).max(100);
const Option = z.string().trim().min(1).max(100);

/** A field as stored and read: `options` only on select fields; `position` is its 0-based order. */
export const WrapupField = z.object({
  key: Key,
  label: Label,
  type: WrapupFieldType,
  options: z.array(Option).min(1).max(WRAPUP_OPTIONS_MAX).optional().describe('select only: the choices, in order'),
  required: z.boolean().describe('Concluir is refused without a value (Cancelar does not ask)'),
  position: z.number().int().min(0),
});
export type WrapupField = z.infer<typeof WrapupField>;

export const WrapupFieldList = z.object({ items: z.array(WrapupField) });
export type WrapupFieldList = z.infer<typeof WrapupFieldList>;

/** A field as an admin writes it: the list's order is the order (a `position` sent is rewritten). */
export const WrapupFieldInput = z
  .strictObject({
    key: Key,
    label: Label,
    type: WrapupFieldType,
    options: z.array(Option).max(WRAPUP_OPTIONS_MAX).optional(),
    required: z.boolean().optional().describe('default false'),
    position: z.number().int().min(0).optional().describe('ignored: the order of the list decides'),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'select') {
      if (!f.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs at least one option' });
      f.options?.forEach((o, i) => {
        if (f.options!.indexOf(o) !== i) ctx.addIssue({ code: 'custom', path: ['options', i], message: `"${o}" appears twice` });
      });
    } else if (f.options !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only select fields have options' });
    }
  });
export type WrapupFieldInput = z.infer<typeof WrapupFieldInput>;

export const ReplaceWrapupFields = z.strictObject({
  items: z.array(WrapupFieldInput).max(WRAPUP_FIELDS_MAX).describe('every field of the service, in order; [] removes them all'),
});
export type ReplaceWrapupFields = z.infer<typeof ReplaceWrapupFields>;
