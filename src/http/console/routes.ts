import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import type { AppDeps } from '../context.ts';
import { adminRoutes } from './admin/index.ts';
import { assetRoutes } from './shell/assets.ts';
import { authRoutes } from './shell/auth.tsx';
import { broadcastRoutes } from './broadcasts/routes.tsx';
import { templateRoutes } from './templates/routes.tsx';
import { checkinRoutes } from './distribution/checkin.tsx';
import { fieldDeskRoutes } from './field/routes.tsx';
import { dutyRoutes } from './duty/routes.tsx';
import { referralRoutes } from './referrals/routes.tsx';
import { programRoutes } from './programs/routes.tsx';
import { disbursementRoutes, disbursementUploadRoutes } from './disbursements/routes.tsx';
import { bulkRoutes } from './complaints/bulk.tsx';
import { inboxRoutes } from './complaints/inbox.tsx';
import { complaintRoutes } from './complaints/routes.tsx';
import { dashboardRoutes } from './reports/routes.tsx';
import { distributionConsoleRoutes } from './distribution/routes.ts';
import { handoverRoutes } from './handover/routes.tsx';
import { workRoutes } from './inbox/routes.tsx';
import { identityRoutes } from './identity/routes.tsx';
import { residentRoutes } from './residents/routes.tsx';
import { importRoutes, proposalRoutes, qualityRoutes } from './registry/routes.tsx';
import { consoleLocale, SESSION_COOKIE, type ConsoleEnv } from './shell/session.ts';
import { BODY_LIMITS } from '../limits/body.ts';
import { limitLiveStreams } from '../limits/streams.ts';
import { sha256 } from '../../services/staff/secrets.ts';
import { refuseBadForms } from '../bad-bytes.ts';

/**
 * The staff console: sign-in, the inbox and the complaint page. Each page route carries its own guard
 * (session, then CSRF on POST), so nothing under /console is reachable by forgetting a wildcard.
 */
export function consoleRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  app.use('/console/*', consoleLocale());
  // Live pages: LIVE_STREAMS_PER_SESSION streams per signed-in session (http/limits/streams.ts), counted by the
  // session cookie before the route's own guard reads it (a made-up cookie gets no stream from the guard).
  // No count per address: staff in one office share one, and only a session, which takes signing in, opens one.
  app.use(
    '/console/*',
    limitLiveStreams(deps, (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      return token ? [{ key: `console:${sha256(token)}`, max: deps.limits.settings.streamsPerSession }] : [];
    }),
  );
  // The pages run only our own two script files (htmx) and load nothing from elsewhere; no inline script and
  // no eval, so if escaping ever failed the browser still would not run what a resident wrote.
  app.use('/console/*', async (c, next) => {
    await next();
    // A route with a stricter policy of its own (a resident's file) keeps it.
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', "default-src 'none'; script-src 'self'; connect-src 'self'; media-src 'self' blob:; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  });
  app.route('/', proposalRoutes(deps)); // before the 256 KB limit: the outcome upload has its own 2 MB one
  app.route('/', importRoutes(deps)); // before it too: a registry file is streamed to disk, up to 512 MB
  app.route('/', disbursementUploadRoutes(deps)); // and a bank's result file, up to 128 MB
  // A reply is at most 4,000 characters; nothing a console form sends comes near 256 KB.
  app.on('POST', '/console/*', bodyLimit({ maxSize: BODY_LIMITS.consoleForm, onError: (c) => c.text(deps.i18n.t('console:errors.tooLarge', { lng: c.get('locale') }), 413) }));
  app.on('POST', '/console/*', refuseBadForms(deps)); // after the limit: it reads the form
  app.route('/', assetRoutes());
  app.route('/', authRoutes(deps));
  app.route('/', workRoutes(deps));
  app.route('/', inboxRoutes(deps));
  app.route('/', bulkRoutes(deps));
  app.route('/', complaintRoutes(deps));
  app.route('/', dashboardRoutes(deps));
  app.route('/', handoverRoutes(deps));
  app.route('/', identityRoutes(deps));
  app.route('/', residentRoutes(deps));
  app.route('/', checkinRoutes(deps));
  app.route('/', fieldDeskRoutes(deps));
  app.route('/', dutyRoutes(deps));
  app.route('/', referralRoutes(deps));
  app.route('/', programRoutes(deps));
  app.route('/', disbursementRoutes(deps));
  app.route('/', distributionConsoleRoutes(deps));
  app.route('/', broadcastRoutes(deps));
  app.route('/', templateRoutes(deps));
  app.route('/', qualityRoutes(deps));
  app.route('/', adminRoutes(deps));
  return app;
}
