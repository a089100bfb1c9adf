import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../contracts/common.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../engine/actor.js';
import { actorOf, sessionUser, type SessionUser } from '../../engine/auth/sessions.js';
import { AppError, ROLE_PT } from '../../engine/errors.js';
import { isOwnOrigin } from '../origin.js';

export const SESSION_COOKIE = 'mirante_session';

/** Who may call a route: 'public' or the roles allowed. Every /api route must declare it. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** a public route that still answers only Mirante's own pages (sign-in: no login CSRF) */
    sameOrigin?: boolean;
    /**
     * A file upload: the body is the file (or a multipart form), not JSON. The route must then refuse
     * a request without the `x-filename` header before it changes anything: no foreign page can add
     * that header without a CORS preflight Mirante never grants (`requireUploadHeader`).
     */
    upload?: boolean;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    actor: Actor;
  }
}

export const ALL_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const STAFF: readonly Role[] = ['admin', 'supervisor'];
export const ADMIN: readonly Role[] = ['admin'];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: the session cookie goes with any request the browser sends, SameSite=Lax
 * included when the foreign page is on a sibling subdomain (where the widget's host site often is). A
 * state-changing cookie request must come from Mirante's own pages, and carry JSON: a form or a
 * text/plain body is what a foreign page can send without asking the browser's leave (CORS preflight).
 */
function refuseCrossSite(req: FastifyRequest, publicUrl: string | undefined, upload = false): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (!isOwnOrigin(req, publicUrl)) {
    const at = publicUrl ? new URL(publicUrl).origin : undefined;
    throw new AppError(403, 'cross_site_request', {
      en: `this request came from another site; use Mirante from its own address${at ? ` (${at})` : ''}`,
      pt: `esta requisição veio de outro site; use o Mirante pelo próprio endereço dele${at ? ` (${at})` : ''}`,
    });
  }
  const type = req.headers['content-type'];
  if (upload) return;
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', {
      en: `content-type must be application/json, not ${type}`,
      pt: `o content-type deve ser application/json, não ${type}`,
    });
  }
}

/** An upload route's guard against cross-site forms (see `upload`): the file is named in x-filename. */
export function requireUploadHeader(req: FastifyRequest): void {
  if (typeof req.headers['x-filename'] !== 'string') {
    throw new AppError(400, 'validation_error', {
      en: 'x-filename: an upload names its file in the x-filename header',
      pt: 'x-filename: um envio de arquivo informa o nome do arquivo no cabeçalho x-filename',
    });
  }
}

export function registerAuth(app: FastifyInstance, db: Database, { publicUrl }: { publicUrl?: string } = {}): void {
  app.decorateRequest('user', null);
  app.decorateRequest('actor', null as unknown as Actor);

  // Refuse to start with a route that forgot to say who may call it.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.url !== '/api/openapi.json' && route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const { access, sameOrigin, upload } = req.routeOptions.config ?? {};
    if (sameOrigin) refuseCrossSite(req, publicUrl);
    if (access === undefined || access === 'public') return;
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await sessionUser(db, token) : null;
    if (!user) throw new AppError(401, 'unauthenticated', { en: 'sign in first', pt: 'entre no Mirante primeiro' });
    refuseCrossSite(req, publicUrl, upload === true);
    if (!access.includes(user.role)) throw new AppError(403, 'forbidden', { en: `the ${user.role} role may not do this`, pt: `o perfil ${ROLE_PT[user.role] ?? user.role} não permite esta ação` });
    req.user = user;
    req.actor = actorOf(user, req.ip, req.headers['user-agent']);
  });
}
