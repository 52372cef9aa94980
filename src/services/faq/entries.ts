import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { faqEntries } from '../../db/schema/index.ts';
import { LOCALES } from '../../domain/vocabulary.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { faqProblems, isBuiltInFaqKey, type FaqInput } from './rules.ts';

// The FAQ as staff keep it (settings.manage): one row per topic and language. Saving a built-in topic's key
// replaces its words from locales/; any other key is a topic of the office's own. Hiding keeps the words.
// Every write is audited with lengths, never the words themselves (the audit log is not a copy of the FAQ).

export interface FaqEntry {
  id: number;
  key: string;
  language: string;
  title: string;
  answer: string;
  position: number;
  active: boolean;
  updatedAt: Date;
}

const COLUMNS = {
  id: faqEntries.id,
  key: faqEntries.key,
  language: faqEntries.language,
  title: faqEntries.title,
  answer: faqEntries.answer,
  position: faqEntries.position,
  active: faqEntries.active,
  updatedAt: faqEntries.updatedAt,
};

/** Every entry of one language (or all), hidden ones too, in the order residents see them. */
export async function listFaqEntries(db: Db, actor: Actor, language?: string): Promise<FaqEntry[]> {
  requirePermission(actor, 'settings.manage');
  return db
    .select(COLUMNS)
    .from(faqEntries)
    .where(language !== undefined ? eq(faqEntries.language, language) : undefined)
    .orderBy(asc(faqEntries.language), asc(faqEntries.position), asc(faqEntries.id));
}

export type SaveFaqResult = { ok: true; id: number; created: boolean } | { ok: false; reason: 'invalid_input' | 'key_taken' };

/**
 * Writes the words of a topic in one language. `mode: 'create'` is the "new topic" form: an existing key in
 * that language (or a built-in key) is refused rather than overwritten. `mode: 'update'` changes or, for a
 * built-in topic never edited, creates the row. The entry keeps whether it is hidden.
 */
export async function saveFaqEntry(db: Db, actor: Actor, input: FaqInput & { mode: 'create' | 'update' }): Promise<SaveFaqResult> {
  requirePermission(actor, 'settings.manage');
  if (faqProblems(input).length > 0) return { ok: false, reason: 'invalid_input' };
  if (input.mode === 'create' && isBuiltInFaqKey(input.key)) return { ok: false, reason: 'key_taken' };
  const values = { title: input.title.trim(), answer: input.answer.trim(), updatedBy: actor.kind === 'staff' ? actor.id : null, updatedAt: new Date() };
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: faqEntries.id })
      .from(faqEntries)
      .where(and(eq(faqEntries.key, input.key), eq(faqEntries.language, input.language)))
      .for('update');
    if (current && input.mode === 'create') return { ok: false as const, reason: 'key_taken' as const };
    let id: number;
    if (current) {
      await tx.update(faqEntries).set(values).where(eq(faqEntries.id, current.id));
      id = current.id;
    } else {
      // A topic of the office's own given in a second language sits where it already sits in the first.
      const [sibling] = await tx.select({ position: faqEntries.position }).from(faqEntries).where(eq(faqEntries.key, input.key)).limit(1);
      const [row] = await tx
        .insert(faqEntries)
        .values({ key: input.key, language: input.language, ...values, ...(sibling ? { position: sibling.position } : {}) })
        // Two admins creating the same key at once: the second is told, not silently merged.
        .onConflictDoNothing()
        .returning({ id: faqEntries.id });
      if (!row) return { ok: false as const, reason: 'key_taken' as const };
      id = row.id;
    }
    await audit(tx, actor, {
      action: current ? 'faq.update' : 'faq.create',
      entity: 'faq_entry',
      entityId: id,
      details: { key: input.key, language: input.language, builtIn: isBuiltInFaqKey(input.key), titleLength: values.title.length, answerLength: values.answer.length },
    });
    return { ok: true as const, id, created: !current };
  });
}

export type SetFaqActiveResult = { ok: true } | { ok: false; reason: 'not_found' | 'invalid_input' };

/**
 * Hides or shows a topic in one language. A built-in topic never edited has no row yet, nor has an office
 * topic not written in this language: `words` (what residents of this language see now, which the caller
 * reads) become the row, so hiding it changes nothing else.
 */
export async function setFaqActive(
  db: Db,
  actor: Actor,
  input: { key: string; language: string; active: boolean; words?: { title: string; answer: string } },
): Promise<SetFaqActiveResult> {
  requirePermission(actor, 'settings.manage');
  if (!(LOCALES as readonly string[]).includes(input.language)) return { ok: false, reason: 'invalid_input' };
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: faqEntries.id, active: faqEntries.active })
      .from(faqEntries)
      .where(and(eq(faqEntries.key, input.key), eq(faqEntries.language, input.language)))
      .for('update');
    let id: number;
    if (current) {
      if (current.active === input.active) return { ok: true as const };
      await tx.update(faqEntries).set({ active: input.active, updatedBy: actor.kind === 'staff' ? actor.id : null, updatedAt: new Date() }).where(eq(faqEntries.id, current.id));
      id = current.id;
    } else {
      // No row in this language: a built-in topic, or an office topic shown here in the first locale's words.
      const [sibling] = await tx.select({ id: faqEntries.id }).from(faqEntries).where(eq(faqEntries.key, input.key)).limit(1);
      if (!isBuiltInFaqKey(input.key) && !sibling) return { ok: false as const, reason: 'not_found' as const };
      const words = input.words;
      if (!words || faqProblems({ key: input.key, language: input.language, ...words }).length > 0) return { ok: false as const, reason: 'invalid_input' as const };
      if (input.active) return { ok: true as const }; // a built-in topic with no row is already shown
      const [row] = await tx
        .insert(faqEntries)
        .values({ key: input.key, language: input.language, title: words.title.trim(), answer: words.answer.trim(), active: false, updatedBy: actor.kind === 'staff' ? actor.id : null })
        .onConflictDoNothing()
        .returning({ id: faqEntries.id });
      if (!row) return { ok: false as const, reason: 'not_found' as const };
      id = row.id;
    }
    await audit(tx, actor, { action: input.active ? 'faq.show' : 'faq.hide', entity: 'faq_entry', entityId: id, details: { key: input.key, language: input.language } });
    return { ok: true as const };
  });
}
