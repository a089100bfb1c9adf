// The bot flow as the editor handles it: the JSON shape of contracts/bot-flow.ts, the tree drawn from
// `start`, edits that keep references right (rename, delete), and quick local checks so the admin sees
// a broken reference or a trap while editing. The server's validator (the core's) has the last word on
// save; its problems are shown per step too.

import type { BotFlowJson } from '../../../contracts/bot-flow';

export type Flow = BotFlowJson;
export type Step = Flow['steps'][string];
export type StepKind = Step['kind'];
export type MenuStep = Extract<Step, { kind: 'menu' }>;
export type QuestionStep = Extract<Step, { kind: 'question' }>;
export type MenuOption = MenuStep['options'][number];
export type FieldKind = QuestionStep['field'];

// plain lists (not the contract's zod values) so the web bundle does not carry zod
const KIND_SET: Record<StepKind, true> = { message: true, menu: true, answer: true, question: true, transfer: true, end: true };
const FIELD_SET: Record<FieldKind, true> = { name: true, cpf: true, email: true, phone: true, order_number: true, text: true };
export const STEP_KINDS = Object.keys(KIND_SET) as StepKind[];
export const FIELD_KINDS = Object.keys(FIELD_SET) as FieldKind[];
export const STEP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_ATTEMPTS_LIMIT = 10;

export interface Edge {
  to: string;
  via: 'next' | 'onFail' | 'option';
  optionIndex?: number;
}

export function edgesOf(step: Step): Edge[] {
  switch (step.kind) {
    case 'message':
    case 'answer':
      return [{ to: step.next, via: 'next' }];
    case 'menu': {
      const edges: Edge[] = step.options.map((o, i) => ({ to: o.next, via: 'option', optionIndex: i }));
      if (step.onFail !== undefined) edges.push({ to: step.onFail, via: 'onFail' });
      return edges;
    }
    case 'question':
      return [{ to: step.next, via: 'next' }, { to: step.onFail, via: 'onFail' }];
    default:
      return [];
  }
}

export const hasStep = (flow: Flow, id: string): boolean => Object.hasOwn(flow.steps, id);

// ---- the tree ---------------------------------------------------------------------------------------

export interface TreeNode {
  /** unique per node: the path of edges from the root */
  key: string;
  stepId: string;
  edge?: Edge;
  /** already shown higher up: drawn as a link "→ step" */
  link: boolean;
  /** the reference names no step */
  missing: boolean;
  children: TreeNode[];
}

/** The flow as a tree from `start`; each step appears once, later references as links. */
export function buildTree(flow: Flow): { root: TreeNode | null; unreachable: TreeNode[] } {
  const seen = new Set<string>();
  const visit = (stepId: string, key: string, edge?: Edge): TreeNode => {
    const missing = !hasStep(flow, stepId);
    const link = !missing && seen.has(stepId);
    const node: TreeNode = { key, stepId, edge, link, missing, children: [] };
    if (missing || link) return node;
    seen.add(stepId);
    node.children = edgesOf(flow.steps[stepId]).map((e, i) => visit(e.to, `${key}/${i}`, e));
    return node;
  };
  const root = hasStep(flow, flow.start) ? visit(flow.start, flow.start) : null;
  const unreachable: TreeNode[] = [];
  for (const id of Object.keys(flow.steps)) if (!seen.has(id)) unreachable.push(visit(id, `~${id}`));
  return { root, unreachable };
}

// ---- edits --------------------------------------------------------------------------------------------

/** Every reference to `from` becomes `to` (`to` null: the reference is left empty, to be chosen again). */
function retarget(step: Step, from: string, to: string): Step {
  const r = (id: string) => (id === from ? to : id);
  switch (step.kind) {
    case 'message':
    case 'answer':
      return { ...step, next: r(step.next) };
    case 'menu':
      return { ...step, options: step.options.map((o) => ({ ...o, next: r(o.next) })), ...(step.onFail !== undefined ? { onFail: r(step.onFail) } : {}) };
    case 'question':
      return { ...step, next: r(step.next), onFail: r(step.onFail) };
    default:
      return step;
  }
}

export function renameStep(flow: Flow, from: string, to: string): Flow {
  const steps: Flow['steps'] = {};
  for (const [id, step] of Object.entries(flow.steps)) steps[id === from ? to : id] = retarget(step, from, to);
  return { ...flow, start: flow.start === from ? to : flow.start, steps };
}

/** Removes a step; what pointed at it now points nowhere (the checks flag it until a new target is set). */
export function deleteStep(flow: Flow, id: string): Flow {
  const steps: Flow['steps'] = {};
  for (const [sid, step] of Object.entries(flow.steps)) if (sid !== id) steps[sid] = retarget(step, id, '');
  return { ...flow, steps };
}

export function referrers(flow: Flow, id: string): string[] {
  return Object.entries(flow.steps).filter(([, s]) => edgesOf(s).some((e) => e.to === id)).map(([sid]) => sid);
}

export function freeId(flow: Flow, base: string): string {
  for (let i = 1; ; i++) {
    const id = `${base}_${i}`;
    if (!hasStep(flow, id)) return id;
  }
}

/** A new step of `kind`; `texts` are the default words in the admin's language. */
export function newStep(kind: StepKind, texts: { text: string; retry: string; option: string }, next = ''): Step {
  switch (kind) {
    case 'message':
    case 'answer':
      return { kind, text: texts.text, next };
    case 'menu':
      return { kind, text: texts.text, options: [{ id: 'opcao_1', label: texts.option, next }] };
    case 'question':
      return { kind, text: texts.text, field: 'text', retryText: texts.retry, maxAttempts: 3, next, onFail: next };
    case 'transfer':
      return { kind, text: texts.text };
    case 'end':
      return { kind, text: texts.text };
  }
}

/** Another kind for a step, keeping its text and where it led. */
export function changeKind(step: Step, kind: StepKind, texts: { text: string; retry: string; option: string }): Step {
  const text = 'text' in step && step.text ? step.text : texts.text;
  return newStep(kind, { ...texts, text }, edgesOf(step)[0]?.to ?? '');
}

// ---- local checks ---------------------------------------------------------------------------------

export type LocalProblem =
  | { code: 'start_missing' }
  | { code: 'invalid_step_id'; stepId: string }
  | { code: 'unknown_step'; stepId: string; ref: string; via: Edge['via']; optionIndex?: number }
  | { code: 'unreachable_step'; stepId: string }
  | { code: 'dead_end'; stepId: string }
  | { code: 'empty_menu'; stepId: string }
  | { code: 'empty_text'; stepId: string; field: 'text' | 'retryText' | 'label'; optionIndex?: number }
  | { code: 'duplicate_option'; stepId: string; label: string }
  | { code: 'invalid_max_attempts'; stepId: string };

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** The problems an admin can see at a glance; the server's validator checks more (keywords, placeholders…). */
export function checkFlow(flow: Flow): LocalProblem[] {
  const problems: LocalProblem[] = [];
  if (!hasStep(flow, flow.start)) problems.push({ code: 'start_missing' });
  const { root } = buildTree(flow);
  const reachable = new Set<string>();
  const walk = (n: TreeNode | null) => {
    if (!n || n.missing) return;
    reachable.add(n.stepId);
    n.children.forEach(walk);
  };
  walk(root);
  // steps from which a transfer or an end can be reached (fixed point over the edges)
  const finishing = new Set(Object.entries(flow.steps).filter(([, s]) => s.kind === 'transfer' || s.kind === 'end').map(([id]) => id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, s] of Object.entries(flow.steps)) {
      if (!finishing.has(id) && edgesOf(s).some((e) => finishing.has(e.to))) {
        finishing.add(id);
        changed = true;
      }
    }
  }
  for (const [id, s] of Object.entries(flow.steps)) {
    if (!STEP_ID_PATTERN.test(id)) problems.push({ code: 'invalid_step_id', stepId: id });
    const needsText = s.kind !== 'transfer';
    if (needsText && blank(s.text)) problems.push({ code: 'empty_text', stepId: id, field: 'text' });
    if (s.kind === 'question' && blank(s.retryText)) problems.push({ code: 'empty_text', stepId: id, field: 'retryText' });
    if (s.kind === 'menu') {
      if (!s.options.length) problems.push({ code: 'empty_menu', stepId: id });
      const labels = new Set<string>();
      s.options.forEach((o, i) => {
        const key = o.label.trim().toLowerCase();
        if (!key) problems.push({ code: 'empty_text', stepId: id, field: 'label', optionIndex: i });
        else if (labels.has(key)) problems.push({ code: 'duplicate_option', stepId: id, label: o.label });
        labels.add(key);
      });
    }
    if ((s.kind === 'menu' || s.kind === 'question') && s.maxAttempts !== undefined && !(Number.isInteger(s.maxAttempts) && s.maxAttempts >= 1 && s.maxAttempts <= MAX_ATTEMPTS_LIMIT)) {
      problems.push({ code: 'invalid_max_attempts', stepId: id });
    }
    for (const e of edgesOf(s)) if (!hasStep(flow, e.to)) problems.push({ code: 'unknown_step', stepId: id, ref: e.to, via: e.via, optionIndex: e.optionIndex });
    if (root && !reachable.has(id)) problems.push({ code: 'unreachable_step', stepId: id });
    if (!finishing.has(id)) problems.push({ code: 'dead_end', stepId: id });
  }
  return problems;
}

/** Loose check of an imported file: the shape the editor can open (the server checks the rest). */
export function asFlow(data: unknown): Flow | null {
  if (!data || typeof data !== 'object') return null;
  const f = data as Partial<Flow>;
  if (f.version !== 1 || typeof f.start !== 'string' || !f.steps || typeof f.steps !== 'object' || Array.isArray(f.steps)) return null;
  for (const s of Object.values(f.steps)) {
    if (!s || typeof s !== 'object' || !STEP_KINDS.includes((s as Step).kind)) return null;
    if ((s as Step).kind === 'menu' && !Array.isArray((s as MenuStep).options)) return null;
  }
  return f as Flow;
}

/** The step a server problem points at: issue paths look like `botFlow.steps.menu_principal…`. */
export function stepOfIssuePath(path: string): string | null {
  const m = /botFlow\.steps\.([A-Za-z0-9_-]+)/.exec(path);
  return m ? m[1] : null;
}
