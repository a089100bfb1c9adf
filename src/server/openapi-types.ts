/**
 * TypeScript types from Mirante's OpenAPI document, for the typed client (src/contracts/api-client.ts):
 * one entry per operationId with its method, path, path and query parameters, JSON body and JSON
 * answer. Covers the JSON Schema the routes' zod schemas produce (objects, arrays, enums, unions,
 * nullable, consts, records); anything else is `unknown`, never a wrong type.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  prefixItems?: Schema[];
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  format?: string;
  description?: string;
};

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const literal = (v: unknown) => JSON.stringify(v);
const union = (parts: string[]) => {
  const unique = [...new Set(parts)];
  return unique.length ? unique.map((p) => (p.includes('=>') ? `(${p})` : p)).join(' | ') : 'never';
};

/** The TypeScript type of one JSON Schema, indented for its depth. */
export function typeOf(schema: Schema | undefined, indent = ''): string {
  if (!schema || typeof schema !== 'object') return 'unknown';
  const base = bareTypeOf(schema, indent);
  return schema.nullable && base !== 'unknown' ? union([base, 'null']) : base;
}

function bareTypeOf(s: Schema, indent: string): string {
  if (s.$ref) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(s.$ref)?.[1];
    return name ? `Schemas[${literal(name)}]` : 'unknown';
  }
  if (s.const !== undefined) return literal(s.const);
  if (s.enum) return union(s.enum.map(literal));
  if (s.anyOf || s.oneOf) return union((s.anyOf ?? s.oneOf)!.map((x) => typeOf(x, indent)));
  if (s.allOf) return s.allOf.map((x) => `(${typeOf(x, indent)})`).join(' & ') || 'unknown';
  if (Array.isArray(s.type)) return union(s.type.map((t) => bareTypeOf({ ...s, type: t }, indent)));
  switch (s.type) {
    case 'string':
      return s.format === 'binary' ? 'Blob' : 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      if (s.prefixItems) return `[${s.prefixItems.map((x) => typeOf(x, indent)).join(', ')}]`;
      if (Array.isArray(s.items)) return `[${s.items.map((x) => typeOf(x, indent)).join(', ')}]`;
      return `Array<${typeOf(s.items, indent)}>`;
    case 'object':
      return objectTypeOf(s, indent);
    default:
      return 'unknown';
  }
}

function objectTypeOf(s: Schema, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const props = Object.entries(s.properties ?? {}).map(([name, p]) => {
    const doc = p.description ? `${inner}/** ${p.description.replace(/\*\//g, '*\\/').replace(/\n/g, ' ')} */\n` : '';
    return `${doc}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(p, inner)};`;
  });
  const extra = s.additionalProperties;
  // a record over an enum (z.record(z.enum(…), …)): its keys are required, without properties of their own
  for (const name of required) {
    if (!s.properties?.[name]) props.push(`${inner}${key(name)}: ${extra && typeof extra === 'object' ? typeOf(extra, inner) : 'unknown'};`);
  }
  if (extra && typeof extra === 'object') props.push(`${inner}[key: string]: ${typeOf(extra, inner)};`);
  else if (extra !== false && !props.length) return 'Record<string, unknown>';
  return props.length ? `{\n${props.join('\n')}\n${indent}}` : 'Record<string, never>';
}

const json = (content: Record<string, { schema?: Schema }> | undefined) => content?.['application/json']?.schema;

function paramsType(params: NonNullable<Operation['parameters']>, where: string, indent: string): string {
  const mine = params.filter((p) => p.in === where);
  if (!mine.length) return 'never';
  return `{\n${mine.map((p) => `${indent}  ${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema, `${indent}  `)};`).join('\n')}\n${indent}}`;
}

/** The generated module: `Operations` (types by operationId) and `OPERATIONS` (each one's method and path). */
export function clientModule(doc: OpenApiDocument): string {
  const entries: string[] = [];
  const routes: string[] = [];
  const ops = Object.entries(doc.paths)
    .flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
    .filter((o) => o.op.operationId)
    .sort((a, b) => a.op.operationId!.localeCompare(b.op.operationId!));
  for (const { path, method, op } of ops) {
    const id = op.operationId!;
    const params = op.parameters ?? [];
    const ok = Object.entries(op.responses ?? {}).filter(([code]) => /^2/.test(code));
    const response = ok.length ? union(ok.map(([code, r]) => (code === '204' ? 'void' : r.content?.['application/json'] ? typeOf(json(r.content), '    ') : 'unknown'))) : 'unknown';
    // a body that is not JSON (an upload's file) is typed by its content types' schemas: Blob for the bytes
    const content = Object.values(op.requestBody?.content ?? {});
    const body = !op.requestBody ? 'never' : json(op.requestBody.content) ? typeOf(json(op.requestBody.content), '    ') : content.length ? union(content.map((c) => typeOf(c.schema, '    '))) : 'unknown';
    entries.push(
      [
        `  /** ${method} ${path}${op.summary ? `: ${op.summary.replace(/\*\//g, '*\\/').replace(/\n/g, ' ')}` : ''} */`,
        `  ${id}: {`,
        `    params: ${paramsType(params, 'path', '    ')};`,
        `    query: ${paramsType(params, 'query', '    ')};`,
        `    body: ${body};`,
        `    response: ${response};`,
        '  };',
      ].join('\n'),
    );
    routes.push(`  ${id}: { method: '${method}', path: '${path}' },`);
  }
  const schemas = Object.entries(doc.components?.schemas ?? {});
  return [
    '// Generated from /api/openapi.json by scripts/openapi-client.ts: do not edit by hand.',
    '// `npx tsx scripts/openapi-client.ts` writes it again; a test fails while it is out of date.',
    '/* eslint-disable */',
    '',
    `export interface Schemas {${schemas.length ? `\n${schemas.map(([name, s]) => `  ${key(name)}: ${typeOf(s, '  ')};`).join('\n')}\n` : ''}}`,
    '',
    'export interface Operations {',
    entries.join('\n'),
    '}',
    '',
    'export const OPERATIONS = {',
    routes.join('\n'),
    '} as const satisfies Record<keyof Operations, { method: string; path: string }>;',
    '',
  ].join('\n');
}
