import { describe, expect, it } from 'vitest';
import { languageName } from './language-name';

describe('languageName', () => {
  it('names a template’s language in the screen’s language, capitalised', () => {
    expect(languageName('pt_BR', 'pt-BR')).toBe('Português (Brasil)');
    expect(languageName('pt_BR', 'en')).toBe('Portuguese (Brazil)');
    expect(languageName('es', 'pt-BR')).toBe('Espanhol');
    expect(languageName('en_US', 'en')).toBe('English (United States)');
  });
  it('shows a dash for none and an unreadable code as it is', () => {
    expect(languageName(null, 'pt-BR')).toBe('—');
    expect(languageName('x_1', 'pt-BR')).toBe('x_1');
  });
});
