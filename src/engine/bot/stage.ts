import type { ConversationView } from '../../contracts/conversations.js';
import { stepOf } from '../../core/bot-flow-graph.js';
import { renderText } from '../../core/bot-flow-text.js';
import { startFlow, step, type BotInput, type BotRunResult, type BotState } from '../../core/bot-runner.js';
import { saveContactFields } from '../contacts.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { finishConversation } from '../conversations/finish.js';
import { addMessage } from '../conversations/lifecycle.js';
import type { ServiceRow } from '../conversations/open.js';
import { queue } from '../conversations/transitions.js';
import { setTimer } from '../timers.js';
import { storedFlow } from './flow.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

// The bot stage ("pré-atendimento") in the engine: the core runner decides, this file stores its state
// with the conversation, sends what it says, keeps the give-up timer and carries out the outcome. It
// serves every messaging channel: WebChat draws menu options as buttons (kept in the message payload),
// the text-only channels get them as numbered lines and answer by number or words.

/** What a bot command did to the conversation: `emitted` when it already raised the conversation's event. */
export interface BotResult {
  emitted: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadBotState(u: UnitOfWork, conversationId: string): Promise<BotState | null> {
  const { rows } = await u.tx.query<{ bot_state: BotState | null }>('SELECT bot_state FROM conversations WHERE id = $1', [conversationId]);
  return rows[0]?.bot_state ?? null;
}

function armTimer(u: UnitOfWork, c: ConversationView, s: ServiceRow): Promise<void> {
  return setTimer(u.tx, 'bot_timeout', { conversationId: c.id }, new Date(u.now.getTime() + s.bot_timeout_seconds * 1000));
}

/** A new conversation in state `bot`: greets and runs to the first menu or question (or straight to an outcome). */
export async function startBot(engine: Engine, u: UnitOfWork, c: ConversationView, s: ServiceRow): Promise<BotResult> {
  const flow = storedFlow(s.bot_flow);
  if (!flow) return toQueue(engine, u, c, c.serviceId, 'bot_unavailable');
  await armTimer(u, c, s);
  return apply(engine, u, c, null, startFlow(flow, { serviceId: c.serviceId, protocol: c.protocol }));
}

/** A customer's answer (typed, or a WebChat button) to the conversation waiting in the bot; resets the give-up timer. */
export async function answerBot(engine: Engine, u: UnitOfWork, c: ConversationView, s: ServiceRow, input: BotInput): Promise<BotResult> {
  const flow = storedFlow(s.bot_flow);
  const state = await loadBotState(u, c.id);
  // the flow was removed (or the state lost) mid-conversation: a person takes over
  if (!flow || !state) return toQueue(engine, u, c, c.serviceId, 'bot_error');
  await armTimer(u, c, s);
  return apply(engine, u, c, state, step(flow, state, input, { serviceId: c.serviceId, protocol: c.protocol }));
}

/** The label of a button the customer pressed, to store as their message; null when the menu no longer has it. */
export async function pressedLabel(u: UnitOfWork, c: ConversationView, s: ServiceRow, optionId: string): Promise<string | null> {
  const flow = storedFlow(s.bot_flow);
  const state = await loadBotState(u, c.id);
  const current = flow && state ? stepOf(flow, state.stepId) : undefined;
  if (current?.kind !== 'menu') return null;
  return current.options.find((o) => o.id === optionId)?.label ?? null;
}

async function apply(engine: Engine, u: UnitOfWork, c: ConversationView, before: BotState | null, result: BotRunResult): Promise<BotResult> {
  // a runner error (the flow was edited mid-conversation: unknown_step…) must not strand the customer
  if (!result.ok) return toQueue(engine, u, c, c.serviceId, `bot_error:${result.error.code}`);
  // a menu the channel draws with its own widgets needs no numbers in the text; one too long for them does
  const widgets = capabilitiesOf(c.channel).interactive;
  const fits = (n: number) => !!widgets && (n <= widgets.buttons || n <= widgets.listRows);
  for (const output of result.outputs) {
    await addMessage(engine, u, c, {
      authorType: 'bot',
      body: renderText(output, fits(output.options?.length ?? 0) ? 'buttons' : 'numbered'),
      payload: output.options ? { options: output.options.map((o) => ({ id: o.id, label: o.label })) } : null,
    });
  }
  // the option the runner chose, for Relatórios → Pré-atendimento (migration 0038); the service is the
  // one whose flow ran (the conversation's own while it is in the bot)
  if (result.choice) {
    await u.tx.query('INSERT INTO bot_choices (conversation_id, service_id, option_id, label, chosen_at) VALUES ($1, $2, $3, $4, $5)',
      [c.id, c.serviceId, result.choice.id, result.choice.label, u.now]);
  }
  await u.tx.query('UPDATE conversations SET bot_state = $2 WHERE id = $1', [c.id, JSON.stringify(result.state)]);
  if (Object.keys(result.state.fields).length !== Object.keys(before?.fields ?? {}).length) {
    await saveContactFields(u.tx, c.contactId, result.state.fields, u.now);
  }
  const outcome = result.outcome;
  if (outcome?.type === 'transfer') return toQueue(engine, u, c, outcome.serviceId, 'bot_transferred');
  if (outcome?.type === 'end') {
    await finishConversation(engine, u, c, 'completed', 'bot');
    return { emitted: true };
  }
  return { emitted: false };
}

/**
 * The bot hands over to a human queue: the flow's target service when it is another active service of
 * the same channel, else the conversation's own. Queue clock and give-up timer start now.
 */
async function toQueue(engine: Engine, u: UnitOfWork, c: ConversationView, targetId: string, reason: string): Promise<BotResult> {
  let serviceId = c.serviceId;
  if (targetId !== c.serviceId && UUID.test(targetId)) {
    const { rows } = await u.tx.query<{ id: string }>('SELECT id FROM services WHERE id = $1 AND active AND channel = $2', [targetId, c.channel]);
    if (rows[0]) serviceId = rows[0].id;
  }
  await queue(u, c, 'bot', { reason, serviceId });
  return { emitted: true };
}
