import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type Said } from '../engine/errors.js';
import type { ErrorBody } from '../contracts/common.js';
import { requestLanguage, type Language } from './language.js';
import { RequestValidationError } from './validation.js';

interface Issue {
  path: string;
  message: string;
}

const body = (code: string, message: string, extra: Partial<ErrorBody['error']> = {}): ErrorBody => ({
  error: { code, message, ...extra },
});

const pick = (said: Said, lang: Language) => (lang === 'pt' ? said.pt : said.en);

/** An AppError's `issues` (paths with messages in both languages), in the request's language. */
function appIssues(extra: Record<string, unknown>, lang: Language): Issue[] | undefined {
  const issues = extra.issues as { path: string; message: Said }[] | undefined;
  return issues?.map((i) => ({ path: i.path, message: pick(i.message, lang) }));
}

/** Messages of the framework's own refusals. */
const FRAMEWORK: Record<string, Said> = {
  tooLarge: { en: 'request body is too large', pt: 'o corpo da requisição é grande demais' },
  emptyJson: { en: 'body: empty JSON body', pt: 'body: corpo JSON vazio' },
  badText: { en: 'a text holds a character that cannot be stored (such as U+0000)', pt: 'um texto contém um caractere que não pode ser guardado (como U+0000)' },
  internal: { en: 'something went wrong on our side; it has been logged', pt: 'algo deu errado do nosso lado; o erro foi registrado' },
};

/** One error shape for every failure; a client never sees a stack trace or a 500 for bad input. */
export function registerErrorHandling(app: FastifyInstance, indexHtml?: string): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply) => {
    const lang = requestLanguage(req);
    if (err instanceof AppError) {
      const { field: _field, issues: _issues, ...extra } = err.extra as { field?: string; issues?: unknown };
      const issues = appIssues(err.extra, lang);
      return reply.code(err.status).send(body(err.code, pick(err.said, lang), { ...(extra as Partial<ErrorBody['error']>), ...(issues ? { issues } : {}) }));
    }
    if (err instanceof RequestValidationError) {
      const where = err.validationContext ?? 'body';
      const issues = err.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: pick(i.message, lang) }));
      return reply.code(400).send(body('validation_error', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(body('payload_too_large', pick(FRAMEWORK.tooLarge, lang)));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(body('unsupported_media_type', err.message));
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return reply.code(400).send(body('validation_error', pick(FRAMEWORK.emptyJson, lang)));
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      // in English, Fastify's own message (it names where the JSON breaks)
      return reply.code(400).send(body('bad_request', lang === 'pt' ? 'body: não é um JSON válido' : err.message));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // the framework's other refusals: its message names the problem
      return reply.code(err.statusCode).send(body('bad_request', err.message));
    }
    // the edge refuses NULs (nul.ts); a text that still reaches PostgreSQL with one is bad input, not our failure
    const sqlState = (err as { code?: unknown }).code;
    if (sqlState === '22P05' || sqlState === '22021') return reply.code(400).send(body('validation_error', pick(FRAMEWORK.badText, lang)));
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(body('internal_error', pick(FRAMEWORK.internal, lang)));
  });

  app.setNotFoundHandler((req, reply) => {
    // the web app routes on the client: any unknown non-API GET gets its index.html
    if (indexHtml && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.type('text/html').send(indexHtml);
    const route = `${req.method} ${req.url.split('?')[0]}`;
    reply.code(404).send(body('not_found', requestLanguage(req) === 'pt' ? `rota inexistente: ${route}` : `no route ${route}`));
  });
}
