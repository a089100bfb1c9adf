import type { ConversationView, MessageView, WhisperView } from '../../contracts/conversations.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import type { Engine } from '../engine.js';
import { AppError, at, forbidden, notFound, NOUNS, STATE_PT } from '../errors.js';
import { clearTimer, setTimer } from '../timers.js';
import { assertHandlerOrSupervisor, assertSupervisor } from './access.js';
import { takeAgentSlot } from './assign.js';
import { finishConversation, type WrapUp } from './finish.js';
import { addMessage, assertTransition, emitAgent, emitConversation, lockConversation, releaseAgent } from './lifecycle.js';
import { loadConversation, presentWhisper, WHISPER_SELECT } from './present.js';

function assertInService(c: ConversationView): void {
  if (c.state !== 'in_service') {
    throw new AppError(409, 'conversation_not_in_service', { en: `conversation is ${c.state}, not in service`, pt: `o atendimento está ${STATE_PT[c.state]}, não em andamento` }, { currentState: c.state });
  }
}

/** The agent writes to the customer. Only the conversation's own agent may. */
export function sendAgentMessage(engine: Engine, actor: Actor, conversationId: string, text: string): Promise<MessageView> {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    if (c.agentId !== actor.id) throw forbidden({ en: 'only the conversation’s agent writes to the customer', pt: 'só o agente do atendimento escreve para o cliente' });
    assertInService(c);
    const m = await addMessage(engine, u, c, { authorType: 'agent', authorId: actor.id, body: text });
    await emitConversation(u, c.id, 'agent_message');
    return m;
  });
}

/** Concluir / Cancelar with the wrap-up. */
export function finishByAgent(engine: Engine, actor: Actor, conversationId: string, outcome: 'completed' | 'cancelled', w: WrapUp) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    const as = await assertHandlerOrSupervisor(u.tx, actor, c);
    assertInService(c);
    const done = await finishConversation(engine, u, c, outcome, as, w);
    if (as === 'supervisor') await writeAudit(u.tx, actor, { action: `finish_${outcome}`, entity: 'conversation', entityId: c.id });
    return done;
  });
}

/** Transfer to another agent (who must have a free slot now) or to another service's queue. */
export function transfer(engine: Engine, actor: Actor, conversationId: string, to: { toAgentId: string } | { toServiceId: string }) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    const as = await assertHandlerOrSupervisor(u.tx, actor, c);
    assertInService(c);
    if ('toAgentId' in to) {
      if (to.toAgentId === c.agentId) throw new AppError(409, 'conflict', at('toAgentId', { en: 'the conversation is already with this agent', pt: 'o atendimento já está com este agente' }));
      assertTransition(c, 'in_service', as);
      const kind = c.channel === 'email' ? 'email' : 'chat';
      if (!(await takeAgentSlot(u, to.toAgentId, c.serviceId, kind))) {
        throw new AppError(409, 'agent_unavailable', at('toAgentId', {
          en: 'that agent is not available, is paused or has no free slot for this service',
          pt: 'esse agente não está disponível, está em pausa ou não tem vaga livre para este serviço',
        }));
      }
      await u.tx.query(
        `UPDATE conversations SET agent_id = $2, assigned_at = $3, transfer_count = transfer_count + 1, version = version + 1 WHERE id = $1`,
        [c.id, to.toAgentId, u.now],
      );
      if (c.agentId) await releaseAgent(u, c.agentId, c.channel);
      await emitAgent(u, to.toAgentId, 'transferred_in');
    } else {
      const { rows } = await u.tx.query<{ channel: string; active: boolean; queue_timeout_seconds: number }>(
        'SELECT channel, active, queue_timeout_seconds FROM services WHERE id = $1',
        [to.toServiceId],
      );
      if (!rows[0] || !rows[0].active) throw notFound(NOUNS.service, to.toServiceId);
      if (rows[0].channel !== c.channel) throw new AppError(422, 'validation_error', at('toServiceId', {
          en: `that service is on ${rows[0].channel}, this conversation on ${c.channel}`,
          pt: `esse serviço é do canal ${rows[0].channel}, este atendimento do canal ${c.channel}`,
        }));
      assertTransition(c, 'queued', as);
      await u.tx.query(
        `UPDATE conversations SET service_id = $2, state = 'queued', agent_id = NULL, priority = 'returned', queued_at = $3,
            transfer_count = transfer_count + 1, version = version + 1 WHERE id = $1`,
        [c.id, to.toServiceId, u.now],
      );
      await clearTimer(u.tx, 'inactive_in_service', { conversationId: c.id });
      await setTimer(u.tx, 'queue_timeout', { conversationId: c.id }, new Date(u.now.getTime() + rows[0].queue_timeout_seconds * 1000));
      if (c.agentId) await releaseAgent(u, c.agentId, c.channel);
      u.requestRouting();
    }
    if (as === 'supervisor') await writeAudit(u.tx, actor, { action: 'transfer', entity: 'conversation', entityId: c.id, after: to });
    return emitConversation(u, c.id, 'transferred');
  });
}

/**
 * Alocar responsável: a queued conversation goes first in line for this agent (priority manual);
 * it is assigned as soon as the agent has a free slot, now if they have one.
 */
export function assignManually(engine: Engine, actor: Actor, conversationId: string, agentId: string) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    await assertSupervisor(u.tx, actor, c);
    if (c.state !== 'queued') throw new AppError(409, 'illegal_transition', {
      en: `conversation is ${c.state}: only a queued conversation is allocated`,
      pt: `o atendimento está ${STATE_PT[c.state]}: só um atendimento aguardando em fila pode ser alocado`,
    }, { currentState: c.state });
    const { rows } = await u.tx.query('SELECT 1 FROM users WHERE id = $1 AND active AND agent_enabled', [agentId]);
    if (!rows[0]) throw new AppError(422, 'unknown_reference', at('agentId', { en: 'no such active agent', pt: 'não há agente ativo com este id' }));
    await u.tx.query(`UPDATE conversations SET priority = 'manual', preferred_agent_id = $2, version = version + 1 WHERE id = $1`, [c.id, agentId]);
    await writeAudit(u.tx, actor, { action: 'assign_manually', entity: 'conversation', entityId: c.id, after: { agentId } });
    u.requestRouting();
    return emitConversation(u, c.id, 'allocated');
  });
}

/** Retornar para grupo do serviço: back to the service's queue, ahead of new arrivals. */
export function returnToQueue(engine: Engine, actor: Actor, conversationId: string) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    await assertSupervisor(u.tx, actor, c);
    if (c.state === 'queued') {
      await u.tx.query(`UPDATE conversations SET priority = 'returned', preferred_agent_id = NULL, version = version + 1 WHERE id = $1`, [c.id]);
    } else {
      assertInService(c);
      assertTransition(c, 'queued', 'supervisor');
      await u.tx.query(
        `UPDATE conversations SET state = 'queued', agent_id = NULL, priority = 'returned', queued_at = $2, version = version + 1 WHERE id = $1`,
        [c.id, u.now],
      );
      await clearTimer(u.tx, 'inactive_in_service', { conversationId: c.id });
      if (c.agentId) await releaseAgent(u, c.agentId, c.channel);
    }
    await writeAudit(u.tx, actor, { action: 'return_to_queue', entity: 'conversation', entityId: c.id });
    u.requestRouting();
    return emitConversation(u, c.id, 'returned');
  });
}

/**
 * Supervisor chat about one conversation (the customer never sees it): a supervisor writes to the
 * conversation's agent, the agent answers. Every message is audited.
 */
export function whisper(engine: Engine, actor: Actor, conversationId: string, text: string): Promise<WhisperView> {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    await assertHandlerOrSupervisor(u.tx, actor, c);
    if (!c.agentId) throw new AppError(409, 'conflict', { en: 'the conversation has no agent to talk to', pt: 'o atendimento não tem agente com quem falar' }, { currentState: c.state });
    const { rows } = await u.tx.query<{ id: number }>(
      'INSERT INTO supervisor_messages (conversation_id, author_id, agent_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [c.id, actor.id, c.agentId, text, u.now],
    );
    const w = presentWhisper((await u.tx.query(`${WHISPER_SELECT} WHERE w.id = $1`, [rows[0].id])).rows[0]);
    await writeAudit(u.tx, actor, { action: 'supervisor_chat', entity: 'conversation', entityId: c.id, after: { body: text } });
    u.emit({ type: 'whisper.created', serviceId: c.serviceId, agentId: c.agentId, whisper: w });
    return w;
  });
}

/**
 * The agent read the supervisors' messages on this conversation: each is stamped once, and the
 * supervisors watching see it read (`whisper.updated`, reason `read`).
 */
export function markWhispersRead(engine: Engine, actor: Actor, conversationId: string): Promise<void> {
  return engine.execute(async (u) => {
    const c = await loadConversation(u.tx, conversationId);
    if (!c) throw notFound(NOUNS.conversation, conversationId);
    // an agent reads what was written to them (a transferred agent still reads what was written to
    // them, so no other check); a supervisor of the service reads the agents' answers
    const asAgent = actor.role === 'agent' || c.agentId === actor.id;
    if (!asAgent) await assertSupervisor(u.tx, actor, c);
    const { rows } = await u.tx.query<Record<string, unknown> & { agent_id: string }>(
      `WITH read AS (
         UPDATE supervisor_messages SET read_at = $2
          WHERE conversation_id = $1 AND read_at IS NULL AND ${asAgent ? 'agent_id = $3 AND author_id <> $3' : 'author_id = agent_id'} RETURNING *)
       SELECT w.*, u.name AS author_name FROM read w JOIN users u ON u.id = w.author_id ORDER BY w.id`,
      asAgent ? [conversationId, u.now, actor.id] : [conversationId, u.now],
    );
    for (const r of rows) u.emit({ type: 'whisper.updated', reason: 'read', serviceId: c.serviceId, agentId: r.agent_id, whisper: presentWhisper(r) });
  });
}
