import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MinHeap } from './min-heap.js';

const less = (a: number, b: number): boolean => a < b;

function drain(heap: MinHeap<number>): number[] {
  const out: number[] = [];
  for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
  return out;
}

describe('MinHeap', () => {
  it('is empty when built from nothing', () => {
    const heap = new MinHeap(less);
    expect([heap.size, heap.peek(), heap.pop()]).toEqual([0, undefined, undefined]);
  });

  it('replaceTop on an empty heap just inserts', () => {
    const heap = new MinHeap(less);
    heap.replaceTop(3);
    expect(drain(heap)).toEqual([3]);
  });

  it('pops in sorted order whatever mix of build, push and replaceTop produced it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer()),
        fc.array(fc.tuple(fc.constantFrom('push', 'pop', 'replaceTop'), fc.integer())),
        (initial, ops) => {
          const heap = new MinHeap(less, initial);
          const model = [...initial];
          for (const [op, value] of ops) {
            const min = model.length ? Math.min(...model) : undefined;
            if (op === 'push') model.push(value);
            else if (op === 'pop') {
              expect(heap.pop()).toBe(min);
              if (min !== undefined) model.splice(model.indexOf(min), 1);
            } else {
              if (min !== undefined) model.splice(model.indexOf(min), 1);
              model.push(value);
            }
            if (op === 'push') heap.push(value);
            if (op === 'replaceTop') heap.replaceTop(value);
            expect(heap.size).toBe(model.length);
          }
          expect(drain(heap)).toEqual(model.sort((a, b) => a - b));
        },
      ),
    );
  });
});
