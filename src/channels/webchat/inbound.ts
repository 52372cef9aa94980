import { z } from 'zod';
import type { Inbound } from '../../conversation/types.ts';

export const CHAT_ID = /^[A-Za-z0-9_-]{8,64}$/;
// Longer than any real message; the engine reads the first 5,000 characters and still answers.
const MAX_BODY_TEXT = 20_000;

const body = z.union([
  z.object({ chatId: z.string().regex(CHAT_ID), text: z.string().max(MAX_BODY_TEXT), clientMessageId: z.string().max(100).optional() }).strict(),
  z.object({ chatId: z.string().regex(CHAT_ID), choice: z.string().min(1).max(100), clientMessageId: z.string().max(100).optional() }).strict(),
]);

export type WebchatProblem = 'bad_json' | 'bad_chat_id' | 'bad_message';

/** Turns a web chat request body into one Inbound, or names what is wrong with it. */
export function parseWebchatMessage(raw: unknown, languageHint?: string): { ok: true; inbound: Inbound } | { ok: false; problem: WebchatProblem } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problem: 'bad_json' };
  const chatId = (raw as Record<string, unknown>).chatId;
  if (typeof chatId !== 'string' || !CHAT_ID.test(chatId)) return { ok: false, problem: 'bad_chat_id' };
  const parsed = body.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: 'bad_message' };
  const m = parsed.data;
  const common = {
    channel: 'webchat' as const,
    chatId: m.chatId,
    replyInline: true, // the HTTP response carries the replies
    languageHint,
    // The browser may retry a POST after a network hiccup; its own id lets us answer once.
    providerMessageId: m.clientMessageId ? `${m.chatId}:${m.clientMessageId}` : undefined,
  };
  if ('choice' in m) return { ok: true, inbound: { ...common, kind: 'choice', choice: m.choice } };
  return { ok: true, inbound: { ...common, kind: 'text', text: m.text } };
}
