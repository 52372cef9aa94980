import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import {
  AGENT_ADDRESS_MAX,
  AGENT_HOURS_MAX,
  AGENT_NAME_MAX,
  AGENT_PHONE_MAX,
  agentProblems,
  getAgent,
  listAgents,
  mayChangeAgent,
  programCodes,
  saveAgent,
  setAgentActive,
  type AgentInput,
  type AgentProblemOfInput,
} from '../../../services/agents/manage.ts';
import { areasInScope } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ADMIN_PAGES } from './pages.ts';
import { activeToggleRoutes, adminPage, formWithLists, notFoundPage, parseId, requireAdminPermission, tOf } from './shared.tsx';
import { AgentEdit, AgentsList, emptyAgentDraft, type AgentDraft } from './views/agents.tsx';

// E-warong and agents (issue 20): the list with its complaint counts and the form to add one, a page per
// agent to change it, and deactivate / reactivate. Thin: services/agents/manage.ts checks the input, the
// program codes, the scope and writes the audit row; a refusal shows the form again with what was typed.

const PATH = '/console/admin/agents';
const DONE = ['create', 'update', 'deactivate', 'reactivate'] as const;
const MAX: Partial<Record<AgentProblemOfInput['field'], number>> = { name: AGENT_NAME_MAX, address: AGENT_ADDRESS_MAX, hours: AGENT_HOURS_MAX, phone: AGENT_PHONE_MAX };

const problemText = (t: TFunction, p: AgentProblemOfInput) => t(`agents:admin.problems.${p.field}.${p.problem}`, { max: MAX[p.field] ?? 0 });

export function agentRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const allowed = requireAdminPermission(deps, ADMIN_PAGES.find((p) => p.path === PATH)!.permission);

  /** What every form needs: the kelurahan this admin may use and the programs an agent may serve. */
  const formData = async (c: ConsoleContext) => {
    const [areas, programs] = await Promise.all([areasInScope(db, c.get('session').actor), programCodes(db)]);
    return { areas, programs };
  };

  const list = async (c: ConsoleContext, opts: { done?: string; errors?: string[]; draft?: AgentDraft } = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const [agents, form] = await Promise.all([listAgents(db, session.actor, { now: deps.clock() }), formData(c)]);
    const changeable = new Set(agents.filter((a) => mayChangeAgent(session.actor, a)).map((a) => a.id));
    return adminPage(
      deps,
      c,
      {
        title: t('agents:admin.title'),
        here: PATH,
        children: <AgentsList t={t} session={session} agents={agents} {...form} changeable={changeable} draft={opts.draft ?? emptyAgentDraft()} done={opts.done} errors={opts.errors} />,
      },
      status,
    );
  };

  const edit = async (c: ConsoleContext, id: number, draft: AgentDraft, errors: string[] = [], status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    return adminPage(
      deps,
      c,
      {
        title: t('agents:admin.editTitle', { name: draft.name }),
        here: PATH,
        children: <AgentEdit t={t} session={c.get('session')} id={id} draft={draft} {...await formData(c)} errors={errors} />,
      },
      status,
    );
  };

  const readDraft = async (c: ConsoleContext): Promise<AgentDraft> => {
    const { fields: f, lists } = await formWithLists(c);
    // Cut far above every limit, so a pasted page cannot make the refusal itself heavy; the limits are checked after.
    const cut = (k: string) => (f[k] ?? '').slice(0, 4000);
    return {
      name: cut('name'),
      kind: cut('kind'),
      kelurahan: cut('kelurahan'),
      address: cut('address'),
      latitude: cut('latitude'),
      longitude: cut('longitude'),
      programs: (lists.programs ?? []).slice(0, 50).map((p) => p.slice(0, 50)),
      hours: cut('hours'),
      phone: cut('phone'),
    };
  };

  /** The draft as the service takes it, or every reason it cannot be saved. */
  const inputOf = (t: TFunction, d: AgentDraft): { input: AgentInput } | { errors: string[] } => {
    const kelurahanId = d.kelurahan === '' ? null : parseId(d.kelurahan);
    const input: AgentInput = { ...d, kelurahanId };
    const problems = agentProblems(input);
    if (d.kelurahan !== '' && kelurahanId === null) problems.push({ field: 'kelurahan', problem: 'invalid' });
    return problems.length > 0 ? { errors: problems.map((p) => problemText(t, p)) } : { input };
  };

  const save = async (c: ConsoleContext, id: number | null, draft: AgentDraft, again: (errors: string[], status: 403 | 422) => Response | Promise<Response>) => {
    const t = tOf(deps, c);
    const checked = inputOf(t, draft);
    if ('errors' in checked) return again(checked.errors, 422);
    let result;
    try {
      result = await saveAgent(db, c.get('session').actor, id, checked.input, { now: deps.clock() });
    } catch (err) {
      if (refusedFor(err, 'scope')) return again([t('agents:admin.scope')], 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, PATH);
    if (!result.ok && result.reason === 'program_unknown') return again([t('agents:admin.programUnknown', { codes: result.codes.join(', ') })], 422);
    if (!result.ok) return again([t('agents:admin.kelurahanUnknown')], 422);
    return c.redirect(`${PATH}?done=${id === null ? 'create' : 'update'}`, 303);
  };

  app.get(PATH, guard, allowed, async (c) => {
    const shown = DONE.find((d) => d === c.req.query('done'));
    return list(c, shown ? { done: tOf(deps, c)(`agents:admin.done.${shown}`) } : {});
  });

  app.post(PATH, guard, csrf, allowed, async (c) => {
    const draft = await readDraft(c);
    return save(c, null, draft, (errors, status) => list(c, { errors, draft }, status));
  });

  app.get(`${PATH}/:id`, guard, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    const a = id === null ? null : await getAgent(db, c.get('session').actor, id, { now: deps.clock() });
    if (!a) return notFoundPage(deps, c, PATH);
    const draft: AgentDraft = {
      name: a.name,
      kind: a.kind,
      kelurahan: String(a.kelurahanId),
      address: a.address ?? '',
      latitude: a.latitude === null ? '' : String(a.latitude),
      longitude: a.longitude === null ? '' : String(a.longitude),
      programs: a.programs,
      hours: a.hours ?? '',
      phone: a.phone ?? '',
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
    setActive: (actor, id, active) => setAgentActive(db, actor, id, active, { now: deps.clock() }),
    scopeText: (t) => t('agents:admin.scope'),
    list,
  });

  return app;
}
