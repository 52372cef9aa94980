import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './context.ts';
import { demoPhoneRoutes } from './demo-phone/routes.tsx';
import { webchatRoutes } from './webchat/routes.ts';

// Every way a resident's message comes in over HTTP, in one place: the web chat's page, its posts and its
// stream, and the webhooks of the channels that are switched on (Telegram, WhatsApp Cloud), which each
// channel builds itself and composition hands over. WhatsApp Web needs none: it holds its own connection.

export function webhookRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.route('/', webchatRoutes(deps));
  for (const routes of deps.channelRoutes ?? []) app.route('/', routes);
  // The demo phones write in from their own page; it exists only where start.ts switched them on.
  if (deps.demoPhones) app.route('/', demoPhoneRoutes(deps));
  return app;
}
