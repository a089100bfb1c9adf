import { describe, expect, it } from 'vitest';
import { checkRows, emptyRow, issuesByRow, rowsFrom, suggestKey, toInput, uniqueKey, type FieldRow } from './wrapup-model';
import { fieldsBody, missingFields } from '../desk/wrapup-values';
import type { WrapupField } from '../../contracts/wrapup-fields';

const row = (over: Partial<FieldRow>): FieldRow => ({ ...emptyRow(), ...over });

describe('the wrap-up fields editor', () => {
  it('suggests a key from a pt-BR label, unique among the others', () => {
    expect(suggestKey('Motivo do contato')).toBe('motivo_do_contato');
    expect(suggestKey('  Nº do pedido (opcional)! ')).toBe('n_do_pedido_opcional');
    expect(suggestKey('Ação / Solução')).toBe('acao_solucao');
    expect(suggestKey('x'.repeat(39) + ' y')).toBe('x'.repeat(39));
    expect(uniqueKey('motivo', new Set(['motivo', 'motivo_2']))).toBe('motivo_3');
    expect(uniqueKey('', new Set(['']))).toBe('');
  });

  it('finds what the server would refuse, row by row', () => {
    const rows = [
      row({ label: 'Motivo', key: 'motivo', type: 'select', options: [' '] }),
      row({ label: ' ', key: 'Motivo' }),
      row({ label: 'Outro', key: 'motivo' }),
      row({ label: 'Ok', key: 'ok', type: 'number' }),
    ];
    const e = checkRows(rows);
    expect(e.get(rows[0].uid)).toEqual({ options: 'optionsRequired' });
    expect(e.get(rows[1].uid)).toEqual({ label: 'labelRequired', key: 'keyInvalid' });
    expect(e.get(rows[2].uid)).toEqual({ key: 'keyTaken' });
    expect(e.has(rows[3].uid)).toBe(false);
  });

  it('sends the list in order, options only on select, and maps the server’s issues back to rows', () => {
    const fields: WrapupField[] = [
      { key: 'motivo', label: 'Motivo', type: 'select', options: ['A', 'B'], required: true, position: 0 },
      { key: 'obs', label: 'Obs', type: 'text', required: false, position: 1 },
    ];
    const rows = rowsFrom(fields);
    rows[1].options = ['left over from a select'];
    expect(toInput(rows)).toEqual([
      { key: 'motivo', label: 'Motivo', type: 'select', options: ['A', 'B'], required: true },
      { key: 'obs', label: 'Obs', type: 'text', required: false },
    ]);
    const m = issuesByRow(rows, [
      { path: 'body.items.1.label', message: 'too long' },
      { path: 'items.0.key', message: 'taken' },
      { path: 'body.items.0.options.1', message: 'twice' },
      { path: 'body.items.9.key', message: 'no such row' },
    ]);
    expect(m.get(rows[0].uid)).toEqual({ key: 'taken', options: 'twice' });
    expect(m.get(rows[1].uid)).toEqual({ label: 'too long' });
    expect(m.size).toBe(2);
  });
});

describe('the agent’s answers on Concluir', () => {
  const fields: WrapupField[] = [
    { key: 'motivo', label: 'Motivo', type: 'select', options: ['A'], required: true, position: 0 },
    { key: 'qtd', label: 'Qtd', type: 'number', required: true, position: 1 },
    { key: 'obs', label: 'Obs', type: 'text', required: false, position: 2 },
    { key: 'retorno', label: 'Retorno', type: 'boolean', required: false, position: 3 },
    { key: 'acordo', label: 'Acordo', type: 'boolean', required: true, position: 4 },
  ];
  it('names the required fields left blank: a required yes/no until Sim or Não is chosen; a checkbox always answers', () => {
    expect(missingFields(fields, {}).map((f) => f.key)).toEqual(['motivo', 'qtd', 'acordo']);
    expect(missingFields(fields, { motivo: 'A', qtd: 0, acordo: false })).toEqual([]);
    expect(missingFields(fields, { motivo: null, qtd: '' as never, acordo: true })).toHaveLength(2);
    expect(missingFields(fields, { motivo: 'A', qtd: 1, acordo: null }).map((f) => f.key)).toEqual(['acordo']);
  });
  it('sends typed values, text trimmed, blanks left out; a checkbox always, a required yes/no once answered (Não as false)', () => {
    expect(fieldsBody(fields, { motivo: 'A', qtd: 2.5, obs: '  x ', acordo: false })).toEqual({ motivo: 'A', qtd: 2.5, obs: 'x', retorno: false, acordo: false });
    expect(fieldsBody(fields, { obs: '  ', retorno: true })).toEqual({ retorno: true });
    expect(fieldsBody(fields, { acordo: true })).toEqual({ retorno: false, acordo: true });
    expect(fieldsBody([], {})).toBeUndefined();
  });
});
