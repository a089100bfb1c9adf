import type { Actor } from '../actor.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { AppError, at } from '../errors.js';
import { getSettings } from '../settings.js';
import { clearTimer, setTimer } from '../timers.js';
import { AGENT_SELECT, loadAgent, presentAgent } from './present.js';
import { reduceStoredPresence } from './presence-store.js';

async function assertAgent(u: UnitOfWork, actor: Actor): Promise<string> {
  const { rows } = await u.tx.query<{ agent_enabled: boolean }>('SELECT agent_enabled FROM users WHERE id = $1 AND active', [actor.id]);
  if (!rows[0]?.agent_enabled) throw new AppError(403, 'forbidden', { en: 'you are not linked as an omnichannel agent (Agentes → Vincular)', pt: 'você não está vinculado como agente omnichannel (Agentes → Vincular)' });
  return actor.id!;
}

/** The agent's desk must show signs of life (WebSocket or heartbeat) or the grace timer runs out. */
async function armConnectionTimer(u: UnitOfWork, agentId: string): Promise<void> {
  const { timeouts } = await getSettings(u.tx);
  await setTimer(u.tx, 'agent_connection_lost', { userId: agentId }, new Date(u.now.getTime() + timeouts.agentGraceSeconds * 1000));
}

export const agentLogin = (engine: Engine, actor: Actor) =>
  engine.execute(async (u) => {
    const id = await assertAgent(u, actor);
    await reduceStoredPresence(u, id, { type: 'login' });
    await u.tx.query('UPDATE agent_presence SET last_heartbeat_at = $2, disconnected_at = NULL WHERE user_id = $1', [id, u.now]);
    await armConnectionTimer(u, id);
    u.requestRouting();
    return (await loadAgent(u.tx, id))!;
  });

export const agentLogout = (engine: Engine, actor: Actor) =>
  engine.execute(async (u) => {
    const id = await assertAgent(u, actor);
    await reduceStoredPresence(u, id, { type: 'logout' });
    await clearTimer(u.tx, 'agent_connection_lost', { userId: id });
    return (await loadAgent(u.tx, id))!;
  });

export const agentPause = (engine: Engine, actor: Actor, reasonId: string) =>
  engine.execute(async (u) => {
    const id = await assertAgent(u, actor);
    const { rows } = await u.tx.query('SELECT 1 FROM pause_reasons WHERE id = $1 AND active', [reasonId]);
    if (!rows[0]) throw new AppError(422, 'unknown_reference', at('reasonId', { en: 'no such active pause reason', pt: 'não há motivo de pausa ativo com este id' }));
    await reduceStoredPresence(u, id, { type: 'pause', reasonId });
    return (await loadAgent(u.tx, id))!;
  });

export const agentResume = (engine: Engine, actor: Actor) =>
  engine.execute(async (u) => {
    const id = await assertAgent(u, actor);
    await reduceStoredPresence(u, id, { type: 'resume' });
    u.requestRouting();
    return (await loadAgent(u.tx, id))!;
  });

/** For integrations without a WebSocket: proves the agent is still there. */
export const agentHeartbeat = (engine: Engine, actor: Actor) =>
  engine.execute(async (u) => {
    const id = await assertAgent(u, actor);
    const { rowCount } = await u.tx.query(
      `UPDATE agent_presence SET last_heartbeat_at = $2, disconnected_at = NULL WHERE user_id = $1 AND state <> 'offline'`,
      [id, u.now],
    );
    if (!rowCount) throw new AppError(409, 'not_logged_in', { en: 'the agent is not logged in', pt: 'o agente não está logado' }, { currentState: 'offline' });
    await armConnectionTimer(u, id);
    return (await loadAgent(u.tx, id))!;
  });

/** The agent's desk opened a WebSocket: no grace timer while it stays open. */
export const agentConnected = (engine: Engine, agentId: string) =>
  engine.execute(async (u) => {
    const { rows } = await u.tx.query<{ disconnected_at: Date | null }>(
      `SELECT disconnected_at FROM agent_presence WHERE user_id = $1 AND state <> 'offline' FOR UPDATE`,
      [agentId],
    );
    if (!rows[0]) return;
    await u.tx.query('UPDATE agent_presence SET disconnected_at = NULL, last_heartbeat_at = $2 WHERE user_id = $1', [agentId, u.now]);
    await clearTimer(u.tx, 'agent_connection_lost', { userId: agentId });
    if (rows[0].disconnected_at) {
      const agent = await loadAgent(u.tx, agentId);
      if (agent) u.emit({ type: 'agent.updated', reason: 'connected', serviceId: null, agentId, agent });
    }
  });

/** Open WebSockets count as heartbeats: one statement for every agent connected to this node. */
export async function refreshConnectedAgents(engine: Engine, agentIds: string[]): Promise<void> {
  await engine.execute(async (u) => {
    await u.tx.query(`UPDATE agent_presence SET last_heartbeat_at = $2 WHERE user_id = ANY($1::uuid[]) AND state <> 'offline'`, [agentIds, u.now]);
    await u.tx.query(`DELETE FROM timers WHERE kind = 'agent_connection_lost' AND user_id = ANY($1::uuid[])`, [agentIds]);
  });
}

/** The agent's last WebSocket closed: the grace period starts. */
export const agentDisconnected = (engine: Engine, agentId: string) =>
  engine.execute(async (u) => {
    const { rowCount } = await u.tx.query(
      `UPDATE agent_presence SET disconnected_at = $2 WHERE user_id = $1 AND state <> 'offline'`,
      [agentId, u.now],
    );
    if (rowCount) {
      await armConnectionTimer(u, agentId);
      const agent = await loadAgent(u.tx, agentId);
      if (agent) u.emit({ type: 'agent.updated', reason: 'disconnected', serviceId: null, agentId, agent });
    }
  });

/** Pushes the current view of these agents (after an admin change to users or teams). */
export async function refreshAgentViews(engine: Engine, agentIds: string[]): Promise<void> {
  if (!agentIds.length) return;
  await engine.execute(async (u) => {
    const { rows } = await u.tx.query(`${AGENT_SELECT} WHERE u.id = ANY($1::uuid[])`, [agentIds]);
    for (const r of rows) {
      const agent = presentAgent(r);
      // `enabled: false` tells every live view to drop a user who is no longer an agent
      u.emit({ type: 'agent.updated', reason: 'profile', serviceId: null, agentId: agent.id, agent });
    }
  });
}
