import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkWrapUpFields, type WrapUpFieldDef } from './wrapup-fields.js';

const FIELDS: WrapUpFieldDef[] = [
  { key: 'motivo', label: 'Motivo', type: 'select', options: ['Boleto', 'Cancelamento'], required: true },
  { key: 'parcelas', label: 'Parcelas', type: 'number', required: false },
  { key: 'retorno', label: 'Pediu retorno', type: 'boolean', required: false },
  { key: 'pedido', label: 'Número do pedido', type: 'text', required: true },
];

describe('checkWrapUpFields', () => {
  it('accepts values of the right types, trims text and leaves blanks out', () => {
    const r = checkWrapUpFields(FIELDS, { motivo: 'Boleto', parcelas: 3, retorno: false, pedido: '  123 ' }, { requireAll: true });
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual({ motivo: 'Boleto', parcelas: 3, retorno: false, pedido: '123' });
    expect(checkWrapUpFields(FIELDS, { motivo: 'Boleto', pedido: 'x', parcelas: '' as never }, { requireAll: true }).values).toEqual({ motivo: 'Boleto', pedido: 'x' });
  });

  it('names each required field left blank, in the fields’ order, only when concluding', () => {
    const r = checkWrapUpFields(FIELDS, { pedido: '   ' }, { requireAll: true });
    expect(r.problems).toEqual([
      { path: 'fields.motivo', message: { en: '"Motivo" is required for this service', pt: '"Motivo" é obrigatório neste serviço' } },
      { path: 'fields.pedido', message: { en: '"Número do pedido" is required for this service', pt: '"Número do pedido" é obrigatório neste serviço' } },
    ]);
    expect(checkWrapUpFields(FIELDS, {}, { requireAll: false }).problems).toEqual([]);
    expect(checkWrapUpFields(FIELDS, null, { requireAll: false }).values).toEqual({});
  });

  it('refuses a wrong type: a number as text, an unknown option, a boolean as text', () => {
    const r = checkWrapUpFields(FIELDS, { motivo: 'Outro', parcelas: '3', retorno: 'sim', pedido: 12 }, { requireAll: false });
    expect(r.problems).toEqual([
      { path: 'fields.motivo', message: { en: '"Motivo" must be one of: Boleto, Cancelamento', pt: '"Motivo" deve ser um destes: Boleto, Cancelamento' } },
      { path: 'fields.parcelas', message: { en: '"Parcelas" must be a number', pt: '"Parcelas" deve ser um número' } },
      { path: 'fields.retorno', message: { en: '"Pediu retorno" must be true or false', pt: '"Pediu retorno" deve ser Sim ou Não' } },
      { path: 'fields.pedido', message: { en: '"Número do pedido" must be text', pt: '"Número do pedido" deve ser um texto' } },
    ]);
    expect(r.values).toEqual({});
  });

  it('names keys the service does not have', () => {
    const r = checkWrapUpFields(FIELDS, { motivo: 'Boleto', pedido: '1', extra: 'x', constructor: 1 }, { requireAll: true });
    expect(r.problems.map((p) => p.path)).toEqual(['fields.extra', 'fields.constructor']);
    expect(r.problems[0].message).toEqual({ en: 'not a wrap-up field of this service', pt: 'não é um campo da ficha deste serviço' });
  });

  it('never stores a value it reported, nor a key the service lacks', () => {
    const value = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constantFrom('Boleto', 'Cancelamento'));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('motivo', 'parcelas', 'retorno', 'pedido', 'outro'), value), fc.boolean(), (given, requireAll) => {
        const r = checkWrapUpFields(FIELDS, given, { requireAll });
        const reported = new Set(r.problems.map((p) => p.path.slice('fields.'.length)));
        for (const k of Object.keys(r.values)) {
          expect(reported.has(k)).toBe(false);
          expect(FIELDS.some((f) => f.key === k)).toBe(true);
        }
        if ('outro' in given) expect(reported.has('outro')).toBe(true);
      }),
    );
  });
});
