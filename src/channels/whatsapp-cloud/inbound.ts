import { z } from 'zod';
import type { Inbound } from '../../conversation/types.ts';

// The `messages` webhook of the WhatsApp Cloud API. Objects are loose: Meta adds fields often, and a field we
// do not read must never make us refuse a webhook (Meta retries refused ones for days).

// The chat and message ids become database keys: Meta's are short and printable, so anything else is not from Meta.
const providerId = z
  .string()
  .min(1)
  .max(256)
  .refine((v) => v.isWellFormed() && !/[\u0000-\u001f\u007f]/.test(v), 'must be printable text');

const media = z.looseObject({ id: z.string().min(1), mime_type: z.string().optional(), caption: z.string().optional() });

const message = z.looseObject({
  from: providerId,
  id: providerId,
  timestamp: z.string().optional(),
  type: z.string().min(1),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string().optional(), description: z.string().optional() }).optional(),
    })
    .optional(),
  // A quick-reply button of a template message.
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  image: media.optional(),
  document: media.extend({ filename: z.string().optional() }).optional(),
  video: media.optional(),
  audio: media.extend({ voice: z.boolean().optional() }).optional(),
  sticker: media.optional(),
  location: z.looseObject({ latitude: z.coerce.number(), longitude: z.coerce.number() }).optional(),
  contacts: z.array(z.unknown()).optional(),
});

const errorInfo = z.looseObject({
  code: z.coerce.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const status = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(errorInfo).optional(),
});

const value = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({ phone_number_id: z.string().optional() }).optional(),
  contacts: z.array(z.looseObject({ wa_id: z.string().optional(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(message).optional(),
  statuses: z.array(status).optional(),
  errors: z.array(errorInfo).optional(),
});

const envelope = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

export type WhatsappError = { code: number; title?: string; details?: string };

/** What Meta says became of a message we sent. */
export interface StatusUpdate {
  /** The `wamid…` our send returned (outbox.provider_message_id). */
  providerMessageId: string;
  /** sent, delivered, read, failed (and newer ones such as played, kept as given). */
  status: string;
  /** The resident's wa_id; a phone number, so never logged. */
  recipientId?: string;
  at?: Date;
  errors: WhatsappError[];
}

export type ParsedWebhook =
  | {
      ok: true;
      inbound: Inbound[];
      statuses: StatusUpdate[];
      /** Account-level errors Meta reports without a message (codes only, for the log). */
      errors: WhatsappError[];
      /** Things we deliberately pass over: reactions, system notices, other fields, other phone numbers. */
      ignored: number;
    }
  | { ok: false; reason: string };

/**
 * Turns a webhook body into the residents' messages and the status updates of ours. `phoneNumberId`, when
 * given, keeps only changes addressed to our number: one Meta app may serve several numbers, and a message
 * to another number must not be answered from ours.
 */
export function parseWebhook(body: unknown, opts: { phoneNumberId?: string } = {}): ParsedWebhook {
  const env = envelope.safeParse(body);
  if (!env.success) return { ok: false, reason: describe(env.error) };
  const inbound: Inbound[] = [];
  const statuses: StatusUpdate[] = [];
  const errors: WhatsappError[] = [];
  let ignored = 0;
  for (const [e, entry] of env.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      // Template reviews, account updates and the like share the endpoint; none of them is a conversation.
      if (change.field !== 'messages') {
        ignored++;
        continue;
      }
      const v = value.safeParse(change.value);
      if (!v.success) return { ok: false, reason: describe(v.error, `entry[${e}].changes[${c}].value`) };
      const val = v.data;
      const to = val.metadata?.phone_number_id;
      if (opts.phoneNumberId && to && to !== opts.phoneNumberId) {
        ignored += (val.messages?.length ?? 0) + (val.statuses?.length ?? 0);
        continue;
      }
      const names = new Map((val.contacts ?? []).flatMap((ct) => (ct.wa_id && ct.profile?.name ? [[ct.wa_id, ct.profile.name] as const] : [])));
      for (const m of val.messages ?? []) {
        const normalized = toInbound(m, names.get(m.from) ?? (val.contacts?.length === 1 ? val.contacts[0]!.profile?.name : undefined));
        if (normalized) inbound.push(normalized);
        else ignored++;
      }
      for (const s of val.statuses ?? []) {
        statuses.push({
          providerMessageId: s.id,
          status: s.status,
          recipientId: s.recipient_id,
          at: s.timestamp && /^\d+$/.test(s.timestamp) ? new Date(Number(s.timestamp) * 1000) : undefined,
          errors: (s.errors ?? []).map(errorOf),
        });
      }
      errors.push(...(val.errors ?? []).map(errorOf));
    }
  }
  return { ok: true, inbound, statuses, errors, ignored };
}

type Message = z.infer<typeof message>;

/** One resident message as the engine sees it; undefined for what is not a message to answer. */
function toInbound(m: Message, displayName: string | undefined): Inbound | undefined {
  const base = { channel: 'whatsapp_cloud' as const, chatId: m.from, providerMessageId: m.id, ...(displayName ? { displayName } : {}) };
  switch (m.type) {
    case 'text':
      return { ...base, kind: 'text', text: m.text?.body ?? '' };
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      // The id is the option's id as we rendered it; the title only makes the history readable.
      if (reply) return { ...base, kind: 'choice', choice: reply.id, text: reply.title };
      return { ...base, kind: 'other' };
    }
    case 'button':
      // A template's quick reply. Pintu sends its own option ids as the payloads of an invitation's quick replies
      // (render.ts renderTemplate), so a payload that is not the button's text is a choice like a pressed button;
      // otherwise (a template without payloads) its text is what the resident means ("Ya, saya datang").
      if (m.button?.payload && m.button.payload !== m.button.text) return { ...base, kind: 'choice', choice: m.button.payload, text: m.button.text ?? m.button.payload };
      return { ...base, kind: 'text', text: m.button?.text ?? m.button?.payload ?? '' };
    case 'image':
      return { ...base, kind: 'photo', text: m.image?.caption, media: mediaOf(m.image, 'image/jpeg') };
    case 'document':
      return { ...base, kind: 'document', text: m.document?.caption, media: { ...mediaOf(m.document, 'application/octet-stream'), ...(m.document?.filename ? { fileName: m.document.filename } : {}) } };
    case 'video':
      // An attachment like any file (a complaint's evidence); the engine has no kind of its own for video.
      return { ...base, kind: 'document', text: m.video?.caption, media: mediaOf(m.video, 'video/mp4') };
    case 'audio':
    case 'voice':
      return { ...base, kind: 'voice', media: mediaOf(m.audio, 'audio/ogg') };
    case 'sticker':
      return { ...base, kind: 'sticker', media: mediaOf(m.sticker, 'image/webp') };
    case 'location':
      return m.location ? { ...base, kind: 'location', location: { latitude: m.location.latitude, longitude: m.location.longitude } } : { ...base, kind: 'other' };
    case 'contacts':
      return { ...base, kind: 'contact' };
    // A reaction to one of our messages, or a notice such as "number changed": answering them would only be noise.
    case 'reaction':
    case 'system':
      return undefined;
    default:
      return { ...base, kind: 'other' };
  }
}

function mediaOf(m: { id: string; mime_type?: string } | undefined, fallback: string): NonNullable<Inbound['media']> {
  return { mimeType: m?.mime_type ?? fallback, ...(m?.id ? { ref: m.id } : {}) };
}

function errorOf(e: z.infer<typeof errorInfo>): WhatsappError {
  return { code: e.code, title: e.title ?? e.message, details: e.error_data?.details };
}

function describe(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'malformed webhook body';
  const path = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)), prefix);
  return `${path || 'body'}: ${issue.message}`;
}
