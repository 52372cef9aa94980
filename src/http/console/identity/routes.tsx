import { Hono } from 'hono';
import { DEFAULT_IDENTITY_LIMITS } from '../../../config.ts';
import type { IdentityEnv } from '../../../services/identity/env.ts';
import { requirePermission } from '../../../services/access.ts';
import { findForCounter, IN_PERSON_PERMISSION, linkInPerson } from '../../../services/identity/in-person.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { LINK_PATH, LinkConfirmPage, LinkForbiddenPage, LinkFormPage, type PageContext } from './views/link.tsx';

// Issue 14, the in-person link: GET the form, POST /check shows the registry's masked facts to compare with
// the KTP, POST /confirm links and redirects back with the success message. services/identity/in-person.ts
// checks the permission and the scope, re-checks on confirm, and audits.

export function identityRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  // Apps built without compose.ts: no channel reaches registry phones, the household's chats are still told.
  const env: IdentityEnv = deps.identity ?? { i18n: deps.i18n, defaultLocale: deps.defaultLocale, phoneChannel: null, limits: DEFAULT_IDENTITY_LIMITS };
  const pageOf = (c: ConsoleContext): PageContext => ({ t: deps.i18n.getFixedT(c.get('locale')), locale: c.get('locale'), session: c.get('session') });
  const fields = async (c: ConsoleContext) => ({ code: (await formField(c, 'code')).slice(0, 32), nik: (await formField(c, 'nik')).slice(0, 32) });

  // The services' Forbidden (a role without the permission), wherever this page meets it (errors.ts).
  const forbidden = (c: ConsoleContext) => c.html(<LinkForbiddenPage page={pageOf(c)} />, 403);
  app.use('/console/identity/*', errorAnswers({ forbidden }));

  app.get(LINK_PATH, guard, (c) => {
    // The form holds nothing yet, but a role that could not use it gets the same 403 as its POSTs.
    requirePermission(c.get('session').actor, IN_PERSON_PERMISSION);
    return c.html(<LinkFormPage page={pageOf(c)} done={c.req.query('done') === 'linked'} />);
  });

  app.post(`${LINK_PATH}/check`, guard, csrf, async (c) => {
    const { code, nik } = await fields(c);
    const r = await findForCounter(db, c.get('session').actor, { code, nik, now: deps.clock() });
    if (!r.ok) return c.html(<LinkFormPage page={pageOf(c)} code={code} nik={nik} error={r.reason} />, 422);
    return c.html(<LinkConfirmPage page={pageOf(c)} match={r.match} code={code} nik={nik} />);
  });

  app.post(`${LINK_PATH}/confirm`, guard, csrf, async (c) => {
    const { code, nik } = await fields(c);
    const r = await linkInPerson(db, env, c.get('session').actor, { code, nik, now: deps.clock() });
    if (!r.ok) return c.html(<LinkFormPage page={pageOf(c)} code={code} nik={nik} error={r.reason} />, 422);
    return c.redirect(`${LINK_PATH}?done=linked`, 303);
  });

  return app;
}
