import { Hono } from 'hono';
import { DEFAULT_IDENTITY_LIMITS } from '../../../config.ts';
import type { IdentityEnv } from '../../../services/identity/env.ts';
import { requirePermission } from '../../../services/access.ts';
import { findForCounter, IN_PERSON_PERMISSION, linkInPerson } from '../../../services/identity/in-person.ts';
import { memberForLink, type MemberForLink } from '../../../services/residents/link-member.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { LINK_PATH, LinkConfirmPage, LinkForbiddenPage, LinkFormPage, type ChosenMember, type PageContext } from './views/link.tsx';

// Issue 14, the in-person link: GET the form, POST /check shows the registry's masked facts to compare with
// the KTP, POST /confirm links and redirects back with the success message. services/identity/in-person.ts
// checks the permission and the scope, re-checks on confirm, and audits.
//
// Started from a household's page (issue 18, /console/residents), the member comes as `member` (an id, in
// the query of the GET and a hidden field of the POSTs) instead of a typed NIK: services/residents/
// link-member.ts gives the NIK back only for a household this officer opened with a reason lately, and the
// check then runs exactly as if it had been typed. The NIK itself never reaches the page.

export function identityRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  // Apps built without compose.ts: no channel reaches registry phones, the household's chats are still told.
  const env: IdentityEnv = deps.identity ?? { i18n: deps.i18n, defaultLocale: deps.defaultLocale, phoneChannel: null, limits: DEFAULT_IDENTITY_LIMITS };
  const pageOf = (c: ConsoleContext): PageContext => ({ t: deps.i18n.getFixedT(c.get('locale')), locale: c.get('locale'), session: c.get('session') });
  const memberOf = async (c: ConsoleContext, raw: string | undefined): Promise<MemberForLink | undefined> => {
    if (!raw || !/^\d{1,15}$/.test(raw)) return undefined;
    return memberForLink(db, c.get('session').actor, Number(raw), deps.clock());
  };
  // What a page may hold of the chosen member: the NIK stays on the server.
  const shown = (m: MemberForLink | undefined): ChosenMember | undefined => (m ? { memberId: m.memberId, maskedName: m.maskedName, maskedNik: m.maskedNik } : undefined);
  const fields = async (c: ConsoleContext) => {
    const code = (await formField(c, 'code')).slice(0, 32);
    const typed = (await formField(c, 'nik')).slice(0, 32);
    // A typed NIK wins; a chosen member that is no longer allowed (time up, moved) falls back to typing one.
    const chosen = typed ? undefined : await memberOf(c, await formField(c, 'member'));
    return { code, nik: chosen ? chosen.nik : typed, member: shown(chosen) };
  };

  // The services' Forbidden (a role without the permission), wherever this page meets it (errors.ts).
  const forbidden = (c: ConsoleContext) => c.html(<LinkForbiddenPage page={pageOf(c)} />, 403);
  app.use('/console/identity/*', errorAnswers({ forbidden }));

  app.get(LINK_PATH, guard, async (c) => {
    // The form holds nothing yet, but a role that could not use it gets the same 403 as its POSTs.
    requirePermission(c.get('session').actor, IN_PERSON_PERMISSION);
    const member = shown(await memberOf(c, c.req.query('member')));
    return c.html(<LinkFormPage page={pageOf(c)} done={c.req.query('done') === 'linked'} member={member} />);
  });

  app.post(`${LINK_PATH}/check`, guard, csrf, async (c) => {
    const { code, nik, member } = await fields(c);
    const r = await findForCounter(db, c.get('session').actor, { code, nik, now: deps.clock() });
    if (!r.ok) return c.html(<LinkFormPage page={pageOf(c)} code={code} nik={member ? '' : nik} member={member} error={r.reason} />, 422);
    return c.html(<LinkConfirmPage page={pageOf(c)} match={r.match} code={code} nik={member ? '' : nik} member={member} />);
  });

  app.post(`${LINK_PATH}/confirm`, guard, csrf, async (c) => {
    const { code, nik, member } = await fields(c);
    const r = await linkInPerson(db, env, c.get('session').actor, { code, nik, now: deps.clock() });
    if (!r.ok) return c.html(<LinkFormPage page={pageOf(c)} code={code} nik={member ? '' : nik} member={member} error={r.reason} />, 422);
    return c.redirect(`${LINK_PATH}?done=linked`, 303);
  });

  return app;
}
