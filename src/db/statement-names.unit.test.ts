import { describe, expect, it } from 'vitest';
import { StatementNames } from './database.js';

describe('StatementNames (prepared statements on PostgreSQL)', () => {
  it('names a text from its third use on, the same name every time', () => {
    const names = new StatementNames();
    const sql = 'SELECT * FROM conversations WHERE id = $1';
    expect([names.nameOf(sql), names.nameOf(sql)]).toEqual([undefined, undefined]);
    const name = names.nameOf(sql);
    expect(name).toMatch(/^mirante_\d+$/);
    expect(names.nameOf(sql)).toBe(name);
    expect(names.nameOf('SELECT 1 WHERE $1::int > 0')).toBeUndefined();
  });

  it('stays bounded: long texts and texts past the limit are never named', () => {
    const names = new StatementNames(1, 3);
    expect(names.nameOf(`SELECT '${'x'.repeat(5000)}'`)).toBeUndefined();
    const given = Array.from({ length: 10 }, (_, i) => names.nameOf(`SELECT ${i}`));
    expect(given.filter(Boolean)).toHaveLength(3);
    expect(new Set(given.filter(Boolean)).size).toBe(3);
    // the ones named keep their names
    expect(names.nameOf('SELECT 0')).toBe(given[0]);
  });
});
