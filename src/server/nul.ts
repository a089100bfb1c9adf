import type { FastifyInstance } from 'fastify';
import type { Said } from '../core/said.js';
import { fieldError } from '../engine/errors.js';

const NUL = '\u0000';

/**
 * The path of the first string (or key) holding a NUL character (U+0000), or undefined. PostgreSQL
 * refuses 0x00 in text, so such a value must be refused where it comes in, naming where it was,
 * instead of failing deep in a statement as a 500.
 */
export function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes(NUL)) return `${path}.${k.replaceAll(NUL, '\\u0000')}`;
    const found = findNul(v, `${path}.${k}`);
    if (found) return found;
  }
  return undefined;
}

export const NUL_SAID: Said = { en: 'must not contain the NUL character (U+0000)', pt: 'não pode conter o caractere NUL (U+0000)' };

/** The AppError for a value with a NUL at `path`. */
export const nulError = (path: string) => fieldError(400, 'validation_error', path, NUL_SAID);

/**
 * Every HTTP request's params, query and body are checked before validation: the choice is to refuse
 * (400 naming the field), not to strip, so what Mirante stores is what the sender sent.
 */
export function refuseNul(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const where = findNul(req.params, 'params') ?? findNul(req.query, 'querystring') ?? findNul(req.body, 'body');
    if (where) throw nulError(where);
  });
}
