import type { FastifySchema, RouteOptions } from 'fastify';
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The OpenAPI request body of a route whose body is not validated by a schema (a raw upload):
     * documentation only, never a validator.
     */
    docBody?: { description?: string; content: Record<string, { schema: Record<string, unknown> }> };
  }
}

/**
 * The operationId of a route, from its method and path: `GET /api/conversations/:id/messages` →
 * `getConversationsByIdMessages`. One route has one method and path, so the ids are unique (a test
 * checks it); a route may still name its own in `schema.operationId`.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((s, i) => s && !(i === 1 && s === 'api'))
    .flatMap((s) => (s.startsWith(':') ? ['by', ...s.slice(1).split(/[^A-Za-z0-9]+/)] : s.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * Who needs what, for the spec: a route under /api needs the session cookie unless its access is
 * `public`; WebChat, the providers' webhooks and /healthz carry no session. A route that names its
 * own scheme (the API channel's bearer token, the visitor's token) keeps it.
 */
function securityOf(route: RouteOptions, schema: FastifySchema & { security?: unknown }): unknown {
  if (schema.security !== undefined) return schema.security;
  const isPublic = route.config?.access === 'public' || !route.url.startsWith('/api/');
  return isPublic ? [] : [{ session: [] }];
}

/** fastify-type-provider-zod's transform (zod → JSON Schema), then the operationId, the security and an upload's body. */
export const openapiTransform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const schema = out.schema as FastifySchema & { hide?: boolean; operationId?: string; security?: unknown; body?: unknown };
  if (schema.hide) return out;
  const method = Array.isArray(input.route.method) ? input.route.method[0] : input.route.method;
  const docBody = input.route.config?.docBody;
  return {
    url: out.url,
    schema: {
      ...schema,
      operationId: schema.operationId ?? operationIdOf(method, input.url),
      security: securityOf(input.route, schema),
      ...(docBody && schema.body === undefined && { body: docBody }),
    } as FastifySchema,
  };
};

const REF = /"#\/components\/schemas\/([^"]+)"/g;

/**
 * fastify-type-provider-zod's object transform: the schemas with an id in zod's registry
 * (contracts/components.ts) written once under components.schemas, each in its output form (`X`,
 * what routes answer) and its input form (`XInput`, what they read). Only the ones some operation
 * reaches, directly or through another component, stay: the rest would be noise for an integrator.
 */
export const openapiTransformObject: SwaggerTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const all = doc.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (value: unknown) => {
    for (const [, name] of JSON.stringify(value).matchAll(REF)) {
      if (used.has(name)) continue;
      used.add(name);
      visit(all[name]);
    }
  };
  visit(doc.paths);
  const schemas = Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...doc.components, schemas } } as ReturnType<SwaggerTransformObject>;
};
