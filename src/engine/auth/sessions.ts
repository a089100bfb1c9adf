import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { Actor } from '../actor.js';
import type { Me } from '../../contracts/auth.js';
import { AppError } from '../errors.js';
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

const USER_SELECT = `SELECT u.id, u.email, u.name, u.role, u.language, u.agent_enabled, u.active,
  coalesce(array(SELECT team_id::text FROM team_agents WHERE user_id = u.id ORDER BY 1), '{}') AS team_ids,
  coalesce(array(SELECT team_id::text FROM team_supervisors WHERE user_id = u.id ORDER BY 1), '{}') AS supervised_team_ids
  FROM users u`;

function presentMe(r: Record<string, unknown>): SessionUser {
  return {
    id: r.id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as Me['role'],
    language: r.language as Me['language'],
    agentEnabled: r.agent_enabled as boolean,
    teamIds: r.team_ids as string[],
    supervisedTeamIds: r.supervised_team_ids as string[],
    active: r.active as boolean,
  };
}

export async function loadUser(db: Database, id: string): Promise<SessionUser | null> {
  const { rows } = await db.query(`${USER_SELECT} WHERE u.id = $1`, [id]);
  return rows[0] ? presentMe(rows[0]) : null;
}

export function actorOf(user: SessionUser, ip?: string): Actor {
  return { id: user.id, name: user.name, role: user.role, teamIds: user.teamIds, supervisedTeamIds: user.supervisedTeamIds, ip };
}

export async function login(
  db: Database,
  email: string,
  password: string,
  ip: string,
  sessionHours: number,
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
    await tx.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashToken(token), found.id, expiresAt]);
    await tx.query('DELETE FROM login_failures WHERE lower(email) = $1', [normalized]);
    await writeAudit(tx, actorOf(user, ip), { action: 'login', entity: 'session', entityId: found.id });
  });
  return { token, user, expiresAt };
}

export async function sessionUser(db: Database, token: string): Promise<SessionUser | null> {
  const hash = hashToken(token);
  const { rows } = await db.query<{ user_id: string; stale: boolean }>(
    `SELECT user_id, last_seen_at < now() - interval '1 minute' AS stale FROM sessions WHERE token_hash = $1 AND expires_at > now()`,
    [hash],
  );
  if (!rows[0]) return null;
  // a read per request; the last-seen time is written at most once a minute
  if (rows[0].stale) await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [hash]);
  const user = await loadUser(db, rows[0].user_id);
  return user?.active ? user : null;
}

export async function logout(db: Database, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}

export async function endUserSessions(db: Database, userId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

// An argon2id hash of a random string, so unknown e-mails cost the same verify time.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0d1vJ5l8o0dYqzX1lHq1rOe5cY5cH7kq5vJ3G2xS8m4';
