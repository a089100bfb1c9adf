import { describe, expect, it } from 'vitest';
import { jsonRows, MAX_JSON_ROWS } from './run.js';

describe('a report’s JSON rows', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ n: i }));

  it('all of them, and no note, up to the limit', () => {
    expect(jsonRows(rows, 'pt', 7)).toEqual({ rows, notes: [] });
    expect(MAX_JSON_ROWS).toBe(5_000);
  });

  it('the first ones over it, with a note in the language asked saying how many there are', () => {
    const pt = jsonRows(rows, 'pt', 3);
    expect(pt.rows).toEqual(rows.slice(0, 3));
    expect(pt.notes).toEqual(['A tabela mostra as primeiras 3 de 7 linhas; o total e o gráfico são de todas, e os downloads (CSV, XLSX) trazem todas.']);
    const many = Array.from({ length: 12_345 }, (_, i) => ({ n: i }));
    expect(jsonRows(many, 'pt').notes[0]).toContain('primeiras 5.000 de 12.345 linhas');
    expect(jsonRows(many, 'en').notes[0]).toContain('first 5,000 of 12,345 rows');
  });
});
