import { Hono } from 'hono';
import { z } from 'zod';
import { can } from '../../services/access.ts';
import type { Actor } from '../../services/actor.ts';
import { ikm, slaCompliance } from '../../services/reports/complaints.ts';
import { checkMonth, monthlyFigures } from '../../services/reports/monthly/figures.ts';
import { isEmptyMonth } from '../../services/reports/monthly/types.ts';
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
  {
    method: 'get',
    path: '/api/v1/reports/monthly/:month',
    tag: 'Reports',
    summary: "The monthly report's figures (YYYY-MM): per program and kecamatan, and the services per kecamatan, in the token's scope",
    permission: 'reports.read',
    success: { status: 200, description: 'The figures: programs (enrollments against target, distributions by round and channel), services (complaints, SLA, findings, visits, PPKS, IKM)' },
    problems: [422],
  },
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

  // The monthly report's figures, counted now for the token's scope (services/reports/monthly): the same
  // numbers as the console page and the files. A malformed month is a 400, a future one or one with no data a 422.
  app.get('/api/v1/reports/monthly/:month', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'reports.read')) return fail(c, 403, 'forbidden');
    const opts = { now: deps.clock(), timeZone: deps.timeZone };
    const month = checkMonth(c.req.param('month'), opts);
    if (!month.ok) return month.problem === 'format' ? fail(c, 400, 'monthly_month_format') : fail(c, 422, 'monthly_month_future');
    const figures = await monthlyFigures(db, actor, month.month, opts);
    if (isEmptyMonth(figures)) return fail(c, 422, 'monthly_empty');
    return c.json(figures);
  });
  return app;
}
