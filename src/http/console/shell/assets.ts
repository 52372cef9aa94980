import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

// The console's only scripts, served from our own origin (the CSP allows 'self' and nothing else): htmx and
// its SSE extension (a complaint or handover updates itself), and the check-in page's QR scanner. Every page
// works without them.
const require = createRequire(import.meta.url);
const FILES: Record<string, string> = {
  'htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
  'htmx-sse.min.js': require.resolve('htmx-ext-sse/dist/sse.min.js'),
  // The check-in page's camera scanner: jsQR where the phone has no BarcodeDetector.
  'jsqr.js': require.resolve('jsqr/dist/jsQR.js'),
  'checkin-scan.js': fileURLToPath(new URL('./scripts/checkin-scan.js', import.meta.url)),
  // Tab title counts, the optional ring and notification, Ctrl+Enter, canned responses into the draft.
  'console.js': fileURLToPath(new URL('./scripts/console.js', import.meta.url)),
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
