import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { AdapterContext, ChannelAdapter } from '../../src/channels/adapter.ts';
import { composeApp, type ComposeConfig, type Composition } from '../../src/app/compose.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** A clock the test moves by hand (the WhatsApp 24-hour window); it runs with real time otherwise. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  const clock = (() => new Date(Date.now() + offset)) as TestClock;
  clock.advance = (ms) => {
    offset += ms;
  };
  return clock;
}

export interface ChannelApp {
  database: TestDatabase;
  composition: Composition;
  clock: TestClock;
  /** Base URL of the one HTTP server: the channel webhooks, the web chat, the console and the API. */
  base: string;
  close(): Promise<void>;
}

/**
 * The service's own wiring over a fresh seeded database — composeApp with the given channel adapters and
 * createApp on top — served over real HTTP, so the resident's webhook and the officer's console reach the
 * same app instance. The dispatcher is not started: tests drain the outbox through each channel's real
 * sender (test/helpers/drain.ts), so what reaches the fake provider is known at each step.
 */
export async function startChannelApp(
  adapters: (ctx: AdapterContext, clock: TestClock) => ChannelAdapter[],
  config: Partial<Pick<ComposeConfig, 'identityLimits' | 'publicLimits' | 'whatsappCloud' | 'whatsappWeb'>> = {},
): Promise<ChannelApp> {
  const database = await createTestDatabase();
  await seedDemoCity(database, { households: 30, today: new Date() });
  const clock = testClock();
  const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta', ...config }, createLogger('silent'), {
    clock,
    adapters: (ctx) => adapters(ctx, clock),
  });
  const app = createApp(composition);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    database,
    composition,
    clock,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await composition.stop();
      (server as Server).closeAllConnections();
      await new Promise((r) => server.close(r));
      await database.dispose();
    },
  };
}
