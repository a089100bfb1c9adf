import { randomUUID } from 'node:crypto';
import { canStartIn, canTransition, OUTBOUND_INITIAL_STATE, type Actor as CoreActor } from '../../core/conversation-state.js';
import type { ConversationState, ConversationView } from '../../contracts/conversations.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { clearConversationTimers } from '../timers.js';
import { addMessage, assertTransition, emitAgent, emitConversation, releaseAgent } from './lifecycle.js';
import type { OpenStage } from './open.js';
import { presentConversation } from './present.js';
import { isProtocolUpdateTransition, sendProtocolUpdate } from './protocol-updates.js';
import { endCallsOf } from '../calls/commands.js';
import { conversationWindowClosed } from '../../contracts/channel-capabilities.js';

/** Who ends a call when its conversation moves on: its agent or customer by name, anyone else is the system. */
const callEnder = (by: CoreActor) => (by === 'agent' || by === 'customer' ? by : 'system');

// One writer per conversation state change. Each transition here checks the move with the core
// (core/conversation-state.ts), writes the conversation's row and its clocks (the timers), frees the
// agent it leaves, keeps its state history (conversation_state_history: one row per state, closed
// when the next begins, written by the same statement), and raises the conversation's event with
// the view its statement returned. Reports read these timestamps, so nothing else in the engine
// UPDATEs a conversation's state, queue or agent. The set-based paths (the inbound batch's opening,
// the router's assignments) take the same statements, columns and events from here.

/** A statement's view of the rows it wrote (contact name included), as presentConversation reads it. */
const RETURNING_VIEW = 'RETURNING c.*, (SELECT name FROM contacts WHERE id = c.contact_id) AS contact_name';

async function writeOne(u: UnitOfWork, sql: string, params: unknown[]): Promise<ConversationView> {
  const { rows } = await u.tx.query(`${sql} ${RETURNING_VIEW}`, params);
  return presentConversation(rows[0]);
}

/**
 * The CTEs that keep the state history with a change: the open rows of the conversations `ids` (SQL
 * of a uuid[]) close at `at`, and `select` (conversation_id, state, service_id, agent_id, actor,
 * reason, started_at) opens their new ones. Prefixed to the change's own statement, so the history is
 * written by the same statement as the row, for one conversation or a whole batch.
 */
export function stateHistory(ids: string, at: string, select: string): string {
  return `history_closed AS (UPDATE conversation_state_history SET ended_at = ${at} WHERE conversation_id = ANY(${ids}) AND ended_at IS NULL),
     history_opened AS (INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at) ${select})`;
}

// ---- Open --------------------------------------------------------------------------------------

export interface Opening {
  serviceId: string;
  channel: string;
  contactId: string;
  protocol: string;
  stage: OpenStage;
  subject?: string | null;
  /** opened outside the service's business hours */
  outsideHours: boolean;
}

/**
 * Opens conversations, one or many in one statement: the stage's timestamp (`triage_at`,
 * `bot_started_at`, `queued_at` and `first_queued_at`), or, for `left_message`, born finished
 * (`completed` by the system, wrap-up `{leftMessage: true}`). Raises `conversation.created` for each
 * (in the given order) except a `left_message` one, whose single event the caller raises once the
 * customer's message is stored. Returns the views in the given order.
 */
export async function openConversations(u: UnitOfWork, list: Opening[]): Promise<ConversationView[]> {
  if (!list.length) return [];
  for (const o of list) if (o.stage !== 'left_message' && !canStartIn(o.stage)) throw new Error(`a conversation cannot start in ${o.stage}`);
  const ids = list.map(() => randomUUID());
  // (a new conversation has no history to close: only its first row is written)
  const { rows } = await u.tx.query(
    `WITH opened AS (INSERT INTO conversations (id, protocol, service_id, entry_service_id, channel, contact_id, state, subject, created_at, triage_at, bot_started_at,
        queued_at, first_queued_at, outside_hours, finished_at, finished_by, wrapup)
     SELECT t.id, t.protocol, t.service_id, t.service_id, t.channel, t.contact_id, CASE WHEN t.stage = 'left_message' THEN 'completed' ELSE t.stage END,
            t.subject, $1, CASE WHEN t.stage = 'triage' THEN $1::timestamptz END, CASE WHEN t.stage = 'bot' THEN $1::timestamptz END,
            CASE WHEN t.stage = 'queued' THEN $1::timestamptz END, CASE WHEN t.stage = 'queued' THEN $1::timestamptz END, t.outside_hours,
            CASE WHEN t.stage = 'left_message' THEN $1::timestamptz END, CASE WHEN t.stage = 'left_message' THEN 'system' END,
            CASE WHEN t.stage = 'left_message' THEN '{"leftMessage": true}'::jsonb END
       FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::bool[])
            WITH ORDINALITY AS t(id, protocol, service_id, channel, contact_id, stage, subject, outside_hours, n)
      ORDER BY t.n
     RETURNING *),
     history AS (INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at)
       SELECT o.id, o.state, o.service_id, NULL, CASE WHEN o.state = 'completed' THEN 'system' ELSE 'customer' END,
              CASE WHEN o.state = 'completed' THEN 'left_message' ELSE 'created' END, $1 FROM opened o)
     SELECT o.*, (SELECT name FROM contacts WHERE id = o.contact_id) AS contact_name FROM opened o`,
    [u.now, ids, list.map((o) => o.protocol), list.map((o) => o.serviceId), list.map((o) => o.channel), list.map((o) => o.contactId),
      list.map((o) => o.stage), list.map((o) => o.subject ?? null), list.map((o) => o.outsideHours)],
  );
  const byId = new Map(rows.map((r) => [r.id as string, presentConversation(r)]));
  const views = ids.map((id) => byId.get(id)!);
  views.forEach((c, n) => {
    if (list[n].stage !== 'left_message') u.emit({ type: 'conversation.created', reason: 'created', serviceId: c.serviceId, agentId: c.agentId, conversation: c });
  });
  return views;
}

/** An outbound conversation the agent starts (Mensagens ativas): the slot is the caller's (takeAgentSlot). */
export interface OutboundOpening {
  serviceId: string;
  channel: string;
  contactId: string;
  protocol: string;
  agentId: string;
}

/**
 * Opens an outbound conversation (`direction` outbound, ES Saída): born in service with the agent who
 * starts it (core OUTBOUND_INITIAL_STATE), its first and current assignment now, never queued, and
 * the inactivity clock running (a customer who never answers closes it as Inativa PA). Raises
 * `conversation.created`.
 */
export async function openOutbound(u: UnitOfWork, o: OutboundOpening): Promise<ConversationView> {
  const { rows } = await u.tx.query(
    `WITH opened AS (INSERT INTO conversations (id, protocol, service_id, entry_service_id, channel, contact_id, direction, state, agent_id, created_at, assigned_at, first_assigned_at)
       VALUES ($1, $2, $3, $3, $4, $5, 'outbound', $6, $7, $8, $8, $8) RETURNING *),
     history AS (INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at)
       SELECT o.id, o.state, o.service_id, o.agent_id, 'agent', 'outbound_started', $8 FROM opened o),
     clock AS (INSERT INTO timers (kind, conversation_id, user_id, due_at)
       SELECT 'inactive_in_service', o.id, NULL, $8::timestamptz + make_interval(secs => s.inactivity_timeout_seconds) FROM opened o JOIN services s ON s.id = o.service_id)
     SELECT o.*, (SELECT name FROM contacts WHERE id = o.contact_id) AS contact_name FROM opened o`,
    [randomUUID(), o.protocol, o.serviceId, o.channel, o.contactId, OUTBOUND_INITIAL_STATE, o.agentId, u.now],
  );
  const c = presentConversation(rows[0]);
  u.emit({ type: 'conversation.created', reason: 'outbound_started', serviceId: c.serviceId, agentId: c.agentId, conversation: c });
  return c;
}

// ---- Queue: into a human queue, from the bot, from an agent, from the e-mail filter --------------

export interface QueueMove {
  /** the event's reason: bot_transferred, transferred, returned, connection_lost_requeued… */
  reason: string;
  /** another service's queue (a transfer, the bot's target); the conversation's own by default */
  serviceId?: string;
  /** counts as a transfer (transfer_count) */
  transfer?: boolean;
}

/**
 * Puts a conversation in a queue: from the bot (`bot_ended_at`), from an agent (a transfer to a
 * service, a return to the queue, the agent's connection lost: priority `returned`, ahead of new
 * arrivals, the agent's slot freed) or from the e-mail filter. `queued_at` is always this entry into
 * the queue and `first_queued_at` the first one; the bot's or the inactivity clock stops and the
 * queue's give-up clock starts (the target service's timeout).
 */
export async function queue(u: UnitOfWork, c: ConversationView, by: CoreActor, move: QueueMove): Promise<ConversationView> {
  assertTransition(c, 'queued', by);
  const serviceId = move.serviceId ?? c.serviceId;
  const view = await writeOne(
    u,
    `WITH s AS (SELECT queue_timeout_seconds FROM services WHERE id = $2),
       ${stateHistory('ARRAY[$1::uuid]', '$3::timestamptz', `SELECT $1::uuid, 'queued', $2::uuid, NULL::uuid, $5::text, $6::text, $3::timestamptz`)},
       gone AS (DELETE FROM timers WHERE conversation_id = $1 AND user_id IS NULL AND kind IN ('bot_timeout', 'inactive_in_service')),
       clock AS (INSERT INTO timers (kind, conversation_id, user_id, due_at)
         SELECT 'queue_timeout', $1, NULL, $3::timestamptz + make_interval(secs => s.queue_timeout_seconds) FROM s
         ON CONFLICT (kind, conversation_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at)
     UPDATE conversations c SET state = 'queued', service_id = $2, agent_id = NULL,
         priority = CASE WHEN c.state = 'in_service' THEN 'returned' ELSE c.priority END,
         queued_at = $3, first_queued_at = coalesce(c.first_queued_at, $3),
         bot_ended_at = CASE WHEN c.state = 'bot' THEN $3 ELSE c.bot_ended_at END,
         transfer_count = c.transfer_count + $4, version = c.version + 1
       WHERE c.id = $1`,
    [c.id, serviceId, u.now, move.transfer ? 1 : 0, by, move.reason],
  );
  // (a slot freed wakes every queue: releaseAgent asks for that)
  if (c.state === 'in_service' && c.agentId) {
    // the agent's call does not follow the conversation back to the queue
    if (c.channel === 'webchat') await endCallsOf(u, c.id, callEnder(by));
    await releaseAgent(u, c.agentId, c.channel);
  }
  u.requestRouting(serviceId);
  u.emit({ type: 'conversation.updated', reason: move.reason, serviceId: view.serviceId, agentId: view.agentId, conversation: view });
  return view;
}

/**
 * A queued conversation's place in line (no change of state): `manual` first for its preferred agent
 * (Alocar responsável), or `returned` ahead of new arrivals (a supervisor's return to the queue).
 */
export async function prioritize(u: UnitOfWork, c: ConversationView, priority: 'manual' | 'returned', preferredAgentId: string | null, reason: string): Promise<ConversationView> {
  const view = await writeOne(u, 'UPDATE conversations c SET priority = $2, preferred_agent_id = $3, version = c.version + 1 WHERE c.id = $1', [c.id, priority, preferredAgentId]);
  u.requestRouting(c.serviceId);
  u.emit({ type: 'conversation.updated', reason, serviceId: view.serviceId, agentId: view.agentId, conversation: view });
  return view;
}

// ---- Assign: queued → in_service (set-based: the router's batches) ------------------------------

/** Whether the router (the system) may assign a conversation in this state. */
export const mayAssign = (state: ConversationState): boolean => canTransition(state, 'in_service', 'system');

/**
 * The SET of an assignment, for an UPDATE of `conversations c` that joins the chosen agents: `now`
 * and `agent` are the SQL of the time and of the agent's id. `assignedRow` is the same, in memory.
 */
export const assignSet = (now: string, agent: string): string =>
  `state = 'in_service', agent_id = ${agent}, assigned_at = ${now}, first_assigned_at = coalesce(c.first_assigned_at, ${now}), preferred_agent_id = NULL, version = c.version + 1`;

export function assignedRow<R extends { first_assigned_at: Date | null; version?: unknown }>(row: R, agentId: string, now: Date): R {
  return { ...row, state: 'in_service', agent_id: agentId, assigned_at: now, first_assigned_at: row.first_assigned_at ?? now, preferred_agent_id: null, version: Number(row.version ?? 0) + 1 };
}

/** The events of assignments written with assignSet, from the rows as they were before. */
export function emitAssigned(u: UnitOfWork, rows: { row: Record<string, unknown> & { first_assigned_at: Date | null }; agentId: string }[], reason: string): void {
  for (const { row, agentId } of rows) {
    const c = presentConversation(assignedRow(row, agentId, u.now));
    u.emit({ type: 'conversation.updated', reason, serviceId: c.serviceId, agentId: c.agentId, conversation: c });
  }
}

// ---- Transfer to another agent: in_service → in_service ----------------------------------------

/** The conversation goes to another agent, whose slot the caller took (takeAgentSlot); the first agent's is freed. */
export async function transferToAgent(u: UnitOfWork, c: ConversationView, by: CoreActor, agentId: string): Promise<ConversationView> {
  assertTransition(c, 'in_service', by);
  const view = await writeOne(
    u,
    `WITH ${stateHistory('ARRAY[$1::uuid]', '$3::timestamptz', `SELECT $1::uuid, 'in_service', c.service_id, $2::uuid, $4::text, 'transferred', $3::timestamptz FROM conversations c WHERE c.id = $1`)}
     UPDATE conversations c SET agent_id = $2, assigned_at = $3, transfer_count = c.transfer_count + 1, version = c.version + 1 WHERE c.id = $1`,
    [c.id, agentId, u.now, by],
  );
  if (c.agentId && c.channel === 'webchat') await endCallsOf(u, c.id, callEnder(by));
  if (c.agentId) await releaseAgent(u, c.agentId, c.channel);
  await emitAgent(u, agentId, 'transferred_in');
  u.emit({ type: 'conversation.updated', reason: 'transferred', serviceId: view.serviceId, agentId: view.agentId, conversation: view });
  return view;
}

// ---- Finish: any open state → a finished one ---------------------------------------------------

const CLOSING: Partial<Record<ConversationState, string>> = {
  completed: 'Atendimento concluído. Seu protocolo é {p}. Obrigado pelo contato!',
  cancelled: 'Atendimento encerrado. Seu protocolo é {p}.',
  customer_gave_up: 'Atendimento encerrado por falta de resposta. Seu protocolo é {p}.',
  inactive_in_service: 'Atendimento encerrado por inatividade. Seu protocolo é {p}.',
  connection_lost: 'Atendimento encerrado por perda de conexão. Seu protocolo é {p}.',
};

export interface StoredWrapUp {
  classificationId?: string | null;
  notes?: string | null;
  fields?: Record<string, unknown> | null;
}

/**
 * Ends a conversation (the wrap-up already checked by the caller): stamps it, stores the wrap-up,
 * stops its clocks, tells the customer the protocol again, frees the agent.
 */
export async function finish(engine: Engine, u: UnitOfWork, c: ConversationView, to: ConversationState, by: CoreActor, w: StoredWrapUp = {}): Promise<ConversationView> {
  assertTransition(c, to, by);
  await u.tx.query(
    `WITH ${stateHistory('ARRAY[$1::uuid]', '$3::timestamptz', `SELECT $1::uuid, $2::text, c.service_id, c.agent_id, $4::text, $8::text, $3::timestamptz FROM conversations c WHERE c.id = $1`)}
     UPDATE conversations SET state = $2, finished_at = $3, finished_by = $4, classification_id = $5, notes = $6, wrapup = $7,
        bot_ended_at = CASE WHEN state = 'bot' THEN $3 ELSE bot_ended_at END, version = version + 1
      WHERE id = $1`,
    [c.id, to, u.now, by, w.classificationId ?? null, w.notes ?? null, w.fields ? JSON.stringify(w.fields) : null, `finished:${to}`],
  );
  // a finished conversation ends its call (before its timers go: the ring timer among them)
  if (c.channel === 'webchat') await endCallsOf(u, c.id, callEnder(by));
  await clearConversationTimers(u.tx, c.id);
  const closing = CLOSING[to];
  // the customer who left (abandoned, or closed the chat) is not written to, and a bot's end step is
  // its own goodbye; everyone else hears the protocol again — unless the channel's customer-service
  // window is closed (WhatsApp: the customer has not written for 24 hours, or never did, as in an
  // active conversation left unanswered): the provider refuses free text then, as the desk does
  if (closing && !conversationWindowClosed(c, u.now) && to !== 'abandoned' && by !== 'customer' && by !== 'bot') await addMessage(engine, u, { ...c, state: to }, { authorType: 'system', body: closing.replace('{p}', c.protocol) });
  // the service's protocol update, when it chose this end (protocol-updates.ts), after the closing words
  if (isProtocolUpdateTransition(to)) await sendProtocolUpdate(engine, u, { ...c, state: to }, to);
  if (c.state === 'in_service' && c.agentId) await releaseAgent(u, c.agentId, c.channel);
  return emitConversation(u, c.id, `finished:${to}`);
}
