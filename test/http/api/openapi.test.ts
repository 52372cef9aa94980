import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../../src/http/api/openapi.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// The API description: a valid OpenAPI 3.1 document that covers every route the app really serves under
// /api/v1 (taken from Hono's own route table, so a new route without documentation fails here), and a page
// that shows it.

describe('OpenAPI document', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  const documentOf = async () => {
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    return (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters: { name: string }[] }>> };
  };

  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = await documentOf();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('covers every /api/v1 route the app serves, and nothing it does not', async () => {
    const doc = await documentOf();
    const served = new Set(
      t.app.routes
        .filter((r) => r.path.startsWith('/api/v1/') && !r.path.includes('*') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
    );
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)));
    expect([...served].filter((x) => !documented.has(x)).sort()).toEqual([]);
    expect([...documented].filter((x) => !served.has(x)).sort()).toEqual([]);
    expect(served.size).toBeGreaterThan(20);
  });

  it('describes bodies and queries from the zod schemas the routes parse with', async () => {
    const doc = await documentOf();
    const reply = doc.paths['/api/v1/complaints/{id}/reply']!.post! as { requestBody: { content: { 'application/json': { schema: { properties: Record<string, { maxLength?: number }>; required: string[] } } } } };
    expect(reply.requestBody.content['application/json'].schema.properties.text!.maxLength).toBe(4000);
    expect(reply.requestBody.content['application/json'].schema.required).toEqual(['text']);
    const list = doc.paths['/api/v1/complaints']!.get!;
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['queue', 'status', 'category', 'kecamatanId', 'sla', 'search', 'limit', 'offset']));
  });

  it('is browsable at /api/docs without any script', async () => {
    const res = await t.app.request('/api/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/api/v1/checkins');
    expect(html).toContain('/api/v1/events/{id}/progress');
    expect(html).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});
