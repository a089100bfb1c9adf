// Routing choice in the core: a full pass over 10,000 queued conversations, 200 services and
// 2,000 agents, in two layouts (100 teams spread thin; 10 teams shared by every service).
import { routeConversations } from '../src/core/routing.js';
import { largeRoutingInput } from '../src/core/routing.test-support.js';
import { emit, percentile } from './report.js';

export async function run(): Promise<void> {
  for (const teams of [100, 10]) {
    const input = largeRoutingInput({ conversations: 10_000, services: 200, agents: 2_000, teams });
    routeConversations(input); // warm the JIT, as a long-running server is
    const times: number[] = [];
    let decisions = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      decisions += routeConversations(input).length;
      times.push(performance.now() - t0);
    }
    const total = times.reduce((a, b) => a + b, 0);
    emit({ bench: 'routing-core-pass', layout: `${teams}-teams`, value: +percentile(times, 99).toFixed(2), unit: 'ms p99 per full pass' });
    emit({ bench: 'routing-core-decisions', layout: `${teams}-teams`, value: Math.round(decisions / (total / 1000)), unit: 'assignments/s' });
  }
}
