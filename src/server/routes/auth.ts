import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginBody, Me, UpdateMeBody } from '../../contracts/auth.js';
import { ErrorBody } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import { hashPassword, verifyPassword } from '../../engine/auth/password.js';
import { loadUser, login, logout } from '../../engine/auth/sessions.js';
import { writeAudit } from '../../engine/audit.js';
import { AppError, at } from '../../engine/errors.js';
import { ALL_ROLES, SESSION_COOKIE } from '../auth/plugin.js';
import type { Config } from '../config.js';
import type { Runtime } from '../../engine/runtime.js';
import { agentLogout } from '../../engine/agents/presence.js';

const presentMe = ({ active: _active, ...me }: Me & { active?: boolean }) => me;

export function authRoutes(app: FastifyInstance, { db, config, runtime }: { db: Database; config: Config; runtime: Runtime }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  api.post('/api/auth/login', {
    config: { access: 'public', sameOrigin: true },
    schema: { tags, summary: 'Sign in: sets the HttpOnly session cookie', security: [], body: LoginBody, response: { 200: Me, 401: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => {
    const { token, user, expiresAt } = await login(db, req.body.email, req.body.password, req.ip, config.sessionHours);
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
    if (token) await logout(db, token);
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
    await db.transaction(async (tx) => {
      if (b.newPassword !== undefined) {
        const { rows } = await tx.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [me.id]);
        if (!b.currentPassword || !(await verifyPassword(rows[0].password_hash, b.currentPassword))) {
          throw new AppError(403, 'forbidden', at('currentPassword', { en: 'wrong current password', pt: 'senha atual incorreta' }));
        }
        await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [me.id, await hashPassword(b.newPassword)]);
        await writeAudit(tx, req.actor, { action: 'change_password', entity: 'user', entityId: me.id });
      }
      if (b.language !== undefined || b.name !== undefined) {
        await tx.query('UPDATE users SET language = coalesce($2, language), name = coalesce($3, name), updated_at = now() WHERE id = $1', [
          me.id,
          b.language ?? null,
          b.name ?? null,
        ]);
      }
    });
    return presentMe((await loadUser(db, me.id))!);
  });
}
