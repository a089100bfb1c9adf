// The bot flow runner: (flow, state, customer input) → messages to send, the next state and, when the
// bot is done, a transfer or an end. Pure; the engine stores BotState with the conversation and owns
// the per-step timeouts. Total on any flow that passes validateFlow.

import { DEFAULT_MAX_ATTEMPTS, fieldKeyOf, type BotFlow, type MenuStep, type QuestionStep, type StepId } from './bot-flow.js';
import { parseField } from '../shared/fields.js';
import { stepOf } from './bot-flow-graph.js';
import { fillPlaceholders, matchOption, type BotOutput } from './bot-flow-text.js';

export interface BotContext {
  /** The service whose flow runs; a transfer without `serviceId` goes to its queue. */
  readonly serviceId: string;
  readonly protocol: string;
}

/** What the engine keeps between customer messages (JSON-safe). */
export interface BotState {
  /** The menu or question waiting for an answer, or the transfer/end the flow finished on. */
  readonly stepId: StepId;
  /** Invalid answers given to the current step so far. */
  readonly attempts: number;
  /** Collected answers, normalised, by question key (`saveAs` or the field kind). */
  readonly fields: Readonly<Record<string, string>>;
  /** Steps entered since the start, automatic ones included. */
  readonly visited: number;
  readonly finished: boolean;
}

/** `option` is a WebChat button press; `text` anything typed (on any channel). */
export type BotInput = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'option'; readonly optionId: string };

export type BotOutcome = { readonly type: 'transfer'; readonly serviceId: string } | { readonly type: 'end' } | null;

export type BotRunErrorCode =
  /** The state or a reference names a step the flow lacks (e.g. the flow was edited mid-conversation). */
  | 'unknown_step'
  /** Message/answer steps chained into each other with no input in between; validateFlow rejects it. */
  | 'automatic_loop'
  /** The state already ended in a transfer or an end. */
  | 'finished'
  /** The state rests on a step that takes no input (only a hand-made or stale state can). */
  | 'not_waiting';

export class BotRunError extends Error {
  readonly code: BotRunErrorCode;
  readonly stepId: StepId;

  constructor(code: BotRunErrorCode, stepId: StepId) {
    super(`bot flow: ${code} at step "${stepId}"`);
    this.name = 'BotRunError';
    this.code = code;
    this.stepId = stepId;
  }
}

export interface BotAdvance {
  readonly ok: true;
  readonly state: BotState;
  /** In the order to send them; may be several (an answer and the menu after it). */
  readonly outputs: readonly BotOutput[];
  /** null while the bot still waits for the customer. */
  readonly outcome: BotOutcome;
  /** The menu option the customer's input picked (typed number, label or keyword, or a button), when it picked one. */
  readonly choice?: { readonly id: string; readonly label: string };
}

export type BotRunResult = BotAdvance | { readonly ok: false; readonly error: BotRunError };

export const DEFAULT_MENU_RETRY_TEXT = 'Não entendi. Por favor, escolha uma das opções abaixo.';

const fail = (code: BotRunErrorCode, stepId: StepId): BotRunResult => ({ ok: false, error: new BotRunError(code, stepId) });

function menuOutput(step: MenuStep, text: string): BotOutput {
  return { text, options: step.options.map((o) => ({ id: o.id, label: o.label })) };
}

/**
 * Enters `target` and keeps going through message and answer steps until a step that waits for input
 * (menu, question) or finishes (transfer, end). In a valid flow such a chain enters each step at most
 * once, so entering more steps than the flow has can only be a loop (one extra pass to name a missing step).
 */
function enter(
  flow: BotFlow,
  ctx: BotContext,
  target: StepId,
  fields: Readonly<Record<string, string>>,
  visitedBefore: number,
): BotRunResult {
  const outputs: BotOutput[] = [];
  const say = (text: string): string => fillPlaceholders(text, { protocol: ctx.protocol, fields });
  const limit = Object.keys(flow.steps).length;
  let visited = visitedBefore;
  let id = target;
  for (let hops = 0; hops <= limit; hops++) {
    const step = stepOf(flow, id);
    if (!step) return fail('unknown_step', id);
    visited++;
    const rest = (outcome: BotOutcome): BotRunResult => ({
      ok: true,
      state: { stepId: id, attempts: 0, fields, visited, finished: outcome !== null },
      outputs,
      outcome,
    });
    switch (step.kind) {
      case 'message':
      case 'answer':
        outputs.push({ text: say(step.text) });
        id = step.next;
        continue;
      case 'menu':
        outputs.push(menuOutput(step, say(step.text)));
        return rest(null);
      case 'question':
        outputs.push({ text: say(step.text) });
        return rest(null);
      case 'transfer':
        if (step.text !== undefined && step.text.trim() !== '') outputs.push({ text: say(step.text) });
        return rest({ type: 'transfer', serviceId: step.serviceId ?? ctx.serviceId });
      case 'end':
        outputs.push({ text: say(step.text) });
        return rest({ type: 'end' });
    }
  }
  return fail('automatic_loop', id);
}

/** Greets: runs the flow from its start up to the first menu or question (or straight to an outcome). */
export function startFlow(flow: BotFlow, ctx: BotContext): BotRunResult {
  return enter(flow, ctx, flow.start, {}, 0);
}

/** An invalid answer: ask again, or leave through `onFail` once the attempts run out. */
function retry(
  flow: BotFlow,
  ctx: BotContext,
  state: BotState,
  onFail: StepId | undefined,
  maxAttempts: number | undefined,
  again: (say: (text: string) => string) => BotOutput[],
): BotRunResult {
  const attempts = state.attempts + 1;
  if (onFail !== undefined && attempts >= (maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    return enter(flow, ctx, onFail, state.fields, state.visited);
  }
  const say = (text: string): string => fillPlaceholders(text, { protocol: ctx.protocol, fields: state.fields });
  return { ok: true, state: { ...state, attempts }, outputs: again(say), outcome: null };
}

function answerMenu(flow: BotFlow, ctx: BotContext, state: BotState, menu: MenuStep, input: BotInput): BotRunResult {
  const chosen = input.kind === 'option' ? menu.options.find((o) => o.id === input.optionId) : matchOption(menu.options, input.text);
  if (chosen) {
    const next = enter(flow, ctx, chosen.next, state.fields, state.visited);
    return next.ok ? { ...next, choice: { id: chosen.id, label: chosen.label } } : next;
  }
  return retry(flow, ctx, state, menu.onFail, menu.maxAttempts, (say) => [
    { text: say(menu.retryText ?? DEFAULT_MENU_RETRY_TEXT) },
    menuOutput(menu, say(menu.text)),
  ]);
}

function answerQuestion(flow: BotFlow, ctx: BotContext, state: BotState, question: QuestionStep, input: BotInput): BotRunResult {
  // A button press is not an answer to a question (it is a stale button from an earlier menu).
  const parsed = input.kind === 'text' ? parseField(question.field, input.text) : null;
  if (parsed?.ok) {
    const fields = { ...state.fields, [fieldKeyOf(question)]: parsed.value };
    return enter(flow, ctx, question.next, fields, state.visited);
  }
  return retry(flow, ctx, state, question.onFail, question.maxAttempts, (say) => [
    { text: say(question.retryText) },
  ]);
}

/** Applies one customer input to a state that waits on a menu or a question. */
export function step(flow: BotFlow, state: BotState, input: BotInput, ctx: BotContext): BotRunResult {
  if (state.finished) return fail('finished', state.stepId);
  const current = stepOf(flow, state.stepId);
  if (!current) return fail('unknown_step', state.stepId);
  if (current.kind === 'menu') return answerMenu(flow, ctx, state, current, input);
  if (current.kind === 'question') return answerQuestion(flow, ctx, state, current, input);
  return fail('not_waiting', state.stepId);
}

