import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { pickLocale } from '../i18n.ts';
import type { AppDeps, AppEnv } from './context.ts';
import { onError } from './errors.ts';
import { healthRoutes } from './health.ts';
import { whatsappPairingRoutes } from './console/channels/whatsapp.ts';
import { consoleRoutes } from './console/routes.ts';
import { fieldRoutes } from './field/routes.tsx';
import { apiRoutes } from './api/routes.ts';
import { metricsRoutes, requestMetrics } from './metrics.ts';
import { webhookRoutes } from './webhooks.ts';
import { clientMiddleware } from './client.ts';
import { bodyDeadline } from './limits/body.ts';
import { refuseBadUrls } from './bad-bytes.ts';

/** The whole HTTP surface. Routes are mounted from their own modules; this file only wires them. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.use('*', secureHeaders());
  // Who is asking (address, https, on this machine), read once under TRUST_PROXY's rules (client.ts).
  app.use('*', clientMiddleware(deps.trustProxy ?? false));
  // Every body must arrive whole in REQUEST_BODY_TIMEOUT_MS (the registry import's upload: an hour); each route
  // that reads one also limits its size before reading (http/limits/body.ts).
  app.use('*', bodyDeadline(deps.limits.settings.bodyTimeoutMs));
  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c.req.header('accept-language'), deps.defaultLocale));
    const started = performance.now();
    await next();
    // Path only: query strings can carry chat ids or tokens.
    deps.logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'http');
  });
  if (deps.metrics) app.use('*', requestMetrics(deps.metrics));
  app.use('*', refuseBadUrls(deps));

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', whatsappPairingRoutes(deps));
  app.route('/', fieldRoutes(deps)); // the field worker's phone pages; the console's session, its own body limit
  app.route('/', consoleRoutes(deps));
  app.route('/', apiRoutes(deps));

  // The front page of a newcomer's `npm start` is the web chat.
  app.get('/', (c) => c.redirect('/chat'));

  app.notFound((c) => {
    const t = deps.i18n.getFixedT(c.get('locale') ?? deps.defaultLocale);
    return c.json({ error: 'not_found', message: t('http.notFound') }, 404);
  });

  app.onError(onError(deps));

  return app;
}
