import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { check, type SaidIssue } from '../engine/issues.js';

/** A request that does not match its route's schema; every issue in both languages. */
export class RequestValidationError extends Error {
  validationContext?: string;
  constructor(readonly issues: SaidIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message.en}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

/** Fastify's validator for the routes' zod schemas (fastify-type-provider-zod's, with both languages). */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => (data) => {
  const r = check(schema, data);
  return r.ok ? { value: r.value } : { error: new RequestValidationError(r.issues) };
};
