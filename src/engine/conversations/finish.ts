import type { Actor as CoreActor } from '../../core/conversation-state.js';
import type { ConversationState, ConversationView } from '../../contracts/conversations.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { checkWrapUpFields } from '../../core/wrapup-fields.js';
import { AppError, at, joinIssues } from '../errors.js';
import { loadWrapUpFieldDefs } from '../admin/wrapup-fields.js';
import { assertTransition } from './lifecycle.js';
import { finish } from './transitions.js';

export interface WrapUp {
  classificationId?: string | null;
  notes?: string | null;
  fields?: Record<string, string | number | boolean> | null;
}

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
 * Ends a conversation in a finished state, by whoever may: an agent's or a supervisor's wrap-up is
 * checked here, the rest is the transition (transitions.ts `finish`).
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
  return finish(engine, u, c, to, by, { classificationId: wrapUp.classificationId, notes: wrapUp.notes, fields });
}
