import { describe, expect, it } from 'vitest';
import type { TemplateButton } from '../../contracts/admin';
import { buttonFits } from './template-buttons';

// The admin form's limits on a template's buttons, as WhatsApp sets them: ten in all, two links, one phone.
describe('template buttons within the provider limits', () => {
  const quick = (n: number): TemplateButton[] => Array.from({ length: n }, (_, i) => ({ type: 'QUICK_REPLY', text: `r${i}` }));
  const url: TemplateButton = { type: 'URL', text: 'Ver', url: 'https://x.example' };
  const phone: TemplateButton = { type: 'PHONE_NUMBER', text: 'Ligar', phoneNumber: '+551140000000' };

  it('takes up to ten buttons', () => {
    expect(buttonFits(quick(9), 'QUICK_REPLY')).toBe(true);
    expect(buttonFits(quick(10), 'QUICK_REPLY')).toBe(false);
    expect(buttonFits(quick(10), 'URL')).toBe(false);
  });

  it('takes two links and one phone number at most', () => {
    expect(buttonFits([url], 'URL')).toBe(true);
    expect(buttonFits([url, url], 'URL')).toBe(false);
    expect(buttonFits([url, url], 'PHONE_NUMBER')).toBe(true);
    expect(buttonFits([phone], 'PHONE_NUMBER')).toBe(false);
    expect(buttonFits([phone, url, url], 'QUICK_REPLY')).toBe(true);
  });
});
