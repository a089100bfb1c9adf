import { describe, expect, it } from 'vitest';
import { chooseAgents } from './agents.js';
import { TRAFFIC_WEIGHTS, weightedTurns } from './simulator.js';

describe('the demo traffic and staff', () => {
  it('splits arrivals by the channels\' weights, every channel within each round of the weights\' sum', () => {
    const items = Object.entries(TRAFFIC_WEIGHTS).map(([name, weight]) => ({ name, weight }));
    const total = items.reduce((s, i) => s + i.weight, 0);
    const next = weightedTurns(items);
    const counts: Record<string, number> = {};
    for (let round = 0; round < 3; round++) {
      const seen = new Set<string>();
      for (let i = 0; i < total; i++) {
        const { name } = next();
        seen.add(name);
        counts[name] = (counts[name] ?? 0) + 1;
      }
      expect(seen.size).toBe(items.length);
    }
    for (const i of items) expect(counts[i.name]).toBe(3 * i.weight);
    const most = Object.entries(TRAFFIC_WEIGHTS).sort((a, b) => b[1] - a[1])[0][0];
    expect(most).toMatch(/^WhatsApp/);
  });

  it('chooses agents that cover every team first, then the rest in order', () => {
    const users = [
      { n: 1, teamIds: ['geral'] },
      { n: 2, teamIds: ['geral'] },
      { n: 3, teamIds: ['geral', 'financeiro'] },
      { n: 4, teamIds: ['suporte'] },
      { n: 5, teamIds: ['geral'] },
    ];
    expect(chooseAgents(users, 2).map((u) => u.n)).toEqual([3, 4]);
    expect(chooseAgents(users, 4).map((u) => u.n)).toEqual([3, 4, 1, 2]);
    expect(chooseAgents(users, 9)).toHaveLength(5);
  });
});
