import { FILLER_WORDS, madeOf, phraseSet } from './phrase-set.ts';
import { normalize } from './text.ts';
import type { Locale } from './vocabulary.ts';

// "Ya", "ok kirim", "iya pak benar", "tidak usah": how residents answer a yes-or-no question in words rather
// than with the button. Data per language; both languages are read whatever the chat's language, since
// residents mix them ("ok", "yes" in an Indonesian chat). A step that asks a yes-or-no question reads the
// answer here, so every such question takes the same words.

export const YES_WORDS: Record<Locale, readonly string[]> = {
  id: ['ya', 'iya', 'iyaa', 'iyah', 'iye', 'yaa', 'y', 'ok', 'oke', 'okay', 'okey', 'okee', 'sip', 'siap', 'boleh', 'benar', 'bener', 'betul', 'setuju', 'kirim', 'kirimkan', 'sudah', 'udah', 'sdh', 'mau', 'tentu'],
  en: ['yes', 'yeah', 'yep', 'yup', 'ok', 'okay', 'sure', 'send', 'correct', 'right', 'confirm', 'agree', 'fine', 'go ahead', 'please do'],
};

export const NO_WORDS: Record<Locale, readonly string[]> = {
  id: ['tidak', 'tdk', 'tak', 'gak', 'ga', 'gk', 'nggak', 'ngga', 'enggak', 'engga', 'ndak', 'jangan', 'bukan', 'belum', 'blm', 'tidak usah', 'gak usah', 'ga usah', 'jangan dulu', 'nanti dulu', 'nanti saja'],
  en: ['no', 'nope', 'nah', 'not now', 'dont', 'do not', 'not yet', 'cancel it'],
};

// Words that may stand around a yes or a no: "iya pak", "kirim saja", "tidak bu".
// A yes or no word is never filler here ("ya tidak" is neither).
const ANSWER_WORDS = new Set([...Object.values(YES_WORDS), ...Object.values(NO_WORDS)].flat());
const FILLER = new Set([...FILLER_WORDS, 'aja', 'saja', 'sj', 'sekarang', 'now', 'please', 'pls', 'it', 'thanks', 'terima', 'kasih', 'makasih'].filter((w) => !ANSWER_WORDS.has(w)));

// A thumb or a tick is a yes on a phone keyboard.
const YES_EMOJI = /[\u{1F44D}\u{1F44C}\u{2705}\u{2714}]/u;
const NO_EMOJI = /[\u{1F44E}\u{274C}\u{2716}]/u;

const YES = phraseSet(YES_WORDS);
const NO = phraseSet(NO_WORDS);

/** A whole message read as a yes or a no to the question just asked, or undefined when it is neither. */
export function yesOrNo(text: string): 'yes' | 'no' | undefined {
  const n = normalize(text);
  if (!n) {
    if (YES_EMOJI.test(text) && !NO_EMOJI.test(text)) return 'yes';
    if (NO_EMOJI.test(text) && !YES_EMOJI.test(text)) return 'no';
    return undefined;
  }
  const ws = n.split(' ');
  if (ws.length > 6) return undefined;
  const yes = madeOf(ws, YES, FILLER);
  const no = madeOf(ws, NO, FILLER);
  if (yes === no) return undefined;
  return yes ? 'yes' : 'no';
}

export const isYes = (text: string) => yesOrNo(text) === 'yes';
export const isNo = (text: string) => yesOrNo(text) === 'no';
