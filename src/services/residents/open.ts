import type { Db } from '../../db/client.ts';
import { maskIdNumber } from '../../domain/mask.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { readHousehold, type HouseholdPage } from './household.ts';
import { OPEN_ACTION, openedLately, RESIDENTS_PERMISSION, scopedHousehold } from './scope.ts';

// Opening a household's page (issue 18) takes a reason, chosen from a short list with an optional note, and
// is audited with it: UU 27/2022 asks why personal data was read, and "who looked at my family, and why" must
// have an answer. Within OPENING_VALID_MS the same officer reads the page again without a new reason or row.

/** Why the officer opens the household; the words are residents:reasons.<key>. */
export const OPEN_REASONS = ['walk_in', 'phone_call', 'complaint_follow_up', 'other'] as const;
export type OpenReason = (typeof OPEN_REASONS)[number];
/** The optional words beside the reason; the audit log keeps at most this much. */
export const MAX_NOTE = 200;

export type OpenRefusal = 'not_found' | 'invalid_reason' | 'note_required';
export type OpenResult = { ok: true } | { ok: false; reason: OpenRefusal };

/** Records an opening with its reason. "Lainnya" needs the note that says what the other reason is. */
export async function openHousehold(db: Db, actor: Actor, householdId: number, input: { reason: string; note: string; now: Date }): Promise<OpenResult> {
  requirePermission(actor, RESIDENTS_PERMISSION);
  const h = await scopedHousehold(db, actor, householdId);
  if (!h) return { ok: false, reason: 'not_found' };
  if (!(OPEN_REASONS as readonly string[]).includes(input.reason)) return { ok: false, reason: 'invalid_reason' };
  const note = input.note.trim().replace(/\s+/g, ' ').slice(0, MAX_NOTE);
  if (input.reason === 'other' && note.length === 0) return { ok: false, reason: 'note_required' };
  // audit() drops a note that holds a NIK, KK or phone number ([redacted]): the reason stays, the number does not.
  await audit(db, actor, { action: OPEN_ACTION, entity: 'household', entityId: h.id, details: { reason: input.reason, ...(note ? { reasonNote: note } : {}) }, at: input.now });
  return { ok: true };
}

/** What the reason form shows: enough to see it is the family the officer meant, nothing more. */
export interface HouseholdHeading {
  id: number;
  maskedKk: string;
  kelurahan: string;
  kecamatan: string;
}

export type HouseholdView = { kind: 'not_found' } | { kind: 'needs_reason'; household: HouseholdHeading } | { kind: 'page'; page: HouseholdPage };

/**
 * The household's page when this officer opened it lately, else the heading the reason form needs. A
 * household outside the officer's kecamatan is not_found, exactly as a missing one.
 */
export async function viewHousehold(db: Db, actor: Actor, householdId: number, opts: { now: Date; timeZone: string }): Promise<HouseholdView> {
  requirePermission(actor, RESIDENTS_PERMISSION);
  const h = await scopedHousehold(db, actor, householdId);
  if (!h) return { kind: 'not_found' };
  if (!(await openedLately(db, actor, h.id, opts.now))) {
    return { kind: 'needs_reason', household: { id: h.id, maskedKk: maskIdNumber(h.noKk), kelurahan: h.kelurahan, kecamatan: h.kecamatan } };
  }
  return { kind: 'page', page: await readHousehold(db, actor, h, opts) };
}
