// What the broadcast use cases share: their options, refusals, the permission and the area check. A
// broadcast belongs to no kecamatan of its own: its segment says where it goes, so a kecamatan-scoped
// supervisor may only handle broadcasts whose segment stays inside their kecamatan.

import { inArray } from 'drizzle-orm';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import { broadcasts, kelurahan, type BroadcastSegment } from '../../db/schema/index.ts';
import type { Translator } from '../../i18n.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { OutreachEnv } from '../outreach/env.ts';
import type { TemplateRefusal } from '../outreach/templates.ts';

export interface BroadcastOptions {
  now: Date;
  /** APP_TIMEZONE: quiet hours (21:00–06:00) are in this zone. */
  timeZone?: string;
  i18n?: Translator;
  /** DEFAULT_LOCALE: the language of a chat that never chose one. */
  defaultLocale?: Locale;
  /** The channel that reaches registry phones and its limits; absent: a broadcast reaches linked chats only. */
  outreach?: OutreachEnv;
}

export type BroadcastRefusal =
  | 'not_found'
  | 'invalid_title'
  | 'invalid_text'
  | 'text_missing'
  | 'text_too_long'
  | 'invalid_segment'
  /** Desil outside 1–10, or the lowest above the highest. */
  | 'desil_out_of_range'
  | 'desil_min_above_max'
  /** Age outside 0–120, or the lowest above the highest. */
  | 'age_out_of_range'
  | 'age_min_above_max'
  /** Not a name Meta gives a template (lowercase letters, digits, underscores). */
  | 'invalid_template'
  | 'unknown_program'
  | 'unknown_area'
  | 'out_of_scope'
  | 'time_in_past'
  | 'invalid_status'
  /** A resend of interrupted messages when none is left interrupted. */
  | 'nothing_to_resend'
  /** The WhatsApp Cloud template cannot write first to registry phones (detail: its name). */
  | TemplateRefusal;

export type BroadcastRefused = { ok: false; reason: BroadcastRefusal; detail?: string };
export type BroadcastOutcome<T extends object = object> = ({ ok: true } & T) | BroadcastRefused;
export const refuse = (reason: BroadcastRefusal, detail?: string): BroadcastRefused => (detail === undefined ? { ok: false, reason } : { ok: false, reason, detail });

export type BroadcastRow = typeof broadcasts.$inferSelect;

export function canManageBroadcasts(actor: Actor): void {
  requirePermission(actor, 'broadcasts.manage');
}

/**
 * The kecamatan a segment can reach: those it names, plus those of the kelurahan it names; null when it
 * names no area (the whole city).
 */
export async function segmentKecamatans(db: Db, segment: BroadcastSegment): Promise<Set<number> | null> {
  const kec = segment.kecamatanIds ?? [];
  const kel = segment.kelurahanIds ?? [];
  if (kec.length === 0 && kel.length === 0) return null;
  const out = new Set<number>();
  // Both named: only households in both hold, so the kelurahan's kecamatan is the narrower answer.
  if (kel.length > 0) {
    const rows = await db.select({ kecamatanId: kelurahan.kecamatanId }).from(kelurahan).where(inArray(kelurahan.id, kel));
    for (const r of rows) if (kec.length === 0 || kec.includes(r.kecamatanId)) out.add(r.kecamatanId);
  } else for (const k of kec) out.add(k);
  return out;
}

/** A city-wide actor handles every segment; a scoped one only a segment that reaches nothing outside their kecamatan. */
export async function segmentInScope(db: Db, actor: Actor, segment: BroadcastSegment): Promise<boolean> {
  if (actor.kecamatanId === null) return true;
  const reach = await segmentKecamatans(db, segment);
  return reach !== null && [...reach].every((k) => k === actor.kecamatanId);
}
