import { LOCALES } from '../../domain/vocabulary.ts';

// What a FAQ entry may be, as pure checks the console can use to explain a refusal before anything is written.

/** The chat's own topics, in the order the FAQ lists them; their words live in locales/<lang>/faq.json. */
export const BUILT_IN_FAQ_KEYS = ['documents', 'schedule', 'dtsen', 'proposal'] as const;
export type BuiltInFaqKey = (typeof BUILT_IN_FAQ_KEYS)[number];

// 'office' is a topic built from the offices table (and edited there), never from words kept here.
const RESERVED_KEYS = new Set(['office']);

export const FAQ_TITLE_MAX = 80;
export const FAQ_ANSWER_MAX = 3000;
export const FAQ_KEY_MAX = 40;

/** Lower-case words joined by hyphens: "kartu-hilang". It becomes part of a button id, so nothing else. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const isBuiltInFaqKey = (key: string): key is BuiltInFaqKey => (BUILT_IN_FAQ_KEYS as readonly string[]).includes(key);

export interface FaqInput {
  key: string;
  language: string;
  title: string;
  answer: string;
}

export type FaqProblem =
  | { field: 'key'; problem: 'invalid' | 'reserved' }
  | { field: 'language'; problem: 'invalid' }
  | { field: 'title' | 'answer'; problem: 'empty' | 'too_long' };

/** What is wrong with an entry; empty when nothing. */
export function faqProblems(input: FaqInput): FaqProblem[] {
  const problems: FaqProblem[] = [];
  if (input.key.length > FAQ_KEY_MAX || !SLUG.test(input.key)) problems.push({ field: 'key', problem: 'invalid' });
  else if (RESERVED_KEYS.has(input.key)) problems.push({ field: 'key', problem: 'reserved' });
  if (!(LOCALES as readonly string[]).includes(input.language)) problems.push({ field: 'language', problem: 'invalid' });
  const checkText = (field: 'title' | 'answer', value: string, max: number) => {
    const v = value.trim();
    if (!v) problems.push({ field, problem: 'empty' });
    else if ([...v].length > max) problems.push({ field, problem: 'too_long' });
  };
  checkText('title', input.title, FAQ_TITLE_MAX);
  checkText('answer', input.answer, FAQ_ANSWER_MAX);
  return problems;
}
