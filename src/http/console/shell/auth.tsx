import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { changePassword, login, logout } from '../../../services/staff/sessions.ts';
import { randomToken, secretsEqual } from '../../../services/staff/secrets.ts';
import type { AppDeps } from '../../context.ts';
import { homeFor } from './home.ts';
import { Csrf, Shell } from './layout.tsx';
import {
  DEVICE_COOKIE,
  LOGIN_CSRF_COOKIE,
  clearSessionCookie,
  formField,
  requireCsrf,
  requireStaff,
  setDeviceCookie,
  setSessionCookie,
  type ConsoleEnv,
} from './session.ts';
import { clientAddress, isHttps } from '../../client.ts';

// Sign-in, sign-out and password change. The login form has no session yet, so its CSRF protection is a
// double-submit token: a random value in a SameSite=Strict cookie that the form must echo.

const PASSWORD_PROBLEMS = ['wrong_password', 'too_short', 'too_long', 'throttled', 'mismatch'] as const;

export function authRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const loginPage = (c: Context<ConsoleEnv>, opts: { error?: string; email?: string; status?: 200 | 400 | 401 | 403 } = {}) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const token = randomToken();
    setCookie(c, LOGIN_CSRF_COOKIE, token, { path: '/console/login', httpOnly: true, sameSite: 'Strict', secure: isHttps(c), maxAge: 3600 });
    c.header('Cache-Control', 'no-store');
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('console:login.title')} here="/console/login">
        <div class="login card">
          <h1>{t('console:login.title')}</h1>
          {opts.error ? (
            <p class="error" role="alert">
              {opts.error}
            </p>
          ) : null}
          <form method="post" action="/console/login">
            <input type="hidden" name="_csrf" value={token} />
            <div class="field">
              <label for="email">{t('console:login.email')}</label>
              <input id="email" name="email" type="email" autocomplete="username" required value={opts.email ?? ''} />
            </div>
            <div class="field">
              <label for="password">{t('console:login.password')}</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <button class="primary" type="submit">
              {t('console:login.submit')}
            </button>
          </form>
        </div>
      </Shell>,
      opts.status ?? 200,
    );
  };

  app.get('/console/login', (c) => loginPage(c));

  app.post('/console/login', async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const expected = getCookie(c, LOGIN_CSRF_COOKIE) ?? '';
    if (!secretsEqual(expected, await formField(c, '_csrf'))) {
      return loginPage(c, { error: t('console:login.expired'), status: 403 });
    }
    const email = (await formField(c, 'email')).slice(0, 254);
    const password = (await formField(c, 'password')).slice(0, 1024);
    const result = await login(db, {
      email,
      password,
      ip: clientAddress(c) ?? null,
      userAgent: c.req.header('user-agent') ?? null,
      device: getCookie(c, DEVICE_COOKIE) ?? null,
    });
    if (!result.ok) {
      // One status for every failure, and one message, except that a client held back by its own attempts
      // is asked to wait: it learns nothing about any account from that (sessions.ts, LoginResult).
      return loginPage(c, { error: t(result.reason === 'throttled' ? 'console:login.wait' : 'console:login.failed'), email, status: 401 });
    }
    setSessionCookie(c, result.sessionToken, result.expiresAt);
    setDeviceCookie(c, result.device.token, result.device.expiresAt);
    // A field worker's home depends on what their field role's row grants, which /console reads with the session.
    return c.redirect(result.staff.fieldRole ? '/console' : homeFor(result.staff), 303);
  });

  app.post('/console/logout', guard, csrf, async (c) => {
    await logout(db, c.get('sessionToken'));
    clearSessionCookie(c);
    return c.redirect('/console/login', 303);
  });

  const passwordPage = (c: Context<ConsoleEnv>, opts: { error?: string; done?: boolean; status?: 200 | 422 } = {}) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const session = c.get('session');
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('console:password.title')} session={session} here="/console/password">
        <div class="login card">
          <h1>{t('console:password.title')}</h1>
          {opts.error ? (
            <p class="error" role="alert">
              {opts.error}
            </p>
          ) : null}
          {opts.done ? (
            <p class="notice" role="status">
              {t('console:password.done')}
            </p>
          ) : null}
          <form method="post" action="/console/password">
            <Csrf session={session} />
            <div class="field">
              <label for="current">{t('console:password.current')}</label>
              <input id="current" name="current" type="password" autocomplete="current-password" required />
            </div>
            <div class="field">
              <label for="next">{t('console:password.next')}</label>
              <input id="next" name="next" type="password" autocomplete="new-password" minlength={10} required />
            </div>
            <div class="field">
              <label for="confirm">{t('console:password.confirm')}</label>
              <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength={10} required />
            </div>
            <button class="primary" type="submit">
              {t('console:password.submit')}
            </button>
          </form>
        </div>
      </Shell>,
      opts.status ?? 200,
    );
  };

  app.get('/console/password', guard, (c) => passwordPage(c, { done: c.req.query('done') === '1' }));

  app.post('/console/password', guard, csrf, async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const current = (await formField(c, 'current')).slice(0, 1024);
    const next = (await formField(c, 'next')).slice(0, 1024);
    if (next !== (await formField(c, 'confirm')).slice(0, 1024)) {
      return passwordPage(c, { error: t('console:password.problems.mismatch'), status: 422 });
    }
    const result = await changePassword(db, c.get('session').actor, { current, next, sessionToken: c.get('sessionToken') });
    if (!result.ok) {
      const reason = PASSWORD_PROBLEMS.includes(result.reason) ? result.reason : 'wrong_password';
      return passwordPage(c, { error: t(`console:password.problems.${reason}`), status: 422 });
    }
    return c.redirect('/console/password?done=1', 303);
  });

  return app;
}
