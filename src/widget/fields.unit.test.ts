import { describe, expect, it } from 'vitest';
import { checkField, prechatErrors } from './fields';

describe('the widget’s pre-chat checks (the server’s rules)', () => {
  it('lets an empty optional field through and asks for a required one', () => {
    expect(checkField('cpf', '  ', false)).toBeNull();
    expect(checkField('cpf', '', true)).toBe('required');
  });

  it('refuses what the server refuses, so the customer hears it before sending', () => {
    expect(checkField('cpf', '123.456.789-00', false)).toBe('badCpf');
    expect(checkField('cpf', '529.982.247-25', true)).toBeNull();
    // 23 is no Brazilian area code: the server says "DDD inexistente"
    expect(checkField('phone', '(23) 91234-5678', false)).toBe('badPhone');
    expect(checkField('phone', '(21) 91234-5678', false)).toBeNull();
    expect(checkField('email', 'maria@exemplo', false)).toBe('badEmail');
    expect(checkField('name', 'M', false)).toBe('badName');
    expect(checkField('name', 'x'.repeat(121), false)).toBe('badName');
    expect(checkField('name', 'Maria da Silva', true)).toBeNull();
  });

  it('reads the server’s refusal per field, in either language', () => {
    expect(prechatErrors('cpf: invalid check digits; phone: required')).toEqual({ cpf: 'badCpf', phone: 'required' });
    expect(prechatErrors('cpf: dígitos verificadores inválidos; phone: obrigatório')).toEqual({ cpf: 'badCpf', phone: 'required' });
  });
});
