import { z } from 'zod';

// The OpenAPI 3.1 description of /api/v1, built from the same zod schemas the routes parse with: each route
// file lists its operations next to its handlers, and this module turns the list into the document. A test
// compares the document with the routes the app really serves, so a new route cannot go undocumented.

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface ApiOperation {
  method: HttpMethod;
  /** Hono's pattern, e.g. /api/v1/complaints/:id */
  path: string;
  tag: string;
  summary: string;
  /** Who may call it, in words (the role table is in README). */
  permission: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status and what it returns; JSON unless it is an export `file`. */
  success?: { status: number; description: string; file?: 'csv' | 'xlsx' };
  /** The problem statuses this operation can answer besides 400, 401 and 403. */
  problems?: number[];
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Bad input: the body or query does not fit (problem details name the field).',
  401: 'No token, an unknown one, a revoked one, or one past its expiry.',
  403: "The token's role may not do this.",
  404: 'Unknown, or outside the token’s scope (never told apart).',
  409: 'Not possible in the current state.',
  413: 'Body too large.',
  422: 'A value the service refuses (problem details say which).',
};

/** The exports' media types (services/exports/file.ts) and bodies: CSV is text, XLSX bytes. */
const FILE_MEDIA_TYPES = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
const FILE_SCHEMAS = { csv: { type: 'string' }, xlsx: { type: 'string', contentMediaType: FILE_MEDIA_TYPES.xlsx, contentEncoding: 'binary' } } as const;

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // The input side: what a caller sends (defaults optional, transforms described by their input).
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

/** Query parameters from a zod object: one parameter per key. */
function queryParameters(schema: z.ZodType): Record<string, unknown>[] {
  const s = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: 'query',
    required: (s.required ?? []).includes(name),
    schema: prop,
  }));
}

/** :id → {id}, for OpenAPI paths. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

export function openApiDocument(operations: readonly ApiOperation[], info: { version: string; serverUrl?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    const pathParams = [...op.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
    }));
    const success = op.success ?? { status: 200, description: 'OK' };
    const responses: Record<string, unknown> = {
      [String(success.status)]: {
        description: success.description,
        content: success.file ? { [FILE_MEDIA_TYPES[success.file]]: { schema: FILE_SCHEMAS[success.file] } } : { 'application/json': { schema: { type: 'object' } } },
      },
    };
    for (const status of [400, 401, 403, ...(op.problems ?? [])]) {
      responses[String(status)] = { description: PROBLEM_TEXT[status] ?? 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    paths[path] ??= {};
    paths[path][op.method] = {
      tags: [op.tag],
      summary: op.summary,
      description: `Permission: ${op.permission}.`,
      operationId: `${op.method}${op.path.replace(/^\/api\/v1/, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      parameters: [...pathParams, ...(op.query ? queryParameters(op.query) : [])],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pintu API',
      version: info.version,
      description:
        'The API of Pintu, the messaging front door of a Dinas Sosial, for other systems. Every call needs `Authorization: Bearer <token>`; tokens carry a role and a scope like staff accounts. Errors are RFC 9457 problem details. Messages follow `Accept-Language` (id, en).',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (pintu_...), created by an admin on /console/admin/tokens.' } },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details; `error` is a stable code, `message` the same text as `detail`.',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            error: { type: 'string' },
            message: { type: 'string' },
          },
          required: ['type', 'title', 'status', 'error'],
        },
      },
    },
    paths,
  };
}
