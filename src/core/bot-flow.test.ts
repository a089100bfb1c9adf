import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeFlowProblem, validateFlow, type BotFlow, type BotStep, type FlowProblem } from './bot-flow.js';
import { reachableFrom, stepEdges } from './bot-flow-graph.js';
import { SAMPLE_FLOW_PT_BR } from './bot-flow-sample.js';
import { KNOWN_SERVICES, rawFlowArb, repairFlow, validFlowArb } from './bot-flow.test-support.js';

const flowOf = (steps: Record<string, BotStep>, start = 'a'): BotFlow => ({ version: 1, start, steps });
const problemsOf = (flow: BotFlow, services?: readonly string[]): FlowProblem[] => {
  const result = validateFlow(flow, services);
  return result.ok ? [] : [...result.problems];
};
const codes = (flow: BotFlow, services?: readonly string[]): string[] => problemsOf(flow, services).map((p) => `${p.code}:${'stepId' in p ? p.stepId : ''}`);

const end: BotStep = { kind: 'end', text: 'Tchau' };
const menu = (...nexts: string[]): BotStep => ({
  kind: 'menu',
  text: 'Escolha',
  options: nexts.map((next, i) => ({ id: `o${i}`, label: `Opção ${String.fromCharCode(65 + i)}`, next })),
});

describe('validateFlow: valid flows', () => {
  it('accepts the sample flow, also against its service list', () => {
    expect(validateFlow(SAMPLE_FLOW_PT_BR)).toEqual({ ok: true });
    expect(validateFlow(SAMPLE_FLOW_PT_BR, [])).toEqual({ ok: true });
  });

  it('accepts a cycle that has an exit (menu → answer → back to the menu)', () => {
    const flow = flowOf({ a: menu('faq', 'z'), faq: { kind: 'answer', text: 'Resposta', next: 'a' }, z: end });
    expect(validateFlow(flow)).toEqual({ ok: true });
  });

  it('accepts a flow that is only an end or only a transfer', () => {
    expect(validateFlow(flowOf({ a: end }))).toEqual({ ok: true });
    expect(validateFlow(flowOf({ a: { kind: 'transfer' } }))).toEqual({ ok: true });
  });
});

describe('validateFlow: problems', () => {
  it('a missing start is reported once, not as every step unreachable', () => {
    expect(codes(flowOf({ a: end }, 'nope'))).toEqual(['start_missing:']);
  });

  it('unknown references, naming the field that holds them', () => {
    const flow = flowOf({
      a: { kind: 'question', text: 'CPF?', field: 'cpf', retryText: 'De novo', next: 'z', onFail: 'ghost' },
      z: { kind: 'message', text: 'Oi', next: 'constructor' },
    });
    const problems = problemsOf(flow);
    expect(problems).toContainEqual({ code: 'unknown_step', stepId: 'a', ref: 'ghost', via: 'onFail' });
    expect(problems).toContainEqual({ code: 'unknown_step', stepId: 'z', ref: 'constructor', via: 'next' });
    const m = problemsOf(flowOf({ a: menu('x') }));
    expect(m).toContainEqual({ code: 'unknown_step', stepId: 'a', ref: 'x', via: 'option', optionId: 'o0' });
  });

  it('unreachable steps', () => {
    expect(codes(flowOf({ a: end, b: end, c: { kind: 'message', text: 'x', next: 'a' } }))).toEqual(['unreachable_step:b', 'unreachable_step:c']);
  });

  it('dead ends: a message loop, a menu cycling only into itself, a question whose branches never finish', () => {
    expect(codes(flowOf({ a: { kind: 'message', text: '1', next: 'b' }, b: { kind: 'answer', text: '2', next: 'a' } }))).toEqual(['dead_end:a', 'dead_end:b']);
    expect(codes(flowOf({ a: menu('a', 'b'), b: menu('a') }))).toEqual(['dead_end:a', 'dead_end:b']);
    const q: BotStep = { kind: 'question', text: 'Nome?', field: 'name', retryText: 'De novo', next: 'a', onFail: 'a' };
    expect(codes(flowOf({ a: q }))).toEqual(['dead_end:a']);
    // One branch that finishes is enough: the customer can take it.
    expect(validateFlow(flowOf({ a: { ...q, onFail: 'z' }, z: end }))).toEqual({ ok: true });
  });

  it('menus: no options, duplicate ids and labels, a keyword or number that picks two options', () => {
    expect(codes(flowOf({ a: { kind: 'menu', text: 'Escolha', options: [] } }))).toEqual(['empty_menu:a', 'dead_end:a']);
    const dup = flowOf({
      a: {
        kind: 'menu',
        text: 'Escolha',
        options: [
          { id: 'x', label: 'Financeiro', keywords: ['boleto'], next: 'z' },
          { id: 'x', label: 'financeiro ', next: 'z' },
          { id: 'y', label: 'Suporte', keywords: ['Boleto', '1'], next: 'z' },
          { id: 'w', label: '2', next: 'z' },
        ],
      },
      z: end,
    });
    expect(problemsOf(dup)).toEqual([
      { code: 'duplicate_option_id', stepId: 'a', optionId: 'x' },
      { code: 'duplicate_option_label', stepId: 'a', optionId: 'x', label: 'financeiro ' },
      { code: 'ambiguous_keyword', stepId: 'a', optionId: 'y', keyword: 'Boleto' },
      { code: 'ambiguous_keyword', stepId: 'a', optionId: 'y', keyword: '1' },
      { code: 'ambiguous_keyword', stepId: 'a', optionId: 'w', keyword: '2' },
    ]);
  });

  it('empty texts, labels, keywords and option ids', () => {
    const flow = flowOf({
      a: { kind: 'menu', text: ' ', retryText: '', options: [{ id: ' ', label: '', keywords: ['?'], next: 'b' }] },
      b: { kind: 'question', text: 'Nome?', field: 'name', retryText: '  ', next: 'z', onFail: 'z' },
      z: { kind: 'transfer', text: '' },
    });
    expect(problemsOf(flow)).toEqual([
      { code: 'empty_text', stepId: 'a', field: 'text' },
      { code: 'empty_text', stepId: 'a', field: 'retryText' },
      { code: 'empty_text', stepId: 'a', field: 'optionId', optionId: ' ' },
      { code: 'empty_text', stepId: 'a', field: 'label', optionId: ' ' },
      { code: 'empty_text', stepId: 'a', field: 'keyword', optionId: ' ' },
      { code: 'empty_text', stepId: 'b', field: 'retryText' },
      { code: 'empty_text', stepId: 'z', field: 'text' },
    ]);
  });

  it('transfers to unknown services, only when the list of services is given', () => {
    const flow = flowOf({ a: menu('b', 'c'), b: { kind: 'transfer', serviceId: 'svc-x' }, c: { kind: 'transfer' } });
    expect(validateFlow(flow)).toEqual({ ok: true });
    expect(problemsOf(flow, ['svc-a'])).toEqual([{ code: 'unknown_service', stepId: 'b', serviceId: 'svc-x' }]);
    expect(validateFlow(flow, new Set(['svc-x']))).toEqual({ ok: true });
  });

  it('placeholders must be the protocol or a field some question collects', () => {
    const flow = flowOf({
      a: { kind: 'question', text: 'Pedido? ({{protocol}})', field: 'order_number', saveAs: 'pedido', retryText: 'De novo', next: 'z', onFail: 'z' },
      z: { kind: 'end', text: 'Pedido {{ field.pedido }}, {{field.cpf}}, {{nome}}' },
    });
    expect(problemsOf(flow)).toEqual([
      { code: 'unknown_placeholder', stepId: 'z', placeholder: 'field.cpf' },
      { code: 'unknown_placeholder', stepId: 'z', placeholder: 'nome' },
    ]);
  });

  it('step ids, attempts, field kinds, saveAs keys and the version', () => {
    const flow = {
      version: 2,
      start: 'a b',
      steps: {
        'a b': { kind: 'question', text: 'x', field: 'rg', saveAs: 'Nome!', retryText: 'y', maxAttempts: 0, next: 'z', onFail: 'z' },
        z: { kind: 'menu', text: 'x', maxAttempts: 2.5, onFail: 'e', options: [{ id: 'o', label: 'Fim', next: 'e' }] },
        e: end,
      },
    } as unknown as BotFlow;
    expect(codes(flow)).toEqual(['unsupported_version:', 'invalid_step_id:a b', 'invalid_max_attempts:a b', 'unknown_field:a b', 'invalid_field_key:a b', 'invalid_max_attempts:z']);
  });

  it('every problem has a sentence in English and in Portuguese that names its step', () => {
    const flow = flowOf({ a: menu('x', 'a'), b: { kind: 'transfer', serviceId: 'svc-x', text: '{{y}}' } });
    for (const p of problemsOf(flow, [])) {
      const { en, pt } = describeFlowProblem(p);
      for (const sentence of [en, pt]) {
        expect(sentence.length).toBeGreaterThan(10);
        if ('stepId' in p) expect(sentence).toContain(p.stepId);
      }
      expect(pt).not.toBe(en);
    }
  });
});

describe('validateFlow: properties', () => {
  it('the generator’s repaired flows are valid (and keep cycles with exits)', () => {
    fc.assert(
      fc.property(validFlowArb, (flow) => {
        expect(validateFlow(flow, KNOWN_SERVICES)).toEqual({ ok: true });
      }),
    );
  });

  it('a raw flow is valid exactly when repairing it changes nothing', () => {
    fc.assert(
      fc.property(rawFlowArb, (flow) => {
        const untouched = JSON.stringify(repairFlow(flow)) === JSON.stringify(flow);
        expect(validateFlow(flow).ok).toBe(untouched);
      }),
    );
  });

  it('adding a step nothing leads to is reported as unreachable, and only that', () => {
    fc.assert(
      fc.property(validFlowArb, fc.constantFrom<BotStep>(end, { kind: 'transfer' }, { kind: 'message', text: 'x', next: 's0' }), (flow, orphan) => {
        const mutated = { ...flow, steps: { ...flow.steps, orphan } };
        expect(problemsOf(mutated)).toEqual([{ code: 'unreachable_step', stepId: 'orphan' }]);
      }),
    );
  });

  it('sending a reachable step into a trap with no exit is reported as a dead end', () => {
    const traps: BotStep[] = [{ kind: 'message', text: 'x', next: 'trap' }, menu('trap'), { kind: 'question', text: 'x', field: 'text', retryText: 'y', next: 'trap', onFail: 'trap' }];
    fc.assert(
      fc.property(validFlowArb, fc.nat(), fc.constantFrom(...traps), (flow, pick, trap) => {
        const ids = Object.keys(flow.steps);
        const id = ids[pick % ids.length];
        const redirected = redirectFirstEdge(flow.steps[id], 'trap');
        const mutated = { ...flow, steps: { ...flow.steps, [id]: redirected, trap } };
        expect(reachableFrom(mutated, mutated.start).has('trap')).toBe(true);
        expect(problemsOf(mutated)).toContainEqual({ code: 'dead_end', stepId: 'trap' });
      }),
    );
  });
});

/** The step with its first reference pointed at `to`; a transfer or end becomes a message to `to`. */
function redirectFirstEdge(step: BotStep, to: string): BotStep {
  if (stepEdges(step).length === 0) return { kind: 'message', text: 'Desvio', next: to };
  switch (step.kind) {
    case 'menu':
      return { ...step, options: step.options.map((o, i) => (i === 0 ? { ...o, next: to } : o)) };
    case 'message':
    case 'answer':
    case 'question':
      return { ...step, next: to };
    default:
      return step;
  }
}
