import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import { i18nOptions, NAMESPACES, resources } from './resources';

type Tree = { [key: string]: string | Tree };

/** Every leaf key of a dictionary, dotted; a plural's forms count as the key itself and each form. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const LANGUAGES = Object.keys(resources) as (keyof typeof resources)[];

describe('the web app’s translations', () => {
  it('has one resource per namespace in each language: features are never merged into one object', () => {
    for (const lng of LANGUAGES) {
      expect(Object.keys(resources[lng]).sort()).toEqual([...NAMESPACES].sort());
      expect(resources[lng]).not.toHaveProperty('translation');
    }
    expect(i18nOptions.ns).toEqual([...NAMESPACES]);
    expect(i18nOptions.defaultNS).toBe('common');
    expect(i18nOptions.fallbackNS).toBe('common');
  });

  it.each(NAMESPACES)('namespace %s: every key in pt-BR exists in en, and the other way round', (ns) => {
    const pt = [...leaves(resources['pt-BR'][ns] as Tree).keys()].sort();
    const en = [...leaves(resources.en[ns] as Tree).keys()].sort();
    expect(en.filter((k) => !pt.includes(k))).toEqual([]);
    expect(pt.filter((k) => !en.includes(k))).toEqual([]);
    for (const [k, v] of leaves(resources.en[ns] as Tree)) expect(v.trim() ? k : `${k} is empty`).toBe(k);
  });

  it('no feature repeats a top-level key of common, which would hide common’s words in that feature', () => {
    const common = new Set(Object.keys(resources['pt-BR'].common));
    for (const ns of NAMESPACES.filter((n) => n !== 'common')) {
      expect(Object.keys(resources['pt-BR'][ns]).filter((k) => common.has(k))).toEqual([]);
    }
  });

  it('i18next, set up as the app sets it up, answers every key of every namespace with its own text', async () => {
    const i18n = createInstance();
    await i18n.init({ ...i18nOptions, lng: 'pt-BR' });
    for (const lng of LANGUAGES) {
      await i18n.changeLanguage(lng);
      for (const ns of NAMESPACES) {
        expect(i18n.hasResourceBundle(lng, ns)).toBe(true);
        const bundle = i18n.getResourceBundle(lng, ns) as Tree;
        expect(bundle).toEqual(resources[lng][ns]);
        // (plural forms and texts with {{variables}} are answered through their key and options)
        for (const [key, text] of leaves(bundle)) {
          if (/_(zero|one|two|few|many|other)$/.test(key) || text.includes('{{') || text.includes('$t(')) continue;
          expect(i18n.t(key, { ns })).toBe(text);
        }
      }
    }
    // a feature's screen still finds the shared words, through the fallback namespace
    expect(i18n.getFixedT('pt-BR', 'admin')('common.save')).toBe('Salvar');
    expect(i18n.getFixedT('en', 'monitor')('channels.whatsapp')).toBe('WhatsApp');
  });
});
