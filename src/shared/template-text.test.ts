import { describe, expect, it } from 'vitest';
import { fillTemplate, templateParameterCount } from './template-text.js';

describe('template text', () => {
  it('counts the highest placeholder, spaces allowed, repeated ones once', () => {
    expect(templateParameterCount('Olá {{1}}, seu protocolo {{ 2 }} ({{1}})')).toBe(2);
    expect(templateParameterCount('sem parâmetros')).toBe(0);
    expect(templateParameterCount('só o {{3}}')).toBe(3);
  });
  it('fills each placeholder with its parameter and leaves a missing one visible', () => {
    expect(fillTemplate('Olá {{1}}, protocolo {{2}}. {{1}}!', ['Ana', '2026-1'])).toBe('Olá Ana, protocolo 2026-1. Ana!');
    expect(fillTemplate('Olá {{1}} e {{2}}', ['Ana'])).toBe('Olá Ana e {{2}}');
  });
});
