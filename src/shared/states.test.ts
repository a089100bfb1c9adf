import { describe, expect, it } from 'vitest';
import { CONVERSATION_STATES, FINISHED_STATES, isFinishedState, isOpenState, OPEN_STATES, OPEN_STATES_SQL } from './states.js';

describe('conversation states', () => {
  it('splits every state into open or finished, exactly once', () => {
    for (const s of CONVERSATION_STATES) expect([isOpenState(s), isFinishedState(s)].filter(Boolean)).toHaveLength(1);
    expect(OPEN_STATES.length + FINISHED_STATES.length).toBe(CONVERSATION_STATES.length);
    expect(isOpenState('nonsense')).toBe(false);
    expect(isFinishedState('nonsense')).toBe(false);
  });

  it('writes the open states as an SQL list', () => {
    expect(OPEN_STATES_SQL).toBe(`('triage', 'bot', 'queued', 'in_service')`);
  });
});
