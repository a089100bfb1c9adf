// The flow as a graph: which steps each step can lead to, which steps the customer can reach from the
// start, and from which steps a transfer or an end can still be reached. validateFlow and the admin
// editor (to highlight problems) both read it.

import type { BotFlow, BotStep, StepId } from './bot-flow.js';

export interface StepEdge {
  readonly to: StepId;
  /** Which field of the step holds the reference, so a problem can point at it. */
  readonly via: 'next' | 'onFail' | 'option';
  readonly optionId?: string;
}

/** Own keys only: a step id like "constructor" must not find Object.prototype's. */
export function stepOf(flow: BotFlow, id: StepId): BotStep | undefined {
  return Object.hasOwn(flow.steps, id) ? flow.steps[id] : undefined;
}

export function isTerminal(step: BotStep): boolean {
  return step.kind === 'transfer' || step.kind === 'end';
}

export function stepEdges(step: BotStep): StepEdge[] {
  switch (step.kind) {
    case 'message':
    case 'answer':
      return [{ to: step.next, via: 'next' }];
    case 'menu': {
      const edges: StepEdge[] = step.options.map((o) => ({ to: o.next, via: 'option', optionId: o.id }));
      if (step.onFail !== undefined) edges.push({ to: step.onFail, via: 'onFail' });
      return edges;
    }
    case 'question':
      return [
        { to: step.next, via: 'next' },
        { to: step.onFail, via: 'onFail' },
      ];
    case 'transfer':
    case 'end':
      return [];
  }
}

/** Steps reachable from `start` (start included when it exists); references to missing steps are skipped. */
export function reachableFrom(flow: BotFlow, start: StepId): Set<StepId> {
  const seen = new Set<StepId>();
  if (!stepOf(flow, start)) return seen;
  const stack = [start];
  seen.add(start);
  while (stack.length > 0) {
    for (const edge of stepEdges(stepOf(flow, stack.pop()!)!)) {
      if (!seen.has(edge.to) && stepOf(flow, edge.to)) {
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
  }
  return seen;
}

/**
 * Steps from which some path reaches a transfer or an end. Every branch of a menu or question is the
 * customer's choice (an option, a valid or an invalid answer), so one finishing path is enough.
 */
export function stepsThatCanFinish(flow: BotFlow): Set<StepId> {
  const ids = Object.keys(flow.steps);
  const predecessors = new Map<StepId, StepId[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    for (const edge of stepEdges(flow.steps[id])) predecessors.get(edge.to)?.push(id);
  }
  const finishing = new Set(ids.filter((id) => isTerminal(flow.steps[id])));
  const stack = [...finishing];
  while (stack.length > 0) {
    for (const before of predecessors.get(stack.pop()!) ?? []) {
      if (!finishing.has(before)) {
        finishing.add(before);
        stack.push(before);
      }
    }
  }
  return finishing;
}
