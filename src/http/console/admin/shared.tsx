import type { Hono, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import { can, type Permission } from '../../../services/access.ts';
import type { Actor } from '../../../services/actor.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext, ConsoleEnv } from '../shell/session.ts';
import { AdminForbidden, AdminFrame, AdminNotFound, type PageContext } from './views/page.tsx';

// What the admin routes share: the page frame with a way back to the admin index, the 403/404 pages, the
// permission guard, and reading ids, the kecamatan field and posted forms. The kecamatan/bidang pickers
// every scope form uses are in views/fields.tsx.

export const tOf = (deps: AppDeps, c: ConsoleContext): TFunction => deps.i18n.getFixedT(c.get('locale'));

export const pageOf = (deps: AppDeps, c: ConsoleContext): PageContext => ({ t: tOf(deps, c), locale: c.get('locale'), session: c.get('session') });

export function parseId(raw: string | undefined): number | null {
  return raw !== undefined && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

/** A page of the admin area, with the breadcrumb back to the admin index. */
export function adminPage(deps: AppDeps, c: ConsoleContext, opts: { title: string; here: string; children?: Child }, status: 200 | 403 | 404 | 422 = 200) {
  return c.html(
    <AdminFrame page={pageOf(deps, c)} title={opts.title} here={opts.here}>
      {opts.children}
    </AdminFrame>,
    status,
  );
}

export function forbiddenPage(deps: AppDeps, c: ConsoleContext) {
  return c.html(<AdminForbidden page={pageOf(deps, c)} />, 403);
}

export function notFoundPage(deps: AppDeps, c: ConsoleContext, back: string) {
  return c.html(<AdminNotFound page={pageOf(deps, c)} back={back} />, 404);
}

/** After requireStaff: the 403 page for someone whose role lacks the permission. The services check again. */
export function requireAdminPermission(deps: AppDeps, permission: Permission): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (!can(c.get('session').actor, permission)) return forbiddenPage(deps, c);
    await next();
  };
}

/** The form's kecamatan field: '' is the whole city, a positive whole number an id; anything else is bad input. */
export function parseKecamatan(raw: string): number | null | 'invalid' {
  if (raw === '') return null;
  return parseId(raw) ?? 'invalid';
}

/**
 * A posted form with its repeated fields (checkboxes of one name) as lists: `lists.kelurahan` is every ticked
 * one; `fields` holds each field's value when it came once, as formFields does. Files are ignored.
 */
export async function formWithLists(c: ConsoleContext): Promise<{ fields: Record<string, string>; lists: Record<string, string[]> }> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    lists[k] = values;
    if (!Array.isArray(v) && typeof v === 'string') fields[k] = v;
  }
  return { fields, lists };
}

/** All fields of a posted form as strings (files and repeated fields ignored). */
export async function formFields(c: ConsoleContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * "Nonaktifkan" and "Aktifkan lagi" on a list kept by admins (agencies, agents): POST `${path}/:id/deactivate`
 * and `/reactivate`, the service's scope refusal shown on the list with `scopeText`, back to the list with
 * `?done=<action>`.
 */
export function activeToggleRoutes(
  app: Hono<ConsoleEnv>,
  deps: AppDeps,
  opts: {
    path: string;
    /** The session, CSRF and permission guards, in that order. */
    guards: [MiddlewareHandler<ConsoleEnv>, MiddlewareHandler<ConsoleEnv>, MiddlewareHandler<ConsoleEnv>];
    setActive: (actor: Actor, id: number, active: boolean) => Promise<{ ok: boolean }>;
    scopeText: (t: TFunction) => string;
    list: (c: ConsoleContext, opts: { errors: string[] }, status: 403) => Response | Promise<Response>;
  },
): void {
  for (const action of ['deactivate', 'reactivate'] as const) {
    const [session, csrf, allowed] = opts.guards;
    app.post(`${opts.path}/:id/${action}`, session, csrf, allowed, async (c) => {
      const id = parseId(c.req.param('id'));
      if (id === null) return notFoundPage(deps, c, opts.path);
      let result;
      try {
        result = await opts.setActive(c.get('session').actor, id, action === 'reactivate');
      } catch (err) {
        if (refusedFor(err, 'scope')) return opts.list(c, { errors: [opts.scopeText(tOf(deps, c))] }, 403);
        throw err;
      }
      if (!result.ok) return notFoundPage(deps, c, opts.path);
      return c.redirect(`${opts.path}?done=${action}`, 303);
    });
  }
}
