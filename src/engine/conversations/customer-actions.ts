import type { ConversationView } from '../../contracts/conversations.js';
import type { Engine } from '../engine.js';
import { AppError, STATE_PT } from '../errors.js';
import { finishConversation } from './finish.js';
import { lockConversation } from './lifecycle.js';

/**
 * The customer ends the chat (the widget's close button): waiting in the queue that is `abandoned`,
 * in the bot `customer_gave_up`, both by the customer. With an agent the customer cannot close it:
 * the agent finishes (and, if the customer went quiet, inactivity does).
 */
export function closeByCustomer(engine: Engine, conversationId: string): Promise<ConversationView> {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    if (c.state === 'queued') return finishConversation(engine, u, c, 'abandoned', 'customer');
    if (c.state === 'bot') return finishConversation(engine, u, c, 'customer_gave_up', 'customer');
    throw new AppError(409, 'illegal_transition', {
      en: `conversation is ${c.state}: the customer cannot close it now`,
      pt: `o atendimento está ${STATE_PT[c.state]}: o cliente não pode encerrá-lo agora`,
    }, { currentState: c.state });
  });
}
