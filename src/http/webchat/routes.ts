import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { parseWebchatRequest, webchatInbound, type WebchatOrigin } from '../../channels/webchat/inbound.ts';
import { pickLocale } from '../../i18n.ts';
import { handoverOf, leaveChat } from '../../services/chat-session.ts';
import { clientAddress } from '../client.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { jsonOnly } from './json-only.ts';
import { chatPage } from './page.ts';
import { issueSession, readSession, sessionOf } from './session.ts';

const KEEPALIVE_MS = 25_000;

// The web chat: the page, its posts (a message, the page's start, Keluar) and its event stream. The chat is
// always the session cookie's (session.ts); no request names a chat.

export function webchatRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { engine, webchat } = deps;
  const db = deps.database.db;
  const problem = (c: Context<AppEnv>, error: string, status: 400 | 401 | 413, key = error) =>
    c.json({ error, message: deps.i18n.t(`webchat:errors.${key}`, { lng: c.get('locale') }) }, status);

  app.get('/chat', (c) => {
    sessionOf(c, { renew: true });
    return c.html(chatPage(deps.i18n.getFixedT(c.get('locale')), c.get('locale')));
  });

  app.post('/webchat/messages', jsonOnly(deps), bodyLimit({ maxSize: 64 * 1024, onError: (c) => problem(c, 'too_large', 413, 'tooLarge') }), async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return problem(c, 'bad_json', 400);
    }
    const parsed = parseWebchatRequest(raw);
    if (!parsed.ok) return problem(c, parsed.problem, 400);
    // A browser without a session (cookies cleared, or it never loaded /chat) gets one with this answer.
    const origin: WebchatOrigin = { chatId: sessionOf(c).chatId, languageHint: c.req.header('accept-language'), clientAddress: clientAddress(c) };
    const { clientMessageId, ...message } = parsed.request;
    if ('start' in message) {
      // The page opened. While an officer has the chat, a reload must not end that (the menu command would):
      // a short note, and nothing changes. Otherwise what a reload always did: the menu, or on a first visit
      // the welcome and the language question (the engine greets a chat without a session whatever it says).
      const handover = await handoverOf(db, 'webchat', origin.chatId);
      if (handover) return c.json({ replies: [{ text: deps.i18n.t('webchat:inHandover', { lng: pickLocale(handover.language, c.get('locale')) }) }] });
    }
    const result = await engine.handle(webchatInbound('start' in message ? { text: 'menu' } : message, origin, clientMessageId));
    return c.json({ replies: result.replies, duplicate: result.duplicate || undefined });
  });

  // Keluar: the chat is given up (its link ends, its id is retired) and the browser gets a new session, so the
  // next message is a new chat. Only a JSON post with the SameSite cookie can reach it (json-only.ts).
  app.post('/webchat/logout', jsonOnly(deps), async (c) => {
    const session = readSession(c);
    if (session) await leaveChat(db, 'webchat', session.chatId, deps.clock());
    issueSession(c);
    return c.json({ ok: true, message: deps.i18n.t('webchat:loggedOut', { lng: c.get('locale') }) });
  });

  // Later messages (staff replies, invitations) for the session's chat only: no cookie, no stream.
  app.get('/webchat/events', (c) => {
    const session = readSession(c);
    if (!session) return problem(c, 'no_session', 401);
    return streamSSE(c, async (stream) => {
      let id = 0;
      const unsubscribe = webchat.subscribe(session.chatId, (reply) => {
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
