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
