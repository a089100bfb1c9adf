import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EndedSessions, LoginBody, Me, SessionList, UpdateMeBody } from '../../contracts/auth.js';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import { hashPassword, verifyPassword } from '../../engine/auth/password.js';
import {
  announceAccessChange, deleteOtherSessions, endOtherSessions, endSession, endUserSessions, listSessions, loadUser, login, logout,
} from '../../engine/auth/sessions.js';
import { writeAudit } from '../../engine/audit.js';
import { AppError, fieldError } from '../../engine/errors.js';
import { ADMIN, ALL_ROLES, SESSION_COOKIE } from '../auth/plugin.js';
import type { Config } from '../config.js';
import type { Runtime } from '../../engine/runtime.js';
import { agentLogout } from '../../engine/agents/presence.js';

const presentMe = ({ active: _active, ...me }: Me & { active?: boolean }) => me;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function authRoutes(app: FastifyInstance, { db, config, runtime }: { db: Database; config: Config; runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  api.post('/api/auth/login', {
    config: { access: 'public', sameOrigin: true },
    schema: { tags, summary: 'Sign in: sets the HttpOnly session cookie', security: [], body: LoginBody, response: { 200: Me, 401: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => {
    const { token, user, expiresAt } = await login(db, req.body.email, req.body.password, req.ip, config.sessionHours, req.headers['user-agent']);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      expires: expiresAt,
    });
    return presentMe(user);
  });

  api.post('/api/auth/logout', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Sign out', response: { 204: z.null() } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    // an agent who signs out with nothing open leaves the queues now (with conversations open, the
    // desk's grace period decides, as for a lost connection)
    if (req.user?.agentEnabled) {
      await agentLogout(runtime.engine, req.actor).catch((err) => {
        if (!(err instanceof AppError)) throw err;
      });
    }
    if (token) await logout(runtime.engine, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  api.get('/api/auth/me', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'The signed-in user', response: { 200: Me, 401: ErrorBody } },
  }, async (req) => presentMe(req.user!));

  api.patch('/api/auth/me', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'Change my language, name or password', body: UpdateMeBody, response: { 200: Me, 400: ErrorBody, 403: ErrorBody } },
  }, async (req) => {
    const me = req.user!;
    const b = req.body;
    let endedOthers = false;
    await db.transaction(async (tx) => {
      if (b.newPassword !== undefined) {
        const { rows } = await tx.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [me.id]);
        if (!b.currentPassword || !(await verifyPassword(rows[0].password_hash, b.currentPassword))) {
          throw fieldError(403, 'forbidden', 'currentPassword', { en: 'wrong current password', pt: 'senha atual incorreta' });
        }
        await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [me.id, await hashPassword(b.newPassword)]);
        await writeAudit(tx, req.actor, { action: 'change_password', entity: 'user', entityId: me.id });
        // whoever knew the old password is signed out everywhere else; this session goes on
        endedOthers = (await deleteOtherSessions(tx, me.id, req.cookies[SESSION_COOKIE] ?? '')) > 0;
      }
      if (b.language !== undefined || b.name !== undefined) {
        await tx.query('UPDATE users SET language = coalesce($2, language), name = coalesce($3, name), updated_at = now() WHERE id = $1', [
          me.id,
          b.language ?? null,
          b.name ?? null,
        ]);
      }
    });
    if (endedOthers) announceAccessChange(runtime.bus, [me.id]);
    return presentMe((await loadUser(db, me.id))!);
  });

  api.get('/api/auth/sessions', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'My open sessions, this one marked `current`', response: { 200: SessionList, 401: ErrorBody } },
  }, async (req) => ({ items: await listSessions(db, req.user!.id, req.cookies[SESSION_COOKIE] ?? '') }));

  api.delete('/api/auth/sessions/:id', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'End one of my sessions (its sockets close); another user’s session is 404', params: IdParams, response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    await endSession(runtime.engine, req.actor, req.params.id);
    return reply.code(204).send(null);
  });

  api.post('/api/auth/sessions/end-others', {
    config: { access: ALL_ROLES },
    schema: { tags, summary: 'End every session of mine but this one', response: { 200: EndedSessions, 401: ErrorBody } },
  }, async (req) => ({ ended: await endOtherSessions(runtime.engine, req.actor, req.cookies[SESSION_COOKIE] ?? '') }));

  api.post('/api/users/:id/end-sessions', {
    config: { access: ADMIN },
    schema: { tags: ['users'], summary: 'End every session of a user (audited); their sockets close on every node', params: IdParams, response: { 200: EndedSessions, ...errors } },
  }, async (req) => ({ ended: await endUserSessions(runtime.engine, req.actor, req.params.id) }));
}
