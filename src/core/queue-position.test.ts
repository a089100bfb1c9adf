import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { queuePositions } from './queue-position.js';
import type { QueuedConversation } from './routing.js';

const q = (id: string, serviceId: string, queuedAt: number, priority: QueuedConversation['priority'] = 'normal'): QueuedConversation => ({
  id, serviceId, queuedAt, priority, channelKind: 'chat',
});

describe('queuePositions', () => {
  it('counts per service: priority first (manual, returned, normal), then the oldest', () => {
    const p = queuePositions([q('a', 's1', 300), q('b', 's1', 100), q('c', 's1', 500, 'returned'), q('d', 's2', 900), q('e', 's1', 50, 'manual')]);
    expect(Object.fromEntries(p)).toEqual({ e: 1, c: 2, b: 3, a: 4, d: 1 });
  });

  it('property: positions of a service are 1..n, and an older conversation of the same priority is ahead', () => {
    const conv = fc.record({
      id: fc.uuid(),
      serviceId: fc.constantFrom('s1', 's2', 's3'),
      queuedAt: fc.integer({ min: 0, max: 1000 }),
      priority: fc.constantFrom('manual', 'returned', 'normal'),
      channelKind: fc.constant('chat'),
    }) as fc.Arbitrary<QueuedConversation>;
    fc.assert(
      fc.property(fc.uniqueArray(conv, { selector: (c) => c.id, maxLength: 60 }), (list) => {
        const p = queuePositions(list);
        for (const s of ['s1', 's2', 's3']) {
          const mine = list.filter((c) => c.serviceId === s).map((c) => p.get(c.id)!);
          expect(mine.sort((a, b) => a - b)).toEqual(mine.map((_, i) => i + 1));
        }
        for (const a of list) for (const b of list) {
          if (a.serviceId === b.serviceId && a.priority === b.priority && a.queuedAt < b.queuedAt) expect(p.get(a.id)!).toBeLessThan(p.get(b.id)!);
        }
      }),
    );
  });
});
