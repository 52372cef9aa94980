import { normalize } from './text.ts';
import type { Locale } from './vocabulary.ts';

// Reading a short whole message as "only this kind of words": a yes ("iya pak, kirim saja"), thanks ("baik pak
// terima kasih infonya"), a greeting ("pagi bu"). The phrase lists are data per language; both languages are
// read, since residents mix them. One reader serves yes-no.ts, acknowledgement.ts and the intents.

/** Words of address and filler that carry no meaning of their own, around whatever the message says. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'pak', 'bu', 'bapak', 'ibu', 'kak', 'kakak', 'mas', 'mbak', 'min', 'admin', 'dik', 'bang', 'sir', 'madam', 'maam',
  'ya', 'yah', 'dong', 'deh', 'nih', 'kok', 'sih', 'lah', 'kah', 'pun', 'dulu', 'semua', 'all', 'everyone', 'there', 'the', 'dear', 'yth', 'dinsos',
]);

/** Phrases as word lists, longest first, so "tidak usah" is read as one answer rather than "tidak" and a stray word. */
export function phraseSet(lists: Record<Locale, readonly string[]>): string[][] {
  return Object.values(lists)
    .flat()
    .map((p) => normalize(p).split(' '))
    .sort((a, b) => b.length - a.length);
}

/** Whether the words are made only of these phrases and filler, with at least one phrase. */
export function madeOf(ws: readonly string[], phrases: readonly string[][], filler: ReadonlySet<string> = FILLER_WORDS): boolean {
  let found = false;
  let i = 0;
  outer: while (i < ws.length) {
    for (const p of phrases) {
      if (p.every((w, j) => ws[i + j] === w)) {
        i += p.length;
        found = true;
        continue outer;
      }
    }
    if (!filler.has(ws[i]!)) return false;
    i++;
  }
  return found;
}
