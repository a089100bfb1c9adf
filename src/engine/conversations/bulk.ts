import type { ConversationState, ConversationView } from '../../contracts/conversations.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import type { UnitOfWork } from '../engine.js';
import { AppError, forbidden, STATE_PT } from '../errors.js';
import { loadConversation } from './present.js';

// A supervisor's command on many conversations at once (Filtro de E-mail, Alocar responsável for a
// selection) is all or nothing: every id is locked and checked first, and only when all pass does
// anything change, in the one transaction. The refusal names every id at fault: 404 for ids unknown
// or outside the caller's scope (the same answer, so a scope is not probed), 409 for ids no longer
// in a state the command takes.

/**
 * Locks the conversations the actor supervises, in a fixed order (two overlapping calls never
 * deadlock). 404 naming the ids unknown or outside the scope; 403 if the caller only holds one as its
 * agent. Returns the views in the order of `ids`, duplicates dropped.
 */
export async function lockSupervised(u: UnitOfWork, actor: Actor, ids: readonly string[]): Promise<ConversationView[]> {
  const unique = [...new Set(ids)];
  const policy = policyOf(actor);
  const byId = new Map<string, ConversationView>();
  const unknown: string[] = [];
  let ownAgent = false;
  for (const id of [...unique].sort()) {
    const c = await loadConversation(u.tx, id, true);
    const role = c ? await policy.relationTo(u.tx, c) : null;
    if (!c || !role) unknown.push(id);
    else if (role !== 'supervisor') ownAgent = true;
    else byId.set(id, c);
  }
  if (unknown.length) {
    const list = unique.filter((id) => unknown.includes(id));
    throw new AppError(404, 'not_found', {
      en: `conversations not found: ${list.join(', ')}`,
      pt: `atendimentos não encontrados: ${list.join(', ')}`,
    }, { ids: list });
  }
  if (ownAgent) throw forbidden({ en: 'you do not supervise the service of some of these conversations', pt: 'você não supervisiona o serviço de alguns destes atendimentos' });
  return unique.map((id) => byId.get(id)!);
}

/** 409 naming the conversations not in `state` (with the state each is in now). */
export function assertAllIn(list: readonly ConversationView[], state: ConversationState, code: string): void {
  const wrong = list.filter((c) => c.state !== state);
  if (!wrong.length) return;
  const ids = wrong.map((c) => c.id);
  throw new AppError(409, code, {
    en: `no longer ${state}: ${wrong.map((c) => `${c.id} (${c.state})`).join(', ')}`,
    pt: `não estão mais ${STATE_PT[state]}: ${wrong.map((c) => `${c.id} (${STATE_PT[c.state]})`).join(', ')}`,
  }, { ids });
}
