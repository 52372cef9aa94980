import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { sha256 } from '../../src/services/staff/secrets.ts';
import type { Reply } from '../../src/messages/types.ts';

// The web chat as a browser uses it: the chat is the session cookie's (src/http/webchat/session.ts), so a
// simulated browser keeps a cookie jar of one cookie.

export const CHAT_COOKIE = 'pintu_chat';

/**
 * A session token for a named test chat, the same on every call: tests can name chats and find their contact
 * (externalIdOf) without a first round trip. The server takes any well-formed token as a session (it keeps
 * only hashes, so it cannot tell its own from others); a token nobody else knows is as good as an issued one.
 */
export function tokenFor(name: string): string {
  return createHash('sha256').update(`pintu-test-chat:${name}`).digest('base64url');
}

/** The contact's externalId of the named test chat. */
export const externalIdOf = (name: string): string => sha256(tokenFor(name));

/** A Cookie header for the named test chat. */
export const cookieFor = (name: string): string => `${CHAT_COOKIE}=${tokenFor(name)}`;

type Fetcher = { request(path: string, init?: RequestInit): Response | Promise<Response> };

export interface WebchatTurn {
  replies: Reply[];
  duplicate?: boolean;
}

/**
 * One browser on the web chat. `target` is the app (app.request, no socket) or a base URL (a real server, for
 * streams). `name` starts it with the named chat's cookie; without one, its jar is empty until the server
 * sets a cookie. Every Set-Cookie of ours is kept, as a browser would.
 */
export class WebchatBrowser {
  token: string | undefined;

  constructor(
    private readonly target: Fetcher | string,
    name?: string,
  ) {
    this.token = name === undefined ? undefined : tokenFor(name);
  }

  /** The chat this browser holds now: its contact's externalId. */
  get chatId(): string {
    if (!this.token) throw new Error('this browser has no session cookie yet');
    return sha256(this.token);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token && !headers.has('cookie')) headers.set('cookie', `${CHAT_COOKIE}=${this.token}`);
    const res = typeof this.target === 'string' ? await fetch(this.target + path, { ...init, headers }) : await this.target.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (name?.trim() === CHAT_COOKIE) this.token = value || undefined;
    }
    return res;
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  /** Sends a message (or the page's start) and expects the turn's replies. */
  async say(message: { text: string } | { choice: string } | { start: true }, extra: { clientMessageId?: string } = {}): Promise<WebchatTurn> {
    const res = await this.post('/webchat/messages', { ...message, ...extra });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as WebchatTurn;
  }

  /** The texts of a turn, joined: for matching with toContain. */
  async texts(message: { text: string } | { choice: string } | { start: true }): Promise<string> {
    return (await this.say(message)).replies.map((r) => r.text).join('\n');
  }

  /** Keluar, as the page's button does it. */
  logout(): Promise<Response> {
    return this.post('/webchat/logout', {});
  }
}
