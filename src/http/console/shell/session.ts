import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LOCALES, type Locale } from '../../../domain/vocabulary.ts';
import { authenticate, checkCsrf, type Session } from '../../../services/staff/sessions.ts';
import type { AppDeps, AppEnv } from '../../context.ts';
import { clientAddress, isHttps } from '../../client.ts';

// Sign-in state of the console: the session cookie, the language preference, and the CSRF check every POST
// passes. The cookie holds only a random token; the session itself (role, scope, CSRF token) is in Postgres.

export const SESSION_COOKIE = 'pintu_session';
export const LOGIN_CSRF_COOKIE = 'pintu_login_csrf';
/** The browser's device cookie (services/staff/devices.ts): only the login form ever reads it. */
export const DEVICE_COOKIE = 'pintu_device';
const LANG_COOKIE = 'pintu_lang';

export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & { session: Session; sessionToken: string };
}

export type ConsoleContext = Context<ConsoleEnv>;

export function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, { path: '/console', httpOnly: true, sameSite: 'Lax', secure: isHttps(c), expires: expiresAt });
}

export function setDeviceCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, DEVICE_COOKIE, token, { path: '/console/login', httpOnly: true, sameSite: 'Strict', secure: isHttps(c), expires: expiresAt });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: isHttps(c) });
}

/**
 * The console's language: `?lang=en` switches and is remembered in a cookie; otherwise the remembered
 * choice; otherwise Accept-Language (already picked by the app).
 */
export function consoleLocale(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const asked = c.req.query('lang');
    if (asked && (LOCALES as readonly string[]).includes(asked)) {
      setCookie(c, LANG_COOKIE, asked, { path: '/console', httpOnly: true, sameSite: 'Lax', secure: isHttps(c), maxAge: 365 * 86_400 });
      c.set('locale', asked as Locale);
    } else {
      const kept = getCookie(c, LANG_COOKIE);
      if (kept && (LOCALES as readonly string[]).includes(kept)) c.set('locale', kept as Locale);
    }
    await next();
  };
}

/** A signed-in staff member, or a redirect to the login page (a POST without a session gets 401). */
export function requireStaff(deps: AppDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = await authenticate(deps.database.db, token, new Date(), clientAddress(c));
    if (!session || !token) {
      if (token) clearSessionCookie(c);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/console/login', 303);
      return c.text(deps.i18n.t('console:errors.signedOut', { lng: c.get('locale') }), 401);
    }
    c.set('session', session);
    c.set('sessionToken', token);
    // The idle deadline slides in Postgres; the cookie follows it.
    setSessionCookie(c, token, session.expiresAt);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/** Every console POST carries the session's CSRF token, as the `_csrf` form field or the X-CSRF-Token header. */
export function requireCsrf(deps: AppDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    let submitted = c.req.header('x-csrf-token');
    if (!submitted) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody();
        const field = body._csrf;
        submitted = typeof field === 'string' ? field : undefined;
      }
    }
    if (!checkCsrf(c.get('session').csrfToken, submitted)) {
      return c.text(deps.i18n.t('console:errors.csrf', { lng: c.get('locale') }), 403);
    }
    await next();
  };
}

/** A form field as one string ('' when absent or a file). */
export async function formField(c: Context, name: string): Promise<string> {
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === 'string' ? value : '';
}
