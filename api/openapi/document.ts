import { z } from 'zod';
import type { ApiOperation } from './operation';
import { API_OPERATIONS } from './operations';
import { errorBody } from './common';

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema (2020-12, as OpenAPI 3.1 takes it): what a caller sends (input) or gets (output). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  if ('$defs' in rest) throw new Error('a schema with $defs needs hoisting into components; none of ours has one yet');
  return rest;
}

/** The path, query or header parameters of an object schema, each with its own schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header'): Json[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries((s.properties ?? {}) as Record<string, Json>).map(([name, p]) => ({
    name, in: where, required: where === 'path' || required.has(name), schema: p,
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  }));
}

const ROLE_WORDS = {
  viewer: 'Role: viewer (参照) or above.',
  operator: 'Role: operator (更新) or above.',
  admin: 'Role: admin.',
} as const;

/** The answers every route may give besides its own: the middleware's (validation, auth, the shop, the body, Temporal). */
function commonResponses(op: ApiOperation): Record<number, string> {
  const shopScoped = op.path.startsWith('/shops/{shopId}');
  const common: Record<number, string> = { 400: 'invalid request: each field and its reason' };
  if (op.role) common[401] = 'missing or wrong bearer token';
  if (op.role && op.role !== 'viewer') common[403] = 'the caller lacks the role';
  if (shopScoped) common[404] = 'unknown shop, or one the caller cannot see';
  if (op.body) Object.assign(common, { 413: 'body is too large', 415: 'unsupported charset or content-encoding' });
  if (op.tag !== 'Health' && op.tag !== 'Contract') common[503] = 'PostgreSQL or Temporal did not answer in time; retry later';
  return common;
}

const operationId = (op: ApiOperation) =>
  op.method + op.path.split(/[/{}.-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** One operation as OpenAPI 3.1 writes it. */
function operationObject(op: ApiOperation): Json {
  const responses: Json = {};
  const declared = Object.entries(op.responses).map(([code, r]) => [Number(code), r] as const);
  const statuses = new Map<number, { description: string; schema?: z.ZodType; mediaType?: string }>(declared);
  for (const [code, description] of Object.entries(commonResponses(op))) {
    if (!statuses.has(Number(code))) statuses.set(Number(code), { description, schema: errorBody });
  }
  for (const [code, r] of [...statuses].sort(([a], [b]) => a - b)) {
    const media = r.mediaType ?? 'application/json';
    responses[String(code)] = {
      description: r.description,
      ...(code === 204 ? {} : { content: { [media]: r.schema ? { schema: jsonSchema(r.schema, 'output') } : {} } }),
    };
  }
  const bodyOptional = op.body ? op.body.safeParse(op.bodyMediaType ? '' : {}).success : false;
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [op.role ? ROLE_WORDS[op.role] : 'No operator token.', op.description].filter(Boolean).join(' '),
    ...(op.role ? { 'x-renkei-role': op.role } : {}),
    security: op.role ? [{ bearer: [] }] : [],
    parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query'), ...parameters(op.headers, 'header')],
    ...(op.body ? {
      requestBody: {
        required: !bodyOptional,
        content: {
          [op.bodyMediaType ?? 'application/json']: { schema: jsonSchema(op.body, 'input') },
          ...Object.fromEntries(Object.entries(op.altBodies ?? {}).map(([media, schema]) => [media, { schema: jsonSchema(schema, 'input') }])),
        },
      },
    } : {}),
    responses,
  };
}

/** The API's contract: OpenAPI 3.1, built from the operations' zod schemas (the ones the routes validate with). */
export function openApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`two operations for ${op.method.toUpperCase()} ${op.path}`);
    item[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'renkei operator API',
      version: '1',
      description: 'The HTTP API of renkei: the shops\' systems report orders, operators read and act on them. '
        + 'Every call but health, this contract and the Amazon Pay IPN takes `Authorization: Bearer <token>` (an operator\'s token, or '
        + 'the deployment\'s API_TOKEN, the bootstrap admin). A 4xx answers {error, ...}; a refused input lists issues: [{field, reason}].',
    },
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: "an operator's token, or API_TOKEN" } },
    },
  };
}
