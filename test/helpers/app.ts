import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { composeApp, type Composition } from '../../src/app/compose.ts';
import type { Engine } from '../../src/conversation/engine.ts';
import { createApp } from '../../src/http/app.ts';
import { SERVER_TIMEOUTS } from '../../src/http/limits/body.ts';
import { DEFAULT_PUBLIC_LIMITS, type PublicLimits } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import type { TestDatabase } from './db.ts';

export interface TestApp {
  deps: Composition;
  app: ReturnType<typeof createApp>;
  /** Base URL of a real HTTP server for the app (started on demand). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The whole HTTP app over a test database, the same wiring as the service. */
export async function createTestApp(
  database: TestDatabase,
  opts: { clock?: () => Date; metricsToken?: string; trustProxy?: boolean; wrapEngine?: (engine: Engine) => Engine; logger?: Logger; publicLimits?: Partial<PublicLimits> } = {},
): Promise<TestApp> {
  const deps = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta', metricsToken: opts.metricsToken, outboxPollMs: 100, trustProxy: opts.trustProxy, publicLimits: { ...DEFAULT_PUBLIC_LIMITS, ...opts.publicLimits } }, opts.logger ?? createLogger('silent'), {
    clock: opts.clock,
  });
  // A test that must see what a route hands the engine (the client address) wraps it here.
  if (opts.wrapEngine) deps.engine = opts.wrapEngine(deps.engine);
  // Open web chat pages get their messages as in the service; every other channel stays for the test to drive.
  deps.dispatcher.startChannel('webchat');
  const app = createApp(deps);
  let server: ServerType | undefined;
  return {
    deps,
    app,
    async listen() {
      if (!server) {
        server = await new Promise<ServerType>((resolve) => {
          // The service's own server timeouts (src/app/start.ts).
          const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0, serverOptions: SERVER_TIMEOUTS }, () => resolve(s));
        });
      }
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      await deps.stop();
      if (server) {
        (server as Server).closeAllConnections(); // open SSE streams would hold close() forever
        await new Promise((r) => server!.close(r));
      }
    },
  };
}

export function postJson(app: TestApp['app'], path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
