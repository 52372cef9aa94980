// What every distribution use case shares: the options a staff action runs with (the clock, the office's
// zone, the texts), the refusal shape, and the permission and area checks. An event or site outside the
// actor's kecamatan is 'not_found', never 'forbidden', so ids cannot be probed.

import type { OutreachEnv } from '../outreach/env.ts';
import type { TemplateRefusal } from '../outreach/templates.ts';
import { eq } from 'drizzle-orm';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import { distributionEvents, eventSlots, programs, sites } from '../../db/schema/index.ts';
import { createI18n, type Translator } from '../../i18n.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

export interface DistributionOptions {
  now: Date;
  /** APP_TIMEZONE: dates residents read and reminder times are in this zone. */
  timeZone?: string;
  /** The app's translator; a private one is made on first use when absent (tests, CLI). */
  i18n?: Translator;
  /** DEFAULT_LOCALE: the language of a chat that never chose one. */
  defaultLocale?: Locale;
  /** The channel that reaches registry phones, and its limits; absent: households without a chat go on paper. */
  outreach?: OutreachEnv;
}

export type DistributionRefusal =
  | 'not_found'
  | 'invalid_input'
  | 'date_in_past'
  | 'slot_outside_date'
  | 'invalid_capacity'
  | 'invalid_time_range'
  | 'unknown_program'
  | 'unknown_site'
  | 'invalid_status'
  | 'no_capacity'
  | 'max_round'
  /** The WhatsApp Cloud template chosen for a fan-out to registry phones cannot be used (detail: its name). */
  | TemplateRefusal;

export type Refused = { ok: false; reason: DistributionRefusal; detail?: string };
export type Outcome<T extends object = object> = ({ ok: true } & T) | Refused;

export const refuse = (reason: DistributionRefusal, detail?: string): Refused => (detail === undefined ? { ok: false, reason } : { ok: false, reason, detail });

export function zoneOf(opts: Pick<DistributionOptions, 'timeZone'>): string {
  return opts.timeZone ?? DEFAULT_TIME_ZONE;
}

let fallbackI18n: Promise<Translator> | undefined;
export async function translatorOf(opts: Pick<DistributionOptions, 'i18n'>): Promise<Translator> {
  if (opts.i18n) return opts.i18n;
  fallbackI18n ??= createI18n('id');
  return fallbackI18n;
}

export function canManage(actor: Actor): void {
  requirePermission(actor, 'distribution.manage');
}

export function canRead(actor: Actor): void {
  requirePermission(actor, 'distribution.read');
}

/** A kecamatan-scoped actor handles only its own kecamatan; a city-wide one (null) handles all. */
export function kecamatanInScope(actor: Actor, kecamatanId: number | null): boolean {
  return actor.kecamatanId === null || actor.kecamatanId === kecamatanId;
}

/** A bidang-scoped actor handles only the programs of their bidang; one of every bidang (null) handles all. */
export function programInScope(actor: Actor, programBidang: string | null): boolean {
  return actor.bidang === null || actor.bidang === programBidang;
}

export async function siteInScope(db: Db, actor: Actor, siteId: number) {
  const [site] = await db.select().from(sites).where(eq(sites.id, siteId));
  if (!site || !kecamatanInScope(actor, site.kecamatanId)) return undefined;
  return site;
}

export type EventRow = typeof distributionEvents.$inferSelect;

/**
 * The event, locked for the rest of the transaction when `lock` is set, or undefined when unknown or
 * outside the actor's scope: a kecamatan-scoped actor sees an event only when all of its sites are in their
 * kecamatan, a bidang-scoped one only an event of a program their bidang answers for (issue 15: every list in
 * scope; a program without a bidang is the city's, so only staff of every bidang see it).
 */
export async function eventInScope(db: Db, actor: Actor, eventId: number, lock = false): Promise<(EventRow & { programUnit: 'household' | 'person' }) | undefined> {
  if (!Number.isSafeInteger(eventId)) return undefined;
  const q = db
    .select({ event: distributionEvents, programUnit: programs.unit, programBidang: programs.bidang })
    .from(distributionEvents)
    .innerJoin(programs, eq(programs.id, distributionEvents.programId))
    .where(eq(distributionEvents.id, eventId));
  const [row] = lock ? await q.for('update', { of: distributionEvents }) : await q;
  if (!row) return undefined;
  if (!programInScope(actor, row.programBidang)) return undefined;
  if (actor.kecamatanId !== null) {
    const slotSites = await db
      .select({ kecamatanId: sites.kecamatanId })
      .from(eventSlots)
      .innerJoin(sites, eq(sites.id, eventSlots.siteId))
      .where(eq(eventSlots.eventId, eventId));
    if (slotSites.length === 0 || slotSites.some((s) => s.kecamatanId !== actor.kecamatanId)) return undefined;
  }
  return { ...row.event, programUnit: row.programUnit };
}
