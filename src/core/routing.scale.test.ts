import { describe, expect, it } from 'vitest';
import { routeConversations } from './routing.js';
import { largeRoutingInput, naiveRoute } from './routing.test-support.js';

// Speed is measured in bench/routing.ts (npm run bench), never asserted here.
describe('routing at scale', () => {
  it('agrees with the naive reference on a mid-sized input', () => {
    const mid = largeRoutingInput({ conversations: 800, services: 30, agents: 150, teams: 20, seed: 7 });
    const assignments = routeConversations(mid);
    expect(assignments.length).toBeGreaterThan(100);
    expect(assignments).toEqual(naiveRoute(mid));
  });
});
