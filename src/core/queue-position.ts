// A waiting customer's place in line: how many conversations of the same service the router would take
// before theirs (priority, then the oldest: routing.ts compareQueued), plus one.

import { compareQueued, type QueuedConversation } from './routing.js';

/** Position (1 = next) of every queued conversation within its own service's queue. */
export function queuePositions(queued: readonly QueuedConversation[]): Map<string, number> {
  const byService = new Map<string, QueuedConversation[]>();
  for (const q of queued) {
    const list = byService.get(q.serviceId);
    if (list) list.push(q);
    else byService.set(q.serviceId, [q]);
  }
  const positions = new Map<string, number>();
  for (const list of byService.values()) {
    list.sort(compareQueued);
    list.forEach((q, i) => positions.set(q.id, i + 1));
  }
  return positions;
}
