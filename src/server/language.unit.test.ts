import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestLanguage } from './language.js';

const lang = (header?: string) => requestLanguage({ headers: header === undefined ? {} : { 'accept-language': header } } as FastifyRequest);

describe('requestLanguage', () => {
  it('Portuguese for pt and its regions, English otherwise and without the header', () => {
    expect(lang('pt-BR')).toBe('pt');
    expect(lang('pt')).toBe('pt');
    expect(lang('pt-PT,pt;q=0.9')).toBe('pt');
    expect(lang('en')).toBe('en');
    expect(lang('en-US,en;q=0.9')).toBe('en');
    expect(lang(undefined)).toBe('en');
    expect(lang('')).toBe('en');
    expect(lang('de-DE')).toBe('en');
  });

  it('follows the weights and the order, skipping languages Mirante does not speak', () => {
    expect(lang('en;q=0.5, pt-BR;q=0.9')).toBe('pt');
    expect(lang('de, pt-BR;q=0.8, en;q=0.7')).toBe('pt');
    expect(lang('de, en;q=0.8, pt;q=0.7')).toBe('en');
    expect(lang('pt;q=0, en')).toBe('en');
  });
});
