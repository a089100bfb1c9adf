// The bot ("pré-atendimento") flow a service runs before its human queue: a graph of steps the admin
// edits, and the checks that keep a saved flow from trapping a customer. The same flow serves every
// messaging channel; bot-runner.ts walks it.

import type { Said } from './said.js';
import { FIELD_KINDS, type FieldKind } from '../shared/fields.js';
import { reachableFrom, stepEdges, stepOf, stepsThatCanFinish, type StepEdge } from './bot-flow-graph.js';
import { FIELD_PLACEHOLDER_PREFIX, normalizeForMatch, placeholdersIn } from './bot-flow-text.js';

export type StepId = string;

export const STEP_KINDS = ['message', 'menu', 'answer', 'question', 'transfer', 'end'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Invalid answers allowed before a question (or a menu with `onFail`) gives up. */
export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_ATTEMPTS_LIMIT = 10;
/** Step ids travel in URLs and JSON exports, so keep them plain. */
export const STEP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Where a question stores its answer; read back as `{{field.KEY}}`. */
export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Says `text`, then goes on to `next` without waiting for the customer. */
export interface MessageStep {
  readonly kind: 'message';
  readonly text: string;
  readonly next: StepId;
}

/** An FAQ answer; like a message, usually followed by a menu again or an end. */
export interface AnswerStep {
  readonly kind: 'answer';
  readonly text: string;
  readonly next: StepId;
}

export interface MenuOption {
  readonly id: string;
  readonly label: string;
  /** Extra words that pick this option on text channels ("boleto" for Financeiro). */
  readonly keywords?: readonly string[];
  readonly next: StepId;
}

export interface MenuStep {
  readonly kind: 'menu';
  readonly text: string;
  readonly options: readonly MenuOption[];
  /** Said before the menu again after an answer that matches no option. */
  readonly retryText?: string;
  /** Without `onFail` the menu is asked again for as long as the customer stays (timeouts end it). */
  readonly onFail?: StepId;
  readonly maxAttempts?: number;
}

export interface QuestionStep {
  readonly kind: 'question';
  readonly text: string;
  readonly field: FieldKind;
  /** Key in the collected fields; defaults to `field`. Lets one flow ask two `text` questions. */
  readonly saveAs?: string;
  readonly retryText: string;
  readonly maxAttempts?: number;
  readonly next: StepId;
  /** Where to go when the attempts run out; often a transfer, so nobody is locked out for lack of data. */
  readonly onFail: StepId;
}

export interface TransferStep {
  readonly kind: 'transfer';
  /** The service whose queue receives the conversation; absent means the flow's own service. */
  readonly serviceId?: string;
  readonly text?: string;
}

/** Finished in the bot: the engine records `completed` with `finishedBy: bot`. */
export interface EndStep {
  readonly kind: 'end';
  readonly text: string;
}

export type BotStep = MessageStep | AnswerStep | MenuStep | QuestionStep | TransferStep | EndStep;

export interface BotFlow {
  readonly version: 1;
  readonly start: StepId;
  readonly steps: Readonly<Record<StepId, BotStep>>;
}

export function fieldKeyOf(step: QuestionStep): string {
  return step.saveAs ?? step.field;
}

// ---- Validation -----------------------------------------------------------------------------------

export type TextField = 'text' | 'retryText' | 'label' | 'keyword' | 'optionId';

export type FlowProblem =
  | { readonly code: 'unsupported_version'; readonly version: unknown }
  | { readonly code: 'start_missing'; readonly start: StepId }
  | { readonly code: 'invalid_step_id'; readonly stepId: StepId }
  | ({ readonly code: 'unknown_step'; readonly stepId: StepId; readonly ref: StepId } & Omit<StepEdge, 'to'>)
  | { readonly code: 'unreachable_step'; readonly stepId: StepId }
  | { readonly code: 'dead_end'; readonly stepId: StepId }
  | { readonly code: 'empty_menu'; readonly stepId: StepId }
  | { readonly code: 'duplicate_option_id'; readonly stepId: StepId; readonly optionId: string }
  | { readonly code: 'duplicate_option_label'; readonly stepId: StepId; readonly optionId: string; readonly label: string }
  | { readonly code: 'ambiguous_keyword'; readonly stepId: StepId; readonly optionId: string; readonly keyword: string }
  | { readonly code: 'empty_text'; readonly stepId: StepId; readonly field: TextField; readonly optionId?: string }
  | { readonly code: 'invalid_max_attempts'; readonly stepId: StepId; readonly maxAttempts: number }
  | { readonly code: 'unknown_field'; readonly stepId: StepId; readonly field: string }
  | { readonly code: 'invalid_field_key'; readonly stepId: StepId; readonly saveAs: string }
  | { readonly code: 'unknown_service'; readonly stepId: StepId; readonly serviceId: string }
  | { readonly code: 'unknown_placeholder'; readonly stepId: StepId; readonly placeholder: string };

export type FlowProblemCode = FlowProblem['code'];

export type FlowValidation = { readonly ok: true } | { readonly ok: false; readonly problems: readonly FlowProblem[] };

const blank = (text: string | undefined): boolean => text !== undefined && text.trim() === '';

/** Texts a step sends to the customer, with the field each came from (placeholders are checked in them). */
function textsOf(step: BotStep): [TextField, string | undefined][] {
  return step.kind === 'menu' || step.kind === 'question'
    ? [['text', step.text], ['retryText', step.retryText]]
    : [['text', step.text]];
}

/** Option ids, labels and keywords: each typed word must pick one option only (see matchOption). */
function checkMenuOptions(stepId: StepId, options: readonly MenuOption[]): FlowProblem[] {
  const problems: FlowProblem[] = [];
  if (options.length === 0) return [{ code: 'empty_menu', stepId }];
  const ids = new Set<string>();
  // Word → [option index, is it a label]; numbers first, since "2" always means the second option.
  const owners = new Map<string, [number, boolean]>(options.map((_, i) => [String(i + 1), [i, false]]));
  options.forEach((option, index) => {
    if (option.id.trim() === '') problems.push({ code: 'empty_text', stepId, field: 'optionId', optionId: option.id });
    else if (ids.has(option.id)) problems.push({ code: 'duplicate_option_id', stepId, optionId: option.id });
    ids.add(option.id);
    const words: [string, boolean][] = [[option.label, true], ...(option.keywords ?? []).map((k): [string, boolean] => [k, false])];
    for (const [word, isLabel] of words) {
      const key = normalizeForMatch(word);
      if (key === '') {
        problems.push({ code: 'empty_text', stepId, field: isLabel ? 'label' : 'keyword', optionId: option.id });
        continue;
      }
      const owner = owners.get(key);
      if (!owner) owners.set(key, [index, isLabel]);
      else if (owner[0] === index) continue;
      else if (owner[1] && isLabel) problems.push({ code: 'duplicate_option_label', stepId, optionId: option.id, label: word });
      else problems.push({ code: 'ambiguous_keyword', stepId, optionId: option.id, keyword: word });
    }
  });
  return problems;
}

function checkStep(id: StepId, step: BotStep, fieldKeys: ReadonlySet<string>, services: ReadonlySet<string> | null): FlowProblem[] {
  const problems: FlowProblem[] = [];
  if (!STEP_ID_PATTERN.test(id)) problems.push({ code: 'invalid_step_id', stepId: id });
  for (const [field, text] of textsOf(step)) {
    const required = !(step.kind === 'transfer' || (step.kind === 'menu' && field === 'retryText'));
    if (blank(text) || (required && text === undefined)) problems.push({ code: 'empty_text', stepId: id, field });
    for (const placeholder of placeholdersIn(text ?? '')) {
      const key = placeholder.startsWith(FIELD_PLACEHOLDER_PREFIX) ? placeholder.slice(FIELD_PLACEHOLDER_PREFIX.length) : null;
      if (placeholder !== 'protocol' && !(key !== null && fieldKeys.has(key))) {
        problems.push({ code: 'unknown_placeholder', stepId: id, placeholder });
      }
    }
  }
  if (step.kind === 'menu') problems.push(...checkMenuOptions(id, step.options));
  if (step.kind === 'menu' || step.kind === 'question') {
    const max = step.maxAttempts;
    if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= MAX_ATTEMPTS_LIMIT)) {
      problems.push({ code: 'invalid_max_attempts', stepId: id, maxAttempts: max });
    }
  }
  if (step.kind === 'question') {
    if (!(FIELD_KINDS as readonly string[]).includes(step.field)) problems.push({ code: 'unknown_field', stepId: id, field: step.field });
    if (step.saveAs !== undefined && !FIELD_KEY_PATTERN.test(step.saveAs)) problems.push({ code: 'invalid_field_key', stepId: id, saveAs: step.saveAs });
  }
  if (step.kind === 'transfer' && step.serviceId !== undefined && services && !services.has(step.serviceId)) {
    problems.push({ code: 'unknown_service', stepId: id, serviceId: step.serviceId });
  }
  return problems;
}

/**
 * Every problem in `flow`, in step order. Cycles are fine (menu → answer → back to the menu) as long
 * as a transfer or an end stays reachable from every step. `knownServiceIds`, when given, are the
 * services a transfer may name.
 */
export function validateFlow(flow: BotFlow, knownServiceIds?: Iterable<string>): FlowValidation {
  const problems: FlowProblem[] = [];
  if (flow.version !== 1) problems.push({ code: 'unsupported_version', version: flow.version });
  const hasStart = stepOf(flow, flow.start) !== undefined;
  if (!hasStart) problems.push({ code: 'start_missing', start: flow.start });

  const ids = Object.keys(flow.steps);
  const services = knownServiceIds ? new Set(knownServiceIds) : null;
  const fieldKeys = new Set<string>();
  for (const id of ids) {
    const step = flow.steps[id];
    if (step.kind === 'question') fieldKeys.add(fieldKeyOf(step));
  }
  const reachable = reachableFrom(flow, flow.start);
  const finishing = stepsThatCanFinish(flow);
  for (const id of ids) {
    const step = flow.steps[id];
    problems.push(...checkStep(id, step, fieldKeys, services));
    for (const { to, ...edge } of stepEdges(step)) {
      if (!stepOf(flow, to)) problems.push({ code: 'unknown_step', stepId: id, ref: to, ...edge });
    }
    // Without a start everything is unreachable; saying so for each step would bury the real problem.
    if (hasStart && !reachable.has(id)) problems.push({ code: 'unreachable_step', stepId: id });
    if (!finishing.has(id)) problems.push({ code: 'dead_end', stepId: id });
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** A sentence for API errors in both languages (the admin screen also translates its own checks by `code`). */
export function describeFlowProblem(p: FlowProblem): Said {
  switch (p.code) {
    case 'unsupported_version':
      return { en: `flow version ${String(p.version)} is not supported (expected 1)`, pt: `a versão ${String(p.version)} do fluxo não é aceita (esperada: 1)` };
    case 'start_missing':
      return { en: `the start step "${p.start}" does not exist`, pt: `o passo inicial "${p.start}" não existe` };
    case 'invalid_step_id':
      return { en: `step id "${p.stepId}" must be 1–64 letters, digits, "_" or "-"`, pt: `o identificador "${p.stepId}" deve ter de 1 a 64 letras, algarismos, "_" ou "-"` };
    case 'unknown_step': {
      const via = p.optionId !== undefined ? { en: `option "${p.optionId}"`, pt: `pela opção "${p.optionId}"` } : { en: p.via, pt: `por ${p.via}` };
      return { en: `step "${p.stepId}" ${via.en} leads to missing step "${p.ref}"`, pt: `o passo "${p.stepId}" leva ${via.pt} ao passo inexistente "${p.ref}"` };
    }
    case 'unreachable_step':
      return { en: `step "${p.stepId}" cannot be reached from the start`, pt: `o passo "${p.stepId}" não é alcançado a partir do início` };
    case 'dead_end':
      return { en: `from step "${p.stepId}" no transfer or end can be reached`, pt: `a partir do passo "${p.stepId}" não se chega a nenhuma transferência nem encerramento` };
    case 'empty_menu':
      return { en: `menu "${p.stepId}" has no options`, pt: `o menu "${p.stepId}" não tem opções` };
    case 'duplicate_option_id':
      return { en: `menu "${p.stepId}" has option id "${p.optionId}" twice`, pt: `o menu "${p.stepId}" tem o código de opção "${p.optionId}" duas vezes` };
    case 'duplicate_option_label':
      return { en: `menu "${p.stepId}" has the label "${p.label}" twice`, pt: `o menu "${p.stepId}" tem o rótulo "${p.label}" duas vezes` };
    case 'ambiguous_keyword':
      return {
        en: `menu "${p.stepId}": "${p.keyword}" of option "${p.optionId}" also picks another option`,
        pt: `menu "${p.stepId}": "${p.keyword}" da opção "${p.optionId}" também escolhe outra opção`,
      };
    case 'empty_text': {
      const where = p.optionId !== undefined ? { en: ` in option "${p.optionId}"`, pt: ` na opção "${p.optionId}"` } : { en: '', pt: '' };
      return { en: `step "${p.stepId}" has an empty ${p.field}${where.en}`, pt: `o passo "${p.stepId}" tem ${p.field} vazio${where.pt}` };
    }
    case 'invalid_max_attempts':
      return {
        en: `step "${p.stepId}": maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`,
        pt: `passo "${p.stepId}": maxAttempts deve ser um número inteiro de 1 a ${MAX_ATTEMPTS_LIMIT}`,
      };
    case 'unknown_field':
      return { en: `question "${p.stepId}" asks for unknown field "${p.field}"`, pt: `a pergunta "${p.stepId}" pede o campo desconhecido "${p.field}"` };
    case 'invalid_field_key':
      return {
        en: `question "${p.stepId}": saveAs "${p.saveAs}" must be lower case letters, digits and "_"`,
        pt: `pergunta "${p.stepId}": saveAs "${p.saveAs}" deve ter só letras minúsculas, algarismos e "_"`,
      };
    case 'unknown_service':
      return { en: `transfer "${p.stepId}" names unknown service "${p.serviceId}"`, pt: `a transferência "${p.stepId}" cita o serviço desconhecido "${p.serviceId}"` };
    case 'unknown_placeholder':
      return {
        en: `step "${p.stepId}" uses {{${p.placeholder}}}, which no question or the protocol fills`,
        pt: `o passo "${p.stepId}" usa {{${p.placeholder}}}, que nenhuma pergunta nem o protocolo preenche`,
      };
  }
}
