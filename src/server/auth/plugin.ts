import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../engine/actor.js';
import { actorOf, sessionUser, type SessionUser } from '../../engine/auth/sessions.js';
import { AppError, ROLE_PT } from '../../engine/errors.js';

export const SESSION_COOKIE = 'mirante_session';

/** Who may call a route: 'public' or the roles allowed. Every /api route must declare it. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    actor: Actor;
  }
}

export const ALL_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const STAFF: readonly Role[] = ['admin', 'supervisor'];
export const ADMIN: readonly Role[] = ['admin'];

export function registerAuth(app: FastifyInstance, db: Database): void {
  app.decorateRequest('user', null);
  app.decorateRequest('actor', null as unknown as Actor);

  // Refuse to start with a route that forgot to say who may call it.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.url !== '/api/openapi.json' && route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const access = req.routeOptions.config?.access;
    if (access === undefined || access === 'public') return;
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await sessionUser(db, token) : null;
    if (!user) throw new AppError(401, 'unauthenticated', { en: 'sign in first', pt: 'entre no Mirante primeiro' });
    if (!access.includes(user.role)) throw new AppError(403, 'forbidden', { en: `the ${user.role} role may not do this`, pt: `o perfil ${ROLE_PT[user.role] ?? user.role} não permite esta ação` });
    req.user = user;
    req.actor = actorOf(user, req.ip);
  });
}
