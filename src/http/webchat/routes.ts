import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { parseWebchatRequest, webchatInbound, type WebchatOrigin } from '../../channels/webchat/inbound.ts';
import { pickLocale } from '../../i18n.ts';
import { withImages } from '../../outbox/images.ts';
import { chatOf, leaveChat } from '../../services/chat-session.ts';
import { clientAddress } from '../client.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { tooMany } from '../limits/answers.ts';
import { BODY_LIMITS } from '../limits/body.ts';
import { limitPosts, spend } from '../limits/rates.ts';
import { limitLiveStreams } from '../limits/streams.ts';
import { jsonOnly } from './json-only.ts';
import { chatPage, chatPolicy } from './page.ts';
import { issueSession, readSession, sessionOf } from './session.ts';

const KEEPALIVE_MS = 25_000;

// The web chat: the page, its posts (a message, the page's start, Keluar) and its event stream. The chat is
// always the session cookie's (session.ts); no request names a chat.
//
// Anyone may use it, so everything it takes is bounded (http/limits/): posts per client address, bodies of
// 16 KB read within REQUEST_BODY_TIMEOUT_MS, new chats per address, streams per chat and per address.

export function webchatRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { engine, webchat } = deps;
  const db = deps.database.db;
  const problem = (c: Context<AppEnv>, error: string, status: 400 | 401 | 413, key = error) =>
    c.json({ error, message: deps.i18n.t(`webchat:errors.${key}`, { lng: c.get('locale') }) }, status);

  app.get('/chat', (c) => {
    sessionOf(c, { renew: true });
    const nonce = randomBytes(16).toString('base64');
    c.header('Content-Security-Policy', chatPolicy(nonce));
    return c.html(chatPage(deps.i18n.getFixedT(c.get('locale')), c.get('locale'), nonce));
  });

  const posts = limitPosts(deps, 'webchat');
  const bounded = bodyLimit({ maxSize: BODY_LIMITS.webchat, onError: (c) => problem(c, 'too_large', 413, 'tooLarge') });

  app.post('/webchat/messages', posts, jsonOnly(deps), bounded, async (c) => {
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
    const chat = await chatOf(db, 'webchat', origin.chatId);
    // A chat that never wrote is about to become rows (contact, session, messages): WEBCHAT_NEW_CHATS_PER_ADDRESS
    // an hour per client address. Counted here, not where cookies are given out: any well-formed token is a
    // session (session.ts), so a client can make up its own.
    if (!chat && origin.clientAddress) {
      const wait = await spend(deps.limits.newChats, origin.clientAddress);
      if (wait !== undefined) return tooMany(c, deps, wait);
    }
    if ('start' in message && chat?.handover) {
      // The page opened. While an officer has the chat, a reload must not end that (the menu command would):
      // a short note, and nothing changes. Otherwise what a reload always did: the menu, or on a first visit
      // the welcome and the language question (the engine greets a chat without a session whatever it says).
      return c.json({ replies: [{ text: deps.i18n.t('webchat:inHandover', { lng: pickLocale(chat.handover.language, c.get('locale')) }) }] });
    }
    const result = await engine.handle(webchatInbound('start' in message ? { text: 'menu' } : message, origin, clientMessageId));
    // An invitation opened in the chat carries its QR by reference, as an outbox row does: drawn here for the page.
    return c.json({ replies: result.replies.map(withImages), duplicate: result.duplicate || undefined });
  });

  // Keluar: the chat is given up (its link ends, its id is retired) and the browser gets a new session, so the
  // next message is a new chat. Only a JSON post with the SameSite cookie can reach it (json-only.ts).
  app.post('/webchat/logout', posts, jsonOnly(deps), bounded, async (c) => {
    const session = readSession(c);
    if (session) await leaveChat(db, 'webchat', session.chatId, deps.clock());
    issueSession(c);
    return c.json({ ok: true, message: deps.i18n.t('webchat:loggedOut', { lng: c.get('locale') }) });
  });

  // Later messages (staff replies, invitations) for the session's chat only: no cookie, no stream. At most
  // LIVE_STREAMS_PER_SESSION open per chat and LIVE_STREAMS_PER_ADDRESS per client address (with the demo phones').
  const streamSlots = limitLiveStreams(deps, (c) => {
    const session = readSession(c);
    const address = clientAddress(c);
    const { streamsPerSession, streamsPerAddress } = deps.limits.settings;
    return [
      ...(session ? [{ key: `webchat:${session.chatId}`, max: streamsPerSession }] : []),
      ...(address ? [{ key: `address:${address}`, max: streamsPerAddress }] : []),
    ];
  });
  app.get('/webchat/events', streamSlots, (c) => {
    const session = readSession(c);
    if (!session) return problem(c, 'no_session', 401);
    return streamSSE(c, async (stream) => {
      let id = 0;
      const unsubscribe = webchat.subscribe(session.chatId, (reply) => {
        void stream.writeSSE({ event: 'reply', data: JSON.stringify(reply), id: String(++id) });
      });
      // A closed page ends the wait at once: its stream lets go of its timer now, not up to 25 s later.
      let wake = () => {};
      stream.onAbort(() => {
        unsubscribe();
        wake();
      });
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      // Proxies close idle connections; a comment line every 25 s keeps the stream open.
      while (!stream.aborted && !stream.closed) {
        await pause(KEEPALIVE_MS);
        if (!stream.aborted) await stream.write(': keepalive\n\n');
      }
      unsubscribe();
    });
  });

  return app;
}
