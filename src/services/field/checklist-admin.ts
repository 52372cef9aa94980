// The field checklists as the office keeps them (issue 19): what a worker ticks at the door for each kind of
// task, changed by an admin without a release. checklist.ts reads them for the visit form; this file lists
// every item (hidden ones too) and writes them. An item is never deleted: a visit keeps its answers by key, so
// a deleted key would leave old visits with answers nobody can read. Hiding is how an item leaves the form.

import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldChecklistItems } from '../../db/schema/index.ts';
import { FIELD_TASK_KINDS, type FieldTaskKind } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

export const CHECKLIST_LABEL_MAX = 200;
export const CHECKLIST_POSITION_MAX = 99;
/** A key names the item in every visit's answers; lower case so it reads the same in a URL and in a report. */
export const CHECKLIST_KEY = /^[a-z][a-z0-9_]{1,40}$/;

export interface AdminChecklistItem {
  key: string;
  /** { id: 'Lantai rumah dari tanah…', en: '…' }; en may be absent, and the form then shows the Indonesian. */
  labels: Record<string, string>;
  position: number;
  /** Shown on the visit form; a hidden item still reads on visits already recorded. */
  active: boolean;
}

export interface Checklist {
  kind: FieldTaskKind;
  items: AdminChecklistItem[];
}

/** What an admin types for one item; `key` only when adding. */
export interface ChecklistItemInput {
  labels: { id: string; en: string };
  position: number;
  active: boolean;
}

export type ChecklistProblem =
  | { field: 'key'; problem: 'invalid' }
  | { field: 'label_id'; problem: 'empty' | 'too_long' }
  | { field: 'label_en'; problem: 'too_long' }
  | { field: 'position'; problem: 'invalid' };

export type ChecklistRefusal = 'invalid_input' | 'key_taken' | 'not_found';

export const isFieldTaskKind = (raw: string): raw is FieldTaskKind => (FIELD_TASK_KINDS as readonly string[]).includes(raw);

const length = (s: string) => [...s].length;

/** What is wrong with an item, empty when nothing; pure, so the console can say why before anything is written. */
export function checklistItemProblems(input: ChecklistItemInput, key?: string): ChecklistProblem[] {
  const problems: ChecklistProblem[] = [];
  if (key !== undefined && !CHECKLIST_KEY.test(key)) problems.push({ field: 'key', problem: 'invalid' });
  const id = input.labels.id.trim();
  if (!id) problems.push({ field: 'label_id', problem: 'empty' });
  else if (length(id) > CHECKLIST_LABEL_MAX) problems.push({ field: 'label_id', problem: 'too_long' });
  if (length(input.labels.en.trim()) > CHECKLIST_LABEL_MAX) problems.push({ field: 'label_en', problem: 'too_long' });
  if (!Number.isInteger(input.position) || input.position < 0 || input.position > CHECKLIST_POSITION_MAX) problems.push({ field: 'position', problem: 'invalid' });
  return problems;
}

/** Every kind's items, hidden ones included, in the office's order. settings.manage. */
export async function listChecklists(db: Db, actor: Actor): Promise<Checklist[]> {
  requirePermission(actor, 'settings.manage');
  const rows = await db
    .select({ kind: fieldChecklistItems.taskKind, key: fieldChecklistItems.key, labels: fieldChecklistItems.labels, position: fieldChecklistItems.position, active: fieldChecklistItems.active })
    .from(fieldChecklistItems)
    .orderBy(asc(fieldChecklistItems.position), asc(fieldChecklistItems.id));
  return FIELD_TASK_KINDS.map((kind) => ({ kind, items: rows.filter((r) => r.kind === kind).map(({ kind: _, ...item }) => item) }));
}

/**
 * The checklists are the whole city's: every TKSK of every kecamatan ticks the same list, and a report
 * compares their answers. An admin scoped to a kecamatan or a bidang reads them; only a city-wide admin changes them.
 */
export function mayChangeChecklists(actor: Actor): boolean {
  return actor.kecamatanId === null && actor.bidang === null;
}

function requireCityWide(actor: Actor) {
  requirePermission(actor, 'settings.manage');
  if (!mayChangeChecklists(actor)) throw new Forbidden('scope', 'field checklists are city-wide; a scoped admin may not change them');
}

/** The words as stored: an empty English is left out, so itemLabel() shows the Indonesian in its place. */
function storedLabels(labels: ChecklistItemInput['labels']): Record<string, string> {
  const id = labels.id.trim();
  const en = labels.en.trim();
  return en ? { id, en } : { id };
}

/** Adds an item to a kind's list; the key must be free in that kind. Bad input changes nothing. */
export async function addChecklistItem(
  db: Db,
  actor: Actor,
  kind: FieldTaskKind,
  key: string,
  input: ChecklistItemInput,
): Promise<{ ok: true } | { ok: false; reason: Exclude<ChecklistRefusal, 'not_found'> }> {
  requireCityWide(actor);
  if (!isFieldTaskKind(kind) || checklistItemProblems(input, key).length > 0) return { ok: false, reason: 'invalid_input' };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(fieldChecklistItems)
      .values({ taskKind: kind, key, labels: storedLabels(input.labels), position: input.position, active: input.active })
      .onConflictDoNothing({ target: [fieldChecklistItems.taskKind, fieldChecklistItems.key] })
      .returning({ key: fieldChecklistItems.key });
    if (!row) return { ok: false as const, reason: 'key_taken' as const };
    await audit(tx, actor, { action: 'field_checklist.save', entity: 'field_checklist_item', entityId: `${kind}:${key}`, details: { created: true, position: input.position, active: input.active } });
    return { ok: true as const };
  });
}

/** Changes an item's words, place and whether it is shown; the key and kind never change (visits refer to them). */
export async function saveChecklistItem(
  db: Db,
  actor: Actor,
  kind: FieldTaskKind,
  key: string,
  input: ChecklistItemInput,
): Promise<{ ok: true } | { ok: false; reason: Exclude<ChecklistRefusal, 'key_taken'> }> {
  requireCityWide(actor);
  if (checklistItemProblems(input).length > 0) return { ok: false, reason: 'invalid_input' };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(fieldChecklistItems)
      .set({ labels: storedLabels(input.labels), position: input.position, active: input.active })
      .where(and(eq(fieldChecklistItems.taskKind, kind), eq(fieldChecklistItems.key, key)))
      .returning({ key: fieldChecklistItems.key });
    if (!row) return { ok: false as const, reason: 'not_found' as const };
    await audit(tx, actor, { action: 'field_checklist.save', entity: 'field_checklist_item', entityId: `${kind}:${key}`, details: { created: false, position: input.position, active: input.active } });
    return { ok: true as const };
  });
}
