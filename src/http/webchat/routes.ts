import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { CHAT_ID, parseWebchatMessage } from '../../channels/webchat/inbound.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { chatPage } from './page.ts';

const KEEPALIVE_MS = 25_000;

export function webchatRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { engine, webchat } = deps;

  app.get('/chat', (c) => c.html(chatPage(deps.i18n.getFixedT(c.get('locale')), c.get('locale'))));

  app.post(
    '/webchat/messages',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json({ error: 'too_large', message: deps.i18n.t('webchat:errors.tooLarge', { lng: c.get('locale') }) }, 413),
    }),
    async (c) => {
      const t = deps.i18n.getFixedT(c.get('locale'));
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        return c.json({ error: 'bad_json', message: t('webchat:errors.bad_json') }, 400);
      }
      const parsed = parseWebchatMessage(raw, c.req.header('accept-language'));
      if (!parsed.ok) return c.json({ error: parsed.problem, message: t(`webchat:errors.${parsed.problem}`) }, 400);
      const result = await engine.handle(parsed.inbound);
      return c.json({ replies: result.replies, duplicate: result.duplicate || undefined });
    },
  );

  app.get('/webchat/events', (c) => {
    const chatId = c.req.query('chatId') ?? '';
    if (!CHAT_ID.test(chatId)) {
      return c.json({ error: 'bad_chat_id', message: deps.i18n.t('webchat:errors.bad_chat_id', { lng: c.get('locale') }) }, 400);
    }
    return streamSSE(c, async (stream) => {
      let id = 0;
      const unsubscribe = webchat.subscribe(chatId, (reply) => {
        void stream.writeSSE({ event: 'reply', data: JSON.stringify(reply), id: String(++id) });
      });
      stream.onAbort(unsubscribe);
      await stream.writeSSE({ event: 'ready', data: '{}' });
      // Proxies close idle connections; a comment line every 25 s keeps the stream open.
      while (!stream.aborted && !stream.closed) {
        await stream.sleep(KEEPALIVE_MS);
        if (!stream.aborted) await stream.write(': keepalive\n\n');
      }
      unsubscribe();
    });
  });

  return app;
}
