import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import type { Me, SessionView } from '../../contracts/auth.js';
import type { EventBus } from '../bus.js';
import type { Engine } from '../engine.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { writeAudit } from '../audit.js';
import { verifyPassword } from './password.js';

// Sessions live in the database, so any node behind the load balancer accepts any cookie.
// Only a hash of the token is stored: a database dump does not hand out sessions.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const FAILURE_WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 30;

export interface SessionUser extends Me {
  active: boolean;
}

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.language, u.agent_enabled, u.privacy_officer, u.active,
  coalesce(array(SELECT team_id::text FROM team_agents WHERE user_id = u.id ORDER BY 1), '{}') AS team_ids,
  coalesce(array(SELECT team_id::text FROM team_supervisors WHERE user_id = u.id ORDER BY 1), '{}') AS supervised_team_ids`;
const USER_SELECT = `SELECT ${USER_COLUMNS} FROM users u`;
/** a user agent is kept to this length: enough to name any browser */
const MAX_USER_AGENT = 512;
const SESSION_NOUN = { en: 'Session', pt: 'Sessão', fem: true };

function presentMe(r: Record<string, unknown>): SessionUser {
  return {
    id: r.id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as Me['role'],
    language: r.language as Me['language'],
    agentEnabled: r.agent_enabled as boolean,
    privacyOfficer: r.role === 'admin' || r.privacy_officer === true,
    teamIds: r.team_ids as string[],
    supervisedTeamIds: r.supervised_team_ids as string[],
    active: r.active as boolean,
  };
}

export async function loadUser(db: Queryable, id: string): Promise<SessionUser | null> {
  const { rows } = await db.query(`${USER_SELECT} WHERE u.id = $1`, [id]);
  return rows[0] ? presentMe(rows[0]) : null;
}

export function actorOf(user: SessionUser, ip?: string, userAgent?: string): Actor {
  return {
    id: user.id, name: user.name, role: user.role, teamIds: user.teamIds, supervisedTeamIds: user.supervisedTeamIds, ip,
    userAgent: userAgent?.slice(0, MAX_USER_AGENT), privacyOfficer: user.privacyOfficer,
  };
}

export async function login(
  db: Database,
  email: string,
  password: string,
  ip: string,
  sessionHours: number,
  userAgent?: string,
): Promise<{ token: string; user: SessionUser; expiresAt: Date }> {
  const normalized = email.trim().toLowerCase();
  const { rows: counts } = await db.query<{ by_email: number; by_ip: number }>(
    `SELECT count(*) FILTER (WHERE lower(email) = $1) AS by_email, count(*) FILTER (WHERE ip = $2) AS by_ip
       FROM login_failures WHERE at > now() - make_interval(mins => $3)`,
    [normalized, ip, FAILURE_WINDOW_MINUTES],
  );
  if (counts[0].by_email >= MAX_FAILURES_PER_EMAIL || counts[0].by_ip >= MAX_FAILURES_PER_IP) {
    throw new AppError(429, 'too_many_attempts', {
      en: `too many failed sign-ins; try again in ${FAILURE_WINDOW_MINUTES} minutes`,
      pt: `tentativas de entrada demais; tente de novo em ${FAILURE_WINDOW_MINUTES} minutos`,
    });
  }
  const { rows } = await db.query<{ id: string; password_hash: string; active: boolean }>(
    'SELECT id, password_hash, active FROM users WHERE lower(email) = $1',
    [normalized],
  );
  const found = rows[0];
  // verify even for an unknown e-mail, so the answer time does not tell which e-mails exist
  const ok = await verifyPassword(found?.password_hash ?? DUMMY_HASH, password);
  if (!found || !ok || !found.active) {
    await db.query('INSERT INTO login_failures (email, ip) VALUES ($1, $2)', [normalized, ip]);
    throw new AppError(401, 'invalid_credentials', { en: 'e-mail or password is wrong', pt: 'e-mail ou senha incorretos' });
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + sessionHours * 3600_000);
  const user = (await loadUser(db, found.id))!;
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)', [
      hashToken(token),
      found.id,
      expiresAt,
      ip,
      userAgent?.slice(0, MAX_USER_AGENT) || null,
    ]);
    await tx.query('DELETE FROM login_failures WHERE lower(email) = $1', [normalized]);
    await writeAudit(tx, actorOf(user, ip, userAgent), { action: 'login', entity: 'session', entityId: found.id });
  });
  return { token, user, expiresAt };
}

/** The live session of a token, with its public id and its user (active only). */
export async function findSession(db: Database, token: string): Promise<{ id: string; user: SessionUser } | null> {
  const hash = hashToken(token);
  const { rows } = await db.query<{ id: string; user_id: string; stale: boolean }>(
    `SELECT id, user_id, last_seen_at < now() - interval '1 minute' AS stale FROM sessions WHERE token_hash = $1 AND expires_at > now()`,
    [hash],
  );
  if (!rows[0]) return null;
  // a read per request; the last-seen time is written at most once a minute
  if (rows[0].stale) await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [hash]);
  const user = await loadUser(db, rows[0].user_id);
  return user?.active ? { id: rows[0].id, user } : null;
}

export async function sessionUser(db: Database, token: string): Promise<SessionUser | null> {
  return (await findSession(db, token))?.user ?? null;
}

/**
 * Of these session ids, the ones still live (not ended, not expired, their user active), with their
 * user as now: what the realtime gateway checks its sockets against.
 */
export async function liveSessions(db: Database, sessionIds: string[]): Promise<Map<string, SessionUser>> {
  if (!sessionIds.length) return new Map();
  const { rows } = await db.query(
    `SELECT s.id AS session_id, ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ANY($1::uuid[]) AND s.expires_at > now() AND u.active`,
    [sessionIds],
  );
  return new Map(rows.map((r) => [r.session_id as string, presentMe(r)]));
}

/** Tells every node that these users' sessions or access changed: their sockets are checked again. */
export function announceAccessChange(bus: EventBus, userIds: string[]): void {
  if (userIds.length) bus.publishEphemeral({ kind: 'access', userIds });
}

export async function logout(engine: Engine, token: string): Promise<void> {
  const { rows } = await engine.db.query<{ user_id: string }>('DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id', [hashToken(token)]);
  announceAccessChange(engine.bus, rows.map((r) => r.user_id));
}

/** My open sessions, the one of this request marked, the most recently used first. */
export async function listSessions(db: Database, userId: string, token: string): Promise<SessionView[]> {
  const { rows } = await db.query<{
    id: string; created_at: Date; last_seen_at: Date; expires_at: Date; ip: string | null; user_agent: string | null; current: boolean;
  }>(
    `SELECT id, created_at, last_seen_at, expires_at, ip, user_agent, token_hash = $2 AS current
       FROM sessions WHERE user_id = $1 AND expires_at > now() ORDER BY token_hash = $2 DESC, last_seen_at DESC, created_at DESC`,
    [userId, hashToken(token)],
  );
  const iso = (d: Date) => new Date(d).toISOString();
  return rows.map((r) => ({
    id: r.id,
    createdAt: iso(r.created_at),
    lastSeenAt: iso(r.last_seen_at),
    expiresAt: iso(r.expires_at),
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.current,
  }));
}

/** The signed-in user behind an actor (the system has no sessions). */
function userOf(actor: Actor): string {
  if (!actor.id) throw forbidden();
  return actor.id;
}

/** Ends one of the actor's own sessions; another user's session id is not found, as an unknown one. */
export async function endSession(engine: Engine, actor: Actor, sessionId: string): Promise<void> {
  await engine.db.transaction(async (tx) => {
    const { rowCount } = await tx.query('DELETE FROM sessions WHERE id = $1 AND user_id = $2', [sessionId, userOf(actor)]);
    if (!rowCount) throw notFound(SESSION_NOUN, sessionId);
    await writeAudit(tx, actor, { action: 'end_session', entity: 'session', entityId: sessionId });
  });
  announceAccessChange(engine.bus, [userOf(actor)]);
}

/** In the caller's transaction: ends every session of the user but the one of `token`; how many. */
export async function deleteOtherSessions(tx: Queryable, userId: string, token: string): Promise<number> {
  const { rowCount } = await tx.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [userId, hashToken(token)]);
  return rowCount;
}

/** "Encerrar as outras sessões": every session of the actor but this one. */
export async function endOtherSessions(engine: Engine, actor: Actor, token: string): Promise<number> {
  const ended = await engine.db.transaction(async (tx) => {
    const n = await deleteOtherSessions(tx, userOf(actor), token);
    await writeAudit(tx, actor, { action: 'end_other_sessions', entity: 'user', entityId: actor.id, after: { ended: n } });
    return n;
  });
  announceAccessChange(engine.bus, [userOf(actor)]);
  return ended;
}

/** An admin ends every session of a user (a lost laptop, a leaver): audited on the user. */
export async function endUserSessions(engine: Engine, actor: Actor, userId: string): Promise<number> {
  const ended = await engine.db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    if (!rows[0]) throw notFound({ en: 'User', pt: 'Usuário' }, userId);
    const { rowCount } = await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    await writeAudit(tx, actor, { action: 'end_sessions', entity: 'user', entityId: userId, after: { ended: rowCount } });
    return rowCount;
  });
  announceAccessChange(engine.bus, [userId]);
  return ended;
}

// An argon2id hash of a random string, so unknown e-mails cost the same verify time.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0d1vJ5l8o0dYqzX1lHq1rOe5cY5cH7kq5vJ3G2xS8m4';
