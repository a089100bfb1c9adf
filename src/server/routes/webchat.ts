import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../contracts/common.js';
import { Attachment, VisitorIdentity, WebchatConfig } from '../../contracts/webchat.js';
import { attachmentForStaff, attachmentForVisitor, storeVisitorUpload } from '../../engine/attachments.js';
import { AppError, at, notFound, NOUNS } from '../../engine/errors.js';
import type { Runtime } from '../../engine/runtime.js';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, safeFileName, sniffType } from '../../channels/webchat/files.js';
import { webchatConfig, WebchatServices } from '../../channels/webchat/service.js';
import { assertCanUpload } from '../../channels/webchat/chat.js';
import { createVisitor, visitorByToken } from '../../channels/webchat/visitors.js';
import { ALL_ROLES } from '../auth/plugin.js';
import { WebchatRateLimits, type WebchatLimits } from '../rate-limit.js';
import { GENERIC_TYPES, readUploadedFile, unsupportedFile, UPLOAD_BODY } from '../uploads.js';
import type { CallRelay } from '../realtime/call-relay.js';
import { registerWidgetGateway } from '../realtime/widget-gateway.js';
import { demoPage } from './webchat-demo.js';
import { sendFile } from '../send-file.js';

export interface WebchatDeps {
  runtime: Runtime;
  /** folder of the built widget (dist/widget): widget.js is served from there */
  widgetDir: string;
  limits?: Partial<WebchatLimits>;
  /** the node's call relay (shared with the desk's gateway) */
  calls?: CallRelay;
}

const tooMany = (retryAfter: number) =>
  new AppError(429, 'rate_limited', { en: `too many requests: try again in ${Math.max(1, retryAfter)} s`, pt: `requisições demais: tente de novo em ${Math.max(1, retryAfter)} s` });

/** Serves a stored file so that no browser can run it: the sniffed type, nosniff, a sandbox, a download for non-images. */

/**
 * The WebChat channel over HTTP: the widget's configuration, visitor identities and uploads (public,
 * CORS open: the widget runs on the customer's site and sends no cookie), the visitor's and the
 * staff's downloads, the widget script itself and a demo page. The WebSocket is widget-gateway.ts.
 */
export async function registerWebchat(app: FastifyInstance, deps: WebchatDeps): Promise<void> {
  const { runtime } = deps;
  const db = runtime.engine.db;
  const clock = runtime.engine.clock;
  const services = new WebchatServices(db);
  const stopClearing = runtime.projection.onCatalogUpdated(() => services.clear());
  app.addHook('onClose', async () => stopClearing());
  const limits = new WebchatRateLimits(deps.limits);
  await registerWidgetGateway(app, { runtime, services, limits, calls: deps.calls });

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    scope.addHook('onRequest', async (_req, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', 'retry-after');
    });
    scope.options('/webchat/*', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'content-type, x-visitor-token, x-filename')
        .header('access-control-max-age', '86400')
        .code(204)
        .send(),
    );

    api.get('/webchat/config/:serviceKey', {
      schema: {
        tags: ['webchat'], summary: 'The widget’s configuration: open now, pre-chat form, upload limits',
        params: z.strictObject({ serviceKey: z.string().max(64) }), response: { 200: WebchatConfig, 404: ErrorBody },
      },
    }, async (req) => {
      const s = await services.byKey(req.params.serviceKey);
      if (!s) throw notFound(NOUNS.webchatService, req.params.serviceKey);
      return webchatConfig(s, clock.now());
    });

    api.post('/webchat/visitors', {
      schema: {
        tags: ['webchat'], summary: 'A new visitor identity (id + token, kept by the widget); 20 a minute per IP',
        body: z.strictObject({ serviceKey: z.string().max(64) }), response: { 201: VisitorIdentity, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    }, async (req, reply) => {
      if (!limits.ipVisitors.take(req.ip)) {
        const wait = limits.ipVisitors.retryAfterSeconds(req.ip);
        reply.header('retry-after', String(Math.max(1, wait)));
        throw tooMany(wait);
      }
      const s = await services.byKey(req.body.serviceKey);
      if (!s) throw notFound(NOUNS.webchatService, req.body.serviceKey);
      return reply.code(201).send(await createVisitor(db, s, clock.now()));
    });

    api.get('/webchat/attachments/:id', {
      schema: {
        tags: ['webchat'], summary: 'A file of the visitor’s conversation (token in ?token= or x-visitor-token)', security: [{ visitorToken: [] }],
        params: z.strictObject({ id: z.string().max(64) }), querystring: z.strictObject({ token: z.string().max(200).optional() }),
        response: { 401: ErrorBody, 404: ErrorBody },
      },
    }, async (req, reply) => {
      const visitor = await visitorByToken(db, req.query.token ?? (req.headers['x-visitor-token'] as string | undefined));
      if (!visitor) throw new AppError(401, 'unauthenticated', at('token', { en: 'a visitor token is required', pt: 'é preciso o token do visitante' }));
      return sendFile(reply, await attachmentForVisitor(db, req.params.id, visitor));
    });

    // Uploads: multipart/form-data (one file part), or the raw file with its content-type and an
    // x-filename header. The file's own bytes decide its type.
    await scope.register(async (upload) => {
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 256 * 1024 }, (_req, body, done) => done(null, body));
      upload.withTypeProvider<ZodTypeProvider>().post('/webchat/attachments', {
        bodyLimit: MAX_ATTACHMENT_BYTES + 256 * 1024,
        config: { docBody: UPLOAD_BODY },
        schema: {
          tags: ['webchat'],
          security: [{ visitorToken: [] }],
          summary: 'Upload a file (≤ 10 MB; images, PDF, text, Word, Excel) to send in a message of the visitor’s open conversation',
          description: '409 without an open conversation; 413 when the visitor’s unsent files pass their quota; 429 over a daily quota (visitor or service) or the service’s unsent bytes. Files not sent in a message within an hour are deleted.',
          response: { 201: Attachment, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody },
        },
      }, async (req, reply) => {
        const token = req.headers['x-visitor-token'] as string | undefined;
        const visitor = await visitorByToken(db, token);
        if (!visitor) throw new AppError(401, 'unauthenticated', at('x-visitor-token', { en: 'a visitor token is required', pt: 'é preciso o token do visitante' }));
        if (!limits.visitorUploads.take(visitor.id)) throw tooMany(limits.visitorUploads.retryAfterSeconds(visitor.id));
        await assertCanUpload(db, visitor);
        const { name, declared, data } = await readUploadedFile(req, MAX_ATTACHMENT_BYTES);
        const type = sniffType(data);
        const declaredOk = GENERIC_TYPES.has(declared) || declared === type || (declared.startsWith('text/plain') && type === 'text/plain');
        if (!type || !declaredOk) throw unsupportedFile(ATTACHMENT_TYPES, type, declared);
        const meta = await runtime.engine
          .execute((u) => storeVisitorUpload(u.tx, { name: safeFileName(name, type), type, data }, visitor, limits.uploadQuota, u.now))
          .catch((err: unknown) => {
            const wait = err instanceof AppError ? err.extra.retryAfterSeconds : undefined;
            if (typeof wait === 'number') reply.header('retry-after', String(wait));
            throw err;
          });
        const url = `${req.protocol}://${req.host}/webchat/attachments/${meta.id}?token=${encodeURIComponent(token!)}`;
        return reply.code(201).send({ ...meta, url });
      });
    });

    // The widget script (built by `npm run build:widget`): cached by browsers for a day, revalidated by ETag.
    let cached: { mtime: number; body: Buffer; etag: string } | null = null;
    scope.get('/widget.js', { schema: { hide: true } }, async (req, reply) => {
      const path = join(deps.widgetDir, 'widget.js');
      const info = await stat(path).catch(() => null);
      if (!info) {
        return reply.code(503).send({ error: { code: 'widget_not_built', message: 'the WebChat widget is not built on this server: run `npm run build:widget`' } });
      }
      if (!cached || cached.mtime !== info.mtimeMs) {
        const body = await readFile(path);
        cached = { mtime: info.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      }
      reply
        .header('content-type', 'application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=86400, stale-while-revalidate=604800')
        .header('etag', cached.etag)
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === cached.etag) return reply.code(304).send();
      return reply.send(cached.body);
    });

    scope.get('/webchat/demo', { schema: { hide: true } }, async (req, reply) => {
      const key = String((req.query as Record<string, unknown>).service ?? '');
      return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(demoPage(key));
    });
  });

  app.withTypeProvider<ZodTypeProvider>().get('/api/attachments/:id', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['conversations'], summary: 'A file sent in a conversation: for its agent, its supervisors and admins',
      params: z.strictObject({ id: z.uuid() }), response: { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => sendFile(reply, await attachmentForStaff(db, req.params.id, req.actor)));
}
