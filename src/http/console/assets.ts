import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';

// The console's only scripts: htmx and its SSE extension, served from our own origin (the CSP allows
// 'self' and nothing else). The pages work without them; with them, a complaint updates itself.
const require = createRequire(import.meta.url);
const FILES: Record<string, string> = {
  'htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
  'htmx-sse.min.js': require.resolve('htmx-ext-sse/dist/sse.min.js'),
};

export function assetRoutes() {
  const app = new Hono();
  const bodies = new Map(Object.entries(FILES).map(([name, path]) => [name, readFileSync(path)]));
  app.get('/console/assets/:name', (c) => {
    const body = bodies.get(c.req.param('name'));
    if (!body) return c.text('', 404);
    return c.body(body, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return app;
}
