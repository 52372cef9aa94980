import { nearly } from './fuzzy.ts';
import { words } from './text.ts';

// Which one of a short list a resident meant by a name typed in a chat: "sembako", "PKH saya belum cair",
// "bansos lansia", "ewarong belian". Residents write a program by its code, part of its name or with a typo,
// and an e-warong by the part of its name that is not "e-warong". Pure: the services bring the candidates
// (the programs, the agents of a kecamatan) and keep the answer. When two candidates fit equally well the
// answer is none: a report routed to the wrong bidang or counted against the wrong agent is worse than one
// an officer reads and sorts by hand.

export interface NameCandidate<T> {
  item: T;
  /** Every name it goes by: a code, the Indonesian and the English name. */
  names: readonly (string | null)[];
}

/** Words that say what kind of thing it is, not which one: "Program", "Bantuan", "E-Warong", "Kota". */
export type GenericWords = ReadonlySet<string>;

const significant = (text: string, generic: GenericWords) => words(text).filter((w) => !generic.has(w));

/**
 * How well `typed` names `name`, 0 (not at all) to 4 (the very name). 3: every word the resident wrote is in
 * the name ("sembako" for "Program Sembako (BPNT)"); 2: the name is in what they wrote ("PKH saya belum cair");
 * 1: the same with a typo in each word ("sembakko").
 */
export function nameScore(typed: string, name: string, generic: GenericWords = new Set()): number {
  const t = significant(typed, generic);
  const n = significant(name, generic);
  if (t.length === 0 || n.length === 0) return 0;
  if (t.join(' ') === n.join(' ')) return 4;
  const nameWords = new Set(n);
  if (t.every((w) => nameWords.has(w))) return 3;
  const typedWords = new Set(t);
  if (n.every((w) => typedWords.has(w))) return 2;
  if (t.every((w) => n.some((x) => nearly(w, x)))) return 1;
  if (n.every((x) => t.some((w) => nearly(w, x)))) return 1;
  return 0;
}

/** The one candidate `typed` names best, or null when none fits or two fit equally well. */
export function matchByName<T>(typed: string, candidates: readonly NameCandidate<T>[], generic: GenericWords = new Set()): T | null {
  let best = 0;
  let found: T[] = [];
  for (const c of candidates) {
    const score = Math.max(0, ...c.names.filter((n): n is string => n !== null).map((n) => nameScore(typed, n, generic)));
    if (score === 0 || score < best) continue;
    if (score > best) {
      best = score;
      found = [];
    }
    if (!found.includes(c.item)) found.push(c.item);
  }
  return found.length === 1 ? found[0]! : null;
}
