import { BotFlowSchema } from '../../contracts/bot-flow.js';
import type { Queryable } from '../../db/database.js';
import { describeFlowProblem, validateFlow, type BotFlow, type FlowProblem } from '../../core/bot-flow.js';
import { AppError } from '../errors.js';

/** Where in the flow JSON a problem points, for the error's `issues`. */
function problemPath(p: FlowProblem): string {
  if (p.code === 'unsupported_version') return 'botFlow.version';
  if (p.code === 'start_missing') return 'botFlow.start';
  return `botFlow.steps.${p.stepId}`;
}

/**
 * Rejects a flow that would trap a customer or break mid-conversation (core validateFlow): a 422
 * listing every problem. A transfer may name any service of the same channel.
 */
export async function assertValidFlow(tx: Queryable, channel: string, flow: unknown): Promise<void> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM services WHERE channel = $1', [channel]);
  const result = validateFlow(flow as BotFlow, rows.map((r) => r.id));
  if (result.ok) return;
  const issues = result.problems.map((p) => ({ path: problemPath(p), message: describeFlowProblem(p) }));
  const all = (lang: 'en' | 'pt') => `botFlow: ${issues.map((i) => i.message[lang]).join('; ')}`;
  throw new AppError(422, 'invalid_bot_flow', { en: all('en'), pt: all('pt') }, { issues });
}

/**
 * The flow stored on a service, or null when it has none. A stored flow that no longer parses (edited
 * by hand in the database) is treated as none: the conversation goes straight to the queue.
 */
export function storedFlow(raw: unknown): BotFlow | null {
  if (raw === null || raw === undefined) return null;
  const parsed = BotFlowSchema.safeParse(raw);
  return parsed.success ? (parsed.data as BotFlow) : null;
}
