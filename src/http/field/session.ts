import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticate } from '../../services/staff/sessions.ts';
import { clientAddress, isHttps } from '../client.ts';
import type { AppDeps } from '../context.ts';
import { requireStaff, SESSION_COOKIE, type ConsoleEnv } from '../console/shell/session.ts';

// The field worker's pages live at /field, outside /console, but use the console's own session: the same
// Postgres row, the same CSRF token, the same idle deadline. The console's cookie is scoped to /console (a
// browser never sends it elsewhere), so the worker's phone gets a second cookie with the same token scoped to
// /field. It is handed over by a route under /console, which still sees the console's cookie: a phone that
// opens /field without it goes there once and comes straight back. Signing out ends the session row, which
// ends both cookies; no second sign-in, no second kind of session.

export const FIELD_PATH = '/field';
/** Where /field sends a phone that has no (valid) field cookie yet: it reads the console's and copies it. */
export const HANDOVER_PATH = '/console/field/open';

function setFieldCookie(c: Parameters<MiddlewareHandler>[0], token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, { path: FIELD_PATH, httpOnly: true, sameSite: 'Lax', secure: isHttps(c), expires: expiresAt });
}

/** Only a page of /field may be asked for on the way back (no open redirect). */
export function safeNext(raw: string | undefined): string {
  return raw && /^\/field(\/[\w\-/]*)?(\?[\w=&%.-]*)?$/.test(raw) ? raw : FIELD_PATH;
}

/**
 * The /field twin of requireStaff: the session from the /field cookie, its deadline slid. Without one, a GET
 * goes to the hand-over route (and from there, if the console is signed out too, to the login page); a POST
 * gets 401, which the page's script reads as "keep the visit queued, ask to sign in again".
 */
export function requireFieldStaff(deps: AppDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = await authenticate(deps.database.db, token, new Date(), clientAddress(c));
    if (!session || !token) {
      if (token) deleteCookie(c, SESSION_COOKIE, { path: FIELD_PATH, secure: isHttps(c) });
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(`${HANDOVER_PATH}?next=${encodeURIComponent(safeNext(c.req.path))}`, 303);
      return c.text(deps.i18n.t('console:errors.signedOut', { lng: c.get('locale') }), 401);
    }
    c.set('session', session);
    c.set('sessionToken', token);
    setFieldCookie(c, token, session.expiresAt);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/** GET /console/field/open: copies the signed-in console session into the /field cookie and goes back. */
export function fieldHandoverRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get(HANDOVER_PATH, requireStaff(deps), (c) => {
    setFieldCookie(c, c.get('sessionToken'), c.get('session').expiresAt);
    return c.redirect(safeNext(c.req.query('next')), 303);
  });
  return app;
}
