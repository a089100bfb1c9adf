// Test support for bot flows: fast-check generators of random flows (raw ones, which may be broken, and
// repaired ones, which pass validateFlow), sample answers per field, and a deep freeze to prove purity.

import fc from 'fast-check';
import { STEP_KINDS, type BotFlow, type BotStep, type StepKind } from './bot-flow.js';
import { FIELD_KINDS, type FieldKind } from '../shared/fields.js';
import { VALID_ANSWERS } from '../shared/fields.test-support.js';
import { reachableFrom, stepsThatCanFinish } from './bot-flow-graph.js';
import type { BotInput } from './bot-runner.js';

export { VALID_ANSWERS };

/** Inputs no menu option and no field kind accepts. */
export const BAD_INPUTS: readonly BotInput[] = [
  { kind: 'text', text: '   ' },
  { kind: 'text', text: '' },
  { kind: 'option', optionId: 'no-such-option' },
];

export const KNOWN_SERVICES = ['svc-a', 'svc-b'] as const;

interface RawStep {
  readonly kind: StepKind;
  readonly refs: readonly number[];
  readonly field: FieldKind;
  readonly maxAttempts: number | undefined;
  readonly menuOnFail: boolean;
  readonly serviceId: string | undefined;
  readonly withText: boolean;
  /** Point the first reference further down the list, so most steps have a way out. */
  readonly forward: boolean;
}

const rawStep: fc.Arbitrary<RawStep> = fc.record({
  // Fewer terminals than their share, or most flows would end at their first step.
  kind: fc.constantFrom<StepKind>(...STEP_KINDS, 'menu', 'menu', 'question', 'message'),
  refs: fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 4 }),
  field: fc.constantFrom(...FIELD_KINDS),
  maxAttempts: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  menuOnFail: fc.boolean(),
  serviceId: fc.option(fc.constantFrom(...KNOWN_SERVICES), { nil: undefined }),
  withText: fc.boolean(),
  forward: fc.nat({ max: 4 }).map((n) => n > 0),
});

const idOf = (i: number): string => `s${i}`;

function buildStep(i: number, raw: RawStep, n: number): BotStep {
  const target = (k: number): number =>
    k === 0 && raw.forward && i < n - 1 ? i + 1 + (raw.refs[0] % (n - 1 - i)) : raw.refs[k % raw.refs.length] % n;
  const ref = (k: number): string => idOf(target(k));
  const text = `Passo ${i}, protocolo {{protocol}}`;
  switch (raw.kind) {
    case 'message':
    case 'answer':
      return { kind: raw.kind, text, next: ref(0) };
    case 'menu':
      return {
        kind: 'menu',
        text,
        options: raw.refs.map((_, j) => ({ id: `o${j}`, label: `Item ${i} ${'abcd'[j]}`, keywords: [`chave${i}x${j}`], next: ref(j) })),
        ...(raw.menuOnFail ? { onFail: ref(1), maxAttempts: raw.maxAttempts } : {}),
      };
    case 'question':
      return {
        kind: 'question',
        text,
        field: raw.field,
        retryText: `De novo ({{field.${raw.field}}})`,
        maxAttempts: raw.maxAttempts,
        next: ref(0),
        onFail: ref(1),
      };
    case 'transfer':
      return { kind: 'transfer', serviceId: raw.serviceId, ...(raw.withText ? { text } : {}) };
    case 'end':
      return { kind: 'end', text };
  }
}

/** Random steps with random references among them: may have unreachable steps, dead ends and loops. */
export const rawFlowArb: fc.Arbitrary<BotFlow> = fc.array(rawStep, { minLength: 1, maxLength: 12 }).map((raws) => ({
  version: 1,
  start: idOf(0),
  steps: Object.fromEntries(raws.map((raw, i) => [idOf(i), buildStep(i, raw, raws.length)])),
}));

/**
 * Makes a raw flow valid: drops unreachable steps, then turns the last step that cannot finish into
 * an end (the deepest, so the steps before it keep their shape), until every step can. Each round removes a non-terminal step, so it stops; cycles with an
 * exit survive, which is what the runner must cope with.
 */
export function repairFlow(flow: BotFlow): BotFlow {
  let steps: Record<string, BotStep> = { ...flow.steps };
  for (;;) {
    const reachable = reachableFrom({ ...flow, steps }, flow.start);
    steps = Object.fromEntries(Object.entries(steps).filter(([id]) => reachable.has(id)));
    const finishing = stepsThatCanFinish({ ...flow, steps });
    const stuck = Object.keys(steps).reverse().find((id) => !finishing.has(id));
    if (stuck === undefined) return { ...flow, steps };
    steps[stuck] = { kind: 'end', text: `Fim em ${stuck}` };
  }
}

export const validFlowArb: fc.Arbitrary<BotFlow> = rawFlowArb.map(repairFlow);

/** Inputs drawn without looking at the flow: numbers, labels, keywords, field answers and junk. */
export const inputArb: fc.Arbitrary<BotInput> = fc.oneof(
  fc.constantFrom('o0', 'o1', 'o2', 'o3', 'nope').map((optionId): BotInput => ({ kind: 'option', optionId })),
  fc.constantFrom('1', '2', '3', '4', ' 2 ', 'item 0 a', 'ITEM 1 B', 'chave2x0', '???', '', 'olá').map((text): BotInput => ({ kind: 'text', text })),
  fc.constantFrom(...Object.values(VALID_ANSWERS)).map((text): BotInput => ({ kind: 'text', text })),
  fc.string({ maxLength: 12 }).map((text): BotInput => ({ kind: 'text', text })),
);

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
