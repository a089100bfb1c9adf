import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../engine/errors.js';
import type { ErrorBody } from '../contracts/common.js';

interface Issue {
  path: string;
  message: string;
}

function validationIssues(err: FastifyError & { validationContext?: string }): Issue[] {
  const where = err.validationContext ?? 'body';
  return (err.validation ?? []).flatMap((v) => {
    const base = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
    const params = v.params as { keys?: string[] };
    if (v.keyword === 'unrecognized_keys' && params.keys) {
      return params.keys.map((k) => ({ path: `${base}.${k}`, message: 'unknown field' }));
    }
    const message = /received undefined/.test(v.message ?? '') ? 'required' : (v.message ?? 'invalid');
    return [{ path: base, message }];
  });
}

const body = (code: string, message: string, extra: Partial<ErrorBody['error']> = {}): ErrorBody => ({
  error: { code, message, ...extra },
});

/** One error shape for every failure; a client never sees a stack trace or a 500 for bad input. */
export function registerErrorHandling(app: FastifyInstance, indexHtml?: string): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      const { field: _field, ...extra } = err.extra as { field?: string };
      return reply.code(err.status).send(body(err.code, err.message, extra as Partial<ErrorBody['error']>));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = validationIssues(err);
      return reply.code(400).send(body('validation_error', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(body('payload_too_large', 'request body is too large'));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(body('unsupported_media_type', err.message));
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return reply.code(400).send(body('validation_error', 'body: empty JSON body'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // malformed JSON and the like: Fastify's message names the problem
      return reply.code(err.statusCode).send(body('bad_request', err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(body('internal_error', 'something went wrong on our side; it has been logged'));
  });

  app.setNotFoundHandler((req, reply) => {
    // the web app routes on the client: any unknown non-API GET gets its index.html
    if (indexHtml && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.type('text/html').send(indexHtml);
    reply.code(404).send(body('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}
