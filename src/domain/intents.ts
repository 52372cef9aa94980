import { nearly } from './fuzzy.ts';
import { isAcknowledgement } from './acknowledgement.ts';
import { ENGLISH_MARKERS, GREETING_WORDS, INDONESIAN_MARKERS, INTENTS, LEXICON, type Intent } from './intents/lexicon.ts';
import { FILLER_WORDS } from './phrase-set.ts';
import { canonical } from './intents/spelling.ts';
import { words } from './text.ts';

export { INTENTS, type Intent } from './intents/lexicon.ts';

/** Intents answered in place: the resident hears the answer and goes on where they were. */
export const ANSWER_INTENTS = ['greeting', 'thanks', 'faqDocuments', 'faqDtsen', 'faqProposal', 'faqOffice', 'faqLostDocument', 'faqAmount', 'faqRequirements'] as const satisfies readonly Intent[];
export type AnswerIntent = (typeof ANSWER_INTENTS)[number];
export const isAnswerIntent = (i: Intent): i is AnswerIntent => (ANSWER_INTENTS as readonly string[]).includes(i);

// Typo tolerance only for words long enough to be told apart: "then" must not read as "when", "dana" not "data".
const fuzzyMatch = (typed: string, keyword: string) => typed === keyword || (keyword.length >= 5 && typed.length >= 5 && nearly(typed, keyword));

// A word that is itself a keyword is read as that word only: "lapor" is not a slip of "lapar".
const KEYWORDS = new Set(Object.values(LEXICON).flatMap((l) => [...l.words.map(([w]) => w), ...(l.phrases ?? []).flatMap(([p]) => p.split(' '))]));
const matches = (typed: string, keyword: string) => typed === keyword || (!KEYWORDS.has(typed) && fuzzyMatch(typed, keyword));

function containsPhrase(ws: readonly string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= ws.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (!matches(ws[i + j]!, phrase[j]!)) continue outer;
    return true;
  }
  return false;
}

const splitPhrases = new Map<string, string[]>();
const phraseWords = (p: string) => {
  let w = splitPhrases.get(p);
  if (!w) splitPhrases.set(p, (w = p.split(' ')));
  return w;
};

/** The words of a message as the recogniser reads them: folded, SMS forms spelled out ("sy" → "saya"). */
export function readWords(text: string): string[] {
  return canonical(words(text).slice(0, 40)).flatMap((w) => w.split(' '));
}

/**
 * Only a greeting ("assalamualaikum", "pagi pak", "p") or only thanks ("baik pak terima kasih infonya", "ok",
 * "makasih, selamat sore"): thanks are read by the same words that keep a thank-you from reopening a report
 * (acknowledgement.ts), with any greeting around them set aside.
 */
function politeOnly(ws: readonly string[]): 'greeting' | 'thanks' | undefined {
  const meaningful = ws.filter((w) => !FILLER_WORDS.has(w));
  if (meaningful.length === 0) return undefined;
  if (meaningful.every((w) => GREETING_WORDS.has(w))) return 'greeting';
  const rest = meaningful.filter((w) => !GREETING_WORDS.has(w));
  if (isAcknowledgement(rest.join(' '))) return 'thanks';
  return undefined;
}

/**
 * What a free-text message most likely asks for, or undefined when nothing scores enough. Scored by the
 * lexicon's weights; a lone weak word ("cek") decides nothing. Some pairs are settled by what the resident
 * asked rather than the sum: a report's status over a new report, a question about a word over the aid check.
 */
export function matchIntent(text: string): Intent | undefined {
  const ws = readWords(text);
  if (ws.length === 0) return undefined;
  const polite = politeOnly(ws);
  if (polite) return polite;
  const score = new Map<Intent, number>();
  for (const [intent, lex] of Object.entries(LEXICON) as [Intent, (typeof LEXICON)[keyof typeof LEXICON]][]) {
    let s = 0;
    for (const w of ws) {
      const hit = lex.words.find(([k]) => matches(w, k));
      if (hit) s += hit[1];
    }
    for (const [p, weight] of lex.phrases ?? []) if (containsPhrase(ws, phraseWords(p))) s += weight;
    if (s > 0) score.set(intent, s);
  }
  const s = (i: Intent) => score.get(i) ?? 0;
  if (s('status') >= 2 && s('complaint') > 0) return 'status';
  // "mau lapor tetangga dapat bansos padahal mampu": about someone else's aid, not the resident's own.
  if (s('misuse') >= 3 && (s('complaint') > 0 || s('aid') > 0)) return 'misuse';
  if (s('urgentNeed') >= 3) return 'urgentNeed';
  let best: Intent | undefined;
  let bestScore = 1;
  for (const intent of INTENTS) {
    const v = s(intent);
    if (v > bestScore) {
      best = intent;
      bestScore = v;
    }
  }
  return best;
}

/** The language a message is written in, when its words say so clearly; undefined when unsure. */
export function guessLanguage(text: string): 'id' | 'en' | undefined {
  const ws = readWords(text);
  const en = ws.filter((w) => ENGLISH_MARKERS.has(w)).length;
  const id = ws.filter((w) => INDONESIAN_MARKERS.has(w)).length;
  if (en >= 2 && en > id) return 'en';
  if (id >= 1 && id > en) return 'id';
  return undefined;
}
