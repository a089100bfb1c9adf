import type { Actor as CoreActor } from '../../core/conversation-state.js';
import type { ConversationState, ConversationView } from '../../contracts/conversations.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { checkWrapUpFields } from '../../core/wrapup-fields.js';
import { AppError, at, joinIssues } from '../errors.js';
import { loadWrapUpFieldDefs } from '../admin/wrapup-fields.js';
import { clearConversationTimers } from '../timers.js';
import { addMessage, assertTransition, emitConversation, releaseAgent } from './lifecycle.js';

export interface WrapUp {
  classificationId?: string | null;
  notes?: string | null;
  fields?: Record<string, string | number | boolean> | null;
}

const CLOSING: Partial<Record<ConversationState, string>> = {
  completed: 'Atendimento concluído. Seu protocolo é {p}. Obrigado pelo contato!',
  cancelled: 'Atendimento encerrado. Seu protocolo é {p}.',
  customer_gave_up: 'Atendimento encerrado por falta de resposta. Seu protocolo é {p}.',
  inactive_in_service: 'Atendimento encerrado por inatividade. Seu protocolo é {p}.',
  connection_lost: 'Atendimento encerrado por perda de conexão. Seu protocolo é {p}.',
};

/**
 * Checks the wrap-up against the service's classifications and fields: every value of the right type
 * and of a field the service has; on Concluir, a classification when the service offers any (as the
 * desk asks) and every required field filled. Returns the fields to store.
 */
async function validateWrapUp(u: UnitOfWork, c: ConversationView, w: WrapUp, to: ConversationState): Promise<WrapUp['fields']> {
  if (!w.classificationId && to === 'completed') {
    const { rows } = await u.tx.query<{ offered: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM classifications WHERE active AND (service_ids IS NULL OR $1 = ANY(service_ids))) AS offered`,
      [c.serviceId],
    );
    if (rows[0].offered) {
      const problem = { path: 'classificationId', message: { en: 'required: this service classifies its conversations', pt: 'obrigatório: este serviço classifica seus atendimentos' } };
      throw new AppError(422, 'validation_error', joinIssues([problem]), { issues: [problem] });
    }
  }
  if (w.classificationId) {
    const { rows } = await u.tx.query<{ ok: boolean }>(
      `SELECT active AND (service_ids IS NULL OR $2 = ANY(service_ids)) AS ok FROM classifications WHERE id = $1`,
      [w.classificationId, c.serviceId],
    );
    if (!rows[0]) throw new AppError(422, 'unknown_reference', at('classificationId', { en: 'no such classification', pt: 'classificação inexistente' }));
    if (!rows[0].ok) throw new AppError(422, 'validation_error', at('classificationId', { en: 'not active for this service', pt: 'não está ativa para este serviço' }));
  }
  const fields = await loadWrapUpFieldDefs(u.tx, c.serviceId);
  // Cancelar asks for no wrap-up: only Concluir needs the required fields
  const { values, problems } = checkWrapUpFields(fields, w.fields, { requireAll: to === 'completed' });
  if (problems.length) {
    throw new AppError(422, 'validation_error', joinIssues(problems), { issues: problems });
  }
  return Object.keys(values).length ? values : null;
}

/**
 * Ends a conversation in a finished state, by whoever may: stamps it, stores the wrap-up, tells
 * the customer the protocol again, stops its timers and frees the agent.
 */
export async function finishConversation(
  engine: Engine,
  u: UnitOfWork,
  c: ConversationView,
  to: ConversationState,
  by: CoreActor,
  wrapUp: WrapUp = {},
): Promise<ConversationView> {
  assertTransition(c, to, by);
  const fields = by === 'agent' || by === 'supervisor' ? await validateWrapUp(u, c, wrapUp, to) : wrapUp.fields;
  await u.tx.query(
    `UPDATE conversations SET state = $2, finished_at = $3, finished_by = $4, classification_id = $5, notes = $6, wrapup = $7,
        bot_ended_at = CASE WHEN state = 'bot' THEN $3 ELSE bot_ended_at END, version = version + 1
      WHERE id = $1`,
    [c.id, to, u.now, by, wrapUp.classificationId ?? null, wrapUp.notes ?? null, fields ? JSON.stringify(fields) : null],
  );
  await clearConversationTimers(u.tx, c.id);
  const closing = CLOSING[to];
  // the customer who left (abandoned, or closed the chat) is not written to, and a bot's end step is
  // its own goodbye; everyone else hears the protocol again
  if (closing && to !== 'abandoned' && by !== 'customer' && by !== 'bot') await addMessage(engine, u, { ...c, state: to }, { authorType: 'system', body: closing.replace('{p}', c.protocol) });
  if (c.state === 'in_service' && c.agentId) await releaseAgent(u, c.agentId, c.channel);
  return emitConversation(u, c.id, `finished:${to}`);
}
