import { z } from 'zod';

// The parts of a Telegram update that telegramInbound reads, checked before it reads them. Telegram itself
// never sends a message without a chat, but anyone who learns the webhook secret (or a proxy that mangles
// bodies) can: such a body gets a 400 with the reason instead of a TypeError and a 500 that Telegram would
// retry. Objects stay loose: the Bot API adds fields often, and a field we do not read must never refuse an
// update.

const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  language_code: z.string().optional(),
});

const chat = z.looseObject({ id: z.number().int(), type: z.string() });
const point = z.looseObject({ latitude: z.number(), longitude: z.number() });
const file = z.looseObject({ file_id: z.string(), file_size: z.number().optional() });

const message = z.looseObject({
  message_id: z.number().int(),
  chat,
  from: user.optional(),
  sender_chat: z.looseObject({}).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(file).optional(),
  document: file.extend({ mime_type: z.string().optional(), file_name: z.string().optional() }).optional(),
  location: point.optional(),
  venue: z.looseObject({ location: point }).optional(),
  // A shared contact's user_id decides whether its number is the sender's own (inbound.ts).
  contact: z.looseObject({ phone_number: z.string(), user_id: z.number().int().optional() }).optional(),
});

const button = z.looseObject({ text: z.string(), callback_data: z.string().optional() });

const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  data: z.string().optional(),
  message: z
    .looseObject({
      message_id: z.number().int(),
      chat,
      reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(button)) }).optional(),
    })
    .optional(),
});

const update = z.looseObject({ update_id: z.number().int(), message: message.optional(), callback_query: callbackQuery.optional() });

/** Why an update cannot be read ("message.chat: expected object"), or undefined when it can. */
export function updateProblem(body: unknown): string | undefined {
  const parsed = update.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  if (!issue) return 'malformed update';
  const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : String(k))).join('.').replace(/\.\[/g, '[');
  return `${path || 'body'}: ${issue.message}`.slice(0, 200);
}
