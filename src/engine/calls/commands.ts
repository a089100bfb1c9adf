import { randomUUID } from 'node:crypto';
import { CALL_RING_SECONDS, type CallFailure, type CallKind, type CallParty, type CallView } from '../../contracts/calls.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { AppError, notFound, NOUNS } from '../errors.js';
import { clearTimer, setTimer } from '../timers.js';
import { emitAgent } from '../conversations/lifecycle.js';
import { lockConversation } from '../conversations/lifecycle.js';
import { loadConversation, presentMessage } from '../conversations/present.js';
import { callLine } from '../../shared/calls.js';
import { closeSegment, loadCall, presentCall, type CallRow } from './store.js';
import type { ConversationView } from '../../contracts/conversations.js';

/**
 * Who sends a call message: the conversation's agent (by user id) or its customer (by the widget's
 * contact). Nobody else reaches a call: a supervisor never joins one.
 */
export type CallSide = { side: 'agent'; userId: string } | { side: 'customer'; contactId: string };

const FINAL = new Set<CallView['state']>(['ended', 'missed', 'declined', 'failed']);

const belongs = (c: ConversationView, who: CallSide) => (who.side === 'agent' ? c.agentId === who.userId : c.contactId === who.contactId);

const callNotFound = (id: string) => notFound(NOUNS.call, id);
const wrongState = (call: CallRow, en: string, pt: string) =>
  new AppError(409, 'conflict', { en: `the call is ${call.state}: ${en}`, pt: `a chamada está ${STATE_PT[call.state]}: ${pt}` }, { currentState: call.state });
const STATE_PT: Record<CallView['state'], string> = {
  ringing: 'chamando', active: 'em andamento', ended: 'encerrada', missed: 'perdida', declined: 'recusada', failed: 'com falha',
};

/** The call, locked, if `who` is one of its two sides; anyone else gets a 404 (not theirs: not said to exist). */
async function lockOwnCall(u: UnitOfWork, callId: string, who: CallSide): Promise<{ call: CallRow; conversation: ConversationView }> {
  const call = await loadCall(u.tx, callId, true);
  const conversation = call ? await loadConversation(u.tx, call.conversation_id) : null;
  if (!call || !conversation) throw callNotFound(callId);
  const mine = who.side === 'agent' ? call.agent_id === who.userId && conversation.agentId === who.userId : conversation.contactId === who.contactId;
  if (!mine) throw callNotFound(callId);
  return { call, conversation };
}

/** Writes the call's new fields, raises call.updated (and agent.updated when "em chamada" flips), and the history line once it is over. */
async function save(u: UnitOfWork, before: CallRow, patch: Partial<CallRow>): Promise<CallView> {
  const cols = Object.keys(patch) as (keyof CallRow)[];
  const { rows } = await u.tx.query<CallRow>(
    `UPDATE calls SET ${cols.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
    [before.id, ...cols.map((k) => patch[k])],
  );
  return announce(u, rows[0], before.state);
}

async function announce(u: UnitOfWork, row: CallRow, previous: CallView['state'] | null): Promise<CallView> {
  const call = presentCall(row, u.now);
  u.emit({ type: 'call.updated', serviceId: row.service_id, agentId: row.agent_id, call });
  const inCallFlipped = (previous === 'active') !== (row.state === 'active');
  if (row.agent_id && inCallFlipped) await emitAgent(u, row.agent_id, row.state === 'active' ? 'call_started' : 'call_ended');
  if (FINAL.has(row.state)) await historyLine(u, row, call);
  if (FINAL.has(row.state) || row.state === 'active') await clearTimer(u.tx, 'call_ring', { conversationId: row.conversation_id });
  return call;
}

/**
 * The call's line in the conversation's history: a system message (content type 'call', the call in
 * its payload). It does not stamp the conversation's last message: a call is not a reply.
 */
async function historyLine(u: UnitOfWork, row: CallRow, call: CallView): Promise<void> {
  const { rows } = await u.tx.query<Record<string, unknown>>(
    `INSERT INTO messages (conversation_id, channel, author_type, body, content_type, created_at, payload)
     VALUES ($1, 'webchat', 'system', $2, 'call', $3, $4) RETURNING *`,
    [row.conversation_id, callLine(call), u.now, JSON.stringify({ call })],
  );
  const message = presentMessage({ ...rows[0], author_name: null });
  const { rows: c } = await u.tx.query<{ agent_id: string | null }>('SELECT agent_id FROM conversations WHERE id = $1', [row.conversation_id]);
  u.emit({ type: 'message.created', serviceId: row.service_id, agentId: c[0]?.agent_id ?? row.agent_id, message });
}

/**
 * Starts a call on a WebChat conversation with an agent. The customer may only when the service lets
 * them (customer_calls); one live call per conversation (the unique index settles a race of two nodes).
 */
export function startCall(engine: Engine, who: CallSide, conversationId: string | null, kind: CallKind): Promise<CallView> {
  return engine.execute(async (u) => {
    if (!conversationId) throw new AppError(409, 'conflict', { en: 'there is no conversation to call in', pt: 'não há atendimento em que ligar' });
    const c = await loadConversation(u.tx, conversationId).catch(() => null);
    if (!c || !belongs(c, who)) throw notFound(NOUNS.conversation, conversationId);
    await lockConversation(u, conversationId);
    if (c.channel !== 'webchat') throw new AppError(409, 'conflict', { en: 'calls are made in WebChat conversations only', pt: 'chamadas só acontecem em atendimentos de WebChat' });
    if (c.state !== 'in_service' || !c.agentId) {
      throw new AppError(409, 'conflict', { en: 'the conversation is not with an agent: no call', pt: 'o atendimento não está com um atendente: sem chamada' }, { currentState: c.state });
    }
    if (who.side === 'customer') {
      const { rows } = await u.tx.query<{ customer_calls: boolean }>('SELECT customer_calls FROM services WHERE id = $1', [c.serviceId]);
      if (!rows[0]?.customer_calls) throw new AppError(403, 'forbidden', { en: 'this service does not take calls from customers', pt: 'este serviço não aceita chamadas do cliente' });
    }
    const { rows: live } = await u.tx.query(`SELECT 1 FROM calls WHERE conversation_id = $1 AND state IN ('ringing', 'active')`, [conversationId]);
    if (live.length) throw new AppError(409, 'conflict', { en: 'the conversation already has a call', pt: 'o atendimento já tem uma chamada' });
    const { rows } = await u.tx.query<CallRow>(
      `INSERT INTO calls (id, conversation_id, service_id, kind, caller, agent_id, state, video, ring_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'ringing', $7, $8) RETURNING *`,
      [randomUUID(), c.id, c.serviceId, kind, who.side, c.agentId, kind === 'video', u.now],
    );
    await setTimer(u.tx, 'call_ring', { conversationId: c.id }, new Date(u.now.getTime() + CALL_RING_SECONDS * 1000));
    return announce(u, rows[0], null);
  });
}

/** The called side answers: the call is active from now. */
export function acceptCall(engine: Engine, who: CallSide, callId: string): Promise<CallView> {
  return engine.execute(async (u) => {
    const { call } = await lockOwnCall(u, callId, who);
    if (call.state !== 'ringing') throw wrongState(call, 'only a ringing call is answered', 'só uma chamada que está chamando pode ser atendida');
    if (call.caller === who.side) throw new AppError(409, 'conflict', { en: 'the caller cannot answer its own call', pt: 'quem liga não atende a própria chamada' });
    return save(u, call, { state: 'active', answered_at: u.now, media_since: u.now });
  });
}

/** The called side refuses it. */
export function declineCall(engine: Engine, who: CallSide, callId: string): Promise<CallView> {
  return engine.execute(async (u) => {
    const { call } = await lockOwnCall(u, callId, who);
    if (call.state !== 'ringing') throw wrongState(call, 'only a ringing call is declined', 'só uma chamada que está chamando pode ser recusada');
    if (call.caller === who.side) throw new AppError(409, 'conflict', { en: 'the caller hangs up instead', pt: 'quem liga desliga em vez de recusar' });
    return save(u, call, { state: 'declined', ended_at: u.now, ended_by: who.side });
  });
}

/**
 * Ends a call as `by` says: an answered call is `ended` with its seconds; one still ringing was never
 * answered, so it is `missed` (the caller gave up, or the ring timed out, or the conversation ended).
 */
async function end(u: UnitOfWork, call: CallRow, by: CallParty, failure: CallFailure | null = null): Promise<CallView> {
  if (call.state === 'active') {
    const { audio, video } = closeSegment(call, u.now);
    return save(u, call, { state: failure ? 'failed' : 'ended', ended_at: u.now, ended_by: by, failure, audio_seconds: audio, video_seconds: video, media_since: null });
  }
  return save(u, call, { state: failure ? 'failed' : 'missed', ended_at: u.now, ended_by: by, failure });
}

/** Either side hangs up. */
export function hangupCall(engine: Engine, who: CallSide, callId: string): Promise<CallView> {
  return engine.execute(async (u) => {
    const { call } = await lockOwnCall(u, callId, who);
    if (FINAL.has(call.state)) throw wrongState(call, 'nothing to hang up', 'não há o que desligar');
    return end(u, call, who.side);
  });
}

/** Either side reports the call could not go on (no permission, no device, no connection…). */
export function failCall(engine: Engine, who: CallSide, callId: string, failure: CallFailure): Promise<CallView> {
  return engine.execute(async (u) => {
    const { call } = await lockOwnCall(u, callId, who);
    if (FINAL.has(call.state)) throw wrongState(call, 'it is over already', 'ela já terminou');
    return end(u, call, who.side, failure);
  });
}

/** A side switched audio ↔ video: the open segment is closed into what it carried. */
export function switchMedia(engine: Engine, who: CallSide, callId: string, video: boolean): Promise<CallView> {
  return engine.execute(async (u) => {
    const { call } = await lockOwnCall(u, callId, who);
    if (call.state !== 'active') throw wrongState(call, 'media switches during an answered call', 'a mídia muda só durante a chamada atendida');
    if (call.video === video) return presentCall(call, u.now);
    const { audio, video: videoSeconds } = closeSegment(call, u.now);
    return save(u, call, { video, audio_seconds: audio, video_seconds: videoSeconds, media_since: u.now });
  });
}

/** May `who` send signals in this call now (it is theirs and still live)? Throws as the commands do. */
export async function checkSignal(engine: Engine, who: CallSide, callId: string): Promise<CallView> {
  const call = await loadCall(engine.db, callId);
  const conversation = call ? await loadConversation(engine.db, call.conversation_id) : null;
  if (!call || !conversation) throw callNotFound(callId);
  const mine = who.side === 'agent' ? call.agent_id === who.userId && conversation.agentId === who.userId : conversation.contactId === who.contactId;
  if (!mine) throw callNotFound(callId);
  if (FINAL.has(call.state)) throw wrongState(call, 'no more signals', 'não há mais sinalização');
  return presentCall(call, engine.clock.now());
}

/** The ring timer: still ringing after CALL_RING_SECONDS, the call is missed. */
export async function ringTimedOut(u: UnitOfWork, conversationId: string): Promise<void> {
  const { rows } = await u.tx.query<CallRow>(`SELECT * FROM calls WHERE conversation_id = $1 AND state = 'ringing' FOR UPDATE`, [conversationId]);
  for (const call of rows) await end(u, call, 'system');
}

/**
 * The conversation finished (or left its agent): its live call ends with it, by whoever ended the
 * conversation. Runs inside that command's transaction.
 */
export async function endCallsOf(u: UnitOfWork, conversationId: string, by: CallParty): Promise<void> {
  const { rows } = await u.tx.query<CallRow>(`SELECT * FROM calls WHERE conversation_id = $1 AND state IN ('ringing', 'active') FOR UPDATE`, [conversationId]);
  for (const call of rows) await end(u, call, by);
}

/** A socket that carried these calls closed: those still live failed ('disconnected') on that side. */
export function dropCalls(engine: Engine, who: CallSide, callIds: string[]): Promise<CallView[]> {
  return engine.execute(async (u) => {
    const out: CallView[] = [];
    for (const id of callIds) {
      const call = await loadCall(u.tx, id, true);
      if (!call || FINAL.has(call.state)) continue;
      out.push(await end(u, call, who.side, 'disconnected'));
    }
    return out;
  });
}
