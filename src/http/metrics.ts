import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics/index.ts';
import type { AppDeps, AppEnv } from './context.ts';

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
    if (!mayScrape(metrics, c.env as NodeBindings | undefined, c.req.header())) return c.notFound();
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

interface NodeBindings {
  incoming?: IncomingMessage;
}

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

function mayScrape(metrics: Metrics, env: NodeBindings | undefined, headers: Record<string, string>): boolean {
  const given = /^bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '')?.[1];
  if (metrics.token && given && sameSecret(given, metrics.token)) return true;
  // A reverse proxy on this machine connects from loopback on behalf of someone elsewhere; the headers
  // it adds give it away, and such a request must show the token like any other remote one.
  if (PROXY_HEADERS.some((h) => headers[h] !== undefined)) return false;
  return isLoopback(env?.incoming?.socket?.remoteAddress);
}

/** 127.0.0.0/8, ::1 and IPv4 loopback written as IPv6; an unknown address (no socket) is not loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** Compares digests so the time taken says nothing about how much of the token was right. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
