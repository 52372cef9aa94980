import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './context.ts';

const startedAt = Date.now();

/** GET /health: 200 while the database answers, 503 when it does not, so a load balancer can route around us. */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/health', async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const up = await deps.database.ping(2000);
    const components = Object.fromEntries([...(deps.components ?? new Map())].map(([name, report]) => [name, report()]));
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        status: up ? 'ok' : 'unavailable',
        message: up ? t('health.ok') : t('health.databaseDown'),
        database: { status: up ? 'up' : 'down', kind: deps.database.kind },
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        components,
      },
      up ? 200 : 503,
    );
  });
  return app;
}
