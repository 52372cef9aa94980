import { splitText as splitLongText } from '../split-text.ts';
import { createHash } from 'node:crypto';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Option } from '../../messages/types.ts';
import type { OutboundMessage } from '../../messages/types.ts';

/** The Bot API's limits, in UTF-16 code units for texts (what Telegram counts) and bytes for callback data. */
export const TELEGRAM_LIMITS = { text: 4096, caption: 1024, buttonLabel: 64, callbackData: 64 } as const;

/** Marks callback data that stands for an option id too long to send as is. Ids never start with it. */
export const HASHED_PREFIX = '~';

/** What sits under a message: inline buttons, a reply keyboard, or the order to take a reply keyboard away. */
export type TelegramMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** One Bot API call; the sender makes them in order. Texts are plain (no parse_mode): nothing to escape. */
export type TelegramCall =
  | { method: 'sendMessage'; text: string; reply_markup?: TelegramMarkup }
  | { method: 'sendPhoto'; file: TelegramFile; caption?: string; reply_markup?: TelegramMarkup }
  | { method: 'sendDocument'; file: TelegramFile; caption?: string; reply_markup?: TelegramMarkup };

export interface TelegramFile {
  data: Uint8Array;
  fileName: string;
}

/**
 * Every call that carries no keyboard of its own takes any reply keyboard away (see replyKeyboard). Telegram
 * keeps a reply keyboard on screen until a bot message replaces or removes it, and a sender that sends one
 * row at a time, in whichever process claims it, cannot know whether the chat still shows one: removing it
 * always is stateless, costs no extra call, and does nothing visible where there is none. Two costs, accepted:
 * - a message with inline buttons cannot also carry the removal (one reply_markup per message): one sent
 *   right after the reply keyboard leaves it in place, hidden behind its icon once pressed (it is one-time),
 *   until the next message without buttons;
 * - a notice that arrives while the resident is being asked to share their number takes the button away;
 *   the step asks again with the button on any answer it cannot use, and typing still works.
 */
export const REMOVE_KEYBOARD: ReplyKeyboardRemove = { remove_keyboard: true };

/**
 * The calls that show one outbound message in a Telegram chat:
 * - options become an inline keyboard, one button per row (labels are long sentences in Indonesian), on the
 *   last message so the buttons sit under the words they answer; when one of them asks for the resident's
 *   phone number, all become a reply keyboard instead (replyKeyboard);
 * - an image or document carries the text as its caption when it fits (1,024); otherwise the file goes
 *   first, bare, and the text follows as messages of its own;
 * - text over 4,096 is split at paragraph, line or word ends into several messages;
 * - every call without a keyboard takes a reply keyboard away (REMOVE_KEYBOARD).
 */
export function renderTelegram(message: OutboundMessage): TelegramCall[] {
  return renderCalls(message).map((call) => (call.reply_markup ? call : { ...call, reply_markup: REMOVE_KEYBOARD }));
}

function renderCalls(message: OutboundMessage): TelegramCall[] {
  const options = message.options ?? [];
  const keyboard = options.length === 0 ? undefined : options.some((o) => o.requestPhone) ? replyKeyboard(options) : inlineKeyboard(options);
  const text = message.text?.trim() ?? '';
  const files: { method: 'sendPhoto' | 'sendDocument'; file: TelegramFile }[] = [];
  if (message.image) {
    files.push({ method: 'sendPhoto', file: { data: Buffer.from(message.image.pngBase64, 'base64'), fileName: safeFileName(message.image.fileName, 'image.png') } });
  }
  if (message.document) {
    files.push({ method: 'sendDocument', file: { data: Buffer.from(message.document.base64, 'base64'), fileName: safeFileName(message.document.fileName, 'document.pdf') } });
  }

  const calls: TelegramCall[] = files.map((f) => ({ ...f }));
  const last = calls[calls.length - 1];
  if (last && last.method !== 'sendMessage' && text.length <= TELEGRAM_LIMITS.caption) {
    if (text) last.caption = text;
    if (keyboard) last.reply_markup = keyboard;
    return calls;
  }
  // Telegram refuses an empty text; buttons without words still need a line to hang from.
  const chunks = text ? splitText(text, TELEGRAM_LIMITS.text) : keyboard ? ['…'] : [];
  chunks.forEach((chunk, i) => {
    const isLast = i === chunks.length - 1;
    calls.push(isLast && keyboard ? { method: 'sendMessage', text: chunk, reply_markup: keyboard } : { method: 'sendMessage', text: chunk });
  });
  return calls;
}

/** One button per row. */
export function inlineKeyboard(options: Option[]): InlineKeyboardMarkup {
  return { inline_keyboard: options.map((o) => [{ text: buttonLabel(o.label || o.id), callback_data: callbackData(o.id) }]) };
}

/**
 * A reply keyboard for a message that asks the resident to share their own number: Telegram's request_contact
 * button can only be a reply keyboard button, and one message cannot carry both kinds of keyboard, so the
 * other options become plain text buttons. Pressing one sends its label as text, which the engine matches
 * against the offered options (as with a hashed callback id, the label must not have been shortened).
 * One-time: it hides once pressed, and the next message takes it away (REMOVE_KEYBOARD).
 */
export function replyKeyboard(options: Option[]): ReplyKeyboardMarkup {
  return {
    keyboard: options.map((o) => [o.requestPhone ? { text: buttonLabel(o.label || o.id), request_contact: true } : { text: buttonLabel(o.label || o.id) }]),
    one_time_keyboard: true,
    resize_keyboard: true,
  };
}

/**
 * The callback data for an option id. Our ids are short (`aid`, `cmd:menu`, `slot:12`) and go as they are.
 * An id over 64 bytes (or one that starts with the marker) goes as `~` and a 128-bit hash of it; on the press,
 * inbound.ts hands the engine the button's label instead, which the engine matches against the offered
 * options. That works as long as the label itself was not shortened (≤ 64 characters).
 */
export function callbackData(id: string): string {
  if (Buffer.byteLength(id, 'utf8') <= TELEGRAM_LIMITS.callbackData && !id.startsWith(HASHED_PREFIX)) return id;
  return HASHED_PREFIX + createHash('sha256').update(id).digest('base64url').slice(0, 22);
}

function buttonLabel(label: string): string {
  const chars = [...label.replace(/\s+/g, ' ').trim()];
  if (chars.length <= TELEGRAM_LIMITS.buttonLabel) return chars.join('') || '•';
  return chars.slice(0, TELEGRAM_LIMITS.buttonLabel - 1).join('').trimEnd() + '…';
}

/** Telegram's text limit by default; the splitting itself is shared by every channel. */
export function splitText(text: string, max: number = TELEGRAM_LIMITS.text): string[] {
  return splitLongText(text, max);
}

// grammY writes the name into a multipart header unquoted: keep it to plain characters.
function safeFileName(name: string | undefined, fallback: string): string {
  const clean = (name ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100);
  return clean || fallback;
}
