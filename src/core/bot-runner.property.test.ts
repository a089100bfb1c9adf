// Property tests of the runner on random flows (bot-flow.test-support.ts): it never throws, is never
// stuck, finishes only in a transfer or an end, and re-asks on bad input.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MAX_ATTEMPTS, validateFlow, type BotFlow } from './bot-flow.js';
import { stepOf } from './bot-flow-graph.js';
import { startFlow, step, type BotAdvance, type BotInput, type BotRunResult, type BotState } from './bot-runner.js';
import { BAD_INPUTS, VALID_ANSWERS, deepFreeze, inputArb, rawFlowArb, validFlowArb } from './bot-flow.test-support.js';

const ctx = { serviceId: 'svc-own', protocol: 'P-1' };
/** More runs than the default: the flows are small and each run is cheap. */
const runs = { numRuns: 300 };

/** The invariants of one advance; returns it frozen, so a later mutation by the runner would throw. */
function checkAdvance(flow: BotFlow, result: BotRunResult): BotAdvance {
  if (!result.ok) throw new Error(`runner error on a valid flow: ${result.error.message}`);
  const { state, outcome } = result;
  const current = stepOf(flow, state.stepId);
  expect(current).toBeDefined();
  expect(state.finished).toBe(outcome !== null);
  if (outcome === null) {
    expect(['menu', 'question']).toContain(current!.kind);
    // A step that waits for input always says something, so the customer knows what to answer.
    expect(result.outputs.length).toBeGreaterThan(0);
  } else if (outcome.type === 'transfer') {
    expect(current!.kind).toBe('transfer');
    expect(outcome.serviceId).toBe((current!.kind === 'transfer' && current!.serviceId) || ctx.serviceId);
  } else {
    expect(current!.kind).toBe('end');
  }
  for (const output of result.outputs) expect(output.text).not.toMatch(/\{\{|\}\}/);
  return deepFreeze(result);
}

/** Whether an invalid input on this state must move it on (attempts used up and somewhere to go). */
function givesUp(flow: BotFlow, state: BotState): boolean {
  const current = stepOf(flow, state.stepId)!;
  if (current.kind !== 'menu' && current.kind !== 'question') return false;
  return current.onFail !== undefined && state.attempts + 1 >= (current.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
}

/** Inputs worth trying from a state: every option (by button and by number), a valid answer, junk. */
function candidateInputs(flow: BotFlow, state: BotState): BotInput[] {
  const current = stepOf(flow, state.stepId)!;
  if (current.kind === 'menu') {
    return [
      ...current.options.map((o): BotInput => ({ kind: 'option', optionId: o.id })),
      ...current.options.map((_, i): BotInput => ({ kind: 'text', text: String(i + 1) })),
      ...BAD_INPUTS,
    ];
  }
  if (current.kind === 'question') return [{ kind: 'text', text: VALID_ANSWERS[current.field] }, ...BAD_INPUTS];
  return [];
}

describe('bot runner on random valid flows', () => {
  it('never throws or errors; every state waits on a menu/question or has finished in a transfer/end', () => {
    fc.assert(
      fc.property(validFlowArb, fc.array(inputArb, { maxLength: 40 }), (flow, inputs) => {
        deepFreeze(flow);
        let last = checkAdvance(flow, startFlow(flow, ctx));
        for (const input of inputs) {
          if (last.state.finished) break;
          const next = checkAdvance(flow, step(flow, last.state, input, ctx));
          expect(next.state.visited).toBeGreaterThanOrEqual(last.state.visited);
          for (const key of Object.keys(last.state.fields)) expect(next.state.fields).toHaveProperty(key);
          // Pure: the same input on the same state gives the same result.
          expect(step(flow, last.state, input, ctx)).toEqual(next);
          last = next;
        }
      }),
      runs,
    );
  });

  it('bad input on a menu or question re-asks: same step, one more attempt, something said (until onFail)', () => {
    fc.assert(
      fc.property(validFlowArb, fc.array(inputArb, { maxLength: 20 }), fc.constantFrom(...BAD_INPUTS), (flow, inputs, bad) => {
        let last = checkAdvance(flow, startFlow(flow, ctx));
        for (const input of [...inputs, bad]) {
          if (last.state.finished) break;
          const retried = checkAdvance(flow, step(flow, last.state, bad, ctx));
          if (givesUp(flow, last.state)) {
            const current = stepOf(flow, last.state.stepId)!;
            const onFail = current.kind === 'menu' || current.kind === 'question' ? current.onFail : undefined;
            // Leaving through onFail is entering that step afresh (or finishing beyond it).
            expect(retried.state.attempts).toBe(0);
            expect(onFail).toBeDefined();
          } else {
            expect(retried.state).toEqual({ ...last.state, attempts: last.state.attempts + 1 });
            expect(retried.outcome).toBeNull();
            expect(retried.outputs.length).toBeGreaterThan(0);
          }
          last = checkAdvance(flow, step(flow, last.state, input, ctx));
        }
      }),
      runs,
    );
  });

  it('is never stuck: from every state the runner can reach, some inputs lead to a transfer or an end', () => {
    fc.assert(
      fc.property(validFlowArb, (flow) => {
        // Fields never steer the flow, and a menu without onFail behaves alike after any bad answer.
        const keyOf = (s: BotState): string => {
          const current = stepOf(flow, s.stepId)!;
          const capped = current.kind === 'menu' && current.onFail === undefined ? Math.min(s.attempts, 1) : s.attempts;
          return `${s.stepId}#${capped}#${s.finished}`;
        };
        const first = checkAdvance(flow, startFlow(flow, ctx)).state;
        const states = new Map<string, BotState>([[keyOf(first), first]]);
        const edges = new Map<string, string[]>();
        const queue = [first];
        while (queue.length > 0) {
          const state = queue.shift()!;
          const from = keyOf(state);
          edges.set(from, []);
          if (state.finished) continue;
          for (const input of candidateInputs(flow, state)) {
            const next = checkAdvance(flow, step(flow, state, input, ctx)).state;
            const to = keyOf(next);
            edges.get(from)!.push(to);
            if (!states.has(to)) {
              states.set(to, next);
              queue.push(next);
            }
          }
          expect(states.size).toBeLessThan(500);
        }
        const finishing = new Set([...states].filter(([, s]) => s.finished).map(([k]) => k));
        for (let grew = true; grew; ) {
          grew = false;
          for (const [from, tos] of edges) {
            if (!finishing.has(from) && tos.some((t) => finishing.has(t))) {
              finishing.add(from);
              grew = true;
            }
          }
        }
        expect([...states.keys()].filter((k) => !finishing.has(k))).toEqual([]);
      }),
      runs,
    );
  });
});

describe('bot runner on random flows, valid or not', () => {
  it('never throws; errors are typed and happen only on flows validateFlow rejects', () => {
    fc.assert(
      fc.property(rawFlowArb, fc.array(inputArb, { maxLength: 30 }), (flow, inputs) => {
        const valid = validateFlow(flow).ok;
        let result = startFlow(flow, ctx);
        for (const input of inputs) {
          if (!result.ok || result.state.finished) break;
          result = step(flow, result.state, input, ctx);
        }
        if (!result.ok) {
          expect(valid).toBe(false);
          expect(['unknown_step', 'automatic_loop']).toContain(result.error.code);
        }
      }),
      runs,
    );
  });
});
