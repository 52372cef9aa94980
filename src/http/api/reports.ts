import { Hono } from 'hono';
import { z } from 'zod';
import { can } from '../../services/access.ts';
import type { Actor } from '../../services/actor.ts';
import { ikm, slaCompliance } from '../../services/reports/complaints.ts';
import type { AppDeps } from '../context.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiEnv } from './support.ts';

// The office's service figures over a period: IKM (the satisfaction index) and SLA compliance.

/** `2026-11-01` (midnight UTC) or a full ISO 8601 instant. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'expected an ISO 8601 date')
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()), 'expected an ISO 8601 date');
const periodQuery = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((p) => p.from < p.to, { message: 'from must be before to', path: ['to'] });

/** What this file serves, for the OpenAPI document (openapi.ts). */
export const reportOperations: ApiOperation[] = [
  { method: 'get', path: '/api/v1/reports/ikm', tag: 'Reports', summary: 'IKM (satisfaction index) over a period', permission: 'reports.read or dashboard.read', query: periodQuery },
  { method: 'get', path: '/api/v1/reports/sla', tag: 'Reports', summary: 'SLA compliance over a period', permission: 'reports.read or dashboard.read', query: periodQuery },
];

export function reportApiRoutes(deps: AppDeps) {
  const db = deps.database.db;
  const app = new Hono<ApiEnv>();
  const { fail, invalid } = apiSupport(deps);

  const reports = (path: string, run: (actor: Actor, period: { from: Date; to: Date }) => Promise<object>) =>
    app.get(`/api/v1/reports/${path}`, async (c) => {
      const actor = c.get('actor');
      if (!can(actor, 'reports.read') && !can(actor, 'dashboard.read')) return fail(c, 403, 'forbidden');
      const parsed = periodQuery.safeParse(c.req.query());
      if (!parsed.success) return invalid(c, parsed.error);
      const { from, to } = parsed.data;
      return c.json({ from: from.toISOString(), to: to.toISOString(), ...(await run(actor, { from, to })) });
    });
  reports('ikm', (a, p) => ikm(db, a, p));
  reports('sla', (a, p) => slaCompliance(db, a, p));
  return app;
}
