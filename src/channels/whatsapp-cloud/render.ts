import { splitText } from '../split-text.ts';
import type { Option } from '../../messages/types.ts';
import type { OutboundMessage } from '../../messages/types.ts';

// Limits of the Cloud API's message objects (Meta's reference for `POST /{phone-number-id}/messages`).
export const LIMITS = {
  text: 4096,
  caption: 1024,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  id: 200,
  templateParam: 1024,
} as const;

export type InteractiveButtons = {
  type: 'button';
  body: { text: string };
  action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
};
export type InteractiveList = {
  type: 'list';
  body: { text: string };
  action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] };
};

/** A message object of the Graph API, without `messaging_product` and `to` (see toRequest). */
export type GraphMessage =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | { type: 'interactive'; interactive: InteractiveButtons | InteractiveList }
  | { type: 'image'; image: { id: string; caption?: string } }
  | { type: 'document'; document: { id: string; caption?: string; filename?: string } }
  | { type: 'template'; template: { name: string; language: { code: string }; components?: TemplateComponent[] } };

type TextParameter = { type: 'text'; text: string };
/** A template's filled-in parts: the body's {{1}}, {{2}}…, and a URL button's variable (index as Meta writes it). */
export type TemplateComponent =
  | { type: 'body'; parameters: TextParameter[] }
  | { type: 'button'; sub_type: 'url'; index: string; parameters: TextParameter[] }
  | { type: 'button'; sub_type: 'quick_reply'; index: string; parameters: { type: 'payload'; payload: string }[] };

/** A file to upload to `/{phone-number-id}/media` first; its id then goes into the part's image or document. */
export interface MediaUpload {
  base64: string;
  mimeType: string;
  fileName: string;
}

/** One Graph API call's worth of a message; an outbound message may take several (long text, image then text). */
export type Part = { message: GraphMessage; upload?: MediaUpload };

/** The words the renderer adds itself, in the resident's language (locales/<lang>/whatsapp.json). */
export interface RenderTexts {
  /** The button that opens an interactive list (at most 20 characters). */
  listButton: string;
  /** Under a numbered list in the text: how to answer with a number. */
  replyWithNumber(count: number): string;
  /** Under a numbered list whose buttons carry only the numbers. */
  tapNumber(count: number): string;
}

/**
 * OutboundMessage → Graph API messages. Options become reply buttons (up to 3), an interactive list (4–10),
 * or a numbered list in the text (more than 10): a typed "2" is mapped to the second option by the engine,
 * and pressed buttons and list rows come back with the option's id.
 */
export function renderMessage(m: OutboundMessage, texts: RenderTexts): Part[] {
  const parts: Part[] = [];
  // An option that asks for the resident's phone number is left out: on WhatsApp the sender's number itself
  // is that proof, and there is no button that could share it.
  const options = (m.options ?? []).filter((o) => o.id && o.label && !o.requestPhone);
  let text = m.text.trim();

  // An attachment goes first with the text as its caption when that fits; otherwise the text follows it.
  const attachment = m.image
    ? ({ kind: 'image', upload: { base64: m.image.pngBase64, mimeType: 'image/png', fileName: m.image.fileName ?? 'image.png' } } as const)
    : m.document
      ? ({ kind: 'document', upload: { base64: m.document.base64, mimeType: m.document.mimeType, fileName: m.document.fileName } } as const)
      : undefined;
  if (attachment) {
    const caption = options.length === 0 && text.length > 0 && text.length <= LIMITS.caption ? text : undefined;
    if (caption) text = '';
    if (attachment.kind === 'image') parts.push({ message: { type: 'image', image: { id: '', ...(caption ? { caption } : {}) } }, upload: attachment.upload });
    else
      parts.push({
        message: { type: 'document', document: { id: '', filename: attachment.upload.fileName, ...(caption ? { caption } : {}) } },
        upload: attachment.upload,
      });
  }

  if (options.length === 0) {
    for (const chunk of splitText(text, LIMITS.text)) parts.push(textPart(chunk));
    return parts;
  }

  const interactive = options.length <= LIMITS.buttons ? buttonsOf(options, texts) : options.length <= LIMITS.listRows ? listOf(options, texts) : undefined;
  // Too many options, or button labels so long that their numbered list would crowd out the message.
  if (!interactive) {
    const numbered = `${numberedList(options)}\n\n${texts.replyWithNumber(options.length)}`;
    const whole = text ? `${text}\n\n${numbered}` : numbered;
    for (const chunk of splitText(whole, LIMITS.text)) parts.push(textPart(chunk));
    return parts;
  }
  // The body of an interactive message holds at most 1,024 characters: what is before goes as plain text.
  const room = LIMITS.interactiveBody - (interactive.bodySuffix ? interactive.bodySuffix.length + 2 : 0);
  const chunks = splitText(text, LIMITS.text);
  let last = chunks.pop() ?? '';
  if (last.length > room) {
    const tail = splitText(last, room);
    last = tail.pop() ?? '';
    chunks.push(...tail);
  }
  for (const chunk of chunks) parts.push(textPart(chunk));
  const body = [last, interactive.bodySuffix].filter(Boolean).join('\n\n') || texts.replyWithNumber(options.length);
  parts.push({ message: { type: 'interactive', interactive: { ...interactive.message, body: { text: body } } } as GraphMessage });
  return parts;
}

function textPart(body: string): Part {
  return { message: { type: 'text', text: { body, preview_url: false } } };
}

type Interactive =
  | { message: Omit<InteractiveButtons, 'body'>; bodySuffix?: string }
  | { message: Omit<InteractiveList, 'body'>; bodySuffix?: string };

function buttonsOf(options: Option[], texts: RenderTexts): Interactive | undefined {
  const fits = options.every((o) => o.label.trim().length <= LIMITS.buttonTitle) && new Set(options.map((o) => o.label.trim())).size === options.length;
  // Labels too long for a button: the full list goes in the text and the buttons carry the numbers.
  const suffix = fits ? undefined : `${numberedList(options)}\n\n${texts.tapNumber(options.length)}`;
  if (suffix && suffix.length > LIMITS.interactiveBody / 2) return undefined;
  return {
    message: {
      type: 'button',
      action: {
        buttons: options.map((o, i) => ({ type: 'reply', reply: { id: o.id.slice(0, LIMITS.id), title: fits ? o.label.trim() : String(i + 1) } })),
      },
    },
    bodySuffix: suffix,
  };
}

function listOf(options: Option[], texts: RenderTexts): Interactive {
  return {
    message: {
      type: 'list',
      action: {
        button: cut(texts.listButton, LIMITS.listButton),
        sections: [
          {
            rows: options.map((o) => {
              const { title, rest } = splitLabel(o.label.trim(), LIMITS.rowTitle);
              return { id: o.id.slice(0, LIMITS.id), title, ...(rest ? { description: cut(rest, LIMITS.rowDescription) } : {}) };
            }),
          },
        ],
      },
    },
  };
}

/** "1. Cek bansos\n2. Undangan …": how a list reads where there are no buttons. */
export function numberedList(options: Option[]): string {
  return options.map((o, i) => `${i + 1}. ${o.label.trim()}`).join('\n');
}

/** A label cut at a word boundary into a row title and the rest (for the row's description). */
export function splitLabel(label: string, max: number): { title: string; rest: string } {
  if (label.length <= max) return { title: label, rest: '' };
  const space = label.lastIndexOf(' ', max - 1);
  const at = space >= max / 2 ? space : max - 1;
  const title = space >= max / 2 ? label.slice(0, at) : `${label.slice(0, at)}…`;
  return { title, rest: label.slice(at).trim() };
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

export { splitText };

/** A template message: the only kind Meta delivers outside the 24-hour customer-service window. */
export function renderTemplate(name: string, language: string, params: string[], quickReplies: string[] = []): GraphMessage {
  const parameters = params.map((p) => ({ type: 'text' as const, text: templateParam(p) }));
  // A quick-reply button answers with the payload given here: the option's id, so a tap on "Hadir" comes back
  // as the same choice as the button of an ordinary message (inbound.ts reads it).
  const buttons = quickReplies.map((payload, index) => ({ type: 'button' as const, sub_type: 'quick_reply' as const, index: String(index), parameters: [{ type: 'payload' as const, payload }] }));
  const components = [...(parameters.length ? [{ type: 'body' as const, parameters }] : []), ...buttons];
  return {
    type: 'template',
    template: { name, language: { code: language }, ...(components.length ? { components } : {}) },
  };
}

/**
 * A one-time code as an AUTHENTICATION template with a copy-code button (WHATSAPP_CLOUD_TEMPLATE_CODE). Meta
 * fixes such a template's text ("*{{1}}* is your verification code."), and its copy-code button is a URL
 * button underneath, whose one parameter is the code again: both are required, or Meta refuses the message
 * ("Button at index 0 of type Url requires a parameter").
 */
export function renderCodeTemplate(name: string, language: string, code: string): GraphMessage {
  const parameters = (): TextParameter[] => [{ type: 'text', text: templateParam(code) }];
  return {
    type: 'template',
    template: {
      name,
      language: { code: language },
      components: [
        { type: 'body', parameters: parameters() },
        { type: 'button', sub_type: 'url', index: '0', parameters: parameters() },
      ],
    },
  };
}

/** Meta refuses template parameters with new lines, tabs or more than four spaces in a row. */
function templateParam(p: string): string {
  const flat = p.replace(/[\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return cut(flat || '-', LIMITS.templateParam);
}

/** The part's message with the id of its uploaded file filled in. */
export function withMedia(message: GraphMessage, mediaId: string): GraphMessage {
  if (message.type === 'image') return { ...message, image: { ...message.image, id: mediaId } };
  if (message.type === 'document') return { ...message, document: { ...message.document, id: mediaId } };
  return message;
}

/** The request body for `POST /{phone-number-id}/messages`. */
export function toRequest(to: string, message: GraphMessage): Record<string, unknown> {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message };
}
