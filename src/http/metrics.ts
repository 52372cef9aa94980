import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics/index.ts';
import type { AppDeps, AppEnv } from './context.ts';
import { clientOf } from './client.ts';

/**
 * GET /metrics for Prometheus. It shows how busy the office is and how its queues stand, so it answers
 * only a scraper on this machine, or one presenting METRICS_TOKEN; anyone else gets the same 404 as a
 * page that does not exist, so its presence is not advertised.
 */
export function metricsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const metrics = deps.metrics;
  if (!metrics) return app;
  app.get('/metrics', async (c) => {
    if (!mayScrape(metrics, clientOf(c).local, c.req.header())) return c.notFound();
    const body = await metrics.render();
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': metrics.contentType });
  });
  return app;
}

/** Times every request into the latency histogram, labelled by the route pattern that answered it. */
export function requestMetrics(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // After next() the route index points at the handler (or middleware) that answered: its registered
    // pattern, e.g. /api/complaints/:id, keeps ids out of the labels.
    metrics.request(c.req.method, c.req.routePath, c.res.status, (performance.now() - started) / 1000);
  };
}

function mayScrape(metrics: Metrics, local: boolean, headers: Record<string, string>): boolean {
  const given = /^bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '')?.[1];
  if (metrics.token && given && sameSecret(given, metrics.token)) return true;
  // A reverse proxy on this machine connects from loopback on behalf of someone elsewhere: client.ts does not
  // count such a request as local (unless TRUST_PROXY names the proxy and it says the client is local).
  return local;
}

/** Compares digests so the time taken says nothing about how much of the token was right. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
