import type { TFunction } from 'i18next';
import { LOCALES } from '../../../domain/vocabulary.ts';
import {
  deleteFieldRole,
  FIELD_ROLE_NAME_MAX,
  fieldRoleProblems,
  listFieldRoles,
  mayChangeFieldRoles,
  saveFieldRole,
  type FieldRoleProblem,
} from '../../../services/staff/field-roles.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formWithLists, notFoundPage, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { FieldRoleEdit, FieldRolesList, type Draft } from './views/field-roles.tsx';

// Field roles (issue 19): the list, one form to add, one page to change names and permissions, and delete
// for a role nobody holds. The key names the role in accounts and never changes once made.

const DONE = ['create', 'update', 'delete'] as const;

// The shape of a key in a URL; anything else is no role (404) before the database is asked.
const KEY_IN_PATH = /^[a-z][a-z0-9_]{1,30}$/;

function problemText(t: TFunction, p: FieldRoleProblem): string {
  if (p.field === 'key') return t('admin:fieldRoles.problems.key_invalid');
  if (p.field === 'permissions') {
    return p.problem === 'empty'
      ? t('admin:fieldRoles.problems.permissions_empty')
      : t('admin:fieldRoles.problems.permissions_not_allowed', { permissions: p.permissions.join(', '), interpolation: { escapeValue: false } });
  }
  const language = t(`admin:languages.${p.field.slice('name_'.length)}`);
  return t(`admin:fieldRoles.problems.name.${p.problem}`, { language, max: FIELD_ROLE_NAME_MAX });
}

export function fieldRoleRoutes(deps: AppDeps) {
  const db = deps.database.db;
  const empty = (): Draft => ({ key: '', names: {}, permissions: ['field.work'] });

  const list = async (c: ConsoleContext, opts: ListState<Draft> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const roles = await listFieldRoles(db, session.actor);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:fieldRoles.title'),
        here: '/console/admin/field-roles',
        children: <FieldRolesList t={t} session={session} roles={roles} mayChange={mayChangeFieldRoles(session.actor)} draft={opts.draft ?? empty()} opts={opts} />,
      },
      status,
    );
  };

  const edit = (c: ConsoleContext, draft: Draft, errors: string[] = [], status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:fieldRoles.editTitle', { key: draft.key }),
        here: `/console/admin/field-roles/${draft.key}`,
        children: <FieldRoleEdit t={t} session={c.get('session')} draft={draft} errors={errors} />,
      },
      status,
    );
  };

  const readDraft = async (c: ConsoleContext, key: string | undefined): Promise<Draft> => {
    const { fields, lists } = await formWithLists(c);
    return {
      key: key ?? (fields.key ?? '').trim().slice(0, 100),
      names: Object.fromEntries(LOCALES.map((l) => [l, (fields[`name_${l}`] ?? '').slice(0, 1000)])),
      permissions: (lists.permission ?? []).slice(0, 50),
    };
  };

  /** Saves and answers: the redirect on success, the form again with every reason on refusal. */
  const save = async (c: ConsoleContext, mode: 'create' | 'update', draft: Draft, again: (errors: string[], status: 403 | 422) => Response | Promise<Response>) => {
    const t = tOf(deps, c);
    const problems = fieldRoleProblems(draft);
    if (problems.length > 0) return again(problems.map((p) => problemText(t, p)), 422);
    let result;
    try {
      result = await saveFieldRole(db, c.get('session').actor, draft, mode);
    } catch (err) {
      if (refusedFor(err, 'scope')) return again([t('admin:fieldRoles.cityWideOnly')], 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, '/console/admin/field-roles');
    if (!result.ok) return again([t(`admin:fieldRoles.problems.${result.reason}`)], 422);
    return c.redirect(`/console/admin/field-roles?done=${mode}`, 303);
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'fieldRoles', DONE, list);

  app.post('/console/admin/field-roles', guard, csrf, allowed, async (c) => {
    const draft = await readDraft(c, undefined);
    return save(c, 'create', draft, (errors, status) => list(c, { errors, draft }, status));
  });

  const current = async (c: ConsoleContext) => {
    const key = c.req.param('key') ?? '';
    if (!KEY_IN_PATH.test(key)) return undefined;
    return (await listFieldRoles(db, c.get('session').actor)).find((r) => r.key === key);
  };

  app.get('/console/admin/field-roles/:key', guard, allowed, async (c) => {
    const role = await current(c);
    if (!role) return notFoundPage(deps, c, '/console/admin/field-roles');
    return edit(c, { key: role.key, names: role.names, permissions: role.permissions });
  });

  app.post('/console/admin/field-roles/:key', guard, csrf, allowed, async (c) => {
    const role = await current(c);
    if (!role) return notFoundPage(deps, c, '/console/admin/field-roles');
    const draft = await readDraft(c, role.key);
    return save(c, 'update', draft, (errors, status) => edit(c, draft, errors, status));
  });

  app.post('/console/admin/field-roles/:key/delete', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const role = await current(c);
    if (!role) return notFoundPage(deps, c, '/console/admin/field-roles');
    let result;
    try {
      result = await deleteFieldRole(db, c.get('session').actor, role.key);
    } catch (err) {
      if (refusedFor(err, 'scope')) return list(c, { errors: [t('admin:fieldRoles.cityWideOnly')] }, 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, '/console/admin/field-roles');
    if (!result.ok) return list(c, { errors: [t('admin:fieldRoles.problems.in_use', { count: role.users })] }, 422);
    return c.redirect('/console/admin/field-roles?done=delete', 303);
  });

  return app;
}
