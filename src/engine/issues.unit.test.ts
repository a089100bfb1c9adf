import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WrapupFieldInput } from '../contracts/wrapup-fields.js';
import { check, customPortuguese } from './issues.js';

const Form = z.strictObject({
  name: z.string().trim().min(1).max(5),
  maxChat: z.number().int().min(1).max(10),
  email: z.email(),
  role: z.enum(['admin', 'agent']),
  key: z.string().regex(/^[a-z]+$/, 'lowercase letters, digits and dashes'),
  at: z.iso.datetime().optional(),
  teamIds: z.array(z.string()).min(1),
});

const said = (data: unknown) => {
  const r = check(Form, data);
  if (r.ok) throw new Error('expected issues');
  return Object.fromEntries(r.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('check: a failed parse in both languages', () => {
  it('a missing value is "required" / "obrigatório", whatever its type', () => {
    const m = said({});
    for (const field of ['name', 'maxChat', 'email', 'role', 'key', 'teamIds']) expect(m[field]).toEqual({ en: 'required', pt: 'obrigatório' });
    expect(m.at).toBeUndefined();
  });

  it('zod’s defaults: English as zod says it, Portuguese for a person filling a form', () => {
    const m = said({ name: '', maxChat: 0.5, email: 'x', role: 'boss', key: 'ok', at: 'ontem', teamIds: [] });
    expect(m.name).toEqual({ en: 'Too small: expected string to have >=1 characters', pt: 'não pode ficar vazio' });
    expect(m.maxChat).toEqual({ en: 'Invalid input: expected int, received number', pt: 'deve ser um número inteiro' });
    expect(m.email.pt).toBe('e-mail inválido');
    expect(m.role.pt).toBe('deve ser um destes: "admin", "agent"');
    expect(m.at.pt).toBe('data e hora inválidas (ISO 8601)');
    expect(m.teamIds.pt).toBe('informe pelo menos um item');
    const big = said({ name: 'abcdefg', maxChat: 20, email: 'a@b.co', role: 'agent', key: 'ok', teamIds: [1] });
    expect(big.name.pt).toBe('no máximo 5 caracteres');
    expect(big.maxChat.pt).toBe('deve ser no máximo 10');
    expect(big['teamIds.0'].pt).toBe('deve ser um texto');
  });

  it('our schemas’ own messages keep their English and get their Portuguese from the catalogue', () => {
    expect(said({ name: 'a', maxChat: 1, email: 'a@b.co', role: 'agent', key: 'A', teamIds: ['t'] }).key).toEqual({
      en: 'lowercase letters, digits and dashes',
      pt: 'só letras minúsculas, algarismos e hífens',
    });
    const r = check(WrapupFieldInput, { key: 'motivo', label: 'Motivo', type: 'select', options: ['Sim', 'Sim'], required: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message)).toContainEqual({ en: '"Sim" appears twice', pt: '"Sim" aparece duas vezes' });
    // a message of ours without a translation stays English rather than turning into a wrong one
    expect(customPortuguese('something new')).toBe('something new');
  });

  it('an unknown field is one issue at that field', () => {
    const r = check(Form, { name: 'a', maxChat: 1, email: 'a@b.co', role: 'agent', key: 'ok', teamIds: ['t'], extra: 1, other: 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual([
        { path: ['extra'], message: { en: 'unknown field', pt: 'campo desconhecido' } },
        { path: ['other'], message: { en: 'unknown field', pt: 'campo desconhecido' } },
      ]);
    }
  });

  it('a valid value comes back parsed', () => {
    expect(check(z.object({ n: z.coerce.number() }), { n: '3' })).toEqual({ ok: true, value: { n: 3 } });
  });
});

describe('the catalogue of our own messages', () => {
  it('has Portuguese for every message the contracts write themselves', () => {
    const dir = new URL('../contracts/', import.meta.url);
    const messages = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
      .flatMap((f) => {
        const src = readFileSync(new URL(f, dir), 'utf8');
        return [...src.matchAll(/\.(?:refine|regex)\([^;]*?,\s*'([^']+)'\)/g), ...src.matchAll(/code: 'custom'[^}]*message: '([^']+)'/g)].map((m) => m[1]);
      });
    expect(messages.length).toBeGreaterThan(8);
    expect(messages.filter((m) => customPortuguese(m) === m)).toEqual([]);
  });
});
