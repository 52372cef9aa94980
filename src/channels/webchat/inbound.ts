import { z } from 'zod';
import type { Inbound } from '../../conversation/types.ts';

// Longer than any real message; the engine reads the first 5,000 characters and still answers.
const MAX_BODY_TEXT = 20_000;
const clientMessageId = z.string().max(100).optional();

// The chat is never named in the body: it is the session cookie's (http/webchat/session.ts).
const body = z.union([
  z.object({ text: z.string().max(MAX_BODY_TEXT), clientMessageId }).strict(),
  z.object({ choice: z.string().min(1).max(100), clientMessageId }).strict(),
  // The page has opened (first visit or reload): the server decides what to say (see http/webchat/routes.ts).
  z.object({ start: z.literal(true), clientMessageId }).strict(),
]);

export type WebchatRequest = z.infer<typeof body>;
export type WebchatProblem = 'bad_json' | 'chat_id_in_body' | 'bad_message';

/** A web chat request body, or what is wrong with it. */
export function parseWebchatRequest(raw: unknown): { ok: true; request: WebchatRequest } | { ok: false; problem: WebchatProblem } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problem: 'bad_json' };
  // Refused rather than ignored: a body with chatId comes from a page of the old protocol (a cached tab), whose
  // resident would otherwise be moved to a new chat without a word. The answer asks them to reload.
  if ('chatId' in raw) return { ok: false, problem: 'chat_id_in_body' };
  const parsed = body.safeParse(raw);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, problem: 'bad_message' };
}

export interface WebchatOrigin {
  /** The session's chat id (a hash of the cookie), never the cookie itself. */
  chatId: string;
  languageHint?: string;
  clientAddress?: string;
}

/** One text or choice of the chat as the engine's Inbound. `start` is answered by the route, not here. */
export function webchatInbound(message: { text: string } | { choice: string }, origin: WebchatOrigin, clientMessageId?: string): Inbound {
  const common = {
    channel: 'webchat' as const,
    chatId: origin.chatId,
    replyInline: true, // the HTTP response carries the replies
    languageHint: origin.languageHint,
    clientAddress: origin.clientAddress,
    // The browser may retry a POST after a network hiccup; its own id lets us answer once.
    providerMessageId: clientMessageId ? `${origin.chatId}:${clientMessageId}` : undefined,
  };
  if ('choice' in message) return { ...common, kind: 'choice', choice: message.choice };
  return { ...common, kind: 'text', text: message.text };
}
