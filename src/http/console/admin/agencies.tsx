import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { kecamatanByName } from '../../../services/areas.ts';
import {
  AGENCY_ADDRESS_MAX,
  AGENCY_EMAIL_MAX,
  AGENCY_NAME_MAX,
  AGENCY_PHONE_MAX,
  AGENCY_SERVICES_MAX,
  agencyProblems,
  getAgency,
  listAgencies,
  mayChangeAgency,
  saveAgency,
  setAgencyActive,
  type AgencyInput,
  type AgencyProblem,
} from '../../../services/referrals/agencies.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ADMIN_PAGES } from './pages.ts';
import { activeToggleRoutes, adminPage, formFields, notFoundPage, parseId, parseKecamatan, requireAdminPermission, tOf } from './shared.tsx';
import { AgenciesList, AgencyEdit, emptyAgencyDraft, type AgencyDraft } from './views/agencies.tsx';

// Referral agencies (issue 19): the list with the form to add one, a page per agency to change it, and
// deactivate / reactivate. Thin: services/referrals/agencies.ts checks the input, the scope and writes the
// audit row; a refusal shows the form again with what was typed.

const PATH = '/console/admin/agencies';
const DONE = ['create', 'update', 'deactivate', 'reactivate'] as const;
const MAX: Record<AgencyProblem['field'], number> = { name: AGENCY_NAME_MAX, kind: 0, kecamatan: 0, services: AGENCY_SERVICES_MAX, phone: AGENCY_PHONE_MAX, email: AGENCY_EMAIL_MAX, address: AGENCY_ADDRESS_MAX };

const problemText = (t: TFunction, p: AgencyProblem) => t(`referrals:agencies.problems.${p.field}.${p.problem}`, { max: MAX[p.field] });

export function agencyRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const allowed = requireAdminPermission(deps, ADMIN_PAGES.find((p) => p.path === PATH)!.permission);

  const list = async (c: ConsoleContext, opts: { done?: string; errors?: string[]; draft?: AgencyDraft } = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const [agencies, areas] = await Promise.all([listAgencies(db, session.actor), kecamatanByName(db)]);
    const changeable = new Set(agencies.filter((a) => mayChangeAgency(session.actor, a)).map((a) => a.id));
    return adminPage(
      deps,
      c,
      {
        title: t('referrals:agencies.title'),
        here: PATH,
        children: <AgenciesList t={t} session={session} agencies={agencies} areas={areas} changeable={changeable} draft={opts.draft ?? emptyAgencyDraft(session.actor)} done={opts.done} errors={opts.errors} />,
      },
      status,
    );
  };

  const edit = async (c: ConsoleContext, id: number, draft: AgencyDraft, errors: string[] = [], status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    return adminPage(
      deps,
      c,
      {
        title: t('referrals:agencies.editTitle', { name: draft.name }),
        here: PATH,
        children: <AgencyEdit t={t} session={c.get('session')} id={id} draft={draft} areas={await kecamatanByName(db)} errors={errors} />,
      },
      status,
    );
  };

  const readDraft = async (c: ConsoleContext): Promise<AgencyDraft> => {
    const f = await formFields(c);
    // Cut far above every limit, so a pasted page cannot make the refusal itself heavy; the limits are checked after.
    const cut = (k: string) => (f[k] ?? '').slice(0, 4000);
    return { name: cut('name'), kind: cut('kind'), kecamatan: cut('kecamatan'), services: cut('services'), phone: cut('phone'), email: cut('email'), address: cut('address') };
  };

  /** The draft as the service takes it, or every reason it cannot be saved. */
  const inputOf = (t: TFunction, d: AgencyDraft): { input: AgencyInput } | { errors: string[] } => {
    const kecamatanId = parseKecamatan(d.kecamatan);
    const input: AgencyInput = { ...d, kecamatanId: kecamatanId === 'invalid' ? null : kecamatanId };
    const problems = agencyProblems(input);
    if (kecamatanId === 'invalid') problems.push({ field: 'kecamatan', problem: 'invalid' });
    return problems.length > 0 ? { errors: problems.map((p) => problemText(t, p)) } : { input };
  };

  const save = async (c: ConsoleContext, id: number | null, draft: AgencyDraft, again: (errors: string[], status: 403 | 422) => Response | Promise<Response>) => {
    const t = tOf(deps, c);
    const checked = inputOf(t, draft);
    if ('errors' in checked) return again(checked.errors, 422);
    let result;
    try {
      result = await saveAgency(db, c.get('session').actor, id, checked.input, { now: deps.clock() });
    } catch (err) {
      if (refusedFor(err, 'scope')) return again([t('referrals:agencies.scope')], 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, PATH);
    if (!result.ok) return again([t('referrals:agencies.kecamatanUnknown')], 422);
    return c.redirect(`${PATH}?done=${id === null ? 'create' : 'update'}`, 303);
  };

  app.get(PATH, guard, allowed, async (c) => {
    const shown = DONE.find((d) => d === c.req.query('done'));
    return list(c, shown ? { done: tOf(deps, c)(`referrals:agencies.done.${shown}`) } : {});
  });

  app.post(PATH, guard, csrf, allowed, async (c) => {
    const draft = await readDraft(c);
    return save(c, null, draft, (errors, status) => list(c, { errors, draft }, status));
  });

  app.get(`${PATH}/:id`, guard, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    const a = id === null ? null : await getAgency(db, c.get('session').actor, id);
    if (!a) return notFoundPage(deps, c, PATH);
    const draft: AgencyDraft = {
      name: a.name,
      kind: a.kind,
      kecamatan: a.kecamatanId === null ? '' : String(a.kecamatanId),
      services: a.services ?? '',
      phone: a.phone ?? '',
      email: a.email ?? '',
      address: a.address ?? '',
    };
    return edit(c, a.id, draft);
  });

  app.post(`${PATH}/:id`, guard, csrf, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return notFoundPage(deps, c, PATH);
    const draft = await readDraft(c);
    return save(c, id, draft, (errors, status) => edit(c, id, draft, errors, status));
  });

  activeToggleRoutes(app, deps, {
    path: PATH,
    guards: [guard, csrf, allowed],
    setActive: (actor, id, active) => setAgencyActive(db, actor, id, active, { now: deps.clock() }),
    scopeText: (t) => t('referrals:agencies.scope'),
    list,
  });

  return app;
}
