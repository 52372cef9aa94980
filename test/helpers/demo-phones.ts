import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { composeApp, type Composition } from '../../src/app/compose.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/log.ts';
import { demoPhoneList, type DemoPhoneEntry } from '../../src/services/demo-phone/phones.ts';
import type { TestDatabase } from './db.ts';

// The app as the embedded demo runs it when start.ts switches the demo phones on (no WhatsApp): codes and
// family notices go to the demo_phone channel, and /demo/phones is mounted.

export interface DemoPhoneApp {
  deps: Composition;
  app: ReturnType<typeof createApp>;
  /** Base URL of a real HTTP server for the app (started on demand), for a browser or a stream. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createDemoPhoneApp(database: TestDatabase, opts: { clock?: () => Date } = {}): Promise<DemoPhoneApp> {
  const deps = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta', outboxPollMs: 100, demoPhones: true }, createLogger('silent'), { clock: opts.clock });
  // Open web chat pages get their messages, and the demo phones take theirs, as in the service.
  deps.dispatcher.startChannel('webchat');
  deps.dispatcher.startChannel('demo_phone');
  const app = createApp(deps);
  let server: ServerType | undefined;
  return {
    deps,
    app,
    async listen() {
      server ??= await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
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

/** A demo phone of the seed's table, by the resident it is listed for. */
export function demoPhoneOf(resident: 'Siti Aminah' | 'Ahmad Yusuf' | 'Budi Santoso'): DemoPhoneEntry {
  const entry = demoPhoneList().find((e) => e.resident === resident);
  if (!entry) throw new Error(`no demo phone for ${resident}`);
  return entry;
}

/** Writes as a demo phone through its page's form, as a browser on the same origin posts it. */
export async function writeAs(app: DemoPhoneApp['app'], phone: DemoPhoneEntry, text: string, formId: string = crypto.randomUUID()): Promise<Response> {
  return app.request(`/demo/phones/${phone.slug}/messages`, {
    method: 'POST',
    headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ text, formId }),
  });
}

/** What a demo phone's page shows, as text: the conversation, oldest first. */
export async function phoneScreen(app: DemoPhoneApp['app'], phone: DemoPhoneEntry): Promise<string> {
  const res = await app.request(`/demo/phones/${phone.slug}/messages`);
  if (res.status !== 200) throw new Error(`demo phone page answered ${res.status}`);
  return htmlText(await res.text());
}

/** Markup to the text a person reads (entities decoded), enough for toContain. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\n\s*\n+/g, '\n');
}
