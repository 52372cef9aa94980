import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import {
  addChecklistItem,
  CHECKLIST_LABEL_MAX,
  CHECKLIST_POSITION_MAX,
  checklistItemProblems,
  isFieldTaskKind,
  listChecklists,
  mayChangeChecklists,
  saveChecklistItem,
  type ChecklistItemInput,
  type ChecklistProblem,
} from '../../../services/field/checklist-admin.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ADMIN_PAGES } from './pages.ts';
import { adminPage, formFields, notFoundPage, requireAdminPermission, tOf } from './shared.tsx';
import { ChecklistsPage, type ChecklistDraft } from './views/checklists.tsx';

// The field checklists (issue 19 part 3): one page listing every kind's items, a form per item and one per
// kind to add. Thin: services/field/checklist-admin.ts checks the input and the scope and writes the audit
// row; a refusal shows the page again with that form open and what was typed in it.

const PATH = '/console/admin/checklists';
const DONE = ['create', 'update'] as const;
// The shape of a key in a URL; anything else is no item (404) before the database is asked.
const KEY_IN_PATH = /^[a-z][a-z0-9_]{1,40}$/;

const problemText = (t: TFunction, p: ChecklistProblem) => t(`checklists:problems.${p.field}.${p.problem}`, { max: p.field === 'position' ? CHECKLIST_POSITION_MAX : CHECKLIST_LABEL_MAX });

export function checklistRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const allowed = requireAdminPermission(deps, ADMIN_PAGES.find((p) => p.path === PATH)!.permission);

  const page = async (c: ConsoleContext, opts: { done?: string; errors?: string[]; draft?: ChecklistDraft } = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const checklists = await listChecklists(db, session.actor);
    return adminPage(
      deps,
      c,
      {
        title: t('checklists:title'),
        here: PATH,
        children: <ChecklistsPage t={t} session={session} checklists={checklists} mayChange={mayChangeChecklists(session.actor)} done={opts.done} errors={opts.errors} draft={opts.draft} />,
      },
      status,
    );
  };

  const readDraft = async (c: ConsoleContext, kind: string, key: string | null): Promise<ChecklistDraft> => {
    const f = await formFields(c);
    // Cut far above every limit, so a pasted page cannot make the refusal itself heavy; the limits are checked after.
    const cut = (k: string) => (f[k] ?? '').slice(0, 2000);
    return { kind, key, fields: { key: cut('key').trim(), id: cut('label_id'), en: cut('label_en'), position: cut('position').trim(), active: f.active === '1' } };
  };

  const inputOf = (d: ChecklistDraft): ChecklistItemInput => ({
    labels: { id: d.fields.id, en: d.fields.en },
    // Whole numbers only: "1.5" or "1e1" is bad input, not a place in the list.
    position: /^\d{1,3}$/.test(d.fields.position) ? Number(d.fields.position) : Number.NaN,
    active: d.fields.active,
  });

  /** Checks, saves and answers: the redirect on success, the page again with every reason on refusal. */
  const save = async (c: ConsoleContext, draft: ChecklistDraft, write: (input: ChecklistItemInput) => Promise<{ ok: true } | { ok: false; reason: string }>) => {
    const t = tOf(deps, c);
    const again = (errors: string[], status: 403 | 422) => page(c, { errors, draft }, status);
    const input = inputOf(draft);
    const problems = checklistItemProblems(input, draft.key === null ? draft.fields.key : undefined);
    if (problems.length > 0) return again(problems.map((p) => problemText(t, p)), 422);
    let result;
    try {
      result = await write(input);
    } catch (err) {
      if (refusedFor(err, 'scope')) return again([t('checklists:cityWideOnly')], 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, PATH);
    if (!result.ok && result.reason === 'key_taken') return again([t('checklists:problems.key.taken', { key: draft.fields.key })], 422);
    if (!result.ok) return again([t('checklists:problems.invalid')], 422);
    return c.redirect(`${PATH}?done=${draft.key === null ? 'create' : 'update'}`, 303);
  };

  app.get(PATH, guard, allowed, async (c) => {
    const shown = DONE.find((d) => d === c.req.query('done'));
    return page(c, shown ? { done: tOf(deps, c)(`checklists:done.${shown}`) } : {});
  });

  app.post(`${PATH}/:kind`, guard, csrf, allowed, async (c) => {
    const kind = c.req.param('kind');
    if (!isFieldTaskKind(kind)) return notFoundPage(deps, c, PATH);
    const draft = await readDraft(c, kind, null);
    return save(c, draft, (input) => addChecklistItem(db, c.get('session').actor, kind, draft.fields.key, input));
  });

  app.post(`${PATH}/:kind/:key`, guard, csrf, allowed, async (c) => {
    const kind = c.req.param('kind');
    const key = c.req.param('key');
    if (!isFieldTaskKind(kind) || !KEY_IN_PATH.test(key)) return notFoundPage(deps, c, PATH);
    const draft = await readDraft(c, kind, key);
    return save(c, draft, (input) => saveChecklistItem(db, c.get('session').actor, kind, key, input));
  });

  return app;
}
