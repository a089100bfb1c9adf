import { describe, expect, it } from 'vitest';
import { clientModule, typeOf } from './openapi-types.js';

describe('typeOf: JSON Schema to TypeScript', () => {
  it('covers what the routes produce, and answers unknown for the rest', () => {
    expect(typeOf({ type: 'string' })).toBe('string');
    expect(typeOf({ type: 'string', format: 'binary' })).toBe('Blob');
    expect(typeOf({ type: 'integer', nullable: true })).toBe('number | null');
    expect(typeOf({ type: 'string', enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(typeOf({ const: 'ok' })).toBe('"ok"');
    expect(typeOf({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeOf({ type: 'array', items: { type: 'boolean' } })).toBe('Array<boolean>');
    expect(typeOf({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe('string | number');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'number' } })).toBe('{\n  [key: string]: number;\n}');
    expect(typeOf({ type: 'object' })).toBe('Record<string, unknown>');
    // a record over an enum: every key of the enum is there
    expect(typeOf({ type: 'object', additionalProperties: { type: 'integer' }, required: ['a', 'b'] })).toBe('{\n  a: number;\n  b: number;\n  [key: string]: number;\n}');
    expect(typeOf({ type: 'object', additionalProperties: false })).toBe('Record<string, never>');
    expect(typeOf({ $ref: '#/components/schemas/Team' })).toBe('Schemas["Team"]');
    expect(typeOf({})).toBe('unknown');
    expect(typeOf({ type: 'object', required: ['a'], properties: { a: { type: 'string', description: 'the a' }, 'b-c': { type: 'number' } } })).toBe(
      '{\n  /** the a */\n  a: string;\n  "b-c"?: number;\n}',
    );
  });

  it('writes one entry per operation: parameters, body, the 2xx answers (204: void)', () => {
    const text = clientModule({
      paths: {
        '/api/x/{id}': {
          delete: { operationId: 'deleteXById', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 204: {} } },
          post: {
            operationId: 'postXById',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'q', in: 'query', schema: { type: 'integer' } }],
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } } } },
            responses: { 201: { content: { 'application/json': { schema: { type: 'boolean' } } } }, 400: {} },
          },
        },
      },
    });
    expect(text).toContain("deleteXById: { method: 'DELETE', path: '/api/x/{id}' },");
    expect(text).toMatch(/deleteXById: \{\n {4}params: \{\n {6}id: string;\n {4}\};\n {4}query: never;\n {4}body: never;\n {4}response: void;/);
    expect(text).toContain('export interface Schemas {}');
    expect(text).toMatch(/postXById: \{\n {4}params: \{\n {6}id: string;\n {4}\};\n {4}query: \{\n {6}q\?: number;\n {4}\};\n {4}body: \{\n {6}n: number;\n {4}\};\n {4}response: boolean;/);
  });

  it('types the shared components by name, and an upload\'s body by its content types', () => {
    const text = clientModule({
      paths: {
        '/api/up': {
          post: {
            operationId: 'postUp',
            requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
            responses: { 201: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Up' } } } } },
          },
        },
      },
      components: { schemas: { Up: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } },
    });
    expect(text).toContain('export interface Schemas {\n  Up: {\n    id: string;\n  };\n}');
    expect(text).toMatch(/postUp: \{\n {4}params: never;\n {4}query: never;\n {4}body: \{\n {6}file: Blob;\n {4}\} \| Blob;\n {4}response: Schemas\["Up"\];/);
  });
});
