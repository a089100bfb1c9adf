import { describe, expect, it } from 'vitest';
import { winAnsi } from './pdf-table.js';

// The PDF's standard fonts encode WinAnsi: Portuguese passes as it is, the rest becomes drawable.
describe('winAnsi', () => {
  it('keeps Portuguese and cp1252 punctuation, turns a minus into a hyphen and anything else into ?', () => {
    expect(winAnsi('Atenção: São Paulo – “Página” 1 € ç Ã º')).toBe('Atenção: São Paulo – “Página” 1 € ç Ã º');
    expect(winAnsi('a − b')).toBe('a - b');
    expect(winAnsi('ok 😀 中')).toBe('ok ? ?');
  });
});
