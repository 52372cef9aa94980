import { distance } from 'fastest-levenshtein';

/** Typos residents make on small keyboards: one slip in short words, two in long ones. */
export function allowedSlips(word: string): number {
  if (word.length <= 3) return 0;
  if (word.length <= 7) return 1;
  return 2;
}

/** True when `typed` is `target` give or take a typo. */
export function nearly(typed: string, target: string): boolean {
  if (typed === target) return true;
  const slips = allowedSlips(target);
  if (slips === 0 || Math.abs(typed.length - target.length) > slips) return false;
  return distance(typed, target) <= slips;
}
