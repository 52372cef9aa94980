import { Hono } from 'hono';
import { z } from 'zod';
import { checkProgramInput, rulesOf, type ProgramInput } from '../../domain/program-input.ts';
import { can } from '../../services/access.ts';
import { ruleImpact } from '../../services/programs/impact.ts';
import { getProgram, inputOf, listPrograms, programCodes, type ProgramRow } from '../../services/programs/read.ts';
import { createProgram, updateProgram } from '../../services/programs/save.ts';
import { holdsFor, mayUsePrograms } from '../../services/programs/scope.ts';
import type { AppDeps } from '../context.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiContext, type ApiEnv } from './support.ts';

// Programs as data for other systems (issue 20): list, read, create, change, and the impact of proposed rules
// before they are saved. The same service calls as the console: the bidang is checked there (the admin every
// program, a supervisor their own bidang's), another bidang's program answers 404, and a program that does
// not pass domain/program-input.ts is refused with 422 and every problem by field, nothing saved.

const text = (max: number) => z.string().max(max);
const optionalText = z.string().max(2000).nullable().optional();
/** Numbers as JSON numbers; their range is the domain's check (422 with the field), not a 400. */
const amount = z.number().nullable().optional();

const fields = {
  name: text(200),
  nameEn: z.string().max(200).nullable().optional(),
  agency: text(200),
  bidang: z.string().max(40).nullable().optional(),
  funder: text(200),
  benefitType: text(40),
  benefitAmount: amount,
  benefitPeriod: text(40),
  unit: text(40),
  maxDesil: amount,
  minAge: amount,
  requiresDisability: z.boolean().optional(),
  excludedWith: z.array(z.string().max(20)).max(50).optional(),
  maxAmount: amount,
  activeFrom: z.string().max(10).nullable().optional(),
  activeUntil: z.string().max(10).nullable().optional(),
  targetPerYear: amount,
  requirements: optionalText,
  requirementsEn: optionalText,
  schedule: optionalText,
  scheduleEn: optionalText,
};
const createBody = z.strictObject({ code: text(20), ...fields });
const patchBody = z.strictObject(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> });
const impactBody = z.strictObject({
  maxDesil: amount,
  minAge: amount,
  requiresDisability: z.boolean().optional(),
  excludedWith: z.array(z.string().max(20)).max(50).optional(),
  activeFrom: z.string().max(10).nullable().optional(),
  activeUntil: z.string().max(10).nullable().optional(),
});

const MANAGE = 'programs.manage: the admin for every program, a supervisor for the programs of their own bidang';

/** What this file serves, for the OpenAPI document (openapi.ts). */
export const programOperations: ApiOperation[] = [
  { method: 'get', path: '/api/v1/programs', tag: 'Programs', summary: 'The programs the token may manage or approve, with target and receiving count', permission: `${MANAGE}, or recipients.approve` },
  { method: 'get', path: '/api/v1/programs/:id', tag: 'Programs', summary: 'One program: benefit, rules, active dates, target, FAQ texts', permission: `${MANAGE}, or recipients.approve`, problems: [404] },
  { method: 'post', path: '/api/v1/programs', tag: 'Programs', summary: 'Add a program (audited); 422 names each field that is wrong', permission: MANAGE, body: createBody, success: { status: 201, description: 'Created' }, problems: [422] },
  { method: 'patch', path: '/api/v1/programs/:id', tag: 'Programs', summary: 'Change a program (fields given replace the stored ones; the code never changes; audited)', permission: MANAGE, body: patchBody, problems: [404, 422] },
  { method: 'post', path: '/api/v1/programs/:id/impact', tag: 'Programs', summary: 'How many enrolled families proposed rules would make ineligible, and how many would become eligible; nothing saved', permission: MANAGE, body: impactBody, problems: [404, 422] },
];

/** A program as the API shows it. */
function programJson(p: ProgramRow) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    nameEn: p.nameEn,
    agency: p.agency,
    bidang: p.bidang,
    funder: p.funder,
    benefitType: p.benefitType,
    benefitAmount: p.benefitAmount,
    benefitPeriod: p.benefitPeriod,
    unit: p.unit,
    rules: p.rules,
    activeFrom: p.activeFrom,
    activeUntil: p.activeUntil,
    targetPerYear: p.targetPerYear,
    requirements: p.requirements,
    requirementsEn: p.requirementsEn,
    schedule: p.schedule,
    scheduleEn: p.scheduleEn,
    updatedAt: p.updatedAt,
  };
}

/** A body's fields onto a program's: what is given replaces, what is absent stays. */
function merged(base: ProgramInput, body: Partial<Record<keyof ProgramInput, unknown>>): ProgramInput {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = v;
  return out as unknown as ProgramInput;
}

export function programApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, idOf, jsonBody } = apiSupport(deps);
  const invalidProgram = (c: ApiContext, problems: { field: string; problem: string }[]) => fail(c, 422, 'program_invalid', { problems });

  app.get('/api/v1/programs', async (c) => {
    const actor = c.get('actor');
    if (!mayUsePrograms(actor)) return fail(c, 403, 'forbidden');
    return c.json({ items: await listPrograms(db, actor) });
  });

  app.get('/api/v1/programs/:id', async (c) => {
    const actor = c.get('actor');
    if (!mayUsePrograms(actor)) return fail(c, 403, 'forbidden');
    const id = idOf(c);
    const p = id === null ? null : await getProgram(db, actor, id);
    return p ? c.json(programJson(p)) : fail(c, 404, 'not_found');
  });

  app.post('/api/v1/programs', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'programs.manage')) return fail(c, 403, 'forbidden');
    const body = await jsonBody(c, createBody);
    if (!body.ok) return body.res;
    const input = merged({ code: '', name: '', nameEn: null, agency: '', bidang: null, funder: '', benefitType: '', benefitAmount: null, benefitPeriod: '', unit: '', maxDesil: null, minAge: null, requiresDisability: false, excludedWith: [], maxAmount: null, activeFrom: null, activeUntil: null, targetPerYear: null, requirements: null, requirementsEn: null, schedule: null, scheduleEn: null }, body.data);
    const r = await createProgram(db, actor, input, { now: deps.clock() });
    if (!r.ok) return r.reason === 'invalid' ? invalidProgram(c, r.problems) : fail(c, 404, 'not_found');
    return c.json(programJson((await getProgram(db, actor, r.id))!), 201);
  });

  /** The program, if the token may manage it; null answers 404 (missing or another bidang's). */
  const managed = async (c: ApiContext) => {
    const id = idOf(c);
    const p = id === null ? null : await getProgram(db, c.get('actor'), id);
    return p && holdsFor(c.get('actor'), 'programs.manage', p.bidang) ? p : null;
  };

  app.patch('/api/v1/programs/:id', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'programs.manage')) return fail(c, 403, 'forbidden');
    const p = await managed(c);
    if (!p) return fail(c, 404, 'not_found');
    const body = await jsonBody(c, patchBody);
    if (!body.ok) return body.res;
    const r = await updateProgram(db, actor, p.id, merged(inputOf(p), body.data), { now: deps.clock() });
    if (!r.ok) return r.reason === 'invalid' ? invalidProgram(c, r.problems) : fail(c, 404, 'not_found');
    return c.json({ ...programJson((await getProgram(db, actor, p.id))!), changed: r.changed });
  });

  app.post('/api/v1/programs/:id/impact', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'programs.manage')) return fail(c, 403, 'forbidden');
    const p = await managed(c);
    if (!p) return fail(c, 404, 'not_found');
    const body = await jsonBody(c, impactBody);
    if (!body.ok) return body.res;
    const input = merged(inputOf(p), body.data);
    const problems = checkProgramInput(input, await programCodes(db));
    if (problems.length > 0) return invalidProgram(c, problems);
    const impact = await ruleImpact(db, actor, p.id, { rules: rulesOf(input), activeFrom: input.activeFrom, activeUntil: input.activeUntil }, { now: deps.clock(), timeZone: deps.timeZone });
    return impact ? c.json(impact) : fail(c, 404, 'not_found');
  });

  return app;
}
