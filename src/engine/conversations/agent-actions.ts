import { supervisorChatOpen } from '../../shared/supervisor-chat.js';
import type { ConversationView, WhisperView } from '../../contracts/conversations.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { writeAudit } from '../audit.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { assertAllIn, lockSupervised } from './bulk.js';
import { AppError, at, notFound, NOUNS, STATE_PT } from '../errors.js';
import { takeAgentSlot } from './assign.js';
import { finishConversation, type WrapUp } from './finish.js';
import { lockConversation } from './lifecycle.js';
import { loadConversation, presentWhisper, WHISPER_SELECT } from './present.js';
import { prioritize, queue, transferToAgent } from './transitions.js';
import { sendProtocolUpdate } from './protocol-updates.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

function assertInService(c: ConversationView): void {
  if (c.state !== 'in_service') {
    throw new AppError(409, 'conversation_not_in_service', { en: `conversation is ${c.state}, not in service`, pt: `o atendimento está ${STATE_PT[c.state]}, não em andamento` }, { currentState: c.state });
  }
}

/** Concluir / Cancelar with the wrap-up. */
export function finishByAgent(engine: Engine, actor: Actor, conversationId: string, outcome: 'completed' | 'cancelled', w: WrapUp) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    const as = await policyOf(actor).conversationRole(u.tx, c);
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
    const as = await policyOf(actor).conversationRole(u.tx, c);
    assertInService(c);
    if ('toAgentId' in to) {
      if (to.toAgentId === c.agentId) throw new AppError(409, 'conflict', at('toAgentId', { en: 'the conversation is already with this agent', pt: 'o atendimento já está com este agente' }));
      const kind = capabilitiesOf(c.channel).workload;
      if (!(await takeAgentSlot(u, to.toAgentId, c.serviceId, kind))) {
        throw new AppError(409, 'agent_unavailable', at('toAgentId', {
          en: 'that agent is not available, is paused or has no free slot for this service',
          pt: 'esse agente não está disponível, está em pausa ou não tem vaga livre para este serviço',
        }));
      }
      const moved = await transferToAgent(u, c, as, to.toAgentId);
      await sendProtocolUpdate(engine, u, moved, 'transferred', c.serviceId);
      if (as === 'supervisor') await writeAudit(u.tx, actor, { action: 'transfer', entity: 'conversation', entityId: c.id, after: to });
      return moved;
    } else {
      const { rows } = await u.tx.query<{ channel: string; active: boolean }>(
        'SELECT channel, active FROM services WHERE id = $1',
        [to.toServiceId],
      );
      if (!rows[0] || !rows[0].active) throw notFound(NOUNS.service, to.toServiceId);
      if (rows[0].channel !== c.channel) throw new AppError(422, 'validation_error', at('toServiceId', {
          en: `that service is on ${rows[0].channel}, this conversation on ${c.channel}`,
          pt: `esse serviço é do canal ${rows[0].channel}, este atendimento do canal ${c.channel}`,
        }));
      const moved = await queue(u, c, as, { reason: 'transferred', serviceId: to.toServiceId, transfer: true });
      await sendProtocolUpdate(engine, u, moved, 'transferred', c.serviceId);
      if (as === 'supervisor') await writeAudit(u.tx, actor, { action: 'transfer', entity: 'conversation', entityId: c.id, after: to });
      return moved;
    }
  });
}

/**
 * Alocar responsável: a queued conversation goes first in line for this agent (priority manual);
 * it is assigned as soon as the agent has a free slot, now if they have one.
 */
export function assignManually(engine: Engine, actor: Actor, conversationId: string, agentId: string) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    await policyOf(actor).assertSupervises(u.tx, c);
    if (c.state !== 'queued') throw new AppError(409, 'illegal_transition', {
      en: `conversation is ${c.state}: only a queued conversation is allocated`,
      pt: `o atendimento está ${STATE_PT[c.state]}: só um atendimento aguardando em fila pode ser alocado`,
    }, { currentState: c.state });
    return (await allocate(u, actor, [c], agentId))[0];
  });
}

/** Alocar responsável for a selection (the queued e-mails "Em espera"): all or nothing (bulk.ts). */
export function assignManyManually(engine: Engine, actor: Actor, conversationIds: readonly string[], agentId: string) {
  return engine.execute(async (u) => {
    const list = await lockSupervised(u, actor, conversationIds);
    assertAllIn(list, 'queued', 'illegal_transition');
    return allocate(u, actor, list, agentId);
  });
}

/**
 * Pins queued conversations to an agent of their services' departments (the router offers a pinned
 * conversation to that agent alone, so one outside them would wait for ever): 422 on `agentId` otherwise.
 */
async function allocate(u: UnitOfWork, actor: Actor, list: readonly ConversationView[], agentId: string): Promise<ConversationView[]> {
  const serviceIds = [...new Set(list.map((c) => c.serviceId))];
  const { rows } = await u.tx.query<{ service_id: string }>(
    `SELECT DISTINCT st.service_id FROM users us
       JOIN team_agents ta ON ta.user_id = us.id JOIN teams t ON t.id = ta.team_id AND t.active
       JOIN service_teams st ON st.team_id = ta.team_id
      WHERE us.id = $1 AND us.active AND us.agent_enabled AND st.service_id = ANY($2::uuid[])`,
    [agentId, serviceIds],
  );
  const served = new Set(rows.map((r) => r.service_id));
  if (serviceIds.some((id) => !served.has(id))) {
    throw new AppError(422, 'unknown_reference', at('agentId', {
      en: 'no such active agent in the departments of these conversations’ services',
      pt: 'não há agente ativo com este id nos departamentos dos serviços destes atendimentos',
    }));
  }
  const out: ConversationView[] = [];
  for (const c of list) {
    out.push(await prioritize(u, c, 'manual', agentId, 'allocated'));
    await writeAudit(u.tx, actor, { action: 'assign_manually', entity: 'conversation', entityId: c.id, after: { agentId } });
  }
  return out;
}

/** Retornar para grupo do serviço: back to the service's queue, ahead of new arrivals. */
export function returnToQueue(engine: Engine, actor: Actor, conversationId: string) {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    await policyOf(actor).assertSupervises(u.tx, c);
    if (c.state !== 'queued') assertInService(c);
    return returnOne(u, actor, c);
  });
}

/** Retornar para grupo do serviço for a selection, queued (allocated) or in service: all or nothing (bulk.ts). */
export function returnManyToQueue(engine: Engine, actor: Actor, conversationIds: readonly string[]) {
  return engine.execute(async (u) => {
    const list = await lockSupervised(u, actor, conversationIds);
    assertAllIn(list.filter((c) => c.state !== 'queued'), 'in_service', 'illegal_transition');
    const out: ConversationView[] = [];
    for (const c of list) out.push(await returnOne(u, actor, c));
    return out;
  });
}

async function returnOne(u: UnitOfWork, actor: Actor, c: ConversationView): Promise<ConversationView> {
  const back = c.state === 'queued' ? await prioritize(u, c, 'returned', null, 'returned') : await queue(u, c, 'supervisor', { reason: 'returned' });
  await writeAudit(u.tx, actor, { action: 'return_to_queue', entity: 'conversation', entityId: c.id });
  return back;
}

/**
 * Supervisor chat about one conversation (the customer never sees it): a supervisor writes to the
 * conversation's agent, the agent answers. Every message is audited.
 */
export function whisper(engine: Engine, actor: Actor, conversationId: string, text: string): Promise<WhisperView> {
  return engine.execute(async (u) => {
    const c = await lockConversation(u, conversationId);
    await policyOf(actor).conversationRole(u.tx, c);
    if (!supervisorChatOpen(c)) {
      throw c.agentId
        ? new AppError(409, 'conflict', { en: 'the conversation is not in service: the supervisor chat is closed', pt: 'o atendimento não está em andamento: a conversa com o agente está encerrada' }, { currentState: c.state })
        : new AppError(409, 'conflict', { en: 'the conversation has no agent to talk to', pt: 'o atendimento não tem agente com quem falar' }, { currentState: c.state });
    }
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
    // an agent reads what was written to them (a transferred agent too: `formerAgent`); a supervisor
    // of the service reads the agents' answers; anyone else gets the 404 of an unknown conversation
    const asAgent = (await policyOf(actor).conversationRole(u.tx, c, { formerAgent: true })) === 'agent';
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
