import { Hono } from 'hono';
import { can, requirePermission } from '../../../services/access.ts';
import { IN_PERSON_PERMISSION } from '../../../services/identity/in-person.ts';
import { READ_PERMISSION as FINDINGS_PERMISSION } from '../../../services/registry/quality/findings.ts';
import { openHousehold, viewHousehold } from '../../../services/residents/open.ts';
import { RESIDENTS_PERMISSION } from '../../../services/residents/scope.ts';
import { MAX_RESULTS, searchResidents } from '../../../services/residents/search.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { householdPath, RESIDENTS_PATH, type PageContext } from './views/context.ts';
import { HouseholdPage } from './views/household.tsx';
import { ReasonPage } from './views/reason.tsx';
import { HouseholdNotFoundPage, ResidentsForbiddenPage, SearchPage } from './views/search.tsx';

// The resident lookup (issue 18): GET the search form, POST a search (the typed NIK or name stays out of
// URLs), GET a household (its page if this officer opened it lately, else the reason form), POST the reason.
// services/residents checks the permission and the kecamatan on every read, counts and audits.

export function residentRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const pageOf = (c: ConsoleContext): PageContext => ({ t: deps.i18n.getFixedT(c.get('locale')), locale: c.get('locale'), session: c.get('session'), timeZone: deps.timeZone });

  // The services' Forbidden (a role without 'residents.read'), wherever these pages meet it (errors.ts).
  const forbidden = (c: ConsoleContext) => c.html(<ResidentsForbiddenPage page={pageOf(c)} />, 403);
  app.use(RESIDENTS_PATH, errorAnswers({ forbidden }));
  app.use(`${RESIDENTS_PATH}/*`, errorAnswers({ forbidden }));

  const householdId = (c: ConsoleContext): number | undefined => {
    const raw = c.req.param('id') ?? '';
    return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
  };
  const notFound = (c: ConsoleContext) => c.html(<HouseholdNotFoundPage page={pageOf(c)} />, 404);

  app.get(RESIDENTS_PATH, guard, (c) => {
    // The form shows nothing yet, but a role that could not search gets the same 403 as its POST.
    requirePermission(c.get('session').actor, RESIDENTS_PERMISSION);
    return c.html(<SearchPage page={pageOf(c)} />);
  });

  app.post(RESIDENTS_PATH, guard, csrf, async (c) => {
    const query = (await formField(c, 'q')).slice(0, 100);
    const r = await searchResidents(db, c.get('session').actor, { query, now: deps.clock() });
    if (!r.ok) return c.html(<SearchPage page={pageOf(c)} query={query} error={r.until ? { reason: r.reason, until: r.until } : { reason: r.reason }} />, r.reason === 'rate_limited' ? 429 : 422);
    return c.html(<SearchPage page={pageOf(c)} query={query} outcome={{ hits: r.hits, more: r.more, max: MAX_RESULTS }} />);
  });

  app.get(`${RESIDENTS_PATH}/households/:id`, guard, async (c) => {
    const id = householdId(c);
    const actor = c.get('session').actor;
    requirePermission(actor, RESIDENTS_PERMISSION);
    if (id === undefined) return notFound(c);
    const view = await viewHousehold(db, actor, id, { now: deps.clock(), timeZone: deps.timeZone });
    if (view.kind === 'not_found') return notFound(c);
    if (view.kind === 'needs_reason') return c.html(<ReasonPage page={pageOf(c)} household={view.household} />);
    return c.html(<HouseholdPage page={pageOf(c)} data={view.page} mayLink={can(actor, IN_PERSON_PERMISSION)} mayReadFindings={can(actor, FINDINGS_PERMISSION)} />);
  });

  app.post(`${RESIDENTS_PATH}/households/:id/open`, guard, csrf, async (c) => {
    const id = householdId(c);
    const actor = c.get('session').actor;
    requirePermission(actor, RESIDENTS_PERMISSION);
    if (id === undefined) return notFound(c);
    const reason = (await formField(c, 'reason')).slice(0, 40);
    const note = (await formField(c, 'note')).slice(0, 1000);
    const r = await openHousehold(db, actor, id, { reason, note, now: deps.clock() });
    if (r.ok) return c.redirect(householdPath(id), 303);
    if (r.reason === 'not_found') return notFound(c);
    // The heading again, with what was chosen and why it was refused.
    const view = await viewHousehold(db, actor, id, { now: deps.clock(), timeZone: deps.timeZone });
    if (view.kind !== 'needs_reason') return view.kind === 'not_found' ? notFound(c) : c.redirect(householdPath(id), 303);
    return c.html(<ReasonPage page={pageOf(c)} household={view.household} reason={reason} note={note} error={r.reason} />, 422);
  });

  return app;
}
