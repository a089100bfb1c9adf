import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../shared/audit';
import { en } from './i18n/en';
import { ptBR as pt } from './i18n/pt-BR';

const DICTS = { 'pt-BR': pt, en } as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

// Auditoria must never show a raw code (SUPERVISOR_CHAT, entity "conversation") beside translated ones.
describe('Auditoria’s labels', () => {
  it.each(Object.keys(DICTS) as (keyof typeof DICTS)[])('every audit action and entity has a label in %s', (lang) => {
    const { actions, entities } = DICTS[lang].audit as { actions: Record<string, string>; entities: Record<string, string> };
    expect(AUDIT_ACTIONS.filter((a) => !actions[a]?.trim())).toEqual([]);
    expect(AUDIT_ENTITIES.filter((e) => !entities[e]?.trim())).toEqual([]);
    // a label is words, not the code again
    expect(AUDIT_ACTIONS.filter((a) => actions[a] === a)).toEqual([]);
  });

  it('the lists hold every action and entity the server writes (writeAudit calls with literal codes)', () => {
    const written = { actions: new Set<string>(), entities: new Set<string>() };
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8');
      for (const call of text.matchAll(/writeAudit\([^;]*?\{([^}]*)\}/gs)) {
        for (const m of call[1].matchAll(/action: '([a-z_]+)'/g)) written.actions.add(m[1]);
        for (const m of call[1].matchAll(/entity: '([a-z_]+)'/g)) written.entities.add(m[1]);
      }
      for (const m of text.matchAll(/^\s*entity: '([a-z_]+)',$/gm)) written.entities.add(m[1]); // resource definitions
    }
    // the scan finds the calls (a scan that finds nothing would pass anything)
    expect(written.actions.size).toBeGreaterThan(10);
    expect([...written.actions].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect([...written.entities].filter((e) => !(AUDIT_ENTITIES as readonly string[]).includes(e))).toEqual([]);
  });
});
