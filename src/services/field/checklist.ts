// What a worker ticks at the door, per kind of task (issue 19): the office's own lists, kept as data
// (field_checklist_items: for a proposal, the poverty indicators it checks at the house). A visit keeps its
// answers by key, so an item hidden later still reads on an old visit (checklistLabels keeps every item).

import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldChecklistItems } from '../../db/schema/index.ts';
import type { FieldTaskKind } from '../../domain/vocabulary.ts';

export interface ChecklistItem {
  key: string;
  /** The item in each language the office wrote it in: { id: 'Lantai rumah dari tanah…', en: '…' }. */
  labels: Record<string, string>;
}

/** The active items of a kind, in the office's order. */
export async function checklistFor(db: Db, kind: FieldTaskKind): Promise<ChecklistItem[]> {
  return db
    .select({ key: fieldChecklistItems.key, labels: fieldChecklistItems.labels })
    .from(fieldChecklistItems)
    .where(and(eq(fieldChecklistItems.taskKind, kind), eq(fieldChecklistItems.active, true)))
    .orderBy(asc(fieldChecklistItems.position), asc(fieldChecklistItems.id));
}

/** Every item's words by kind and key, hidden ones included: for reading visits already recorded. */
export async function checklistLabels(db: Db): Promise<Map<string, Record<string, string>>> {
  const rows = await db.select({ kind: fieldChecklistItems.taskKind, key: fieldChecklistItems.key, labels: fieldChecklistItems.labels }).from(fieldChecklistItems);
  return new Map(rows.map((r) => [`${r.kind}:${r.key}`, r.labels]));
}

/** An item's words in a language, else in Indonesian, else its key. */
export function itemLabel(labels: Record<string, string> | undefined, locale: string, key: string): string {
  return labels?.[locale] ?? labels?.id ?? key;
}
