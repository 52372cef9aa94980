import { splitText } from '../split-text.ts';
import { LOCALES, type Locale } from '../../domain/vocabulary.ts';
import type { Option } from '../../messages/types.ts';
import { loadResources } from '../../i18n.ts';
import type { OutboundMessage } from '../../messages/types.ts';

// WhatsApp accepts texts of up to 65,536 characters; ours are far shorter, so in practice one outbox row is one
// WhatsApp message. Captions are kept to the Cloud API's 1,024, which WhatsApp shows without a "read more" cut.
export const WHATSAPP_WEB_LIMITS = { text: 65_000, caption: 1024 } as const;

// Up to this many options the instruction names every number ("1, 2 atau 3"); above, a range ("1 sampai 7").
const NAMED_NUMBERS_MAX = 3;

/** A file to send, as whatsapp-web.js's MessageMedia takes it (the sender builds the MessageMedia). */
export interface MediaSpec {
  mimetype: string;
  /** Base64, no data: prefix. */
  data: string;
  filename?: string;
}

/** One `client.sendMessage` call; an outbound message is one, rarely more (a long text after an attachment). */
export type WhatsappWebPart =
  | { kind: 'text'; body: string }
  | { kind: 'media'; media: MediaSpec; caption?: string; asDocument: boolean };

/** The words the renderer adds itself, in the resident's language (locales/<lang>/whatsapp_web.json). */
export interface WhatsappWebTexts {
  /** Under a numbered list: how to answer, e.g. "Silakan Bapak/Ibu balas dengan angka 1, 2 atau 3." */
  instruction(count: number): string;
}

/**
 * OutboundMessage → the sendMessage calls that show it. WhatsApp Web has no buttons an unofficial client can
 * rely on (whatsapp-web.js deprecated Buttons and List: WhatsApp stopped showing them), so options become a
 * numbered list under the text with a line that says how to answer; the engine maps a typed "2" to the second
 * option. An image or document carries the text (with its list) as caption when it fits.
 */
export function renderWhatsappWeb(message: OutboundMessage, texts: WhatsappWebTexts): WhatsappWebPart[] {
  const body = withNumberedList(message.text ?? '', message.options ?? [], texts);
  const attachments: Extract<WhatsappWebPart, { kind: 'media' }>[] = [];
  if (message.image) {
    attachments.push({ kind: 'media', media: { mimetype: 'image/png', data: message.image.pngBase64, filename: message.image.fileName ?? 'image.png' }, asDocument: false });
  }
  if (message.document) {
    attachments.push({
      kind: 'media',
      media: { mimetype: message.document.mimeType, data: message.document.base64, filename: message.document.fileName },
      asDocument: true,
    });
  }
  const parts: WhatsappWebPart[] = [...attachments];
  const last = attachments[attachments.length - 1];
  // The list goes on the last attachment so that the numbers sit right above where the resident answers.
  if (last && body.length <= WHATSAPP_WEB_LIMITS.caption) {
    if (body) last.caption = body;
    return parts;
  }
  for (const chunk of splitText(body, WHATSAPP_WEB_LIMITS.text)) parts.push({ kind: 'text', body: chunk });
  return parts;
}

/** "Text\n\n1. First\n2. Second\n\nSilakan Bapak/Ibu balas dengan angka 1 atau 2." */
export function withNumberedList(text: string, options: Option[], texts: WhatsappWebTexts): string {
  const trimmed = text.trim();
  // An option that asks for the resident's phone number is left out: on WhatsApp the sender's number itself
  // is that proof, and a typed number could not share it.
  const offered = options.filter((o) => (o.id || o.label) && !o.requestPhone);
  if (offered.length === 0) return trimmed;
  const list = offered.map((o, i) => `${i + 1}. ${(o.label || o.id).replace(/\s+/g, ' ').trim()}`).join('\n');
  return [trimmed, list, texts.instruction(offered.length)].filter(Boolean).join('\n\n');
}

type Bundle = { reply: { numbers: string; range: string }; or: string };
// The same locale files i18next serves, read once; the sender has no request-scoped translator to ask.
let resources: ReturnType<typeof loadResources> | undefined;

function bundle(locale: Locale): Bundle {
  resources ??= loadResources();
  return resources[locale]!.whatsapp_web as unknown as Bundle;
}

/** The renderer's words in `language` (a contact's stored language); unknown or unset falls back to `fallback`. */
export function whatsappWebTexts(language: string | null | undefined, fallback: Locale = 'id'): WhatsappWebTexts {
  const locale = (LOCALES as readonly string[]).includes(language ?? '') ? (language as Locale) : fallback;
  const b = bundle(locale);
  return {
    instruction(count) {
      if (count > NAMED_NUMBERS_MAX) return b.reply.range.replace('{{count}}', String(count));
      const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
      const named = numbers.length === 1 ? numbers[0]! : `${numbers.slice(0, -1).join(', ')} ${b.or} ${numbers[numbers.length - 1]}`;
      return b.reply.numbers.replace('{{numbers}}', named);
    },
  };
}

export { splitText };
