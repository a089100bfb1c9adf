import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_COMPONENTS } from '../../src/contracts/components.js';
import { operationIdOf } from '../../src/server/openapi.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The OpenAPI an integrator generates a client from: one unique operationId per operation, the
// security each really needs (none for WebChat, the webhooks, sign-in and /healthz), upload bodies.

type Operation = { operationId?: string; security?: Record<string, string[]>[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
let t: TestApp;
let ops: { method: string; path: string; op: Operation }[];
let spec: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> } };
beforeAll(async () => {
  t = await startTestApp();
  spec = (await t.anonymous().get('/api/openapi.json')).body as typeof spec;
  expect(Object.keys(spec.components.securitySchemes).sort()).toEqual(['bearer', 'session', 'visitorToken']);
  ops = Object.entries(spec.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
});
afterAll(() => t.close());

const find = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)!.op;

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId', () => {
    expect(ops.length).toBeGreaterThan(50);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.filter((id) => typeof id !== 'string' || !/^[a-z][A-Za-z0-9]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(find('GET', '/api/conversations/{id}').operationId).toBe('getConversationsById');
  });

  it('derives the ids from method and path, parameters as By…', () => {
    expect(operationIdOf('POST', '/api/auth/sessions/end-others')).toBe('postAuthSessionsEndOthers');
    expect(operationIdOf('GET', '/webhooks/:channel/:accountId')).toBe('getWebhooksByChannelByAccountId');
    expect(operationIdOf('DELETE', '/api/settings/:key')).toBe('deleteSettingsByKey');
    expect(operationIdOf('GET', '/healthz')).toBe('getHealthz');
  });

  it('marks the public routes as needing no session, and every other /api route as needing the cookie', () => {
    for (const [method, path] of [['POST', '/api/auth/login'], ['GET', '/healthz'], ['POST', '/webchat/visitors'], ['GET', '/webchat/config/{serviceKey}'], ['POST', '/webhooks/{channel}/{accountId}'], ['GET', '/webhooks/{channel}/{accountId}']]) {
      expect(find(method, path).security, `${method} ${path}`).toEqual([]);
    }
    expect(find('POST', '/webchat/attachments').security).toEqual([{ visitorToken: [] }]);
    expect(find('POST', '/api/channels/api/{serviceId}/messages').security).toEqual([{ bearer: [] }]);
    const outside = ops.filter((o) => !o.path.startsWith('/api/'));
    expect(outside.filter((o) => JSON.stringify(o.op.security).includes('session'))).toEqual([]);
    const sessionRoutes = ops.filter((o) => o.path.startsWith('/api/') && JSON.stringify(o.op.security) === JSON.stringify([{ session: [] }]));
    expect(sessionRoutes.length).toBeGreaterThan(40);
    for (const o of ops) expect(o.op.security, `${o.method} ${o.path}`).toBeDefined();
  });

  it('describes the upload bodies (WebChat’s, the agent’s): a multipart file, or the raw bytes', () => {
    for (const path of ['/webchat/attachments', '/api/conversations/{id}/attachments']) {
      const body = find('POST', path).requestBody!;
      expect(body.content['multipart/form-data'].schema, path).toMatchObject({ type: 'object', properties: { file: { type: 'string', format: 'binary' } } });
      expect(body.content['application/octet-stream'].schema, path).toMatchObject({ type: 'string', format: 'binary' });
    }
  });
});

describe('the shared component schemas', () => {
  /** Every `$ref` in a JSON value, with where it is (the operation or component). */
  const refsIn = (value: unknown): string[] => [...JSON.stringify(value).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);

  it('writes each shared schema once under components.schemas, and every $ref resolves to one', () => {
    expect(spec.openapi).toMatch(/^3\.0\./);
    const names = Object.keys(spec.components.schemas);
    expect(names.sort()).toEqual(Object.keys(SCHEMA_COMPONENTS).sort());
    const refs = refsIn(spec);
    expect(refs.length).toBeGreaterThan(100);
    const unresolved = refs.filter((r) => !(r.startsWith('#/components/schemas/') && r.slice('#/components/schemas/'.length) in spec.components.schemas));
    expect(unresolved).toEqual([]);
    // a component is a schema, not a reference to another one, and none is left unused
    for (const name of names) expect(spec.components.schemas[name], name).toHaveProperty('type');
    const reached = new Set(refs.map((r) => r.split('/').pop()));
    expect(names.filter((n) => !reached.has(n))).toEqual([]);
  });

  it('has the error body as one component that every error answer references', () => {
    const errorAnswers = ops.flatMap((o) => Object.entries((o.op as { responses?: Record<string, unknown> }).responses ?? {}).filter(([code]) => /^[45]/.test(code)).map(([code, r]) => ({ at: `${o.method} ${o.path} ${code}`, r })));
    expect(errorAnswers.length).toBeGreaterThan(100);
    const inline = errorAnswers.filter(({ r }) => !refsIn(r).includes('#/components/schemas/ErrorBody'));
    expect(inline.map((a) => a.at)).toEqual([]);
    // its shape is written once: no operation repeats the error object's own fields
    expect(JSON.stringify(spec.paths)).not.toContain('"currentState"');
    expect(spec.components.schemas.ErrorBody).toMatchObject({ type: 'object', properties: { error: { required: ['code', 'message'] } } });
  });

  it('lets the views be referenced from lists, details and actions alike', () => {
    const json = (method: string, path: string, code = '200') => JSON.stringify((find(method, path) as { responses: Record<string, unknown> }).responses[code]);
    expect(json('GET', '/api/conversations/{id}')).toContain('#/components/schemas/MessageView');
    expect(json('GET', '/api/conversations/{id}')).toContain('#/components/schemas/ConversationView');
    expect(json('POST', '/api/conversations/{id}/finish')).toContain('#/components/schemas/ConversationView');
    expect(json('GET', '/api/teams')).toContain('#/components/schemas/Team');
    expect(json('PATCH', '/api/teams/{id}')).toContain('#/components/schemas/Team');
  });
});
