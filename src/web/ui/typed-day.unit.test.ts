import { describe, expect, it } from 'vitest';
import { parseTypedDay } from './typed-day';

describe('parseTypedDay', () => {
  it('reads day/month/year in Portuguese and month/day/year in English', () => {
    expect(parseTypedDay('21/11/2026', 'pt-BR')).toBe('2026-11-21');
    expect(parseTypedDay(' 1/2/2026 ', 'pt-BR')).toBe('2026-02-01');
    expect(parseTypedDay('21-11-26', 'pt-BR')).toBe('2026-11-21');
    expect(parseTypedDay('11/21/2026', 'en')).toBe('2026-11-21');
    expect(parseTypedDay('11/21/2026', 'pt-BR')).toBeNull();
  });

  it('always reads ISO, and refuses days that do not exist', () => {
    expect(parseTypedDay('2026-11-21', 'pt-BR')).toBe('2026-11-21');
    expect(parseTypedDay('2026-11-21', 'en')).toBe('2026-11-21');
    expect(parseTypedDay('31/02/2026', 'pt-BR')).toBeNull();
    expect(parseTypedDay('29/02/2028', 'pt-BR')).toBe('2028-02-29');
    expect(parseTypedDay('amanhã', 'pt-BR')).toBeNull();
    expect(parseTypedDay('', 'pt-BR')).toBeNull();
  });
});
