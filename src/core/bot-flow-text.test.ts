import { describe, expect, it } from 'vitest';
import type { MenuOption } from './bot-flow.js';
import { fillPlaceholders, matchOption, normalizeForMatch, placeholdersIn, renderText } from './bot-flow-text.js';

const options: MenuOption[] = [
  { id: 'fin', label: 'Financeiro', keywords: ['boleto', 'segunda via'], next: 'a' },
  { id: 'sup', label: 'Suporte técnico', keywords: ['internet'], next: 'b' },
  { id: 'hor', label: 'Horário de atendimento', next: 'c' },
];
const pick = (text: string): string | null => matchOption(options, text)?.id ?? null;

describe('renderText', () => {
  const output = { text: 'Como podemos ajudar?', options: [{ id: 'fin', label: 'Financeiro' }, { id: 'sup', label: 'Suporte' }] };

  it('numbers the options for text-only channels', () => {
    expect(renderText(output, 'numbered')).toBe('Como podemos ajudar?\n1 - Financeiro\n2 - Suporte');
    expect(renderText(output)).toBe(renderText(output, 'numbered'));
  });

  it('leaves the options to the channel in buttons mode, and plain messages alone', () => {
    expect(renderText(output, 'buttons')).toBe('Como podemos ajudar?');
    expect(renderText({ text: 'Olá' }, 'numbered')).toBe('Olá');
    expect(renderText({ text: 'Olá', options: [] }, 'numbered')).toBe('Olá');
  });
});

describe('matchOption', () => {
  it('by number, label or keyword, ignoring case, accents, spaces and punctuation', () => {
    for (const text of ['financeiro', 'Financeiro ', 'FINANCEIRO', '1', ' 01 ', '1.', 'boleto', 'Segunda-via']) expect(pick(text), text).toBe('fin');
    for (const text of ['2', 'suporte tecnico', 'Suporte Técnico!', 'INTERNET']) expect(pick(text), text).toBe('sup');
    for (const text of ['3', 'horario de atendimento', 'Horário de Atendimento?']) expect(pick(text), text).toBe('hor');
  });

  it('finds one option named inside a longer answer', () => {
    expect(pick('quero a segunda via do boleto')).toBe('fin');
    expect(pick('minha internet caiu')).toBe('sup');
  });

  it('nothing when no option or more than one is named, or the number is out of range', () => {
    for (const text of ['', '   ', '?!', '0', '4', '12', 'olá', 'sup', 'boletos', 'boleto ou internet']) expect(pick(text), text).toBeNull();
  });
});

describe('placeholders', () => {
  it('lists and fills protocol and collected fields', () => {
    const text = 'Protocolo {{protocol}}, CPF {{ field.cpf }}.';
    expect(placeholdersIn(text)).toEqual(['protocol', 'field.cpf']);
    expect(fillPlaceholders(text, { protocol: '2025-000123', fields: { cpf: '52998224725' } })).toBe('Protocolo 2025-000123, CPF 52998224725.');
  });

  it('fields not collected and unknown names become empty, never Object.prototype members', () => {
    const filled = fillPlaceholders('[{{field.cpf}}][{{field.constructor}}][{{nada}}][{{field.toString}}]', { protocol: 'P', fields: {} });
    expect(filled).toBe('[][][][]');
  });

  it('a value with $ patterns is inserted literally', () => {
    expect(fillPlaceholders('{{field.text}}', { protocol: 'P', fields: { text: "$& $1 $'" } })).toBe("$& $1 $'");
  });

  it('normalizeForMatch', () => {
    expect(normalizeForMatch('  Horário  de   ATENDIMENTO! ')).toBe('horario de atendimento');
    expect(normalizeForMatch('Ação-Já')).toBe('acao ja');
  });
});
