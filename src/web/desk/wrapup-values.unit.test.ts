import { describe, expect, it } from 'vitest';
import type { WrapupField } from '../../contracts/wrapup-fields';
import { fieldsBody, missingFields } from './wrapup-values';

const field = (key: string, type: WrapupField['type'], required: boolean): WrapupField => ({ key, label: key, type, required, position: 0, ...(type === 'select' ? { options: ['a', 'b'] } : {}) });

describe('the Concluir form’s answers', () => {
  const fields = [field('acordo', 'boolean', true), field('retorno', 'boolean', false), field('motivo', 'select', true), field('parcelas', 'number', false)];

  it('a required yes/no is blank until Sim or Não is chosen; an optional one (a checkbox) never is', () => {
    expect(missingFields(fields, {}).map((f) => f.key)).toEqual(['acordo', 'motivo']);
    expect(missingFields(fields, { acordo: false, motivo: 'a' })).toEqual([]);
    expect(missingFields(fields, { acordo: true, motivo: '  ' }).map((f) => f.key)).toEqual(['motivo']);
    expect(missingFields(fields, { acordo: null, motivo: 'b' }).map((f) => f.key)).toEqual(['acordo']);
  });

  it('sends Não as false, leaves an unanswered required yes/no out, and an unchecked checkbox as false', () => {
    expect(fieldsBody(fields, { acordo: false, motivo: 'a' })).toEqual({ acordo: false, retorno: false, motivo: 'a' });
    expect(fieldsBody(fields, { acordo: true, retorno: true, parcelas: 3 })).toEqual({ acordo: true, retorno: true, parcelas: 3 });
    expect(fieldsBody(fields, {})).toEqual({ retorno: false });
  });
});
