import { describe, expect, it } from 'vitest';
import { policyOf, sameScopeIds } from './access.js';

// The SQL form's composition (the behaviour is walked route by route in test/integration/access-matrix.test.ts).

const me = '00000000-0000-4000-8000-000000000001';

describe('the access policy as SQL', () => {
  it('numbers its parameters from the caller’s, and names only the given alias or column', () => {
    const c = policyOf({ id: me, role: 'supervisor' }).conversationsSql('conv', 4);
    expect(c.params).toEqual([me]);
    expect(c.sql).toMatch(/^\(conv\.agent_id = \$4 OR conv\.service_id IN \(SELECT .*= \$4\)\)$/);
    expect(c.sql).not.toMatch(/\$[1-35-9]/);
    expect(policyOf({ id: me, role: 'agent' }).conversationsSql('c', 2)).toEqual({ sql: 'c.agent_id = $2', params: [me] });
    expect(policyOf({ id: me, role: 'agent' }).usersSql('t.id', 7)).toEqual({ sql: 't.id = $7', params: [me] });
    expect(policyOf({ id: me, role: 'agent' }).teamsSql('x.team_id').sql).toContain('team_agents');
    expect(policyOf({ id: me, role: 'supervisor' }).teamsSql('x.team_id').sql).toContain('team_supervisors');
  });

  it('is no condition for admins and the system, and nothing for an agent on alerts', () => {
    for (const role of ['admin', 'system'] as const) {
      const p = policyOf({ id: role === 'system' ? null : me, role });
      expect([p.conversationsSql('c', 3), p.servicesSql('t.id', 3), p.usersSql('t.id'), p.teamsSql('t.id'), p.alertsSql('a')]).toEqual(
        Array(5).fill({ sql: 'TRUE', params: [] }),
      );
    }
    expect(policyOf({ id: me, role: 'agent' }).alertsSql('a', 3)).toEqual({ sql: 'FALSE', params: [] });
  });

  it('refuses what is not a plain alias or column (never interpolates input)', () => {
    const p = policyOf({ id: me, role: 'agent' });
    expect(() => p.conversationsSql('c; DROP TABLE users')).toThrow(/not a column or an alias/);
    expect(() => p.conversationsSql('c.id')).toThrow();
    expect(() => p.servicesSql('t.id OR TRUE')).toThrow();
  });
});

describe('the id sets', () => {
  it('compare by content', () => {
    const a = { all: false, serviceIds: new Set(['s1', 's2']), agentIds: new Set(['a1']) };
    expect(sameScopeIds(a, { all: false, serviceIds: new Set(['s2', 's1']), agentIds: new Set(['a1']) })).toBe(true);
    expect(sameScopeIds(a, { all: false, serviceIds: new Set(['s1']), agentIds: new Set(['a1']) })).toBe(false);
    expect(sameScopeIds(a, { ...a, all: true })).toBe(false);
  });
});
