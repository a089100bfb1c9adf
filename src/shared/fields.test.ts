import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FIELD_KINDS,
  MAX_TEXT_FIELD_LENGTH,
  parseCpf,
  parseEmail,
  parseField,
  parseName,
  parseOrderNumber,
  parsePhone,
  parseText,
  type FieldResult,
} from './fields.js';
import { VALID_ANSWERS } from './fields.test-support.js';

const value = (r: FieldResult): string | null => (r.ok ? r.value : null);
const reason = (r: FieldResult): string | null => (r.ok ? null : r.error.reason);

/** Check digits written the other common way (remainder < 2 → 0, else 11 − remainder) to cross-check. */
function referenceCpf(nine: number[]): string {
  const dv = (ds: number[]): number => {
    const r = ds.reduce((sum, d, i) => sum + d * (ds.length + 1 - i), 0) % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = dv(nine);
  return [...nine, d1, dv([...nine, d1])].join('');
}

describe('CPF', () => {
  it('accepts valid CPFs with or without punctuation and returns 11 digits', () => {
    expect(value(parseCpf('529.982.247-25'))).toBe('52998224725');
    expect(value(parseCpf('52998224725'))).toBe('52998224725');
    expect(value(parseCpf(' 111.444.777-35 '))).toBe('11144477735');
    expect(value(parseCpf('123 456 789 09'))).toBe('12345678909');
    expect(value(parseCpf('000.000.001-91'))).toBe('00000000191');
  });

  it('rejects wrong check digits', () => {
    expect(reason(parseCpf('529.982.247-24'))).toBe('check_digits');
    expect(reason(parseCpf('529.982.247-35'))).toBe('check_digits');
    expect(reason(parseCpf('12345678900'))).toBe('check_digits');
  });

  it('rejects all-same digits, wrong lengths and other characters', () => {
    for (const d of '0123456789') expect(reason(parseCpf(`${d.repeat(3)}.${d.repeat(3)}.${d.repeat(3)}-${d.repeat(2)}`))).toBe('repeated_digits');
    expect(reason(parseCpf('5299822472'))).toBe('length');
    expect(reason(parseCpf('529982247255'))).toBe('length');
    expect(reason(parseCpf('529.982.247/25'))).toBe('format');
    expect(reason(parseCpf('abc'))).toBe('format');
    expect(reason(parseCpf('  '))).toBe('empty');
  });

  it('agrees with an independent check-digit computation; a wrong check digit is always caught', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), fc.integer({ min: 9, max: 10 }), fc.integer({ min: 1, max: 9 }), (nine, pos, delta) => {
        const cpf = referenceCpf(nine);
        const repeated = /^(\d)\1{10}$/.test(cpf);
        expect(value(parseCpf(cpf))).toBe(repeated ? null : cpf);
        const punctuated = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
        expect(value(parseCpf(punctuated))).toBe(repeated ? null : cpf);
        // Only the check digits: mod 11 maps remainders 0 and 10 alike, so ~0.2% of other one-digit typos pass.
        const changed = cpf.slice(0, pos) + String((Number(cpf[pos]) + delta) % 10) + cpf.slice(pos + 1);
        expect(parseCpf(changed).ok).toBe(false);
      }),
    );
  });
});

describe('e-mail', () => {
  it('accepts ordinary addresses, lower-cased', () => {
    expect(value(parseEmail(' Maria.Silva+sac@Empresa.com.br '))).toBe('maria.silva+sac@empresa.com.br');
    expect(value(parseEmail('a@b.co'))).toBe('a@b.co');
    expect(value(parseEmail('joao_1@sub-dominio.exemplo.org'))).toBe('joao_1@sub-dominio.exemplo.org');
  });

  it('rejects what is not an address', () => {
    for (const bad of ['maria', 'maria@', '@empresa.com', 'maria@empresa', 'maria@@empresa.com', 'ma ria@empresa.com', 'maria@empresa..com', 'maria.@empresa.com', '.maria@empresa.com', 'maria@-empresa.com', 'maria@empresa.c', 'maria@empresa.com.']) {
      expect(parseEmail(bad).ok, bad).toBe(false);
    }
    expect(reason(parseEmail(''))).toBe('empty');
    expect(reason(parseEmail(`${'a'.repeat(65)}@empresa.com`))).toBe('format');
    expect(reason(parseEmail(`a@${'b'.repeat(250)}.com`))).toBe('length');
  });
});

describe('phone', () => {
  it('accepts mobiles and landlines with area code, in any common spelling, as E.164', () => {
    const cases: [string, string][] = [
      ['(11) 98765-4321', '+5511987654321'],
      ['11987654321', '+5511987654321'],
      ['+55 11 98765-4321', '+5511987654321'],
      ['5511987654321', '+5511987654321'],
      ['011 98765 4321', '+5511987654321'],
      ['(21) 3456-7890', '+552134567890'],
      ['+55 (55) 3222-1234', '+555532221234'],
      ['55 99999-8888', '+5555999998888'],
      ['85.3456.7890', '+558534567890'],
    ];
    for (const [raw, e164] of cases) expect(value(parsePhone(raw)), raw).toBe(e164);
  });

  it('rejects wrong lengths, unknown area codes, foreign numbers and letters', () => {
    expect(reason(parsePhone('98765-4321'))).toBe('length');
    expect(reason(parsePhone('(10) 98765-4321'))).toBe('area_code');
    expect(reason(parsePhone('(20) 3456-7890'))).toBe('area_code');
    expect(reason(parsePhone('+1 415 555 0100'))).toBe('format');
    expect(reason(parsePhone('(11) 88765-4321'))).toBe('format');
    expect(reason(parsePhone('(11) 9876-4321'))).toBe('format');
    expect(reason(parsePhone('11 9876a-4321'))).toBe('format');
    expect(reason(parsePhone('11+987654321'))).toBe('format');
    expect(reason(parsePhone(''))).toBe('empty');
  });
});

describe('order number, name, text', () => {
  it('order numbers: 3–30 letters, digits and inner hyphens, upper-cased', () => {
    expect(value(parseOrderNumber('#pd-12345'))).toBe('PD-12345');
    expect(value(parseOrderNumber('abc'))).toBe('ABC');
    expect(value(parseOrderNumber('1234567890123-01'))).toBe('1234567890123-01');
    expect(reason(parseOrderNumber('ab'))).toBe('length');
    expect(reason(parseOrderNumber('x'.repeat(31)))).toBe('length');
    expect(reason(parseOrderNumber('PD 123'))).toBe('format');
    expect(reason(parseOrderNumber('-PD123'))).toBe('format');
    expect(reason(parseOrderNumber('pedido/123'))).toBe('format');
  });

  it('names: letters with accents, apostrophes and hyphens; spaces collapsed', () => {
    expect(value(parseName('  João   da Silva '))).toBe('João da Silva');
    expect(value(parseName("Maria D'Ávila-Souza Jr."))).toBe("Maria D'Ávila-Souza Jr.");
    expect(value(parseName('Jose\u0301'))).toBe('José');
    expect(value(parseName('Li'))).toBe('Li');
    expect(reason(parseName('J'))).toBe('length');
    expect(reason(parseName('a'.repeat(121)))).toBe('length');
    expect(reason(parseName('Maria 2'))).toBe('format');
    expect(reason(parseName('@maria'))).toBe('format');
  });

  it('free text: anything non-blank up to the limit, trimmed', () => {
    expect(value(parseText('  quero cancelar  '))).toBe('quero cancelar');
    expect(reason(parseText(' \n '))).toBe('empty');
    expect(reason(parseText('x'.repeat(MAX_TEXT_FIELD_LENGTH + 1)))).toBe('length');
  });

  it('parseField dispatches on the kind; the sample answers are valid and blanks are not', () => {
    for (const kind of FIELD_KINDS) {
      expect(parseField(kind, VALID_ANSWERS[kind]).ok, kind).toBe(true);
      expect(parseField(kind, '   ')).toEqual({ ok: false, error: { field: kind, reason: 'empty' } });
    }
  });

  it('normalising is idempotent: a stored value parses to itself', () => {
    for (const kind of FIELD_KINDS) {
      const first = parseField(kind, VALID_ANSWERS[kind]);
      if (first.ok) expect(parseField(kind, first.value)).toEqual(first);
    }
  });
});
