import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueReason, type DepartmentAgent } from './queue-reason.js';

const dept = { active: true, limit: 3 };
const on = (open: number, paused = false): DepartmentAgent => ({ loggedIn: true, paused, open });
const off: DepartmentAgent = { loggedIn: false, paused: false, open: 0 };

describe('queueReason', () => {
  it('names each situation a supervisor must tell apart', () => {
    expect(queueReason({ department: null, agents: [on(0)] }).code).toBe('no_department');
    expect(queueReason({ department: { active: false, limit: 3 }, agents: [on(0)] }).code).toBe('department_inactive');
    expect(queueReason({ department: dept, agents: [] }).code).toBe('no_agents');
    expect(queueReason({ department: dept, agents: [off, off] })).toEqual({ code: 'none_logged_in', loggedIn: 0, paused: 0, atLimit: 0, free: 0 });
    expect(queueReason({ department: dept, agents: [on(3), on(4), off] })).toEqual({ code: 'all_at_limit', loggedIn: 2, paused: 0, atLimit: 2, free: 0 });
    expect(queueReason({ department: dept, agents: [on(0, true), on(2, true)] })).toEqual({ code: 'all_paused', loggedIn: 2, paused: 2, atLimit: 0, free: 0 });
    expect(queueReason({ department: dept, agents: [on(3), on(1, true)] })).toEqual({ code: 'at_limit_or_paused', loggedIn: 2, paused: 1, atLimit: 1, free: 0 });
    expect(queueReason({ department: dept, agents: [on(3), on(2)] })).toEqual({ code: 'free_slots', loggedIn: 2, paused: 0, atLimit: 1, free: 1 });
  });

  it('an agent whom another department allows more is free at this one’s maximum (as routing sees them)', () => {
    expect(queueReason({ department: dept, agents: [{ ...on(3), limit: 5 }] })).toMatchObject({ code: 'free_slots', atLimit: 0, free: 1 });
    expect(queueReason({ department: dept, agents: [{ ...on(5), limit: 5 }, on(3)] })).toMatchObject({ code: 'all_at_limit', atLimit: 2 });
  });

  it('a paused agent is paused whatever they hold; the limit counts only the unpaused', () => {
    expect(queueReason({ department: dept, agents: [on(5, true)] })).toMatchObject({ paused: 1, atLimit: 0 });
  });

  it('every logged-in agent is in exactly one of paused, at the limit, free; free > 0 iff the code is free_slots', () => {
    const agent = fc.record({ loggedIn: fc.boolean(), paused: fc.boolean(), open: fc.nat(6), limit: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(agent, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (agents, limit) => {
        const r = queueReason({ department: { active: true, limit }, agents });
        const logged = agents.filter((a) => a.loggedIn);
        expect(r.loggedIn).toBe(logged.length);
        expect(r.paused + r.atLimit + r.free).toBe(r.loggedIn);
        expect(r.free).toBe(logged.filter((a) => !a.paused && a.open < (a.limit ?? limit)).length);
        expect(r.free > 0).toBe(r.code === 'free_slots');
      }),
    );
  });
});
