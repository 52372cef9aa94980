import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { faqEntries } from '../../db/schema/index.ts';
import { LOCALES } from '../../domain/vocabulary.ts';
import { BUILT_IN_FAQ_KEYS, isBuiltInFaqKey, type BuiltInFaqKey } from './rules.ts';

// What the chat's FAQ shows a resident, from the entries staff keep. Read on every use (no cache), so an
// edit in the console is what the next resident sees.
//
// Per language: a built-in topic has words in every language (locales/), so only an entry of the resident's
// own language changes or hides it. A topic of the office's own written only in Indonesian (the first
// locale) is shown in Indonesian to an English reader too, the way an office's name without an English name is.

export interface ResidentFaq {
  /** The staff's words for built-in topics in this language; absent: the words of locales/. */
  builtIn: Partial<Record<BuiltInFaqKey, { title: string; answer: string; active: boolean }>>;
  /** The office's own topics that are shown, in order. */
  extra: { key: string; title: string; answer: string }[];
}

export async function faqForResident(db: Db, language: string): Promise<ResidentFaq> {
  const fallback = LOCALES[0];
  const rows = await db
    .select({ key: faqEntries.key, language: faqEntries.language, title: faqEntries.title, answer: faqEntries.answer, active: faqEntries.active, position: faqEntries.position, id: faqEntries.id })
    .from(faqEntries)
    .where(inArray(faqEntries.language, [...new Set([language, fallback])]))
    .orderBy(asc(faqEntries.position), asc(faqEntries.id));
  const builtIn: ResidentFaq['builtIn'] = {};
  for (const key of BUILT_IN_FAQ_KEYS) {
    const row = rows.find((r) => r.key === key && r.language === language);
    if (row) builtIn[key] = { title: row.title, answer: row.answer, active: row.active };
  }
  const extra: ResidentFaq['extra'] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (isBuiltInFaqKey(r.key) || seen.has(r.key)) continue;
    const own = rows.find((x) => x.key === r.key && x.language === language);
    const chosen = own ?? rows.find((x) => x.key === r.key && x.language === fallback)!;
    seen.add(r.key);
    if (chosen.active) extra.push({ key: chosen.key, title: chosen.title, answer: chosen.answer });
  }
  return { builtIn, extra };
}
