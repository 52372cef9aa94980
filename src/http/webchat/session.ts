import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomToken, sha256 } from '../../services/staff/secrets.ts';
import { isHttps } from '../client.ts';

// The web chat's session: a random token the server gives each browser in a cookie, which is the only way to
// speak as a chat or hear its later messages. The browser's script never sees it (HttpOnly), another site
// cannot send it with a post (SameSite), and the database keeps only its SHA-256 as the contact's externalId,
// so a leaked table hands out no live session. Whoever holds the token holds the chat: "Keluar" retires it.

export const CHAT_COOKIE = 'pintu_chat';
// Long enough to find a complaint's answer on a later visit (answers can take days), short enough that a
// browser left alone forgets the chat. Every visit to /chat starts the period again. A link to the family
// ends much sooner: after 30 idle minutes (conversation/engine.ts).
const MAX_AGE_S = 30 * 86_400;
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // randomToken(): 32 bytes in base64url

export interface ChatSession {
  /** sha256(token): the contact's externalId, the hub's key and the engine's chat id. Never the token. */
  chatId: string;
}

/** The browser's session, or undefined when it sent none (or something that is not one of our tokens). */
export function readSession(c: Context): ChatSession | undefined {
  const token = getCookie(c, CHAT_COOKIE);
  return token && TOKEN.test(token) ? { chatId: sha256(token) } : undefined;
}

/** A new session in a new cookie (replacing any the browser had): the next message starts a new chat. */
export function issueSession(c: Context): ChatSession {
  const token = randomToken();
  setToken(c, token);
  return { chatId: sha256(token) };
}

/** The browser's session, or a new one. `renew`: a visit to the page starts the cookie's lifetime again. */
export function sessionOf(c: Context, opts: { renew?: boolean } = {}): ChatSession {
  const token = getCookie(c, CHAT_COOKIE);
  if (!token || !TOKEN.test(token)) return issueSession(c);
  if (opts.renew) setToken(c, token);
  return { chatId: sha256(token) };
}

function setToken(c: Context, token: string): void {
  setCookie(c, CHAT_COOKIE, token, {
    path: '/',
    httpOnly: true,
    // Lax, not Strict: a resident who follows a link to /chat from the office's site or a WhatsApp message must
    // arrive in their own chat. Lax still keeps the cookie off every post another site makes.
    sameSite: 'Lax',
    secure: isHttps(c),
    maxAge: MAX_AGE_S,
  });
}
