// How resident text is read: folded for matching commands and intents, and made safe to store. Pure.

/** The longest text a step looks at; longer messages are cut (and still answered), never refused. */
export const MAX_TEXT = 5000;

/** Lowercase, accents and punctuation removed, spaces folded: the form commands and intents are matched in. */
export function normalize(text: string): string {
  return text
    .slice(0, 500) // a command or intent is short; no need to scan a 5,000-character message
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Words of a normalised text. */
export function words(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(' ') : [];
}

// NUL cannot be stored in PostgreSQL text; other control characters only hide what was written.
const CONTROL_CHARS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F';
export const CONTROL = new RegExp(`[${CONTROL_CHARS}]`, 'g');
// The same characters, or U+FFFD: what broken UTF-8 becomes when it is decoded.
const BAD_BYTE = new RegExp(`[${CONTROL_CHARS}\\uFFFD]`);

/**
 * True for text no person types into a form or a link: a control character (tab and line breaks are fine),
 * a lone surrogate, or U+FFFD, which is what broken UTF-8 becomes when it is decoded.
 */
export function hasBadBytes(text: string): boolean {
  return !text.isWellFormed() || BAD_BYTE.test(text);
}

/** Inbound text made safe to store and show: control characters dropped, lone surrogates replaced, cut to MAX_TEXT. */
export function sanitizeText(text: string): string {
  return text.toWellFormed().replace(CONTROL, '').slice(0, MAX_TEXT).trim();
}
